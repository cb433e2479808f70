/**
 * Tests that kill and restart Redis. Each runs its own private redis-server on a free port; the shared server
 * is never touched.
 */
import { createEventBus } from '@algospace/event-bus';
import {
  type BufferOverflowPolicy,
  createRedisTransport,
  type RedisTransport,
  TransportRedisBufferFullError,
} from '@algospace/transport-redis';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEntryEvents, type StreamEntryEvent } from '../src/stream-entry.js';
import { type PrivateRedis, startPrivateRedis, waitFor } from './redis-test-support.js';

type Events = { bar: { n: number } };

const fastReconnect = { initialDelayMs: 10, maxDelayMs: 100 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis killed and restarted under a running pipeline', () => {
  const servers: PrivateRedis[] = [];
  const transports: RedisTransport[] = [];

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.stop({ timeoutMs: 500 })));
    await Promise.all(servers.splice(0).map((s) => s.dispose()));
  });

  function pipeline(server: PrivateRedis) {
    const producerBus = createEventBus<Events>();
    const consumerBus = createEventBus<Events>();
    const producer = createRedisTransport({
      bus: producerBus,
      redis: server.url,
      reconnect: fastReconnect,
      outbound: { topics: ['bar'], maxBatchSize: 64 },
    });
    const consumer = createRedisTransport({
      bus: consumerBus,
      redis: server.url,
      reconnect: fastReconnect,
      inbound: { topics: ['bar'], group: 'g', consumer: 'c', readCount: 50, blockMs: 100 },
    });
    const errors: unknown[] = [];
    producer.onError((error) => errors.push(error));
    consumer.onError((error) => errors.push(error));
    const seen: number[] = [];
    consumerBus.subscribe('bar', (bar) => seen.push(bar.n));
    transports.push(producer, consumer);
    return { producerBus, producer, consumer, seen, errors };
  }

  it('loses and duplicates nothing when Redis (append-only, fsync always) is SIGKILLed mid-stream', async () => {
    const server = await startPrivateRedis({ appendOnly: true });
    servers.push(server);
    const { producerBus, producer, consumer, seen, errors } = pipeline(server);
    await producer.start();
    await consumer.start();
    const total = 6_000;
    let n = 0;
    const publishChunk = () => {
      for (let i = 0; i < 100; i++) producerBus.publish('bar', { n: n++ });
    };
    while (n < 2_000) {
      publishChunk();
      await sleep(2);
    }
    await server.kill();
    // Published while Redis is down: buffered, not lost.
    while (n < 3_000) {
      publishChunk();
      await sleep(2);
    }
    await waitFor(() => !producer.metrics().connected, 'the producer to notice');
    expect(producer.metrics().outbound.buffered).toBeGreaterThanOrEqual(1_000);
    await server.restart();
    while (n < total) {
      publishChunk();
      await sleep(2);
    }
    expect(await producer.flush({ timeoutMs: 20_000 })).toBe(true);
    await waitFor(() => seen.length >= total, `${total} deliveries`, 30_000);
    await sleep(200);
    expect(seen.length, 'no event delivered twice').toBe(total);
    expect(seen, 'every event once, in publish order').toEqual(Array.from({ length: total }, (_, i) => i));
    const out = producer.metrics();
    expect(out.reconnects).toBeGreaterThanOrEqual(1);
    expect(out.outbound).toMatchObject({ published: total, buffered: 0, overflowed: 0 });
    expect(consumer.metrics().reconnects).toBeGreaterThanOrEqual(1);
    expect(
      errors.some((e) => (e as { code?: string }).code === 'TRANSPORT_REDIS_DISCONNECTED'),
      'the outage was reported',
    ).toBe(true);
    const check = new Redis(server.url);
    const ids = (await eventsIn(check, 'algospace:bar')).map((event) => event.id);
    expect(ids, 'each event appended once despite resends').toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    check.disconnect();
  }, 90_000);

  it('recreates its consumer group when Redis comes back empty (no persistence) and delivers what was buffered', async () => {
    const server = await startPrivateRedis({ appendOnly: false });
    servers.push(server);
    const { producerBus, producer, consumer, seen } = pipeline(server);
    await producer.start();
    await consumer.start();
    for (let n = 0; n < 100; n++) producerBus.publish('bar', { n });
    await producer.flush();
    await waitFor(() => consumer.metrics().inbound.acknowledged === 100, 'the first 100 acknowledged');
    await server.kill();
    for (let n = 100; n < 150; n++) producerBus.publish('bar', { n });
    await sleep(100);
    await server.restart();
    expect(await producer.flush({ timeoutMs: 10_000 })).toBe(true);
    await waitFor(() => seen.length === 150, '150 deliveries');
    expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => i));
  }, 60_000);
});

