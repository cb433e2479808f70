/**
 * Worker script for the bridge tests: publishes `count` events `{ producer, n }` (n = 0, 1, …) on topic 'item'
 * into the main bus (as numbers through `itemCodec` when `codec` is set, with a plain 'note' event after every
 * 1000th item), optionally echoes what it receives on 'ping', then closes. Started through
 * typescript-worker-entry.mjs, so it imports the bridge from source.
 */
import { workerData } from 'node:worker_threads';
import { connectToMainBus } from '../worker-bridge.js';
import { type BridgeEvents, itemCodec } from './bridge-events.js';

interface ProducerData {
  readonly producer: number;
  readonly count: number;
  readonly codec?: boolean;
  readonly echo?: number;
}

const data = workerData as ProducerData;
const main = connectToMainBus<BridgeEvents>(data.codec === true ? { codecs: { item: itemCodec } } : {});

if (data.echo !== undefined) {
  let left = data.echo;
  const done = new Promise<void>((resolve) => {
    main.subscribe('ping', (n) => {
      main.publish('pong', n * 2);
      left--;
      if (left === 0) resolve();
    });
  });
  await main.flush();
  await done;
}

for (let n = 0; n < data.count; n++) {
  main.publish('item', { producer: data.producer, n });
  if (data.codec === true && n % 1000 === 999) main.publish('note', { producer: data.producer, after: n });
}
await main.close();
