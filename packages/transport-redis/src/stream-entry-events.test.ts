import { createEventBus } from '@algospace/event-bus';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, sharedRedisUrl, uniquePrefix } from '../test/redis-test-support.js';
import { jsonCodec } from './event-codec.js';
import { createRedisTransport } from './redis-transport.js';
import { streamEntryEvents } from './stream-entry-events.js';
import { transportStreamKeys } from './stream-keys.js';
import { TransportRedisDecodeError } from './transport-redis-error.js';

type Events = { bar: { n: number }; tick: { n: number } };

describe('streamEntryEvents on what a producer wrote to the shared Redis', () => {
  let redis: Redis;
  const prefixes: string[] = [];

  beforeAll(() => {
    redis = new Redis(sharedRedisUrl);
  });

  afterAll(async () => {
    redis.disconnect();
    await Promise.all(prefixes.map((p) => deleteKeys(sharedRedisUrl, p)));
  });

  for (const packBatches of [true, false]) {
    it(`reads every event once, in publication order, from ${packBatches ? 'packed' : 'unpacked'} entries`, async () => {
      const prefix = uniquePrefix('entry-events');
      prefixes.push(prefix);
      const bus = createEventBus<Events>();
      const producer = createRedisTransport({
        bus,
        redis: sharedRedisUrl,
        prefix,
        outbound: { topics: [{ topics: ['bar', 'tick'], stream: 'md' }], maxBatchSize: 16, packBatches },
      });
      await producer.start();
      const published: string[] = [];
      for (let n = 0; n < 100; n++) {
        const topic = n % 4 === 0 ? 'bar' : 'tick';
        bus.publish(topic, { n });
        published.push(`${topic}:${n}`);
      }
      expect(await producer.flush({ timeoutMs: 10_000 })).toBe(true);
      await producer.stop({ timeoutMs: 1_000 });

      const key = transportStreamKeys(prefix, 'md').stream;
      const entries = await redis.xrange(key, '-', '+');
      // Packed: fewer entries than events, so the test reads real batches.
      if (packBatches) expect(entries.length).toBeLessThan(100);
      else expect(entries.length).toBe(100);
      const events = entries.flatMap((entry) => streamEntryEvents(key, entry));
      expect(events.map((e) => `${e.topic}:${(jsonCodec.decode(e.data) as { n: number }).n}`)).toEqual(
        published,
      );
      expect(events.map((e) => e.sequence)).toEqual(published.map((_, i) => i + 1));
      expect(new Set(events.map((e) => e.id)).size).toBe(100);
      const [last] = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
      expect(last && streamEntryEvents(key, last).at(-1)?.topic).toBe('tick');
    });
  }

  it('refuses an entry the transport did not write, naming the stream and entry', () => {
    expect(() => streamEntryEvents('s', ['1-0', ['foo', 'bar']])).toThrow(TransportRedisDecodeError);
    expect(() => streamEntryEvents('s', ['1-0', ['foo', 'bar']])).toThrow(
      'stream s entry 1-0: expected an AlgoSpace event entry, found an entry without the fields e and d',
    );
  });
});
