/**
 * The layout of one event in a Redis stream entry, the Lua script that appends events idempotently, and the
 * parsing of entries read back. Connection handling lives in `redis-producer.ts` / `redis-consumer.ts`.
 *
 * An entry has two fields: `e`, the envelope `<producerId>:<sequence>:<publishedAt>:<topic>`, and `d`, the
 * encoded payload. `publishedAt` is the producer's wall clock in fractional epoch milliseconds (for latency),
 * and the topic comes last so it may itself contain `:`. The event id is `<producerId>:<sequence>`: unique
 * because producer ids are random per producer instance and sequence numbers never repeat within one. Two
 * fields rather than five: every argument of the `XADD` inside the script costs Lua↔Redis conversion, and the
 * packed form measured ~1.5× the appends per second.
 *
 * A packed entry (written by {@link APPEND_PACKED_SCRIPT} for a batch of several events of one producer bound
 * for one stream) has two fields: `p`, the events, and `k`, the producer's high-water mark on this stream
 * before the append. `p` is `<n>;<l1>,…,<l2n>;` followed by the 2n strings envelope₁ data₁ … envelopeₙ dataₙ
 * concatenated, `lᵢ` being their lengths in UTF-16 code units (length prefixes, not a separator, because a
 * payload may contain any character). Events at or below `k` had landed before (a resent batch that overlaps
 * an earlier, confirmed-too-late one) and are skipped by the reader, so a resend never delivers twice.
 */

/**
 * Appends a batch of one producer's events to one stream, skipping every event whose sequence number is not
 * above the producer's high-water mark for that stream, then raises the mark and trims the stream. A producer
 * resends its unconfirmed events after a failure; this makes the resend idempotent, so a retry never writes an
 * event twice even when the first attempt landed and only its reply was lost.
 *
 * `previous` is the sequence number of the event this producer sent to this stream just before the batch. A
 * mark below it means an earlier batch did not land (it failed while this one was in flight): the script then
 * appends nothing and answers `GAP`, so a stream never receives a producer's events out of order and the
 * high-water mark stays exact.
 *
 * KEYS[1] stream, KEYS[2] hash of high-water marks (field = producer id).
 * ARGV: producer id, max length (0 = uncapped), mark TTL in ms, previous, then (sequence, envelope, data) per
 * event. Returns the producer's mark before the append: the events of the batch at or below it were skipped as
 * already landed, which the producer counts (`outbound.resendSkipped`).
 */
export const APPEND_SCRIPT = `
local last = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if last < tonumber(ARGV[4]) then
  return redis.error_reply('GAP producer ' .. ARGV[1] .. ' is at ' .. last .. ' on this stream, batch follows ' .. ARGV[4])
end
local top = last
for i = 5, #ARGV, 3 do
  local seq = tonumber(ARGV[i])
  if seq > top then
    redis.call('XADD', KEYS[1], '*', 'e', ARGV[i + 1], 'd', ARGV[i + 2])
    top = seq
  end
end
if top > last then
  redis.call('HSET', KEYS[2], ARGV[1], top)
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if tonumber(ARGV[2]) > 0 then
  redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', ARGV[2])
end
return last
`;

/**
 * Appends a batch of one producer's events to one stream as one packed entry (see the module comment), with
 * the same order check and high-water mark as {@link APPEND_SCRIPT}. Events at or below the mark are not cut
 * out of the packed value (that would cost a Lua string rebuild); the mark is written into the entry as `k`
 * and the reader skips them. A batch entirely at or below the mark appends nothing.
 *
 * KEYS[1] stream, KEYS[2] hash of high-water marks (field = producer id).
 * ARGV: producer id, max length (0 = uncapped), mark TTL in ms, previous, last sequence of the batch, packed
 * events. Returns the producer's mark before the append, as {@link APPEND_SCRIPT} does.
 */
export const APPEND_PACKED_SCRIPT = `
local last = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if last < tonumber(ARGV[4]) then
  return redis.error_reply('GAP producer ' .. ARGV[1] .. ' is at ' .. last .. ' on this stream, batch follows ' .. ARGV[4])
end
if tonumber(ARGV[5]) > last then
  redis.call('XADD', KEYS[1], '*', 'p', ARGV[6], 'k', last)
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if tonumber(ARGV[2]) > 0 then
  redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', ARGV[2])
end
return last
`;

/**
 * Packs envelopes and payloads (alternating: envelope₁, data₁, envelope₂, …) into the `p` field of a packed
 * entry.
 */
export function packEvents(parts: readonly string[]): string {
  let lengths = '';
  for (let i = 0; i < parts.length; i++)
    lengths += i === 0 ? String(parts[i]?.length) : `,${parts[i]?.length}`;
  return `${parts.length / 2};${lengths};${parts.join('')}`;
}

/** Key of the hash holding each producer's high-water mark for `stream`. */
export function producerMarksKey(stream: string): string {
  return `${stream}:producers`;
}

/** The `e` field of an entry. */
export function envelope(producerId: string, sequence: number, publishedAt: number, topic: string): string {
  return `${producerId}:${sequence}:${publishedAt}:${topic}`;
}

/**
 * One event read from a stream entry by {@link streamEntryEvents}; its payload is still encoded.
 *
 * @example
 * ```ts
 * const event: StreamEntryEvent = streamEntryEvents(key, entry)[0]!;
 * console.log(event.topic, event.id, codec.decode(event.data));
 * ```
 */
