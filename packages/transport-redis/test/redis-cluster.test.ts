/**
 * The transport on a real Redis Cluster: three masters started by the test on free ports (never the shared
 * Redis), joined with `redis-cli --cluster create`, killed at the end even when a test fails.
 */
import { createEventBus } from '@algospace/event-bus';
import {
  createRedisTransport,
  type RedisTransport,
  type TransportMetrics,
  TransportRedisClusterKeyError,
  TransportRedisMarkBehindError,
} from '@algospace/transport-redis';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseEntryEvents } from '../src/stream-entry.js';
import { startChild, type WatchedChild } from './child-process.js';
import { type PrivateCluster, startPrivateCluster, uniquePrefix, waitFor } from './redis-test-support.js';

type Events = {
  tick: { symbol: string; n: number };
  bar: { n: number };
};

const SYMBOLS = ['ES', 'NQ', 'CL', 'GC', 'ZN', '6E'];

describe('on a Redis Cluster of three masters', () => {
  let cluster: PrivateCluster;
  let client: Cluster;
  const transports: RedisTransport[] = [];
  const children: WatchedChild[] = [];

  beforeAll(async () => {
    cluster = await startPrivateCluster(3);
    client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  }, 60_000);

  afterEach(async () => {
    for (const child of children.splice(0))
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await Promise.all(transports.splice(0).map((t) => t.stop({ timeoutMs: 1_000 })));
  });

  afterAll(async () => {
    client?.disconnect();
    await cluster?.dispose();
  });

  function track<T extends RedisTransport>(transport: T): T {
    transports.push(transport);
    return transport;
  }

  /** Port of the master that serves `key`. */
  async function nodeOf(key: string): Promise<number> {
    const slot = (await client.cluster('KEYSLOT', key)) as number;
    const ranges = await client.cluster('SLOTS');
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    const master = range?.[2];
    if (master === undefined) throw new Error(`no node serves slot ${slot}`);
    return master[1];
  }

  it('carries several topics and partitions spread over the nodes, each stream in order, each event once', async () => {
    const prefix = 'rt';
    const producerBus = createEventBus<Events>();
    const producer = track(
      createRedisTransport({
        bus: producerBus,
        redis: cluster.urls, // node URLs
        prefix,
        outbound: {
          topics: [
            { topics: ['tick'], stream: 'tick', partitionBy: (t) => (t as { symbol: string }).symbol },
            'bar',
          ],
          maxBatchSize: 64,
        },
      }),
    );
    // The consumer gets an ioredis Cluster, which the transport only copies.
    const template = new Cluster([{ host: '127.0.0.1', port: cluster.ports[1] as number }], {
      lazyConnect: true,
    });
    const consumerBus = createEventBus<Events>();
    const consumer = track(
      createRedisTransport({
        bus: consumerBus,
        redis: template,
        prefix,
        inbound: {
          topics: [{ topics: ['tick'], stream: 'tick', partitions: SYMBOLS }, 'bar'],
          group: 'g',
          consumer: 'c',
          readCount: 100,
          blockMs: 100,
        },
      }),
    );
    const ticks = new Map<string, number[]>(SYMBOLS.map((s) => [s, []]));
    const bars: number[] = [];
    consumerBus.subscribe('tick', (t) => ticks.get(t.symbol)?.push(t.n));
    consumerBus.subscribe('bar', (b) => bars.push(b.n));
    const errors: unknown[] = [];
    producer.onError((e) => errors.push(e));
    consumer.onError((e) => errors.push(e));
    await Promise.all([producer.start(), consumer.start()]);

    const perSymbol = 500;
    let barN = 0;
    for (let n = 0; n < perSymbol; n++) {
      for (const symbol of SYMBOLS) producerBus.publish('tick', { symbol, n });
      if (n % 5 === 0) producerBus.publish('bar', { n: barN++ });
      if (n % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const total = perSymbol * SYMBOLS.length + barN;
    expect(await producer.flush({ timeoutMs: 20_000 })).toBe(true);
    await waitFor(() => consumer.metrics().inbound.acknowledged === total, `${total} acknowledged`, 30_000);

    const expected = Array.from({ length: perSymbol }, (_, n) => n);
    for (const symbol of SYMBOLS)
      expect(ticks.get(symbol), `partition ${symbol} in order, once`).toEqual(expected);
    expect(bars).toEqual(Array.from({ length: barN }, (_, n) => n));
    expect(producer.metrics().outbound).toMatchObject({ published: total, resendSkipped: 0, buffered: 0 });
    expect(consumer.metrics().inbound).toMatchObject({
      delivered: total,
      duplicatesDropped: 0,
      decodeFailures: 0,
    });
    expect(errors).toEqual([]);

    const keys = [...SYMBOLS.map((s) => `rt:{tick:${s}}`), 'rt:{bar}'];
    const streams = consumer.metrics().streams;
    expect(Object.keys(streams).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(streams[key]?.delivered, key).toBe(key === 'rt:{bar}' ? barN : perSymbol);
      // The producers' marks live in the stream's slot, which is why the append script could touch both.
      expect(await client.cluster('KEYSLOT', `${key}:producers`)).toBe(await client.cluster('KEYSLOT', key));
      expect(await client.hget(`${key}:producers`, producer.producerId), `${key} has a mark`).not.toBeNull();
    }
    const nodes = new Set(await Promise.all(keys.map(nodeOf)));
    expect(nodes.size, 'the seven streams live on all three masters').toBe(3);
    template.disconnect();
  }, 60_000);

  const layouts = {
    unpacked: { packBatches: false, maxBatchSize: 1, readCount: 100 },
    packed: { packBatches: true, maxBatchSize: 50, readCount: 2 },
  } as const;
  const N = 2_000;
  const STALL_AT = 1_234;
  const PARTITIONS = ['ES', 'NQ', 'CL'];
  const partitionOf = (n: number) => PARTITIONS[n % PARTITIONS.length] as string;

  for (const [layoutName, layout] of Object.entries(layouts))
    for (const sameName of [false, true])
      it(`hands every event to the local bus exactly once, in order per partition, with a consumer killed mid-batch and ${sameName ? 'restarted under its name' : 'replaced by another claiming'} (${layoutName})`, async () => {
        const prefix = uniquePrefix('cluster-crash');
        const bus = createEventBus<{ bar: { n: number } }>();
        const producer = track(
          createRedisTransport({
            bus,
            redis: cluster.urls,
            prefix,
            outbound: {
              topics: [
                { topics: ['bar'], stream: 'bar', partitionBy: (b) => partitionOf((b as { n: number }).n) },
              ],
              packBatches: layout.packBatches,
              maxBatchSize: layout.maxBatchSize,
            },
          }),
        );
        await producer.start();
        for (let n = 1; n <= N; n++) bus.publish('bar', { n });
        expect(await producer.flush({ timeoutMs: 20_000 })).toBe(true);
        await producer.stop();
        const streamOf = (p: string) => `${prefix}:{bar:${p}}`;

        const env = {
          REDIS_CLUSTER: cluster.urls.join(','),
          PREFIX: prefix,
          PARTITIONS: PARTITIONS.join(','),
          SEEN: 'per-stream',
          READ_COUNT: String(layout.readCount),
        };
        const first = startChild('consumer-process.ts', {
          ...env,
          CONSUMER: 'a',
          STALL_AT: String(STALL_AT),
        });
        children.push(first);
        await first.line('stalled');
        // What the dead consumer leaves pending, in entries and in the events they carry.
        let pendingEntries = 0;
        let pendingEvents = 0;
        let committedBeforeKill = 0;
        for (const p of PARTITIONS) {
          const pending = (await client.xpending(streamOf(p), 'g', '-', '+', 10_000)) as [string, string][];
          for (const [id, owner] of pending) {
            expect(owner).toBe('a');
            const [[, fields] = ['', []]] = await client.xrange(streamOf(p), id, id);
            const events = parseEntryEvents(fields);
            if (typeof events === 'string') throw new Error(events);
            pendingEntries++;
            pendingEvents += events.length;
          }
          committedBeforeKill += await client.llen(`${streamOf(p)}:seen`);
        }
        expect(pendingEntries, 'the killed consumer leaves its half-handled batch pending').toBeGreaterThan(
          0,
        );
        expect(committedBeforeKill, 'batches before the stalled one were committed').toBeGreaterThan(0);
        first.process.kill('SIGKILL');
        await first.exited;

        const second = startChild('consumer-process.ts', {
          ...env,
          CONSUMER: sameName ? 'a' : 'b',
          CLAIM_IDLE_MS: '200',
        });
        children.push(second);
        await second.line('started');
        const deadline = Date.now() + 30_000;
        let seen = 0;
        while (seen < N && Date.now() < deadline) {
          seen = 0;
          for (const p of PARTITIONS) seen += await client.llen(`${streamOf(p)}:seen`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        second.process.kill('SIGTERM');
        const metricsLine = await second.line('metrics ');
        await second.exited;
        const metrics = JSON.parse(metricsLine.slice('metrics '.length)) as TransportMetrics;

        const all: number[] = [];
        for (const p of PARTITIONS) {
          const sequences = (await client.lrange(`${streamOf(p)}:seen`, 0, -1)).map(Number);
          expect(sequences, `partition ${p}: each event committed once, in stream order`).toEqual(
            Array.from({ length: N }, (_, i) => i + 1).filter((n) => partitionOf(n) === p),
          );
          all.push(...sequences);
          const [left] = (await client.xpending(streamOf(p), 'g')) as [number];
          expect(left, `nothing left pending on ${p}`).toBe(0);
        }
        expect(all.length).toBe(N);
        expect(metrics.inbound.redelivered, 'the dead consumer’s pending entries were delivered again').toBe(
          pendingEvents,
        );
        expect(metrics.inbound.claimed).toBe(sameName ? 0 : pendingEvents);
        expect(metrics.inbound.delivered).toBe(N - committedBeforeKill);
        expect(metrics.inbound.duplicatesDropped).toBe(0);
      }, 90_000);

  it('refuses keys and prefixes that cannot keep a stream and its bookkeeping in one slot, with a typed error', () => {
    const bus = createEventBus<Events>();
    const attempt = (options: Partial<Parameters<typeof createRedisTransport<Events>>[0]>) => () =>
      createRedisTransport<Events>({ bus, redis: cluster.urls, outbound: { topics: ['bar'] }, ...options });
    const cases: [() => unknown, string, string][] = [
      [attempt({ prefix: 'algo{}space' }), 'prefix', 'algo{}space'],
      [attempt({ prefix: '{algospace' }), 'prefix', '{algospace'],
      [attempt({ prefix: 'algo}space' }), 'prefix', 'algo}space'],
      [
        attempt({ outbound: { topics: [{ topics: ['bar'], stream: '}bars' }] } }),
        'outbound.topics[0].stream',
        '}bars',
      ],
      [
        attempt({
          inbound: {
            topics: [{ topics: ['tick'], stream: 'tick', partitions: ['ES', 'N{Q'] }],
            group: 'g',
            consumer: 'c',
          },
        }),
        'inbound.topics[0].partitions[1]',
        'N{Q',
      ],
    ];
    for (const [create, path, key] of cases) {
      let thrown: unknown;
      try {
        create();
      } catch (error) {
        thrown = error;
      }
      expect(thrown, path).toBeInstanceOf(TransportRedisClusterKeyError);
      expect(thrown).toMatchObject({ code: 'TRANSPORT_REDIS_CLUSTER_KEY', path, key });
      expect((thrown as Error).message).toMatch(
        new RegExp(`^${path.replace(/[[\]]/g, '\\$&')}: expected on Redis Cluster`),
      );
    }
    // The same names are fine on one Redis, and a prefix that is one tag is fine on Cluster.
    expect(() =>
      createRedisTransport<Events>({
        bus,
        redis: 'redis://127.0.0.1:1',
        prefix: 'algo{}space',
        outbound: { topics: ['bar'] },
      }),
    ).not.toThrow();
    expect(attempt({ prefix: '{algospace}' })).not.toThrow();
  });

  it('throws a partition key holding a brace to the publisher', async () => {
    const bus = createEventBus<Events>();
    const failures: unknown[] = [];
    bus.onError((failure) => failures.push(failure.error));
    const producer = track(
      createRedisTransport({
        bus,
        redis: cluster.urls,
        prefix: uniquePrefix('brace'),
        outbound: {
          topics: [
            { topics: ['tick'], stream: 'tick', partitionBy: (t) => (t as { symbol: string }).symbol },
          ],
        },
      }),
    );
    await producer.start();
    bus.publish('tick', { symbol: 'E{S}', n: 1 });
    bus.publish('tick', { symbol: 'ES', n: 2 });
    expect(await producer.flush({ timeoutMs: 5_000 })).toBe(true);
    expect(failures).toEqual([
      expect.objectContaining({
        code: 'TRANSPORT_REDIS_CLUSTER_KEY',
        path: 'outbound.topics[0].partitionBy',
        key: 'E{S}',
      }),
    ]);
    expect(producer.metrics().outbound.published).toBe(1);
  });

  it('refuses a single-node URL that points at a cluster node when it starts', async () => {
    const transport = createRedisTransport<Events>({
      bus: createEventBus<Events>(),
      redis: cluster.urls[0] as string,
      outbound: { topics: ['bar'] },
    });
    await expect(transport.start()).rejects.toMatchObject({
      name: 'TransportRedisClusterKeyError',
      code: 'TRANSPORT_REDIS_CLUSTER_KEY',
      path: 'redis',
      message: expect.stringContaining('found a Redis Cluster node (cluster_enabled:1)'),
    });
    expect(transport.state).toBe('stopped');
  });

  it('reports a commit hook writing a key of another slot, and leaves the batch pending', async () => {
    const prefix = uniquePrefix('crossslot');
    const bus = createEventBus<Events>();
    const producer = track(
      createRedisTransport({ bus, redis: cluster.urls, prefix, outbound: { topics: ['bar'] } }),
    );
    await producer.start();
    bus.publish('bar', { n: 1 });
    expect(await producer.flush({ timeoutMs: 5_000 })).toBe(true);
    // `<prefix>:audit` has no hash tag: Redis hashes all of it, a slot other than `<prefix>:{bar}`'s.
    expect(await client.cluster('KEYSLOT', `${prefix}:audit`)).not.toBe(
      await client.cluster('KEYSLOT', `${prefix}:{bar}`),
    );
    const errors: unknown[] = [];
    const consumer = track(
      createRedisTransport({
        bus: createEventBus<Events>(),
        redis: cluster.urls,
        prefix,
        reconnect: { initialDelayMs: 1_000, maxDelayMs: 1_000 },
        inbound: {
          topics: ['bar'],
          group: 'g',
          consumer: 'c',
          blockMs: 50,
          commit: (tx, events) => {
            tx.rpush(`${prefix}:audit`, ...events.map((e) => e.id));
          },
        },
      }),
    );
    consumer.onError((error) => errors.push(error));
    await consumer.start();
    await waitFor(() => errors.length > 0, 'the refused acknowledgement to be reported');
    expect(errors[0]).toBeInstanceOf(TransportRedisClusterKeyError);
    expect(errors[0]).toMatchObject({
      code: 'TRANSPORT_REDIS_CLUSTER_KEY',
      path: 'inbound.commit',
      message: expect.stringContaining(`in the hash slot of ${prefix}:{bar}`),
    });
    const [pending] = (await client.xpending(`${prefix}:{bar}`, 'g')) as [number];
    expect(pending, 'not acknowledged without the hook’s commands').toBe(1);
    expect(consumer.metrics().inbound.acknowledged).toBe(0);
  });

  it('keeps appending after NOSCRIPT on the stream’s master while SCRIPT LOAD fails once on another', async () => {
    const prefix = uniquePrefix('noscript');
    const bus = createEventBus<Events>();
    const producer = track(
      createRedisTransport({
        bus,
        redis: cluster.urls,
        prefix,
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
        outbound: { topics: ['bar'], maxBatchDelayMs: 0 },
      }),
    );
    const errors: unknown[] = [];
    producer.onError((error) => errors.push(error));
    await producer.start();
    bus.publish('bar', { n: 1 });
    expect(await producer.flush({ timeoutMs: 5_000 })).toBe(true);
    const ownerPort = await nodeOf(`${prefix}:{bar}`);
    const otherPort = cluster.ports.find((port) => port !== ownerPort) as number;
    const owner = new Redis(ownerPort, '127.0.0.1');
    const other = new Redis(otherPort, '127.0.0.1');
    try {
      // What a promoted replica or a new master looks like: no scripts. Another master refuses the reload once.
      await owner.script('FLUSH');
      await other.call('ACL', 'SETUSER', 'default', '-script');
      bus.publish('bar', { n: 2 });
      await waitFor(
        () => errors.some((e) => String((e as Error).message).includes('SCRIPT LOAD')),
        'the failed reload to be reported',
        5_000,
      );
      await other.call('ACL', 'SETUSER', 'default', '+script');
      for (let n = 3; n <= 7; n++) bus.publish('bar', { n });
      expect(await producer.flush({ timeoutMs: 10_000 }), 'every event appended once Redis allows it').toBe(
        true,
      );
    } finally {
      await other.call('ACL', 'SETUSER', 'default', '+script');
      owner.disconnect();
      other.disconnect();
    }
    expect(producer.metrics().outbound).toMatchObject({ published: 7, buffered: 0 });
    const entries = await client.xrange(`${prefix}:{bar}`, '-', '+');
    const sequences = entries.flatMap(([, fields]) => {
      const events = parseEntryEvents(fields);
      return typeof events === 'string' ? [] : events.map((e) => e.sequence);
    });
    expect(sequences).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('resends from the mark a failed-over master holds when it is below what was confirmed, and reports it', async () => {
    const prefix = uniquePrefix('markbehind');
    const bus = createEventBus<Events>();
    const producer = track(
      createRedisTransport({
        bus,
        redis: cluster.urls,
        prefix,
        reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
        outbound: { topics: ['bar'], maxBatchDelayMs: 0, packBatches: false },
      }),
    );
    const errors: unknown[] = [];
    producer.onError((error) => errors.push(error));
    await producer.start();
    for (let n = 1; n <= 5; n++) bus.publish('bar', { n });
    expect(await producer.flush({ timeoutMs: 5_000 })).toBe(true);
    // A replica promoted before it received the appends of 4 and 5: its mark (and stream) stop at 3. The
    // Cluster client sees no reconnect, so only the script's GAP answer tells the producer.
    const key = `${prefix}:{bar}`;
    const last = (await client.xrange(key, '-', '+')).slice(3).map(([id]) => id);
    await client.xdel(key, ...last);
    await client.hset(`${key}:producers`, producer.producerId, '3');
    for (let n = 6; n <= 8; n++) bus.publish('bar', { n });
    expect(await producer.flush({ timeoutMs: 5_000 }), 'appending resumes').toBe(true);
    const behind = errors.filter((e) => e instanceof TransportRedisMarkBehindError);
    expect(behind).toHaveLength(1);
    expect(behind[0]).toMatchObject({ stream: key, confirmed: 5, mark: 3 });
    expect(producer.metrics().outbound).toMatchObject({ published: 8, buffered: 0, marksBehind: 1 });
    const sequences = (await client.xrange(key, '-', '+')).flatMap(([, fields]) => {
      const events = parseEntryEvents(fields);
      return typeof events === 'string' ? [] : events.map((e) => e.sequence);
    });
    expect(sequences, '4 and 5 are lost; 6–8 follow in order').toEqual([1, 2, 3, 6, 7, 8]);
  });
});
