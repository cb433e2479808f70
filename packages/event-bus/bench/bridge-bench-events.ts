/** Event map and codec of the bridge benchmark, shared with its worker. */
import type { NumericCodec } from '../src/index.js';

export interface BridgeBenchEvents {
  go: undefined;
  item: { producer: number; n: number };
}

export const itemCodec: NumericCodec<BridgeBenchEvents['item']> = {
  width: 2,
  encode(item, target, offset) {
    target[offset] = item.producer;
    target[offset + 1] = item.n;
  },
  decode(source, offset) {
    return { producer: source[offset] ?? Number.NaN, n: source[offset + 1] ?? Number.NaN };
  },
};
