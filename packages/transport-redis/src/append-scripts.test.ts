import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, sharedRedisUrl, uniquePrefix } from '../test/redis-test-support.js';
import {
  APPEND_PACKED_SCRIPT,
  APPEND_SCRIPT,
  envelope,
  packEvents,
  parseEntryEvents,
  producerMarksKey,
} from './stream-entry.js';

/** The append scripts run directly, to reach the resend cases a live producer only meets after a failure. */
describe('the append scripts against the shared Redis', () => {
  let redis: Redis;
  const prefix = uniquePrefix('scripts');

  beforeAll(() => {
    redis = new Redis(sharedRedisUrl);
  });

  afterAll(async () => {
    await deleteKeys(sharedRedisUrl, prefix);
    redis.disconnect();
  });

  function appendOne(stream: string, previous: number, sequences: readonly number[]): Promise<unknown> {
    const args = sequences.flatMap((n) => [n, envelope('prod', n, 0, 'bar'), String(n)]);
    return redis.eval(
      APPEND_SCRIPT,
      2,
      stream,
      producerMarksKey(stream),
      'prod',
      0,
      60_000,
      previous,
      ...args,
    );
  }

  function appendPacked(stream: string, previous: number, sequences: readonly number[]): Promise<unknown> {
    const parts = sequences.flatMap((n) => [envelope('prod', n, 0, 'bar'), String(n)]);
    const last = sequences[sequences.length - 1] as number;
    return redis.eval(
      APPEND_PACKED_SCRIPT,
      2,
      stream,
      producerMarksKey(stream),
      'prod',
      0,
      60_000,
      previous,
      last,
      packEvents(parts),
    );
  }

  async function sequencesIn(stream: string, tally?: { overlapSkipped: number }): Promise<number[]> {
    const entries = await redis.xrange(stream, '-', '+');
    return entries.flatMap(([id, fields]) => {
      const events = parseEntryEvents(fields, tally);
      if (typeof events === 'string') throw new Error(`entry ${id}: ${events}`);
      return events.map((event) => event.sequence);
    });
  }

  it('writes a resent packed batch that straddles the mark once, and its readers skip the part already landed', async () => {
    const stream = `${prefix}:straddle`;
    expect(await appendPacked(stream, 0, [1, 2, 3]), 'the mark before the append').toBe(0);
    // The producer saw no reply for 1–3, resends from 2 on (after 1) together with 4 and 5. The answer, 3,
    // above the 1 the batch follows, tells the producer that 2 and 3 had landed.
    expect(await appendPacked(stream, 1, [2, 3, 4, 5])).toBe(3);
    const entries = await redis.xrange(stream, '-', '+');
    expect(
      entries.map(([, fields]) => fields[3]),
      'each entry records the mark it was written over',
    ).toEqual(['0', '3']);
    const tally = { overlapSkipped: 0 };
    expect(await sequencesIn(stream, tally)).toEqual([1, 2, 3, 4, 5]);
    expect(tally.overlapSkipped, 'the reader left out 2 and 3 of the second entry').toBe(2);
    expect(await redis.hget(producerMarksKey(stream), 'prod')).toBe('5');
  });

  it('appends nothing for a resent packed batch that landed whole', async () => {
    const stream = `${prefix}:landed`;
    expect(await appendPacked(stream, 0, [1, 2])).toBe(0);
    expect(await appendPacked(stream, 0, [1, 2]), 'the mark says both had landed').toBe(2);
    expect(await redis.xlen(stream)).toBe(1);
  });

  it('skips the events of a resent one-event-per-entry batch that landed, and answers the mark they were under', async () => {
    const stream = `${prefix}:resent-single`;
    expect(await appendOne(stream, 0, [1, 2, 3])).toBe(0);
    expect(await appendOne(stream, 1, [2, 3, 4])).toBe(3);
    const tally = { overlapSkipped: 0 };
    expect(await sequencesIn(stream, tally)).toEqual([1, 2, 3, 4]);
    expect(tally.overlapSkipped, 'unpacked, the script already left the overlap out').toBe(0);
  });

  it('refuses a packed batch that follows one which did not land, in either layout', async () => {
    const stream = `${prefix}:gap`;
    expect(await appendOne(stream, 0, [1])).toBe(0);
    await expect(appendPacked(stream, 4, [5, 6])).rejects.toThrow(
      'GAP producer prod is at 1 on this stream, batch follows 4',
    );
    await expect(appendOne(stream, 4, [5])).rejects.toThrow('GAP producer prod is at 1');
    expect(await appendPacked(stream, 1, [2, 3])).toBe(1);
    expect(await appendOne(stream, 3, [4])).toBe(3);
    expect(await sequencesIn(stream), 'both layouts share one mark and one order').toEqual([1, 2, 3, 4]);
  });
});
