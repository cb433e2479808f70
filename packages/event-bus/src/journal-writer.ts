/**
 * Records a bus's events to an NDJSON journal through a tap: one line per event with its sequence number, the
 * sequence number of the event that caused it, a wall-clock timestamp, the topic and the payload. Reading a
 * journal back lives in journal-replayer.ts.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { EventBus, Unsubscribe } from './event-bus.js';
import { EventBusOptionError } from './event-bus-error.js';

/**
 * One journal line, as written by `createJournalWriter` and read by `readJournal`.
 *
 * @example
 * ```ts
 * const record: JournalRecord = { seq: 7, parent: 0, time: 1718035200000, topic: 'tick', payload: { price: 1 } };
 * ```
 */
export interface JournalRecord {
  /** The event's sequence number on the recorded bus (strictly increasing through the file). */
  readonly seq: number;
  /** Sequence number of the event whose handler published this one; 0 for events from outside any handler. */
  readonly parent: number;
  /** Wall-clock time of delivery, epoch milliseconds. */
  readonly time: number;
  /** The topic. */
  readonly topic: string;
  /** The payload after a JSON round trip; absent when it was `undefined`. */
  readonly payload?: unknown;
}

/**
 * Options of `createJournalWriter`.
 *
 * @example
 * ```ts
 * createJournalWriter(bus, 'session.ndjson', { topics: ['NEW_TICK'], flushBytes: 1 << 20 });
 * ```
 */
export interface JournalWriterOptions {
  /** Record only these topics. Default: every topic. */
  topics?: readonly string[];
  /** Buffered characters that trigger a write to the file. Default 65 536. */
  flushBytes?: number;
  /** Source of the `time` field. Default `Date.now`. */
  clock?: () => number;
}

/**
 * What a finished journal holds.
 *
 * @example
 * ```ts
 * const { records } = await writer.close();
 * ```
 */
export interface JournalSummary {
  /** Lines written. */
  readonly records: number;
  /** Characters written (equal to bytes for ASCII payloads). */
  readonly characters: number;
}

/**
 * A running journal recording.
 *
 * @example
 * ```ts
 * const writer = createJournalWriter(bus, 'session.ndjson');
 * // … the session runs …
 * console.log(await writer.close()); // { records: 1234, characters: 98765 }
 * ```
 */
export interface JournalWriter {
  /** Lines recorded so far (written or still buffered). */
  readonly records: number;
  /** Writes buffered lines to the destination now. */
  flush(): void;
  /** Stops recording, writes what is buffered and ends the destination stream once it has flushed. */
  close(): Promise<JournalSummary>;
}

/**
 * Starts recording every event of `bus` (or of the chosen topics) to an NDJSON journal. Payloads must be JSON
 * serialisable: a payload that is not (a BigInt, a cycle) is reported on the bus's `onError` as `'tap-threw'`.
 *
 * @param bus - the bus to record
 * @param destination - a file path (created or truncated) or a writable stream
 * @param options - see {@link JournalWriterOptions}
 * @returns the running writer; call `close()` to finish the file
 *
 * @example
 * ```ts
 * const writer = createJournalWriter(bus, 'session.ndjson');
 * bus.publish('tick', { price: 4810.25 });
 * await writer.close();
 * // session.ndjson: {"seq":1,"parent":0,"time":1718035200000,"topic":"tick","payload":{"price":4810.25}}
 * ```
 */
export function createJournalWriter<Events extends object>(
  bus: EventBus<Events>,
  destination: string | Writable,
  options: JournalWriterOptions = {},
): JournalWriter {
  const flushBytes = options.flushBytes ?? 65_536;
  if (!Number.isInteger(flushBytes) || flushBytes < 1) {
    throw new EventBusOptionError('flushBytes', 'an integer ≥ 1', flushBytes);
  }
  const clock = options.clock ?? Date.now;
  const only = options.topics === undefined ? undefined : new Set(options.topics);
  const stream =
    typeof destination === 'string' ? createWriteStream(destination, { flags: 'w' }) : destination;
  let buffer: string[] = [];
  let buffered = 0;
  let records = 0;
  let characters = 0;
  let flushScheduled = false;
  let closing: Promise<JournalSummary> | undefined;

  const flush = (): void => {
    flushScheduled = false;
    if (buffer.length === 0) return;
    const chunk = buffer.join('');
    buffer = [];
    buffered = 0;
    characters += chunk.length;
    stream.write(chunk);
  };

  const untap: Unsubscribe = bus.tap((topic, payload, seq, parent) => {
    if (only !== undefined && !only.has(topic)) return;
    const body = payload === undefined ? '' : `,"payload":${JSON.stringify(payload)}`;
    const line = `{"seq":${seq},"parent":${parent},"time":${clock()},"topic":${JSON.stringify(topic)}${body}}\n`;
    buffer.push(line);
    buffered += line.length;
    records++;
    if (buffered >= flushBytes) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });

  return {
    get records() {
      return records;
    },
    flush,
    close() {
      closing ??= new Promise<JournalSummary>((resolve, reject) => {
        untap();
        flush();
        stream.once('error', reject);
        stream.end(() => resolve({ records, characters }));
      });
      return closing;
    },
  };
}
