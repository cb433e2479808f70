/**
 * Reads NDJSON journals written by journal-writer.ts and publishes them back into a bus in their original
 * order, optionally at their original pace.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EventBus } from './event-bus.js';
import { EventBusJournalError, EventBusOptionError } from './event-bus-error.js';
import type { JournalRecord } from './journal-writer.js';

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Reads a journal line by line, checking each record (JSON object, integer `seq` strictly increasing, `parent`
 * an integer, `topic` a string, `time` a number).
 *
 * @param file - path of the NDJSON journal
 * @returns the records in file order
 * @throws EventBusJournalError naming the file and line of the first bad record
 *
 * @example
 * ```ts
 * for await (const record of readJournal('session.ndjson')) console.log(record.seq, record.topic);
 * ```
 */
export async function* readJournal(file: string): AsyncGenerator<JournalRecord, void, undefined> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  let lastSeq = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new EventBusJournalError(file, lineNumber, 'one JSON object per line', describe(line), {
        cause: error,
      });
    }
    const record = value as Partial<JournalRecord> | null;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new EventBusJournalError(file, lineNumber, 'a JSON object', describe(value));
    }
    if (!Number.isInteger(record.seq) || (record.seq as number) <= lastSeq) {
      throw new EventBusJournalError(
        file,
        lineNumber,
        `"seq" an integer greater than ${lastSeq}`,
        `"seq": ${describe(record.seq)}`,
      );
    }
    if (typeof record.topic !== 'string') {
      throw new EventBusJournalError(
        file,
        lineNumber,
        '"topic" a string',
        `"topic": ${describe(record.topic)}`,
      );
    }
    if (!Number.isInteger(record.parent) || (record.parent as number) < 0) {
      throw new EventBusJournalError(
        file,
        lineNumber,
        '"parent" an integer ≥ 0',
        `"parent": ${describe(record.parent)}`,
      );
    }
    if (typeof record.time !== 'number') {
      throw new EventBusJournalError(file, lineNumber, '"time" a number', `"time": ${describe(record.time)}`);
    }
    lastSeq = record.seq as number;
    yield record as JournalRecord;
  }
}

/**
 * Options of `replayJournal`.
 *
 * @example
 * ```ts
 * await replayJournal(bus, 'session.ndjson', { roots: false, topics: ['NEW_TICK'], speed: 10 });
 * ```
 */
export interface ReplayOptions {
  /**
   * Publish only root events (`parent` 0: published from outside any handler), the default. The bus's handlers
   * regenerate the rest, so a session replayed into the same wiring is reproduced exactly, sequence numbers
   * included. `false` publishes every record, for a bus without the original handlers.
   */
  roots?: boolean;
  /** Publish only these topics. Default: every topic. */
  topics?: readonly string[];
  /** 0 (default) replays as fast as possible; 1 keeps the recorded gaps between events; 10 is ten times faster. */
  speed?: number;
  /** Stops the replay between two events. */
  signal?: AbortSignal;
}

/**
 * What a replay did.
 *
 * @example
 * ```ts
 * const { published, skipped } = await replayJournal(bus, 'session.ndjson');
 * ```
 */
export interface ReplaySummary {
  /** Records published into the bus. */
  readonly published: number;
  /** Records read but not published (not a root under `roots: true`, or a topic not chosen). */
  readonly skipped: number;
  /** True when the signal stopped the replay early. */
  readonly aborted: boolean;
}

/**
 * Publishes a journal back into `bus` in the recorded order.
 *
 * @param bus - the bus to publish into
 * @param file - path of the NDJSON journal
 * @param options - see {@link ReplayOptions}
 * @returns counts of published and skipped records
 * @throws EventBusJournalError on the first unreadable record (records before it have been published)
 *
 * @example
 * ```ts
 * const bus = createEventBus<EngineEvents>();
 * wireEngine(bus); // the same handlers as in the recorded session
 * const summary = await replayJournal(bus, 'session.ndjson');
 * console.log(summary); // { published: 5000, skipped: 1200, aborted: false }
 * ```
 */
export async function replayJournal<Events extends object>(
  bus: EventBus<Events>,
  file: string,
  options: ReplayOptions = {},
): Promise<ReplaySummary> {
  const roots = options.roots ?? true;
  const speed = options.speed ?? 0;
  if (!(speed >= 0) || !Number.isFinite(speed)) {
    throw new EventBusOptionError('speed', 'a finite number ≥ 0', speed);
  }
  const only = options.topics === undefined ? undefined : new Set(options.topics);
  const publish = bus.publish as (topic: string, payload: unknown) => void;
  let published = 0;
  let skipped = 0;
  let firstTime: number | undefined;
  const startedAt = performance.now();
  for await (const record of readJournal(file)) {
    if (options.signal?.aborted) return { published, skipped, aborted: true };
    if ((roots && record.parent !== 0) || (only !== undefined && !only.has(record.topic))) {
      skipped++;
      continue;
    }
    if (speed > 0) {
      firstTime ??= record.time;
      const due = (record.time - firstTime) / speed - (performance.now() - startedAt);
      if (due > 1) await new Promise((resolve) => setTimeout(resolve, due));
    }
    publish(record.topic, record.payload);
    published++;
  }
  return { published, skipped, aborted: false };
}