describe('the outbound buffer while Redis is down', () => {
  const servers: PrivateRedis[] = [];
  const transports: RedisTransport[] = [];

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.stop({ timeoutMs: 500 })));
    await Promise.all(servers.splice(0).map((s) => s.dispose()));
  });

  const expectations: Record<BufferOverflowPolicy, { kept: [number, number]; why: string }> = {
    reject: { kept: [0, 100], why: 'the 50 events that found it full were refused' },
    'drop-oldest': { kept: [50, 150], why: 'the 50 oldest were discarded for the newest' },
    'drop-newest': { kept: [0, 100], why: 'the 50 newest were discarded' },
  };

  for (const [policy, { kept, why }] of Object.entries(expectations) as [
    BufferOverflowPolicy,
    (typeof expectations)[BufferOverflowPolicy],
  ][]) {
    it(`holds 100 events, applies '${policy}' to 50 more, counts and reports them, and flushes in order on reconnect`, async () => {
      const server = await startPrivateRedis({ appendOnly: false });
      servers.push(server);
      const bus = createEventBus<Events>();
      const busFailures: unknown[] = [];
      bus.onError((failure) => busFailures.push(failure.error));
      const producer = createRedisTransport({
        bus,
        redis: server.url,
        reconnect: fastReconnect,
        outbound: { topics: ['bar'], bufferLimit: 100, overflow: policy },
      });
      transports.push(producer);
      const reported: unknown[] = [];
      producer.onError((error) => reported.push(error));
      await producer.start();
      await server.kill();
      await waitFor(() => !producer.metrics().connected, 'the producer to notice');
      for (let n = 0; n < 150; n++) bus.publish('bar', { n });
      expect(producer.metrics().outbound).toMatchObject({ buffered: 100, overflowed: 50, published: 0 });
      const overflowErrors = [...busFailures, ...reported].filter(
        (e) => e instanceof TransportRedisBufferFullError,
      );
      expect(overflowErrors, 'every refused or discarded event is reported once').toHaveLength(50);
      if (policy === 'reject')
        expect(busFailures, 'reject throws to the publisher, whose bus reports it').toHaveLength(50);
      await server.restart();
      expect(await producer.flush({ timeoutMs: 10_000 })).toBe(true);
      const check = new Redis(server.url);
      const events = await eventsIn(check, 'algospace:bar');
      check.disconnect();
      const ns = events.map((event) => (JSON.parse(event.data) as { n: number }).n);
      expect(ns, why).toEqual(Array.from({ length: kept[1] - kept[0] }, (_, i) => kept[0] + i));
      expect(producer.metrics().outbound).toMatchObject({ buffered: 0, published: 100, overflowed: 50 });
    }, 60_000);
  }
});

/** Every event stored in a stream, packed entries unpacked, in stream order. */
async function eventsIn(redis: Redis, stream: string): Promise<StreamEntryEvent[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.flatMap(([id, fields]) => {
    const events = parseEntryEvents(fields);
    if (typeof events === 'string') throw new Error(`entry ${id}: ${events}`);
    return events;
  });
}
