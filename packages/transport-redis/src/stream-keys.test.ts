import { createEventBus } from '@algospace/event-bus';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, sharedRedisUrl, uniquePrefix } from '../test/redis-test-support.js';
import { createRedisTransport } from './redis-transport.js';
import { transportStreamKeys } from './stream-keys.js';
import { TransportRedisClusterKeyError, TransportRedisOptionError } from './transport-redis-error.js';

describe('transportStreamKeys', () => {
  const prefixes: string[] = [];
  afterAll(async () => {
    await Promise.all(prefixes.map((p) => deleteKeys(sharedRedisUrl, p)));
  });

  it('names the keys a producer on one Redis actually writes, for a plain and a partitioned stream', async () => {
    const prefix = uniquePrefix('keys');
    prefixes.push(prefix);
    const bus = createEventBus<{ bar: { symbol: string }; tick: { n: number } }>();
    const producer = createRedisTransport({
      bus,
      redis: sharedRedisUrl,
      prefix,
      outbound: {
        topics: [
          { topics: ['bar'], stream: 'bars', partitionBy: (bar) => (bar as { symbol: string }).symbol },
          'tick',
        ],
      },
    });
    await producer.start();
    bus.publish('bar', { symbol: 'ES' });
    bus.publish('tick', { n: 1 });
    expect(await producer.flush({ timeoutMs: 10_000 })).toBe(true);
    await producer.stop({ timeoutMs: 1_000 });

    const redis = new Redis(sharedRedisUrl);
    try {
      const written = (await redis.keys(`${prefix}:*`)).sort();
      const bars = transportStreamKeys(prefix, 'bars', { partition: 'ES' });
      const ticks = transportStreamKeys(prefix, 'tick');
      expect(written).toEqual([bars.stream, bars.producers, ticks.stream, ticks.producers].sort());
      expect(await redis.type(bars.stream)).toBe('stream');
      expect(await redis.type(bars.producers)).toBe('hash');
    } finally {
      redis.disconnect();
    }
  });

  it('puts each stream in its own hash tag on Cluster, with its producer marks and dead letters in its slot', () => {
    expect(transportStreamKeys('algospace:engine', 'events', { cluster: true })).toEqual({
      stream: 'algospace:engine:{events}',
      producers: 'algospace:engine:{events}:producers',
      deadLetter: 'algospace:engine:{events}:dead-letter',
    });
    expect(transportStreamKeys('p', 'bars', { cluster: true, partition: 'NQ' }).stream).toBe('p:{bars:NQ}');
    expect(transportStreamKeys('p', 'bars').deadLetter).toBe('p:dead-letter');
  });

  it('refuses names the transport refuses', () => {
    expect(() => transportStreamKeys('p', 'a b')).toThrow(TransportRedisOptionError);
    expect(() => transportStreamKeys('', 'bars')).toThrow(TransportRedisOptionError);
    expect(() => transportStreamKeys('p', 'ba{r}s', { cluster: true })).toThrow(
      TransportRedisClusterKeyError,
    );
    expect(() => transportStreamKeys('algo{}space', 'bars', { cluster: true })).toThrow(
      TransportRedisClusterKeyError,
    );
    // One Redis has no hash slots: braces are ordinary characters there.
    expect(transportStreamKeys('p', 'ba{r}s').stream).toBe('p:ba{r}s');
  });
});
