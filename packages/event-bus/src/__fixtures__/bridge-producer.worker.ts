/**
 * Worker script for the bridge tests and benchmark: publishes `count` events `{ producer, n }` (n = 0, 1, …)
 * on topic 'item' into the main bus, optionally echoes back what it receives on 'ping', then closes.
 * Started through typescript-worker-entry.mjs, so it imports the bridge from source.
 */
import { workerData } from 'node:worker_threads';
import { connectToMainBus } from '../worker-bridge.js';

interface ProducerData {
  readonly producer: number;
  readonly count: number;
  readonly batchSize?: number;
  readonly echo?: number;
}

interface BridgeEvents {
  item: { producer: number; n: number };
  ping: number;
  pong: number;
}

const data = workerData as ProducerData;
const main = connectToMainBus<BridgeEvents>(
  data.batchSize === undefined ? {} : { batchSize: data.batchSize },
);

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

for (let n = 0; n < data.count; n++) main.publish('item', { producer: data.producer, n });
await main.close();
