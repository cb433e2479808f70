import { createEventBus } from '@algospace/event-bus';
import { createRedisTransport, type TransportMetrics } from '@algospace/transport-redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startChild, type WatchedChild } from './child-process.js';
import { deleteKeys, sharedRedisUrl, uniquePrefix } from './redis-test-support.js';

const N = 2_000;
const STALL_AT = 1_234;

describe('a consumer process killed mid-batch and replaced', () => {
  let redis: Redis;
  const prefixes: string[] = [];

  beforeAll(async () => {
    redis = new Redis(sharedRedisUrl);
  });

  // A failed assertion must not leave a stalled consumer process behind.
  const children: WatchedChild[] = [];
  afterEach(() => {
    for (const child of children.splice(0))
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  });

  afterAll(async () => {
    await Promise.all(prefixes.map((p) => deleteKeys(sharedRedisUrl, p)));
    redis.disconnect();
  });

  /**
   * Unpacked: one event per entry, 100 entries per read. Packed: 50 events per entry, 2 entries per read, so a
   * read still covers 100 events and the stall lands inside a packed entry (events 1 201–1 250).
   */
  const layouts = {
    unpacked: { packBatches: false, eventsPerEntry: 1, readCount: 100 },
    packed: { packBatches: true, eventsPerEntry: 50, readCount: 2 },
  } as const;

  async function publish(prefix: string, layout: (typeof layouts)[keyof typeof layouts]): Promise<void> {
    const bus = createEventBus<{ bar: { n: number } }>();
    const producer = createRedisTransport({
      bus,
      redis: sharedRedisUrl,
      prefix,
      outbound: { topics: ['bar'], packBatches: layout.packBatches, maxBatchSize: layout.eventsPerEntry },
    });
    await producer.start();
    for (let n = 1; n <= N; n++) bus.publish('bar', { n });
    await producer.flush();
    await producer.stop();
  }

  for (const [layoutName, layout] of Object.entries(layouts))
    for (const replacement of [
      'another consumer claiming the entries',
      'the same consumer name re-reading them',
    ] as const) {
      it(`hands every event to the local bus exactly once, in order, with ${replacement} (${layoutName} entries)`, async () => {
        const prefix = uniquePrefix('crash');
        prefixes.push(prefix);
        await publish(prefix, layout);

        const first = startChild('consumer-process.ts', {
          REDIS_URL: sharedRedisUrl,
          PREFIX: prefix,
          CONSUMER: 'a',
          STALL_AT: String(STALL_AT),
          READ_COUNT: String(layout.readCount),
        });
        children.push(first);
        await first.line('stalled');
        const [pendingCount, , , owners] = (await redis.xpending(`${prefix}:bar`, 'g')) as [
          number,
          string,
          string,
          [string, string][],
        ];
        expect(pendingCount, 'the killed consumer leaves its half-handled batch pending').toBeGreaterThan(0);
        expect(owners).toEqual([['a', String(pendingCount)]]);
        const committedBeforeKill = await redis.llen(`${prefix}:seen`);
        expect(committedBeforeKill, 'batches before the stalled one were committed').toBeGreaterThan(0);
        expect(committedBeforeKill).toBeLessThan(STALL_AT);
        first.process.kill('SIGKILL');
        await first.exited;

        const sameName = replacement === 'the same consumer name re-reading them';
        const second = startChild('consumer-process.ts', {
          REDIS_URL: sharedRedisUrl,
          PREFIX: prefix,
          CONSUMER: sameName ? 'a' : 'b',
          CLAIM_IDLE_MS: '200',
          READ_COUNT: String(layout.readCount),
        });
        children.push(second);
        await second.line('started');
        let seen = 0;
        const deadline = Date.now() + 30_000;
        while (seen < N && Date.now() < deadline) {
          seen = await redis.llen(`${prefix}:seen`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        second.process.kill('SIGTERM');
        const metricsLine = await second.line('metrics ');
        await second.exited;
        const metrics = JSON.parse(metricsLine.slice('metrics '.length)) as TransportMetrics;

        const sequences = (await redis.lrange(`${prefix}:seen`, 0, -1)).map(Number);
        expect(sequences, 'each event committed once, in stream order').toEqual(
          Array.from({ length: N }, (_, i) => i + 1),
        );
        // Every event of every pending entry is replayed, the ones handled before the kill included: their
        // handlers' effects were never committed (the commit hook runs with the acknowledgement).
        expect(metrics.inbound.redelivered, 'the dead consumer’s pending entries were delivered again').toBe(
          pendingCount * layout.eventsPerEntry,
        );
        expect(metrics.inbound.claimed).toBe(sameName ? 0 : pendingCount * layout.eventsPerEntry);
        expect(metrics.inbound.delivered).toBe(N - committedBeforeKill);
        const [left] = (await redis.xpending(`${prefix}:bar`, 'g')) as [number];
        expect(left, 'nothing left pending').toBe(0);
      }, 90_000);
    }
});
