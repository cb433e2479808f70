import { createEventBus, type EventBus } from '@algospace/event-bus';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { engineEventFixtures, type FixtureEvents } from '../test/engine-event-fixtures.js';
import { deleteKeys, sharedRedisUrl, uniquePrefix, waitFor } from '../test/redis-test-support.js';
import { createRedisTransport, type RedisTransport } from './redis-transport.js';
import { parseEntryEvents } from './stream-entry.js';
import {
  TransportRedisDecodeError,
  TransportRedisMarkBehindError,
  TransportRedisOptionError,
} from './transport-redis-error.js';

interface TestEvents {
  bar: { symbol: string; n: number };
  tick: { symbol: string; n: number };
  other: { n: number };
}

const barsRoute = { topics: ['bar', 'tick'] as const, stream: 'md' };

describe('createRedisTransport against the shared Redis', () => {
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

  it('delivers two topics sharing one stream into the other bus in publish order, each exactly once', async () => {
    const p = prefix('order');
    const producerBus = createEventBus<TestEvents>();
    const consumerBus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({
        bus: producerBus,
        redis: sharedRedisUrl,
        prefix: p,
        outbound: { topics: [barsRoute] },
      }),
    );
    const consumer = track(
      createRedisTransport({
        bus: consumerBus,
        redis: sharedRedisUrl,
        prefix: p,
        inbound: { topics: [barsRoute], group: 'g', consumer: 'c1', readCount: 100 },
      }),
    );
    const seen: string[] = [];
    consumerBus.subscribe('bar', (bar) => seen.push(`bar${bar.n}`));
    consumerBus.subscribe('tick', (tick) => seen.push(`tick${tick.n}`));
    await producer.start();
    await consumer.start();
    const expected: string[] = [];
    for (let n = 0; n < 5_000; n++) {
      const topic = n % 3 === 0 ? 'bar' : 'tick';
      producerBus.publish(topic, { symbol: 'ES', n });
      expected.push(`${topic}${n}`);
    }
    expect(await producer.flush({ timeoutMs: 20_000 })).toBe(true);
    await waitFor(() => seen.length >= 5_000, '5000 deliveries');
    await waitFor(() => consumer.metrics().inbound.acknowledged === 5_000, 'all acknowledged');
    expect(seen, 'one stream is one ordered log, across its topics').toEqual(expected);
    const out = producer.metrics();
    const inn = consumer.metrics();
    expect(out.outbound.published).toBe(5_000);
    expect(out.outbound.buffered).toBe(0);
    expect(out.streams[`${p}:md`]?.published).toBe(5_000);
    expect(inn.inbound).toMatchObject({
      delivered: 5_000,
      acknowledged: 5_000,
      duplicatesDropped: 0,
      redelivered: 0,
    });
    expect(inn.streams[`${p}:md`]).toMatchObject({ delivered: 5_000, acknowledged: 5_000 });
    const refreshed = await consumer.refreshMetrics();
    expect(refreshed.streams[`${p}:md`], 'nothing left to read or acknowledge').toMatchObject({
      lag: 0,
      pending: 0,
    });
  });

  it('acknowledges an entry only after the local handlers of its event ran', async () => {
    const p = prefix('ack-after');
    const producerBus = createEventBus<TestEvents>();
    const consumerBus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({
        bus: producerBus,
        redis: sharedRedisUrl,
        prefix: p,
        outbound: { topics: ['bar'] },
      }),
    );
    const consumer = track(
      createRedisTransport({
        bus: consumerBus,
        redis: sharedRedisUrl,
        prefix: p,
        inbound: { topics: ['bar'], group: 'g', consumer: 'c', readCount: 64 },
      }),
    );
    const ackedWhileHandling: number[] = [];
    consumerBus.subscribe('bar', () => ackedWhileHandling.push(consumer.metrics().inbound.acknowledged));
    await producer.start();
    await consumer.start();
    for (let n = 0; n < 500; n++) producerBus.publish('bar', { symbol: 'ES', n });
    await producer.flush();
    await waitFor(() => consumer.metrics().inbound.acknowledged === 500, '500 acknowledgements');
    ackedWhileHandling.forEach((acknowledged, k) => {
      expect(acknowledged, `event ${k + 1} was handled before its own acknowledgement`).toBeLessThanOrEqual(
        k,
      );
    });
  });

  it('writes each event as an entry with its id, producer sequence, publish time and topic when packing is off', async () => {
    const p = prefix('layout');
    const bus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({
        bus,
        redis: sharedRedisUrl,
        prefix: p,
        producerName: 'ingest',
        outbound: { topics: ['bar'], packBatches: false },
      }),
    );
    await producer.start();
    const before = Date.now();
    bus.publish('bar', { symbol: 'ES', n: 1 });
    bus.publish('bar', { symbol: 'ES', n: 2 });
    await producer.flush();
    const entries = await redis.xrange(`${p}:bar`, '-', '+');
    expect(entries).toHaveLength(2);
    entries.forEach(([, fields], i) => {
      expect(fields[0]).toBe('e');
      const [producerId, sequence, publishedAt, topic] = (fields[1] as string).split(':');
      expect(producerId).toBe(producer.producerId);
      expect(producerId?.startsWith('ingest-')).toBe(true);
      expect(Number(sequence), 'producer sequence numbers start at 1').toBe(i + 1);
      expect(Number(publishedAt)).toBeGreaterThanOrEqual(before - 1);
      expect(topic).toBe('bar');
      expect(fields.slice(2)).toEqual(['d', JSON.stringify({ symbol: 'ES', n: i + 1 })]);
    });
  });

  it('resends from the mark Redis holds when its marks key is gone (expired while idle), and reports it', async () => {
    const p = prefix('markgone');
    const bus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({
        bus,
        redis: sharedRedisUrl,
        prefix: p,
        reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
        outbound: { topics: ['bar'], packBatches: false },
      }),
    );
    const errors: unknown[] = [];
    producer.onError((error) => errors.push(error));
    await producer.start();
    for (let n = 1; n <= 3; n++) bus.publish('bar', { symbol: 'ES', n });
    expect(await producer.flush({ timeoutMs: 5_000 })).toBe(true);
    // What the 7-day TTL does to a producer idle that long; the connection stays up, so no reconnect resets it.
    await redis.del(`${p}:bar:producers`);
    for (let n = 4; n <= 5; n++) bus.publish('bar', { symbol: 'ES', n });
    expect(await producer.flush({ timeoutMs: 5_000 }), 'appending resumes').toBe(true);
    const behind = errors.filter((e) => e instanceof TransportRedisMarkBehindError);
    expect(behind).toHaveLength(1);
    expect(behind[0]).toMatchObject({
      code: 'TRANSPORT_REDIS_MARK_BEHIND',
      stream: `${p}:bar`,
      confirmed: 3,
      mark: 0,
    });
    expect(producer.metrics().outbound).toMatchObject({ published: 5, buffered: 0, marksBehind: 1 });
    const entries = await redis.xrange(`${p}:bar`, '-', '+');
    expect(entries.map(([, fields]) => JSON.parse(fields[3] as string).n)).toEqual([1, 2, 3, 4, 5]);
  });

  it('starts in either order: a consumer started after the producer gets everything retained', async () => {
    const p = prefix('late');
    const producerBus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({
        bus: producerBus,
        redis: sharedRedisUrl,
        prefix: p,
        outbound: { topics: ['bar'] },
      }),
    );
    await producer.start();
    for (let n = 0; n < 100; n++) producerBus.publish('bar', { symbol: 'ES', n });
    await producer.flush();
    const consumerBus = createEventBus<TestEvents>();
    const seen: number[] = [];
    consumerBus.subscribe('bar', (bar) => seen.push(bar.n));
    track(
      createRedisTransport({
        bus: consumerBus,
        redis: sharedRedisUrl,
        prefix: p,
        inbound: { topics: ['bar'], group: 'g', consumer: 'c' },
      }),
    );
    await transports.at(-1)?.start();
    await waitFor(() => seen.length === 100, '100 deliveries');
    expect(seen).toEqual(Array.from({ length: 100 }, (_, n) => n));
  });

  it('partitions by key into one stream per symbol, and a consumer reads only the partitions it owns', async () => {
    const p = prefix('partitions');
    const producerBus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({
        bus: producerBus,
        redis: sharedRedisUrl,
        prefix: p,
        outbound: {
          topics: [{ ...barsRoute, partitionBy: (payload) => (payload as { symbol: string }).symbol }],
        },
      }),
    );
    const esBus = createEventBus<TestEvents>();
    const esSeen: string[] = [];
    esBus.subscribe('bar', (bar) => esSeen.push(`${bar.symbol}${bar.n}`));
    const esConsumer = track(
      createRedisTransport({
        bus: esBus,
        redis: sharedRedisUrl,
        prefix: p,
        inbound: { topics: [{ ...barsRoute, partitions: ['ES'] }], group: 'g', consumer: 'es' },
      }),
    );
    await producer.start();
    await esConsumer.start();
    for (let n = 0; n < 300; n++) producerBus.publish('bar', { symbol: n % 2 === 0 ? 'ES' : 'NQ', n });
    await producer.flush();
    await waitFor(() => esSeen.length === 150, '150 ES bars');
    expect(esSeen).toEqual(Array.from({ length: 150 }, (_, i) => `ES${2 * i}`));
    expect(await eventCount(redis, `${p}:md:ES`)).toBe(150);
    expect(await eventCount(redis, `${p}:md:NQ`)).toBe(150);
    expect(Object.keys(producer.metrics().streams).sort()).toEqual([`${p}:md:ES`, `${p}:md:NQ`]);
  });

  it('caps each stream near maxLen by trimming its oldest entries (one event each when packing is off)', async () => {
    const p = prefix('maxlen');
    const bus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({
        bus,
        redis: sharedRedisUrl,
        prefix: p,
        outbound: { topics: ['bar'], maxLen: 1_000, maxBatchSize: 250, packBatches: false },
      }),
    );
    await producer.start();
    for (let n = 0; n < 5_000; n++) bus.publish('bar', { symbol: 'ES', n });
    await producer.flush();
    const length = await redis.xlen(`${p}:bar`);
    // `MAXLEN ~` trims whole radix-tree nodes (100 entries each by default), so the length lands in [cap, cap + node).
    expect(length).toBeGreaterThanOrEqual(1_000);
    expect(length).toBeLessThan(1_100 + 250);
    const [[, first]] = (await redis.xrange(`${p}:bar`, '-', '+', 'COUNT', 1)) as [[string, string[]]];
    expect(JSON.parse(first[3] as string).n, 'the oldest entries are the ones trimmed').toBe(5_000 - length);
  });

  it('drops a second entry carrying an already delivered event id and counts it', async () => {
    const p = prefix('dedup');
    const bus = createEventBus<TestEvents>();
    const seen: number[] = [];
    bus.subscribe('bar', (bar) => seen.push(bar.n));
    const consumer = track(
      createRedisTransport({
        bus,
        redis: sharedRedisUrl,
        prefix: p,
        inbound: { topics: ['bar'], group: 'g', consumer: 'c' },
      }),
    );
    await consumer.start();
    // A foreign producer without the idempotent append writes event p1:1 twice.
    await redis.xadd(`${p}:bar`, '*', 'e', 'p1:1:0:bar', 'd', '{"symbol":"ES","n":1}');
    await redis.xadd(`${p}:bar`, '*', 'e', 'p1:2:0:bar', 'd', '{"symbol":"ES","n":2}');
    await redis.xadd(`${p}:bar`, '*', 'e', 'p1:1:0:bar', 'd', '{"symbol":"ES","n":1}');
    await waitFor(() => consumer.metrics().inbound.acknowledged === 3, 'three acknowledgements');
    expect(seen).toEqual([1, 2]);
    expect(consumer.metrics().inbound.duplicatesDropped).toBe(1);
  });

  it('acknowledges an undecodable entry, copies it to the dead-letter stream, reports it, and goes on', async () => {
    const p = prefix('dead');
    const bus = createEventBus<TestEvents>();
    const seen: number[] = [];
    bus.subscribe('bar', (bar) => seen.push(bar.n));
    const consumer = track(
      createRedisTransport({
        bus,
        redis: sharedRedisUrl,
        prefix: p,
        inbound: { topics: ['bar'], group: 'g', consumer: 'c' },
      }),
    );
    const errors: unknown[] = [];
    consumer.onError((error) => errors.push(error));
    await consumer.start();
    await redis.xadd(`${p}:bar`, '*', 'e', 'p1:1:0:bar', 'd', '{not json');
    await redis.xadd(`${p}:bar`, '*', 'price', '1');
    await redis.xadd(`${p}:bar`, '*', 'e', 'p1:2:0:other', 'd', '{"n":1}');
    await redis.xadd(`${p}:bar`, '*', 'e', 'p1:3:0:bar', 'd', '{"symbol":"ES","n":3}');
    await waitFor(() => consumer.metrics().inbound.acknowledged === 4, 'four acknowledgements');
    expect(seen).toEqual([3]);
    expect(consumer.metrics().inbound).toMatchObject({ decodeFailures: 2, ignored: 1, delivered: 1 });
    expect(errors.every((e) => e instanceof TransportRedisDecodeError)).toBe(true);
    expect(errors.map((e) => (e as Error).message).join('\n')).toContain("found topic 'other'");
    const letters = await redis.xrange(`${p}:dead-letter`, '-', '+');
    expect(letters.map(([, fields]) => fields.slice(0, 4))).toEqual([
      ['stream', `${p}:bar`, 'entry', expect.any(String)],
      ['stream', `${p}:bar`, 'entry', expect.any(String)],
    ]);
  });

  it('never echoes an inbound event back out when the topic is also outbound', async () => {
    const p = prefix('echo');
    const bus = createEventBus<TestEvents>();
    const both = track(
      createRedisTransport({
        bus,
        redis: sharedRedisUrl,
        prefix: p,
        outbound: { topics: ['bar'] },
        inbound: { topics: ['bar'], group: 'g', consumer: 'c' },
      }),
    );
    const seen: number[] = [];
    bus.subscribe('bar', (bar) => seen.push(bar.n));
    await both.start();
    bus.publish('bar', { symbol: 'ES', n: 7 });
    await both.flush();
    await waitFor(() => both.metrics().inbound.acknowledged === 1, 'the round trip');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen, 'local delivery, then the copy read back from Redis').toEqual([7, 7]);
    expect(await redis.xlen(`${p}:bar`), 'the copy read back was not appended again').toBe(1);
  });

  it('commits the commit hook’s commands in the transaction that acknowledges the batch', async () => {
    const p = prefix('commit');
    const producerBus = createEventBus<TestEvents>();
    const consumerBus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({
        bus: producerBus,
        redis: sharedRedisUrl,
        prefix: p,
        outbound: { topics: ['bar'] },
      }),
    );
    const consumer = track(
      createRedisTransport({
        bus: consumerBus,
        redis: sharedRedisUrl,
        prefix: p,
        inbound: {
          topics: ['bar'],
          group: 'g',
          consumer: 'c',
          commit: (tx, events) => {
            tx.rpush(`${p}:audit`, ...events.map((e) => `${e.sequence}@${e.topic}`));
          },
        },
      }),
    );
    await producer.start();
    await consumer.start();
    for (let n = 1; n <= 50; n++) producerBus.publish('bar', { symbol: 'ES', n });
    await producer.flush();
    await waitFor(() => consumer.metrics().inbound.acknowledged === 50, '50 acknowledgements');
    expect(await redis.lrange(`${p}:audit`, 0, -1)).toEqual(
      Array.from({ length: 50 }, (_, i) => `${i + 1}@bar`),
    );
  });

  it('carries every engine event type through Redis unchanged', async () => {
    const p = prefix('engine');
    const producerBus = createEventBus<FixtureEvents>();
    const consumerBus = createEventBus<FixtureEvents>();
    const topics = Object.keys(engineEventFixtures) as (keyof FixtureEvents)[];
    const route = { topics, stream: 'engine' };
    const producer = track(
      createRedisTransport({
        bus: producerBus,
        redis: sharedRedisUrl,
        prefix: p,
        outbound: { topics: [route] },
      }),
    );
    const consumer = track(
      createRedisTransport({
        bus: consumerBus,
        redis: sharedRedisUrl,
        prefix: p,
        inbound: { topics: [route], group: 'g', consumer: 'c' },
      }),
    );
    const received: [string, unknown][] = [];
    for (const topic of topics) consumerBus.subscribe(topic, (payload) => received.push([topic, payload]));
    await producer.start();
    await consumer.start();
    for (const topic of topics) publishFixture(producerBus, topic);
    await producer.flush();
    await waitFor(() => received.length === topics.length, 'every engine topic');
    expect(received).toStrictEqual(topics.map((topic) => [topic, engineEventFixtures[topic]]));
  });

  it('throws the codec error to the publisher and counts it, sending nothing', async () => {
    const p = prefix('nan');
    const bus = createEventBus<TestEvents>();
    const failures: unknown[] = [];
    bus.onError((failure) => failures.push(failure.error));
    const producer = track(
      createRedisTransport({ bus, redis: sharedRedisUrl, prefix: p, outbound: { topics: ['bar'] } }),
    );
    await producer.start();
    bus.publish('bar', { symbol: 'ES', n: Number.NaN });
    await producer.flush();
    expect(failures).toEqual([
      expect.objectContaining({ code: 'TRANSPORT_REDIS_NON_FINITE_NUMBER', path: 'n' }),
    ]);
    expect(producer.metrics().outbound).toMatchObject({ encodeFailures: 1, published: 0 });
    expect(await redis.exists(`${p}:bar`)).toBe(0);
  });

  it('takes an ioredis client as a template for its own connections, leaving the client alone', async () => {
    const p = prefix('template');
    const template = new Redis(sharedRedisUrl, { lazyConnect: true, connectionName: 'user-client' });
    const producerBus = createEventBus<TestEvents>();
    const consumerBus = createEventBus<TestEvents>();
    const producer = track(
      createRedisTransport({ bus: producerBus, redis: template, prefix: p, outbound: { topics: ['bar'] } }),
    );
    const consumer = track(
      createRedisTransport({
        bus: consumerBus,
        redis: template,
        prefix: p,
        inbound: { topics: ['bar'], group: 'g', consumer: 'c', blockMs: 50 },
      }),
    );
    const seen: number[] = [];
    consumerBus.subscribe('bar', (bar) => seen.push(bar.n));
    await Promise.all([producer.start(), consumer.start()]);
    for (let n = 0; n < 3; n++) producerBus.publish('bar', { symbol: 'ES', n });
    await waitFor(() => seen.length === 3, '3 deliveries');
    expect(seen).toEqual([0, 1, 2]);
    await Promise.all([producer.stop(), consumer.stop()]);
    expect(template.status, 'the template was never connected').toBe('wait');
  });

  it('fails start() with a clear error when Redis is unreachable', async () => {
    const bus = createEventBus<TestEvents>();
    const transport = createRedisTransport({
      bus,
      redis: 'redis://127.0.0.1:1',
      connectTimeoutMs: 300,
      outbound: { topics: ['bar'] },
    });
    await expect(transport.start()).rejects.toMatchObject({
      code: 'TRANSPORT_REDIS_CONNECT_TIMEOUT',
      message: expect.stringContaining('expected redis://127.0.0.1:1 to accept connections within 300 ms'),
    });
    expect(transport.state).toBe('stopped');
  });

  it('rejects invalid options with the option path and what was expected', () => {
    const bus = createEventBus<TestEvents>();
    const cases: [() => unknown, string][] = [
      [() => createRedisTransport({ bus, redis: sharedRedisUrl }), 'outbound'],
      [() => createRedisTransport({ bus, redis: [], outbound: { topics: ['bar'] } }), 'redis'],
      [
        () => createRedisTransport({ bus, redis: ['127.0.0.1:7000'], outbound: { topics: ['bar'] } }),
        'redis',
      ],
      [() => createRedisTransport({ bus, redis: 42 as never, outbound: { topics: ['bar'] } }), 'redis'],
      [
        () => createRedisTransport({ bus, redis: sharedRedisUrl, outbound: { topics: [] } }),
        'outbound.topics',
      ],
      [
        () => createRedisTransport({ bus, redis: sharedRedisUrl, outbound: { topics: ['bar'], maxLen: -1 } }),
        'outbound.maxLen',
      ],
      [
        () =>
          createRedisTransport({
            bus,
            redis: sharedRedisUrl,
            outbound: { topics: [{ topics: ['bar', 'tick'] }] },
          }),
        'outbound.topics[0].stream',
      ],
      [
        () =>
          createRedisTransport({
            bus,
            redis: sharedRedisUrl,
            outbound: { topics: ['bar'], overflow: 'block' as never },
          }),
        'outbound.overflow',
      ],
      [
        () =>
          createRedisTransport({
            bus,
            redis: sharedRedisUrl,
            outbound: { topics: ['bar'], packBatches: 'yes' as never },
          }),
        'outbound.packBatches',
      ],
      [
        () =>
          createRedisTransport({
            bus,
            redis: sharedRedisUrl,
            inbound: { topics: ['bar'], group: '', consumer: 'c' },
          }),
        'inbound.group',
      ],
      [
        () =>
          createRedisTransport({
            bus,
            redis: sharedRedisUrl,
            inbound: { topics: [{ topics: ['bar'], partitions: ['E S'] }], group: 'g', consumer: 'c' },
          }),
        'inbound.topics[0].partitions[0]',
      ],
    ];
    for (const [create, path] of cases) {
      expect(create).toThrow(TransportRedisOptionError);
      expect(create).toThrow(expect.objectContaining({ path, code: 'TRANSPORT_REDIS_INVALID_OPTION' }));
    }
  });
});

function publishFixture<K extends keyof FixtureEvents>(bus: EventBus<FixtureEvents>, topic: K): void {
  bus.publish(topic, engineEventFixtures[topic] as FixtureEvents[K]);
}

/** Events stored in a stream, packed entries counted by the events they carry. */
async function eventCount(redis: Redis, stream: string): Promise<number> {
  let count = 0;
  for (const [id, fields] of await redis.xrange(stream, '-', '+')) {
    const events = parseEntryEvents(fields);
    if (typeof events === 'string') throw new Error(`entry ${id}: ${events}`);
    count += events.length;
  }
  return count;
}
