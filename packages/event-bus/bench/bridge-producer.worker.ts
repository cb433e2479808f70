/**
 * Worker for the bridge benchmark: waits for 'go' from the main bus (so thread start-up and compilation are
 * not timed), publishes `count` events (through `itemCodec` when `codec` is set), then closes its end of the bridge.
 */
import { workerData } from 'node:worker_threads';
import { type BridgeBenchEvents, itemCodec } from './bridge-bench-events.js';
import { eventBus } from './built-package.js';

const { connectToMainBus } = eventBus;
const { producer, count, batchSize, codec } = workerData as {
  producer: number;
  count: number;
  batchSize: number;
  codec: boolean;
};
const main = connectToMainBus<BridgeBenchEvents>(
  codec ? { batchSize, codecs: { item: itemCodec } } : { batchSize },
);
main.subscribe('go', () => {
  for (let n = 0; n < count; n++) main.publish('item', { producer, n });
  void main.close();
});
await main.flush();
