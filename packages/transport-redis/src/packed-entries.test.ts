import { createEventBus } from '@algospace/event-bus';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, sharedRedisUrl, uniquePrefix, waitFor } from '../test/redis-test-support.js';
import { createRedisTransport, type RedisTransport } from './redis-transport.js';
import { envelope, packEvents, parseEntryEvents } from './stream-entry.js';

interface TestEvents {
  bar: { symbol: string; n: number };
}

describe('packed entries (outbound.packBatches, the default) against the shared Redis', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const transports: RedisTransport[] = [];

  function prefix(name: string): string {
    const p = uniquePrefix(name);
    prefixes.push(p);
    return p;
  }

  function track<T extends RedisTransport>(transport: T): T {
    transports.push(transport);
    return transport;
  }

  function consumerOf(p: string, seen: number[], options: { commitFailures?: number } = {}) {
    const bus = createEventBus<TestEvents>();
    bus.subscribe('bar', (bar) => seen.push(bar.n));
    let failures = options.commitFailures ?? 0;
    return track(
      createRedisTransport({
        bus,
        redis: sharedRedisUrl,
        prefix: p,
        inbound: {
          topics: ['bar'],
          group: 'g',
          consumer: 'c',
          commit: () => {
            if (failures > 0) {
              failures--;
              throw new Error('commit refused once, so the batch stays pending and is read again');
            }
          },
        },
      }),
    );
  }

  /** A packed entry as a producer writes it, events `ns` of producer `prod`, `k` its mark before. */
  function packedFields(ns: readonly number[], k: number): string[] {
    const parts = ns.flatMap((n) => [envelope('prod', n, 0, 'bar'), JSON.stringify({ symbol: 'ES', n })]);
    return ['p', packEvents(parts), 'k', String(k)];
  }

  beforeAll(async () => {
    redis = new Redis(sharedRedisUrl);
    await redis.ping();
  });

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.stop({ timeoutMs: 1_000 })));
    await Promise.all(prefixes.splice(0).map((p) => deleteKeys(sharedRedisUrl, p)));
  });

  afterAll(() => {
    redis.disconnect();
  });

  it('writes a batch of one stream as one entry that reads back as its events, in order, each counted', async () => {
    const p = prefix('packed-layout');
    const bus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({ bus, redis: sharedRedisUrl, prefix: p, outbound: { topics: ['bar'] } }),
    );
    await producer.start();
    for (let n = 1; n <= 3; n++) bus.publish('bar', { symbol: 'ES', n });
    await producer.flush();
    const entries = await redis.xrange(`${p}:bar`, '-', '+');
    expect(entries, 'three events published in one synchronous run share a batch').toHaveLength(1);
    const [[, fields]] = entries as [[string, string[]]];
    expect([fields[0], fields[2], fields[3]], 'a first append finds no earlier mark').toEqual([
      'p',
      'k',
      '0',
    ]);
    expect(parseEntryEvents(fields)).toEqual(
      [1, 2, 3].map((n) => ({
        id: `${producer.producerId}:${n}`,
        producerId: producer.producerId,
        sequence: n,
        publishedAt: expect.any(Number),
        topic: 'bar',
        data: JSON.stringify({ symbol: 'ES', n }),
      })),
    );
    const seen: number[] = [];
    const consumer = consumerOf(p, seen);
    await consumer.start();
    await waitFor(() => consumer.metrics().inbound.acknowledged === 3, 'three events acknowledged');
    expect(seen).toEqual([1, 2, 3]);
    expect(consumer.metrics().inbound).toMatchObject({ delivered: 3, acknowledged: 3, duplicatesDropped: 0 });
    expect(producer.metrics().outbound.published).toBe(3);
  });

  it('keeps the producer order across many packed entries', async () => {
    const p = prefix('packed-order');
    const bus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({
        bus,
        redis: sharedRedisUrl,
        prefix: p,
        outbound: { topics: ['bar'], maxBatchSize: 7 },
      }),
    );
    const seen: number[] = [];
    const consumer = consumerOf(p, seen);
    await producer.start();
    await consumer.start();
    for (let n = 1; n <= 1_000; n++) bus.publish('bar', { symbol: 'ES', n });
    expect(await producer.flush({ timeoutMs: 20_000 })).toBe(true);
    await waitFor(() => consumer.metrics().inbound.acknowledged === 1_000, '1000 events acknowledged');
    expect(seen).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    // 1 000 events in batches of at most 7: at least ⌈1000 / 7⌉ = 143 entries, never more than one per event.
    const length = await redis.xlen(`${p}:bar`);
    expect(length).toBeGreaterThanOrEqual(143);
    expect(length).toBeLessThan(1_000);
  });

  it('delivers each event of a partially delivered packed entry once, and again once after its redelivery', async () => {
    const p = prefix('packed-redelivery');
    const seen: number[] = [];
    // The first acknowledgement fails, so both entries are read again by the same consumer.
    const consumer = consumerOf(p, seen, { commitFailures: 1 });
    const errors: unknown[] = [];
    consumer.onError((error) => errors.push(error));
    await consumer.start();
    // Entry B overlaps entry A on events 2 and 3 without a mark covering them (as a foreign writer would), and
    // entry C's mark 5 says its events 4 and 5 were written before: only 6 and 7 are new.
    // One transaction, so the three entries arrive in one read.
    await redis
      .multi()
      .xadd(`${p}:bar`, '*', ...packedFields([1, 2, 3], 0))
      .xadd(`${p}:bar`, '*', ...packedFields([2, 3, 4, 5], 0))
      .xadd(`${p}:bar`, '*', ...packedFields([4, 5, 6, 7], 5))
      .exec();
    await waitFor(() => consumer.metrics().inbound.acknowledged === 9, 'the 3 + 4 + 2 events acknowledged');
    expect(seen, 'each event reached the handlers once').toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(errors.length, 'the refused commit was reported').toBeGreaterThanOrEqual(1);
    // First read: 7 delivered, 2 and 3 of entry B dropped. Re-read: the 3 + 4 + 2 events above the marks
    // replayed and all dropped, already delivered.
    expect(consumer.metrics().inbound).toMatchObject({ delivered: 7, redelivered: 9, duplicatesDropped: 11 });
    const [pending] = (await redis.xpending(`${p}:bar`, 'g')) as [number];
    expect(pending).toBe(0);
  });

  it('caps the stream near maxLen entries, each holding a whole batch, so it keeps about maxLen × maxBatchSize events', async () => {
    const p = prefix('packed-maxlen');
    const bus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({
        bus,
        redis: sharedRedisUrl,
        prefix: p,
        outbound: { topics: ['bar'], maxLen: 10, maxBatchSize: 50 },
      }),
    );
    await producer.start();
    for (let n = 0; n < 2_000; n++) bus.publish('bar', { symbol: 'ES', n });
    await producer.flush();
    const entries = await redis.xrange(`${p}:bar`, '-', '+');
    // `MAXLEN ~` trims whole radix-tree nodes (100 entries each by default): between 10 and 10 + 100 entries.
    expect(entries.length).toBeGreaterThanOrEqual(10);
    expect(entries.length).toBeLessThan(110);
    const ns = entries.flatMap(([, fields]) => {
      const events = parseEntryEvents(fields);
      if (typeof events === 'string') throw new Error(events);
      return events.map((event) => (JSON.parse(event.data) as { n: number }).n);
    });
    // 2 000 events published synchronously leave in full batches of 50, so every entry holds 50 events.
    expect(ns).toHaveLength(entries.length * 50);
    expect(ns, 'whole entries are trimmed, oldest first').toEqual(
      Array.from({ length: ns.length }, (_, i) => 2_000 - ns.length + i),
    );
  });
});
