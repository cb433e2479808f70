/**
 * The producer's reading of a GAP answer when replies of two in-flight batches to one stream arrive out of
 * execution order, as on Redis Cluster when ioredis retries the earlier batch after a delay (TRYAGAIN during a
 * slot migration, CLUSTERDOWN) while the later one runs at once. Which of two pipelines Redis executes first
 * cannot be forced on a real cluster, so this one test drives the real RedisProducer through a connection whose
 * pipeline replies it resolves by hand; every Redis behaviour in it (the GAP text, the scripts' answers) is the
 * append scripts' own, as tested against real Redis in append-scripts.test.ts.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { jsonCodec } from './event-codec.js';
import { RedisProducer } from './redis-producer.js';
import { StreamCounterTable } from './transport-metrics.js';
import { resolveOutbound } from './transport-options.js';

interface PendingExec {
  readonly args: readonly unknown[];
  readonly resolve: (results: unknown) => void;
}

/** A ready Cluster-like connection whose pipelines answer when the test says so. */
class HandDrivenConnection extends EventEmitter {
  readonly status = 'ready';
  readonly pending: PendingExec[] = [];
  nodes() {
    return [{ script: async () => 'OK' }];
  }
  pipeline() {
    const calls: unknown[][] = [];
    return {
      evalsha: (...args: unknown[]) => {
        calls.push(args);
      },
      exec: () =>
        new Promise((resolve) => {
          this.pending.push({ args: calls[0] as unknown[], resolve });
        }),
    };
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a GAP answer overtaken by an earlier batch confirmed later (Cluster retry order)', () => {
  it('is an ordinary gap, not a lost-appends alarm, and the resend follows what Redis confirmed', async () => {
    const connection = new HandDrivenConnection();
    const options = resolveOutbound(
      '{p}',
      { topics: ['bar'], packBatches: false, maxBatchSize: 1, maxBatchDelayMs: 0 },
      true,
    );
    const errors: Error[] = [];
    const producer = new RedisProducer(
      'prod-abc',
      options,
      connection as never,
      jsonCodec,
      { initialDelayMs: 10, maxDelayMs: 10, factor: 2 } as never,
      new StreamCounterTable(),
      (error) => errors.push(error as Error),
    );
    await producer.prepare();
    try {
      producer.enqueue('bar', { n: 1 });
      await tick();
      connection.pending.shift()?.resolve([[null, 0]]); // sequence 1 confirmed; Redis's mark is 1
      await tick();
      await tick();
      producer.enqueue('bar', { n: 2 });
      producer.enqueue('bar', { n: 3 });
      await tick();
      const [first, second] = [connection.pending.shift(), connection.pending.shift()];
      expect(first?.args.slice(7, 9), 'batch 1: previous 1, sequence 2').toEqual([1, 2]);
      expect(second?.args.slice(7, 9), 'batch 2: previous 2, sequence 3').toEqual([2, 3]);
      // Batch 2 runs first (batch 1 is being retried): Redis's mark is still 1, so the script answers GAP.
      second?.resolve([
        [
          Object.assign(new Error('GAP producer prod-abc is at 1 on this stream, batch follows 2'), {
            name: 'ReplyError',
          }),
          null,
        ],
      ]);
      await tick();
      first?.resolve([[null, 1]]); // the retry of batch 1 lands: the mark was 1 before it
      await tick();
      await tick();
      expect(producer.marksBehind).toBe(0);
      expect(errors.filter((error) => error.name === 'TransportRedisMarkBehindError')).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const resend = connection.pending.shift();
      expect(resend?.args.slice(7, 9), 'the resend of sequence 3 follows the confirmed 2').toEqual([2, 3]);
    } finally {
      producer.close();
    }
  });
});
