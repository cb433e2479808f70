/**
 * Streams a market-data file (CSV or NDJSON, gzip-compressed or not, recognised by its bytes rather than its
 * name) row by row into tick or bar callbacks, never holding more than one chunk in memory. Every row is
 * either delivered, filtered out by the symbol filter, or rejected with its line number and reason: under
 * the `fail` policy the first rejected row ends the read with a {@link DataRowError}; under `skip` every
 * rejected row is counted and the first few are kept as examples.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Bar, Tick } from '@algospace/bars';
import { DataRowError, EngineError } from '../engine-error.js';
import { detectLayout, type FieldRole, type FileLayout, type LayoutOptions } from './file-layout.js';
import { locateFields, parseDecimal, splitQuotedLine } from './text-fields.js';
import {
  createTimestampParser,
  resolveTimestampFormat,
  type TimestampFormat,
  type TimestampParser,
} from './timestamp-parser.js';

/**
 * What to do with a row that cannot be read.
 *
 * @example
 * ```ts
 * const policy: BadRowPolicy = 'skip';
 * ```
 */
export type BadRowPolicy = 'fail' | 'skip';

/**
 * Options of {@link readMarketDataFile}.
 *
 * @example
 * ```ts
 * const options: MarketDataReadOptions = {
 *   path: 'trades.csv.gz',
 *   layout: {},
 *   timestamp: { format: 'auto', timezone: 'UTC' },
 *   badRows: { policy: 'skip', maxExamples: 5 },
 *   barTimeframe: '1m',
 *   onTick: (tick) => console.log(tick.price),
 * };
 * ```
 */
export interface MarketDataReadOptions {
  /** The file to read. */
  readonly path: string;
  /** Layout overrides (kind, columns, delimiter, header, symbol filter). */
  readonly layout: LayoutOptions;
  /** Timestamp format and the zone for zone-less timestamps. */
  readonly timestamp: { readonly format: TimestampFormat; readonly timezone: string };
  /** Bad-row policy and how many rejected rows to keep as examples. */
  readonly badRows: { readonly policy: BadRowPolicy; readonly maxExamples: number };
  /** The timeframe label given to bars read from a bar file (e.g. `'1m'`). */
  readonly barTimeframe: string;
  /** Receives each accepted tick (trade and quote files). */
  readonly onTick?: (tick: Tick) => void;
  /** Receives each accepted bar (bar files). */
  readonly onBar?: (bar: Bar) => void;
  /** Called once the layout is known, before the first record. */
  readonly onLayout?: (layout: FileLayout) => void;
  /** Called after each chunk with the bytes of the (possibly compressed) file read so far and its size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Awaited after each chunk (about a megabyte of text): lets a consumer apply backpressure. */
  readonly afterChunk?: () => Promise<void> | void;
  /** Aborts the read between chunks. */
  readonly signal?: AbortSignal;
}

/**
 * One rejected row kept as an example.
 *
 * @example
 * ```ts
 * const example: RejectedRow = { line: 12, reason: "column 'price': expected a number, got 'abc'", text: '…' };
 * ```
 */
export interface RejectedRow {
  /** 1-based line number in the file. */
  readonly line: number;
  /** What was wrong. */
  readonly reason: string;
  /** The row as read (cut to 200 characters). */
  readonly text: string;
}

/**
 * The outcome of reading one file: `rows = accepted + rejected + filtered`.
 *
 * @example
 * ```ts
 * const report = await readMarketDataFile(options);
 * console.log(`${report.accepted} of ${report.rows} rows accepted`);
 * ```
 */
