/**
 * A consumer in its own process, for the crash tests. It reads `<PREFIX>:bar` as consumer `CONSUMER` of group
 * `g` and records each delivered event's sequence number in `<PREFIX>:seen` through the commit hook (so the
 * record commits atomically with the acknowledgement). When it meets sequence `STALL_AT` it prints `stalled`
 * and blocks inside the handler, mid-batch (mid-entry when entries are packed), until the test kills it. On SIGTERM it stops and prints its metrics.
 */
import { createEventBus } from '@algospace/event-bus';
import { createRedisTransport } from '@algospace/transport-redis';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`consumer-process: ${name} is required`);
  return value;
};
const prefix = env('PREFIX');
const stallAt = Number(env('STALL_AT', '0'));
const bus = createEventBus<{ bar: { n: number } }>();
const transport = createRedisTransport({
  bus,
  redis: env('REDIS_URL'),
  prefix,
  inbound: {
    topics: ['bar'],
    group: 'g',
    consumer: env('CONSUMER'),
    readCount: Number(env('READ_COUNT', '100')),
    claimIdleMs: Number(env('CLAIM_IDLE_MS', '30000')),
    claimIntervalMs: 200,
    commit: (tx, events) => {
      tx.rpush(`${prefix}:seen`, ...events.map((event) => String(event.sequence)));
    },
  },
});
bus.subscribe('bar', (bar) => {
  if (bar.n === stallAt) {
    process.stdout.write('stalled\n');
    // Blocks this process inside the handler, so it dies with a half-handled batch pending.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  }
});
transport.onError((error) => process.stderr.write(`${String(error)}\n`));
process.on('SIGTERM', () => {
  void transport.stop().then(() => {
    process.stdout.write(`metrics ${JSON.stringify(transport.metrics())}\n`);
    process.exit(0);
  });
});
await transport.start();
process.stdout.write('started\n');
