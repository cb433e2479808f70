/**
 * A consumer lane on Redis Cluster whose node connection dies after Redis ran a command and before its reply
 * arrived: a proxy in front of the stream's master (which announces the proxy's port, so the cluster client
 * only ever reaches that node through it) drops one reply on the consumer's connection. ioredis's Cluster
 * resends such a command after `retryDelayOnFailover` unless the transport turns that off; a resent
 * acknowledging transaction ran the commit hook twice, and a resent read left the lost entries pending behind
 * later ones. Three masters of a private cluster on free ports.
 */
import { createEventBus } from '@algospace/event-bus';
import { createRedisTransport, type RedisTransport } from '@algospace/transport-redis';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateCluster, startPrivateCluster, waitFor } from './redis-test-support.js';
import { type ReplyDroppingProxy, startReplyDroppingProxy } from './reply-dropping-proxy.js';

type Events = { bar: { n: number } };

describe('a lost reply on a Redis Cluster node connection of a consumer', () => {
  let cluster: PrivateCluster;
  let proxy: ReplyDroppingProxy;
  let owner: Redis;
  /** URLs of the masters that do not serve the test streams: the transports learn the owner from them. */
  let seeds: string[];
  const transports: RedisTransport[] = [];

  beforeAll(async () => {
    cluster = await startPrivateCluster(3);
    const probe = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
    try {
      // Every test stream is tagged {bar}: all live in one slot, on one master.
      const slot = (await probe.cluster('KEYSLOT', '{bar}')) as number;
      const range = (await probe.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to);
      const ownerPort = range?.[2]?.[1];
      if (ownerPort === undefined) throw new Error(`no master serves slot ${slot}`);
      proxy = await startReplyDroppingProxy('127.0.0.1', ownerPort);
      const proxyPort = Number(new URL(proxy.url).port);
      owner = new Redis(ownerPort, '127.0.0.1');
      // The bus port must stay the real one (+10 000) for the nodes to keep talking to each other.
      await owner.config('SET', 'cluster-announce-bus-port', String(ownerPort + 10_000));
      await owner.config('SET', 'cluster-announce-port', String(proxyPort));
      seeds = cluster.urls.filter((url) => url !== `redis://127.0.0.1:${ownerPort}`);
      // Every seed must announce the proxy: a client asking one that does not yet would bypass it.
      const others = seeds.map((url) => new Redis(Number(new URL(url).port), '127.0.0.1'));
      try {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const views = await Promise.all(others.map((other) => other.cluster('SLOTS')));
          if (views.every((view) => JSON.stringify(view).includes(String(proxyPort)))) break;
          if (Date.now() > deadline) throw new Error('the other masters never learned the announced port');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        for (const other of others) other.disconnect();
      }
    } finally {
      probe.disconnect();
    }
  }, 60_000);

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.stop({ timeoutMs: 1_000 })));
  });

  afterAll(async () => {
    owner?.disconnect();
    await proxy?.close();
    await cluster?.dispose();
  });

  /** A producer and a consumer of `prefix:{bar}` through the seeds; returns what the consumer delivered. */
  async function start(prefix: string, commitHook: boolean) {
    const producerBus = createEventBus<Events>();
    const producer = createRedisTransport({
      bus: producerBus,
      redis: seeds,
      prefix,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      outbound: { topics: ['bar'], maxBatchDelayMs: 0 },
    });
    transports.push(producer);
    const consumerBus = createEventBus<Events>();
    const consumer = createRedisTransport({
      bus: consumerBus,
      redis: seeds,
      prefix,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      inbound: {
        topics: ['bar'],
        group: 'g',
        consumer: 'c1',
        blockMs: 200,
        // Short enough that, without the fix, the lost entries come back within the test (late, out of order).
        claimIdleMs: 500,
        claimIntervalMs: 1_500,
        metricsIntervalMs: 60_000,
        ...(commitHook
          ? {
              commit: (tx, events) => {
                tx.incrby(`${events[0]?.stream}:effects`, events.length);
              },
            }
          : {}),
      },
    });
    transports.push(consumer);
    const delivered: number[] = [];
    consumerBus.subscribe('bar', (bar) => {
      delivered.push(bar.n);
    });
    await producer.start();
    await consumer.start();
    // Past the lane's start-up reads of its own pending entries, so the armed drop hits the blocking read.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { producerBus, producer, consumer, delivered };
  }

  function publish(bus: ReturnType<typeof createEventBus<Events>>, from: number, to: number): void {
    for (let n = from; n <= to; n++) bus.publish('bar', { n });
  }

  it('runs the commit hook once for an acknowledgement whose EXEC reply was lost', async () => {
    const prefix = `lost-exec-${process.pid}`;
    const { producerBus, producer, consumer, delivered } = await start(prefix, true);
    const dropped = proxy.dropNextReply({ clientSent: 'algospace-consumer', replyContains: '+QUEUED' });
    publish(producerBus, 1, 5);
    expect(await producer.flush({ timeoutMs: 10_000 })).toBe(true);
    await dropped;
    publish(producerBus, 6, 10);
    expect(await producer.flush({ timeoutMs: 10_000 })).toBe(true);
    await waitFor(() => consumer.metrics().inbound.acknowledged === 10, '10 acknowledged', 10_000);
    expect(delivered).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await owner.get(`${prefix}:{bar}:effects`), 'the hook ran once per event').toBe('10');
  }, 30_000);

  it('delivers a stream in order when the reply of a blocking read was lost', async () => {
    const prefix = `lost-read-${process.pid}`;
    const { producerBus, producer, consumer, delivered } = await start(prefix, false);
    const dropped = proxy.dropNextReply({
      clientSent: 'algospace-consumer',
      replyContains: `${prefix}:{bar}`,
    });
    publish(producerBus, 1, 5);
    expect(await producer.flush({ timeoutMs: 10_000 })).toBe(true);
    await dropped;
    await new Promise((resolve) => setTimeout(resolve, 300));
    publish(producerBus, 6, 10);
    expect(await producer.flush({ timeoutMs: 10_000 })).toBe(true);
    await waitFor(() => consumer.metrics().inbound.acknowledged === 10, '10 acknowledged', 10_000);
    expect(delivered).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }, 30_000);
});