export interface StreamEntryEvent {
  /** The event id, `<producerId>:<sequence>` (the id consumers drop duplicates by). */
  readonly id: string;
  /** The producer instance that published it. */
  readonly producerId: string;
  /** Its producer's sequence number on this stream. */
  readonly sequence: number;
  /** The producer's wall clock at publication, in fractional epoch milliseconds. */
  readonly publishedAt: number;
  /** The bus topic it was published on. */
  readonly topic: string;
  /** The payload as the codec encoded it (JSON by default). */
  readonly data: string;
}

/**
 * Parses the field list of an entry written by {@link APPEND_SCRIPT}; returns a problem description for
 * anything else (an entry written by another program).
 */
export function parseEntryFields(fields: readonly string[]): StreamEntryEvent | string {
  let head: string | undefined;
  let data: string | undefined;
  // The script always writes `e` then `d`; other layouts are looked up field by field.
  if (fields.length === 4 && fields[0] === 'e' && fields[2] === 'd') {
    head = fields[1];
    data = fields[3];
  } else {
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'e') head = fields[i + 1];
      else if (fields[i] === 'd') data = fields[i + 1];
    }
  }
  if (head === undefined || data === undefined) return 'found an entry without the fields e and d';
  const first = head.indexOf(':');
  const second = head.indexOf(':', first + 1);
  const third = head.indexOf(':', second + 1);
  if (first <= 0 || second < 0 || third < 0)
    return `found envelope '${head}' (expected producer:sequence:time:topic)`;
  const sequence = Number(head.slice(first + 1, second));
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    return `found sequence number '${head.slice(first + 1, second)}'`;
  return {
    id: head.slice(0, second),
    producerId: head.slice(0, first),
    sequence,
    publishedAt: Number(head.slice(second + 1, third)),
    topic: head.slice(third + 1),
    data,
  };
}

/** Counts the events readers leave out of packed entries because they are at or below the entry's `k` mark. */
export interface OverlapTally {
  overlapSkipped: number;
}

/**
 * Reads the events of an entry, packed (fields `p` and `k`) or not (fields `e` and `d`), in the order they were
 * published. Events of a packed entry at or below its `k` mark were written before by an overlapping batch and
 * are left out, counted in `tally`. Returns a problem description for an entry this transport did not write.
 */
export function parseEntryEvents(
  fields: readonly string[],
  tally?: OverlapTally,
): StreamEntryEvent[] | string {
  let packed: string | undefined;
  let mark: string | undefined;
  if (fields.length === 4 && fields[0] === 'p' && fields[2] === 'k') {
    packed = fields[1];
    mark = fields[3];
  } else if (fields.length !== 4 || fields[0] !== 'e') {
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'p') packed = fields[i + 1];
      else if (fields[i] === 'k') mark = fields[i + 1];
    }
  }
  if (packed === undefined) {
    const single = parseEntryFields(fields);
    return typeof single === 'string' ? single : [single];
  }
  return unpackEvents(packed, Number(mark ?? '0'), tally);
}

/**
 * Splits the `p` field of a packed entry into its events, leaving out those at or below `mark` (counted in
 * `tally` once the entry parsed whole, so a malformed entry counts nothing).
 */
export function unpackEvents(
  packed: string,
  mark: number,
  tally?: OverlapTally,
): StreamEntryEvent[] | string {
  const countEnd = packed.indexOf(';');
  const lengthsEnd = countEnd < 0 ? -1 : packed.indexOf(';', countEnd + 1);
  const count = Number(packed.slice(0, countEnd));
  if (lengthsEnd < 0 || !Number.isSafeInteger(count) || count < 1)
    return `found packed events starting '${packed.slice(0, 40)}' (expected <count>;<lengths>;<events>)`;
  const lengths = packed.slice(countEnd + 1, lengthsEnd).split(',');
  if (lengths.length !== 2 * count)
    return `found ${lengths.length} lengths for ${count} packed events (expected ${2 * count})`;
  const events: StreamEntryEvent[] = [];
  let skipped = 0;
  let at = lengthsEnd + 1;
  const fields = ['e', '', 'd', ''];
  for (let i = 0; i < count; i++) {
    const headLength = Number(lengths[2 * i]);
    const dataLength = Number(lengths[2 * i + 1]);
    if (
      !Number.isSafeInteger(headLength) ||
      !Number.isSafeInteger(dataLength) ||
      headLength < 0 ||
      dataLength < 0 ||
      at + headLength + dataLength > packed.length
    )
      return `found packed event ${i + 1} of ${count} overrunning the ${packed.length} characters of the entry`;
    fields[1] = packed.slice(at, at + headLength);
    at += headLength;
    fields[3] = packed.slice(at, at + dataLength);
    at += dataLength;
    const event = parseEntryFields(fields);
    if (typeof event === 'string') return `packed event ${i + 1} of ${count}: ${event}`;
    if (event.sequence > mark) events.push(event);
    else skipped++;
  }
  if (at !== packed.length)
    return `found ${packed.length - at} characters after the ${count} packed events (expected none)`;
  if (tally !== undefined) tally.overlapSkipped += skipped;
  return events;
}
