/**
 * A real resend overlap: the reply to an append is lost after Redis ran it (a proxy drops it and closes the
 * connection), so the producer resends events that had landed. The append script skips them and counts them
 * (`outbound.resendSkipped`); packed, it writes the resent batch whole over its `k` mark and the reader drops
 * the overlapping events (`inbound.overlapSkipped`). Runs against the shared Redis under a unique prefix.
 */
import { createEventBus } from '@algospace/event-bus';
import { createRedisTransport, type RedisTransport } from '@algospace/transport-redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseEntryEvents } from '../src/stream-entry.js';
import { deleteKeys, sharedRedisUrl, uniquePrefix, waitFor } from './redis-test-support.js';
import { type ReplyDroppingProxy, startReplyDroppingProxy } from './reply-dropping-proxy.js';

type Events = { bar: { n: number } };

describe('a resend after a lost append reply', () => {
  const prefixes: string[] = [];
  const transports: RedisTransport[] = [];
  let proxy: ReplyDroppingProxy | undefined;

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.stop({ timeoutMs: 1_000 })));
    await proxy?.close();
    proxy = undefined;
  });

  afterAll(async () => {
    await Promise.all(prefixes.map((p) => deleteKeys(sharedRedisUrl, p)));
  });

  const cases = [
    {
      layout: 'packed',
      packBatches: true,
      // The lost batch 1–5 as one entry over mark 0, the resent 1–8 as one entry over mark 5.
      entries: [
        { mark: '0', sequences: [1, 2, 3, 4, 5] },
        { mark: '5', sequences: [6, 7, 8] },
      ],
      overlapSkipped: 5,
    },
    {
      layout: 'one event per entry',
      packBatches: false,
      // The script skips 1–5 one by one and appends only 6–8: no reader ever sees the overlap.
      entries: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ mark: undefined, sequences: [n] })),
      overlapSkipped: 0,
    },
  ] as const;

  for (const c of cases)
    it(`counts the events the script skipped and the events readers dropped (${c.layout})`, async () => {
      const prefix = uniquePrefix('overlap');
      prefixes.push(prefix);
      const target = new URL(sharedRedisUrl);
      proxy = await startReplyDroppingProxy(target.hostname, Number(target.port || 6379));

      const producerBus = createEventBus<Events>();
      const producer = createRedisTransport({
        bus: producerBus,
        redis: proxy.url,
        prefix,
        reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
        outbound: { topics: ['bar'], packBatches: c.packBatches },
      });
      transports.push(producer);
      const errors: unknown[] = [];
      producer.onError((error) => errors.push(error));
      await producer.start();

      const dropped = proxy.dropNextReply();
      for (let n = 1; n <= 5; n++) producerBus.publish('bar', { n });
      await dropped;
      // Published while the producer reconnects: resent in one batch with 1–5, whose append landed unconfirmed.
      for (let n = 6; n <= 8; n++) producerBus.publish('bar', { n });
      expect(await producer.flush({ timeoutMs: 10_000 })).toBe(true);
      const out = producer.metrics().outbound;
      expect(out.retries, 'the lost reply caused a resend').toBeGreaterThanOrEqual(1);
      expect(out.resendSkipped, 'events 1–5 had landed and were skipped on the resend').toBe(5);
      expect(out.published).toBe(8);

      const redis = new Redis(sharedRedisUrl);
      const stream = await redis.xrange(`${prefix}:bar`, '-', '+');
      redis.disconnect();
      const tally = { overlapSkipped: 0 };
      expect(
        stream.map(([, fields]) => {
          const events = parseEntryEvents(fields, tally);
          if (typeof events === 'string') throw new Error(events);
          return {
            mark: fields[2] === 'k' ? fields[3] : undefined,
            sequences: events.map((e) => e.sequence),
          };
        }),
      ).toEqual(c.entries);
      expect(tally.overlapSkipped).toBe(c.overlapSkipped);

      const consumerBus = createEventBus<Events>();
      const seen: number[] = [];
      consumerBus.subscribe('bar', (bar) => seen.push(bar.n));
      const consumer = createRedisTransport({
        bus: consumerBus,
        redis: sharedRedisUrl,
        prefix,
        inbound: { topics: ['bar'], group: 'g', consumer: 'c', blockMs: 50 },
      });
      transports.push(consumer);
      await consumer.start();
      await waitFor(() => consumer.metrics().inbound.acknowledged === 8, '8 events acknowledged');
      expect(seen, 'each event once, in order').toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(consumer.metrics().inbound).toMatchObject({
        delivered: 8,
        duplicatesDropped: 0,
        overlapSkipped: c.overlapSkipped,
      });
      expect(
        errors.every((e) => (e as { code?: string }).code === 'TRANSPORT_REDIS_DISCONNECTED'),
        'the lost reply is reported as a disconnection, nothing else',
      ).toBe(true);
    });
});
