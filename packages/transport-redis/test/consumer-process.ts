/**
 * A consumer in its own process, for the crash tests. It reads `<PREFIX>:bar` (or, with `PARTITIONS=a,b,…`,
 * those partitions of stream `bar`) as consumer `CONSUMER` of group `g` and records each delivered event's
 * sequence number through the commit hook (so the record commits atomically with the acknowledgement): in
 * `<PREFIX>:seen`, or with `SEEN=per-stream` in `<stream key>:seen`, which on Redis Cluster shares the stream's
 * slot. `REDIS_CLUSTER=url,url,…` connects to a cluster instead of `REDIS_URL`. When it meets sequence
 * `STALL_AT` it prints `stalled` and blocks inside the handler, mid-batch (mid-entry when entries are packed),
 * until the test kills it. On SIGTERM it stops and prints its metrics.
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
const partitions = process.env.PARTITIONS?.split(',');
const perStream = process.env.SEEN === 'per-stream';
const bus = createEventBus<{ bar: { n: number } }>();
const transport = createRedisTransport({
  bus,
  redis: process.env.REDIS_CLUSTER === undefined ? env('REDIS_URL') : process.env.REDIS_CLUSTER.split(','),
  prefix,
  inbound: {
    topics: [partitions === undefined ? 'bar' : { topics: ['bar'], stream: 'bar', partitions }],
    group: 'g',
    consumer: env('CONSUMER'),
    readCount: Number(env('READ_COUNT', '100')),
    claimIdleMs: Number(env('CLAIM_IDLE_MS', '30000')),
    claimIntervalMs: 200,
    commit: (tx, events) => {
      if (!perStream) {
        tx.rpush(`${prefix}:seen`, ...events.map((event) => String(event.sequence)));
        return;
      }
      const byStream = new Map<string, string[]>();
      for (const event of events) {
        const list = byStream.get(event.stream) ?? [];
        list.push(String(event.sequence));
        byStream.set(event.stream, list);
      }
      for (const [stream, sequences] of byStream) tx.rpush(`${stream}:seen`, ...sequences);
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
