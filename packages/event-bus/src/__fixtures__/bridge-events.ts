/** Event map and codec shared by the bridge tests and their worker script. */
import type { NumericCodec } from '../worker-bridge.js';

export interface BridgeEvents {
  item: { producer: number; n: number };
  note: { producer: number; after: number };
  ping: number;
  pong: number;
}

export const itemCodec: NumericCodec<BridgeEvents['item']> = {
  width: 2,
  encode(item, target, offset) {
    target[offset] = item.producer;
    target[offset + 1] = item.n;
  },
  decode(source, offset) {
    return { producer: source[offset] ?? Number.NaN, n: source[offset + 1] ?? Number.NaN };
  },
};
