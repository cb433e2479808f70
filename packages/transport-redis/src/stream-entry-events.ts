/**
 * Public reading of the entries the transport writes, for tools that inspect a stream with plain Redis
 * commands (`XRANGE`, `XREVRANGE`) without copying the entry layout, which is packed or not (see
 * `stream-entry.ts`).
 */
import { parseEntryEvents, type StreamEntryEvent } from './stream-entry.js';
import { TransportRedisDecodeError } from './transport-redis-error.js';

export type { StreamEntryEvent };

/**
 * The events of one entry of a transport stream, in publication order, from an `XRANGE`/`XREVRANGE` reply
 * item: one event for an entry written unpacked, a batch for a packed one (the default, `outbound.packBatches`).
 * Events a packed entry repeats from an earlier entry (an overlapping resend) are left out, as consumers skip
 * them, so every event appears once across the stream.
 *
 * @param stream - the stream's key, named in the error
 * @param entry - `[entryId, fields]` as ioredis answers `XRANGE`
 * @throws TransportRedisDecodeError (`TRANSPORT_REDIS_DECODE_FAILED`) for an entry the transport did not write
 *
 * @example
 * ```ts
 * const key = transportStreamKeys('algospace', 'bars').stream;
 * const [last] = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
 * const lastTopic = last === undefined ? undefined : streamEntryEvents(key, last).at(-1)?.topic;
 * ```
 */
export function streamEntryEvents(
  stream: string,
  entry: readonly [entryId: string, fields: readonly string[]],
): StreamEntryEvent[] {
  const [entryId, fields] = entry;
  const events = parseEntryEvents(fields);
  if (typeof events === 'string') throw new TransportRedisDecodeError(stream, entryId, events);
  return events;
}