export interface MarketDataReadReport {
  /** The file name. */
  readonly file: string;
  /** The resolved layout. */
  readonly layout: FileLayout;
  /** The timestamp format used (resolved from `auto`). */
  readonly timestampFormat: Exclude<TimestampFormat, 'auto'>;
  /** Data rows seen (header and blank lines excluded). */
  readonly rows: number;
  /** Rows delivered to `onTick`/`onBar`. */
  readonly accepted: number;
  /** Rows rejected as unreadable (only non-zero under the `skip` policy). */
  readonly rejected: number;
  /** Rejected rows per reason category. */
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** The first rejected rows. */
  readonly examples: readonly RejectedRow[];
  /** Rows dropped by the symbol filter (not errors). */
  readonly filtered: number;
  /** Whether the read stopped early because the signal aborted. */
  readonly aborted: boolean;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const NEWLINE = 0x0a;
/**
 * Chunks stay well under Node's threshold (about 1 MB) above which decoded text becomes an external string:
 * charCodeAt on an external string is several times slower in optimised code than on a heap string.
 */
const CHUNK_BYTES = 1 << 19;
/**
 * The longest line accepted. A file whose lines end in something other than `\n` (a bare `\r`, classic Mac)
 * would otherwise be carried whole, as one ever-growing line, until the end of the file.
 */
const MAX_LINE_BYTES = 1 << 20;

/**
 * Reads a market-data file in streaming fashion.
 *
 * @throws {@link DataRowError} under the `fail` policy at the first unreadable row;
 * {@link EngineError} `ENGINE_BAD_LAYOUT` / `ENGINE_EMPTY_FILE` / `ENGINE_FILE_NOT_FOUND` /
 * `ENGINE_BAD_LINE_ENDS` (bare `\r` line ends, or a line over 1 MiB) for the file as a whole.
 * @example
 * ```ts
 * const report = await readMarketDataFile({ ...options, onTick: (tick) => bus.publish('NEW_TICK', tick) });
 * ```
 */
export async function readMarketDataFile(options: MarketDataReadOptions): Promise<MarketDataReadReport> {
  const file = basename(options.path);
  let totalBytes: number;
  let gzip: boolean;
  try {
    totalBytes = (await stat(options.path)).size;
    const handle = await open(options.path, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      gzip = bytesRead === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new EngineError(
      'ENGINE_FILE_NOT_FOUND',
      `expected a readable data file at '${options.path}': ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const raw = createReadStream(options.path, { highWaterMark: CHUNK_BYTES });
  const source = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
  raw.on('error', (error) => source.destroy(error));
  const rowReader = new RowReader(file, options);
  // Bytes after the last newline of the previous chunk. Only whole lines are decoded, so each chunk's text is
  // one flat string (a `carry + text` rope makes every charCodeAt walk the rope) and a multi-byte character
  // is never split: a newline byte never occurs inside a UTF-8 sequence.
  let carry: Buffer = Buffer.alloc(0);
  let lineNumber = 0;
  let aborted = false;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const lastNewline = bytes.lastIndexOf(NEWLINE);
      carry = Buffer.from(bytes.subarray(lastNewline + 1));
      if (carry.length > MAX_LINE_BYTES) throw lineEndError(file, lineNumber + 1, carry);
      if (lastNewline >= 0) {
        const text = bytes.toString('utf8', 0, lastNewline + 1);
        rowReader.quoted = text.includes('"');
        let start = 0;
        for (;;) {
          const newline = text.indexOf('\n', start);
          if (newline < 0) break;
          lineNumber++;
          rowReader.line(text, start, newline, lineNumber);
          start = newline + 1;
        }
      }
      options.onProgress?.(raw.bytesRead, totalBytes);
      if (options.afterChunk !== undefined) await options.afterChunk();
      if (options.signal?.aborted) {
        aborted = true;
        source.destroy();
        break;
      }
    }
  } catch (error) {
    if (DataRowError.isInstance(error) || EngineError.isInstance(error)) throw error;
    throw new EngineError(
      'ENGINE_READ_FAILED',
      `${file}: could not read the file: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (!aborted && carry.length > 0) {
    const text = carry.toString('utf8');
    rowReader.quoted = text.includes('"');
    rowReader.line(text, 0, text.length, lineNumber + 1);
  }
  return rowReader.report(aborted);
}

function lineEndError(file: string, lineNumber: number, line: Buffer | string): EngineError {
  const bareCr = typeof line === 'string' ? line.includes('\r') : line.includes(0x0d);
  return new EngineError(
    'ENGINE_BAD_LINE_ENDS',
    `${file}:${lineNumber}: expected lines ending in \\n or \\r\\n, found ` +
      (bareCr
        ? 'a bare \\r (classic Mac line ends) inside the line; convert the file, e.g. with tr "\\r" "\\n"'
        : `a line longer than ${MAX_LINE_BYTES} bytes without a line end`),
  );
}

/** What a rejected numeric field should have held: unreadable text is asked for as "a number". */
function expectedNumber(mayBeZero: boolean, value: number): string {
  if (Number.isNaN(value)) return 'a number';
  return mayBeZero ? 'a number ≥ 0' : 'a positive number';
}

function isBlankLine(text: string): boolean {
  return text.trim() === '';
}

const MAX_FIELDS = 64;

/** Turns lines into records; one instance per file. */
class RowReader {
  readonly #file: string;
  readonly #options: MarketDataReadOptions;
  #layout: FileLayout | undefined;
  #parseTime: TimestampParser | undefined;
  #timestampFormat: Exclude<TimestampFormat, 'auto'> = 'iso';
  readonly #bounds = new Int32Array(MAX_FIELDS * 2);
  #delimiter = ',';
  /** Whether the current chunk holds a double quote anywhere (so rows must be checked for quoting). */
  quoted = false;
  // Column indices resolved once; -1 = absent.
  #ts = -1;
  #price = -1;
  #size = -1;
  #bid = -1;
  #ask = -1;
  #open = -1;
  #high = -1;
  #low = -1;
  #close = -1;
  #volume = -1;
  #symbolIndex = -1;
  #needed = 0;
  #lastTimestamp = Number.NEGATIVE_INFINITY;
  #rows = 0;
  #accepted = 0;
  #rejected = 0;
  #filtered = 0;
  readonly #byReason: Record<string, number> = {};
  readonly #examples: RejectedRow[] = [];

  constructor(file: string, options: MarketDataReadOptions) {
    this.#file = file;
    this.#options = options;
  }

  line(text: string, start: number, end: number, lineNumber: number): void {
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (this.#layout === undefined) {
      // A UTF-8 byte order mark is not part of the first field, whatever the layout.
      if (end > start && text.charCodeAt(start) === 0xfeff) start++;
      const first = text.slice(start, end);
      if (isBlankLine(first)) return;
      if (first.includes('\r')) throw lineEndError(this.#file, lineNumber, first);
      this.#init(first);
      if (this.#layout!.hasHeader) return;
    }
    if (end <= start) return;
    this.#rows++;
    if (this.#layout!.format === 'ndjson') this.#jsonRow(text.slice(start, end), lineNumber);
    else this.#csvRow(text, start, end, lineNumber);
  }

  #init(firstLine: string): void {
    const layout = detectLayout(firstLine, this.#options.layout, this.#file);
    this.#layout = layout;
    this.#delimiter = layout.delimiter;
    const index = (role: FieldRole) => layout.indices[role] ?? -1;
    this.#ts = index('timestamp');
    this.#price = index('price');
    this.#size = index('size');
    this.#bid = index('bid');
    this.#ask = index('ask');
    this.#open = index('open');
    this.#high = index('high');
    this.#low = index('low');
    this.#close = index('close');
    this.#volume = index('volume');
    this.#symbolIndex = layout.symbol?.index ?? -1;
    this.#needed =
      Math.max(
        this.#ts,
        this.#price,
        this.#size,
        this.#bid,
        this.#ask,
        this.#open,
        this.#high,
        this.#low,
        this.#close,
        this.#volume,
        this.#symbolIndex,
      ) + 1;
    if (this.#needed > MAX_FIELDS) {
      throw new EngineError(
        'ENGINE_BAD_LAYOUT',
        `${this.#file}: expected the used columns within the first ${MAX_FIELDS}, found column ${this.#needed}`,
      );
    }
    this.#options.onLayout?.(layout);
  }

  #resolveTimestamp(sample: string): void {
    const configured = this.#options.timestamp.format;
    this.#timestampFormat = configured === 'auto' ? resolveTimestampFormat(sample) : configured;
    this.#parseTime = createTimestampParser({
      format: this.#timestampFormat,
      timezone: this.#options.timestamp.timezone,
    });
  }

  #csvRow(text: string, start: number, end: number, lineNumber: number): void {
    const bounds = this.#bounds;
    let source = text;
    let count: number;
    if (this.quoted && text.slice(start, end).includes('"')) {
      // Rare quoted row: re-join the unquoted fields into a scratch string and locate them there.
      const fields = splitQuotedLine(text.slice(start, end), this.#layout!.delimiter);
      source = fields.join('\u0000');
      count = locateFields(source, 0, source.length, '\u0000', this.#needed, bounds);
    } else {
      count = locateFields(text, start, end, this.#delimiter, this.#needed, bounds);
    }
    if (count < this.#needed) {
      // Checked only here, off the hot path: a line of blanks is an empty line, not a short row.
      if (isBlankLine(text.slice(start, end))) {
        this.#rows--;
        return;
      }
      this.#reject(
        lineNumber,
        'missing-column',
        `expected at least ${this.#needed} columns, found ${count}`,
        text.slice(start, end),
      );
      return;
    }
    if (this.#symbolIndex >= 0) {
      const value = source.slice(bounds[2 * this.#symbolIndex]!, bounds[2 * this.#symbolIndex + 1]!);
      if (value !== this.#layout!.symbol!.value) {
        this.#filtered++;
        return;
      }
    }
    const tsStart = bounds[2 * this.#ts]!;
    const tsEnd = bounds[2 * this.#ts + 1]!;
    if (this.#parseTime === undefined) this.#resolveTimestamp(source.slice(tsStart, tsEnd));
    const timestamp = this.#parseTime!(source, tsStart, tsEnd);
    if (Number.isNaN(timestamp)) {
      this.#reject(
        lineNumber,
        'bad-timestamp',
        `column '${this.#name(this.#ts)}': expected ${this.#timestampExpectation()}, got '${source.slice(tsStart, tsEnd)}'${this.#timestampProblem()}`,
        text.slice(start, end),
      );
      return;
    }
    if (this.#layout!.kind === 'bars') {
      const open = this.#number(source, this.#open);
      const high = this.#number(source, this.#high);
      const low = this.#number(source, this.#low);
      const close = this.#number(source, this.#close);
      const volume = this.#volume >= 0 ? this.#number(source, this.#volume) : 0;
      // `!(x > 0)` is also true for NaN: one comparison rejects both unreadable and impossible values.
      const bad = !(open > 0)
        ? this.#open
        : !(high > 0)
          ? this.#high
          : !(low > 0)
            ? this.#low
            : !(close > 0)
              ? this.#close
              : !(volume >= 0)
                ? this.#volume
                : -1;
      if (bad >= 0) {
        this.#badNumber(source, bad, lineNumber, text.slice(start, end));
        return;
      }
      this.#bar(timestamp, open, high, low, close, volume, lineNumber, text.slice(start, end));
      return;
    }
    let price: number;
    let bid = Number.NaN;
    let ask = Number.NaN;
    if (this.#layout!.kind === 'quotes') {
      bid = this.#number(source, this.#bid);
      ask = this.#number(source, this.#ask);
      if (!(bid > 0 && ask > 0)) {
        this.#badNumber(source, !(bid > 0) ? this.#bid : this.#ask, lineNumber, text.slice(start, end));
        return;
      }
      price = (bid + ask) / 2;
    } else {
      price = this.#number(source, this.#price);
      if (!(price > 0)) {
        this.#badNumber(source, this.#price, lineNumber, text.slice(start, end));
        return;
      }
    }
    const size = this.#size >= 0 ? this.#number(source, this.#size) : 0;
    if (!(size >= 0)) {
      this.#badNumber(source, this.#size, lineNumber, text.slice(start, end));
      return;
    }
    this.#tick(timestamp, price, size, bid, ask, lineNumber, text, start, end);
  }

  #jsonRow(line: string, lineNumber: number): void {
    let record: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      record = parsed as Record<string, unknown>;
    } catch {
      if (isBlankLine(line)) {
        this.#rows--;
        return;
      }
      this.#reject(lineNumber, 'bad-json', `expected a JSON object, got '${line.slice(0, 80)}'`, line);
      return;
    }
    const layout = this.#layout!;
    if (layout.symbol !== undefined && String(record[layout.symbol.key]) !== layout.symbol.value) {
      this.#filtered++;
      return;
    }
    const field = (role: FieldRole): number => {
      const key = layout.keys[role];
      if (key === undefined) return role === 'size' || role === 'volume' ? 0 : Number.NaN;
      const value = record[key];
      if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
      if (typeof value === 'string') return parseDecimal(value, 0, value.length);
      return Number.NaN;
    };
    const missing = (role: FieldRole, value: number) => {
      const key = layout.keys[role] ?? role;
      this.#reject(
        lineNumber,
        'bad-number',
        `field '${key}': expected ${expectedNumber(role === 'size' || role === 'volume', value)}, got ${JSON.stringify(record[key]) ?? 'nothing'}`,
        line,
      );
    };
    const rawTime = record[layout.keys.timestamp!];
    if (this.#parseTime === undefined && (typeof rawTime === 'string' || typeof rawTime === 'number')) {
      this.#resolveTimestamp(String(rawTime));
    }
    let timestamp: number;
    if (typeof rawTime === 'number') {
      // A JSON number is an epoch whatever the text format: its unit follows from its magnitude.
      const unit = resolveTimestampFormat(String(Math.trunc(Math.abs(rawTime))));
      const scale = unit === 'epoch-ns' ? 1e-6 : unit === 'epoch-us' ? 1e-3 : unit === 'epoch-s' ? 1000 : 1;
      timestamp = Number.isFinite(rawTime) ? Math.floor(rawTime * scale) : Number.NaN;
    } else {
      const timeText = typeof rawTime === 'string' ? rawTime : '';
      timestamp = this.#parseTime === undefined ? Number.NaN : this.#parseTime(timeText, 0, timeText.length);
    }
    if (Number.isNaN(timestamp)) {
      this.#reject(
        lineNumber,
        'bad-timestamp',
        `field '${layout.keys.timestamp}': expected ${this.#timestampExpectation()}, got ${JSON.stringify(rawTime) ?? 'nothing'}${this.#timestampProblem()}`,
        line,
      );
      return;
    }
    if (layout.kind === 'bars') {
      const values = (['open', 'high', 'low', 'close', 'volume'] as const).map(field);
      const bad = values.findIndex((value, index) => !(index === 4 ? value >= 0 : value > 0));
      if (bad >= 0) {
        missing((['open', 'high', 'low', 'close', 'volume'] as const)[bad]!, values[bad]!);
        return;
      }
      this.#bar(timestamp, values[0]!, values[1]!, values[2]!, values[3]!, values[4]!, lineNumber, line);
      return;
    }
    const bid = layout.keys.bid === undefined ? Number.NaN : field('bid');
    const ask = layout.keys.ask === undefined ? Number.NaN : field('ask');
    if (layout.kind === 'quotes' && !(bid > 0 && ask > 0)) {
      missing(!(bid > 0) ? 'bid' : 'ask', !(bid > 0) ? bid : ask);
      return;
    }
    const price = layout.kind === 'quotes' ? (bid + ask) / 2 : field('price');
    if (!(price > 0)) {
      missing('price', price);
      return;
    }
    const size = field('size');
    if (!(size >= 0)) {
      missing('size', size);
      return;
    }
    this.#tick(timestamp, price, size, bid, ask, lineNumber, line, 0, line.length);
  }

  #tick(
    timestamp: number,
    price: number,
    size: number,
    bid: number,
    ask: number,
    lineNumber: number,
    text: string,
    start: number,
    end: number,
  ): void {
    if (timestamp < this.#lastTimestamp) {
      this.#outOfOrder(timestamp, lineNumber, text.slice(start, end));
      return;
    }
    this.#lastTimestamp = timestamp;
    this.#accepted++;
    const tick: Tick = Number.isNaN(bid) ? { timestamp, price, size } : { timestamp, price, size, bid, ask };
    this.#options.onTick?.(tick);
  }

  #bar(
    timestamp: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    lineNumber: number,
    text: string,
  ): void {
    if (timestamp < this.#lastTimestamp) {
      this.#outOfOrder(timestamp, lineNumber, text);
      return;
    }
    if (!(high >= low && high >= Math.max(open, close) && low <= Math.min(open, close))) {
      this.#reject(
        lineNumber,
        'inconsistent-bar',
        `expected low ≤ open, close ≤ high, got O=${open} H=${high} L=${low} C=${close}`,
        text,
      );
      return;
    }
    this.#lastTimestamp = timestamp;
    this.#accepted++;
    this.#options.onBar?.({
      timestamp,
      timeframe: this.#options.barTimeframe,
      open,
      high,
      low,
      close,
      volume,
      synthetic: false,
      tickCount: 1,
    });
  }

  #outOfOrder(timestamp: number, lineNumber: number, text: string): void {
    this.#reject(
      lineNumber,
      'out-of-order',
      `expected a timestamp at or after ${new Date(this.#lastTimestamp).toISOString()} (the previous row), got ${new Date(timestamp).toISOString()}`,
      text,
    );
  }

  #number(text: string, column: number): number {
    return parseDecimal(text, this.#bounds[2 * column]!, this.#bounds[2 * column + 1]!);
  }

  #name(column: number): string {
    return this.#layout!.names[column] ?? String(column);
  }

  #badNumber(text: string, column: number, lineNumber: number, row: string): void {
    const value = text.slice(this.#bounds[2 * column]!, this.#bounds[2 * column + 1]!);
    this.#reject(
      lineNumber,
      'bad-number',
      `column '${this.#name(column)}': expected ${expectedNumber(column === this.#size || column === this.#volume, parseDecimal(value, 0, value.length))}, got '${value}'`,
      row,
    );
  }

  /** "a day-first timestamp", "an iso timestamp": what a bad-timestamp message says was expected. */
  #timestampExpectation(): string {
    return `${/^[aeiou]/i.test(this.#timestampFormat) ? 'an' : 'a'} ${this.#timestampFormat} timestamp`;
  }

  /** Why the parser refused a well-formed value (a local time a DST change skips), as a message suffix. */
  #timestampProblem(): string {
    const problem = this.#parseTime?.problem;
    return problem === undefined ? '' : `: ${problem}`;
  }

  #reject(lineNumber: number, category: string, reason: string, text: string): void {
    if (this.#options.badRows.policy === 'fail') throw new DataRowError(this.#file, lineNumber, reason);
    this.#rejected++;
    this.#byReason[category] = (this.#byReason[category] ?? 0) + 1;
    if (this.#examples.length < this.#options.badRows.maxExamples) {
      this.#examples.push({ line: lineNumber, reason, text: text.slice(0, 200) });
    }
  }

  report(aborted: boolean): MarketDataReadReport {
    if (this.#layout === undefined) {
      throw new EngineError(
        'ENGINE_EMPTY_FILE',
        `${this.#file}: expected a header and data rows, found an empty file`,
      );
    }
    return {
      file: this.#file,
      layout: this.#layout,
      timestampFormat: this.#timestampFormat,
      rows: this.#rows,
      accepted: this.#accepted,
      rejected: this.#rejected,
      rejectedByReason: { ...this.#byReason },
      examples: [...this.#examples],
      filtered: this.#filtered,
      aborted,
    };
  }
}
