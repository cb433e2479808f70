/**
 * Text timestamps → UTC epoch milliseconds, straight from char codes: ISO-8601 (with `T` or a space, any
 * fraction, `Z` or a numeric offset, or no zone), day-first and month-first dates (`13/07/2020 01:00:00`,
 * `2/7/2025 9:00`) and integer epochs in s, ms, µs or ns. Zone-less times are read in a configured IANA time
 * zone. Sub-millisecond digits are truncated: the pipeline's clock is the millisecond.
 */
import { EngineError } from '../engine-error.js';

/**
 * How the timestamp column is written. `auto` decides from the first value: digits only → an epoch whose
 * unit follows from its magnitude, otherwise ISO-8601; slash dates are ambiguous and must be configured.
 *
 * @example
 * ```ts
 * const format: TimestampFormat = 'day-first'; // 13/07/2020 01:00:00
 * ```
 */
export type TimestampFormat =
  | 'auto'
  | 'iso'
  | 'day-first'
  | 'month-first'
  | 'epoch-s'
  | 'epoch-ms'
  | 'epoch-us'
  | 'epoch-ns';

/**
 * Parses `text[start, end)` to UTC epoch ms, or returns `NaN` when it does not match the format. When a
 * well-formed value is still refused (a local time that a DST change skips), `problem` says why until the
 * next call; it is `undefined` after every other call.
 *
 * A parser is stateful: a local time that occurs twice (the hour repeated when DST ends) is read as the
 * earliest of its instants not before the last value the parser returned, so one parser reads one
 * chronologically ordered file.
 *
 * @example
 * ```ts
 * const parse: TimestampParser = createTimestampParser({ format: 'iso' });
 * parse('2024-01-02T10:30:00Z', 0, 20); // 1704191400000
 * ```
 */
export interface TimestampParser {
  (text: string, start: number, end: number): number;
  /** Why the last `NaN` was returned, when it is more than a format mismatch. */
  readonly problem?: string | undefined;
}

/**
 * Options of {@link createTimestampParser}.
 *
 * @example
 * ```ts
 * const options: TimestampParserOptions = { format: 'day-first', timezone: 'Europe/Athens' };
 * ```
 */
export interface TimestampParserOptions {
  /** The format; `auto` must be resolved first with {@link resolveTimestampFormat}. */
  readonly format: Exclude<TimestampFormat, 'auto'>;
  /** IANA zone for timestamps that carry no offset. Default `UTC`. */
  readonly timezone?: string;
}

const ZERO = 48;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Picks a concrete format from a sample value for `auto`.
 *
 * @throws {@link EngineError} `ENGINE_AMBIGUOUS_TIMESTAMP` for slash dates, which need `day-first` or
 * `month-first` in the config.
 * @example
 * ```ts
 * resolveTimestampFormat('1719878281218218853'); // 'epoch-ns'
 * resolveTimestampFormat('2024-07-01T23:58:01Z'); // 'iso'
 * ```
 */
export function resolveTimestampFormat(sample: string): Exclude<TimestampFormat, 'auto'> {
  const text = sample.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const magnitude = Number(text);
    if (magnitude >= 1e17) return 'epoch-ns';
    if (magnitude >= 1e14) return 'epoch-us';
    if (magnitude >= 1e11) return 'epoch-ms';
    return 'epoch-s';
  }
  if (/^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}/.test(text)) {
    throw new EngineError(
      'ENGINE_AMBIGUOUS_TIMESTAMP',
      `timestamp '${text}' could be day-first or month-first; expected data_handler.timestamp.format to be set to 'day-first' or 'month-first'`,
    );
  }
  return 'iso';
}

/**
 * Creates a parser for one timestamp format.
 *
 * @throws {@link EngineError} `ENGINE_BAD_TIMEZONE` when the time zone is not a valid IANA name.
 * @example
 * ```ts
 * const parse = createTimestampParser({ format: 'day-first', timezone: 'UTC' });
 * parse('13/07/2020 01:00:00', 0, 19); // Date.UTC(2020, 6, 13, 1)
 * ```
 */
export function createTimestampParser(options: TimestampParserOptions): TimestampParser {
  const zone = options.timezone ?? 'UTC';
  const toUtc = zoneResolver(zone);
  switch (options.format) {
    case 'iso':
      return toUtc === null
        ? (text, start, end) => parseIso(text, start, end, null)
        : zonedParser(toUtc, zone, (text, start, end) => parseIso(text, start, end, toUtc));
    case 'day-first':
    case 'month-first': {
      const dayFirst = options.format === 'day-first';
      return toUtc === null
        ? (text, start, end) => parseSlashDate(text, start, end, dayFirst, null)
        : zonedParser(toUtc, zone, (text, start, end) => parseSlashDate(text, start, end, dayFirst, toUtc));
    }
    case 'epoch-s':
      return (text, start, end) => parseEpoch(text, start, end, 0, true);
    case 'epoch-ms':
      return (text, start, end) => parseEpoch(text, start, end, 0, false);
    case 'epoch-us':
      return (text, start, end) => parseEpoch(text, start, end, 3, false);
    case 'epoch-ns':
      return (text, start, end) => parseEpoch(text, start, end, 6, false);
  }
}

/** Tracks the last returned instant for the resolver and exposes its refusal reason as `problem`. */
function zonedParser(
  resolver: Resolver,
  zone: string,
  parse: (text: string, start: number, end: number) => number,
): TimestampParser {
  const parser = ((text: string, start: number, end: number): number => {
    resolver.gap = false;
    const utc = parse(text, start, end);
    // biome-ignore lint/suspicious/noSelfCompare: NaN test without a call on the hot path
    if (utc === utc) resolver.last = utc;
    return utc;
  }) as TimestampParser & { problem: string | undefined };
  Object.defineProperty(parser, 'problem', {
    get: () =>
      resolver.gap ? `local time does not exist in ${zone} (skipped by a daylight-saving change)` : undefined,
  });
  return parser;
}

/** Wall-clock ms (as if UTC) → true UTC ms in a zone, with the state its ambiguous cases need. */
interface Resolver {
  readonly toUtc: (wallMs: number) => number;
  /** The last instant the parser returned; picks between the two readings of a repeated local time. */
  last: number;
  /** Set when the last wall time fell in a DST gap (the resolver then returned NaN). */
  gap: boolean;
}

/** `null` for UTC, where wall time is UTC. */
type ZoneResolver = Resolver | null;

function zoneResolver(zone: string): ZoneResolver {
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'Z') return null;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch (error) {
    throw new EngineError(
      'ENGINE_BAD_TIMEZONE',
      `expected an IANA time zone such as 'America/New_York' or 'UTC', got '${zone}'`,
      { cause: error },
    );
  }
  const offsetAt = (utcMs: number): number => {
    const parts = format.formatToParts(new Date(utcMs));
    const field = (type: string) => Number(parts.find((part) => part.type === type)?.value);
    const wall = Date.UTC(
      field('year'),
      field('month') - 1,
      field('day'),
      field('hour'),
      field('minute'),
      field('second'),
    );
    return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
  };
  // The offsets in force a day either side of a wall time bound its readings (zones change offset at most
  // once in two days): each reading w - o is real only if the zone's offset at that instant is o. Two real
  // readings → a repeated local time; none → a skipped one.
  const readings = (wallMs: number, out: number[]): number => {
    const before = offsetAt(wallMs - DAY_MS);
    const after = offsetAt(wallMs + DAY_MS);
    let count = 0;
    if (offsetAt(wallMs - before) === before) out[count++] = wallMs - before;
    if (after !== before && offsetAt(wallMs - after) === after) out[count++] = wallMs - after;
    if (count === 2 && out[0]! > out[1]!) {
      const earlier = out[1]!;
      out[1] = out[0]!;
      out[0] = earlier;
    }
    return count;
  };
  const scratch = [0, 0];
  // Offsets change on hour boundaries in nearly every zone, so one lookup per wall-clock hour serves all the
  // rows of that hour (Intl is far too slow to call per row). An hour whose start and end do not both have
  // the same single reading holds a DST change and is cached as NaN: its rows are resolved one by one.
  const cache = new Map<number, number>();
  const hourOffset = (hour: number): number => {
    const start = hour * HOUR_MS;
    // The same offset a day either side: no change within reach of this hour, two lookups as before.
    const before = offsetAt(start - DAY_MS);
    if (offsetAt(start + DAY_MS) === before) return before;
    if (readings(start, scratch) !== 1) return Number.NaN;
    const offset = start - scratch[0]!;
    if (readings(start + HOUR_MS - 1, scratch) !== 1) return Number.NaN;
    return start + HOUR_MS - 1 - scratch[0]! === offset ? offset : Number.NaN;
  };
  const resolver: Resolver = {
    last: Number.NEGATIVE_INFINITY,
    gap: false,
    toUtc: (wallMs) => {
      const hour = Math.floor(wallMs / HOUR_MS);
      let offset = cache.get(hour);
      if (offset === undefined) {
        offset = hourOffset(hour);
        cache.set(hour, offset);
      }
      // biome-ignore lint/suspicious/noSelfCompare: NaN test without a call on the hot path
      if (offset === offset) return wallMs - offset;
      const count = readings(wallMs, scratch);
      if (count === 0) {
        resolver.gap = true;
        return Number.NaN;
      }
      if (count === 1) return scratch[0]!;
      // A repeated local time: the first pass until the file has moved past it, then the second pass.
      return scratch[0]! >= resolver.last ? scratch[0]! : scratch[1]!;
    },
  };
  return resolver;
}

/**
 * Reads an integer epoch on its digits, so no value passes through a lossy double: `drop` trailing digits
 * are cut (µs → ms: 3, ns → ms: 6) and `seconds` keeps three fraction digits; sub-ms precision is truncated.
 */
function parseEpoch(text: string, start: number, end: number, drop: number, seconds: boolean): number {
  if (end <= start) return Number.NaN;
  // One pass for the usual whole-number text: the digits kept, then the digits cut. A point anywhere sends
  // the value to the general reading below.
  const keep = end - drop;
  let value = 0;
  let i = start;
  for (; i < end; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit >>> 0 > 9) break;
    if (i < keep) value = value * 10 + digit;
  }
  if (i === end) return seconds ? value * 1000 : value;
  if (text.charCodeAt(i) !== 46) return Number.NaN;
  return parseEpochFraction(text, start, end, drop, seconds);
}

function parseEpochFraction(
  text: string,
  start: number,
  end: number,
  drop: number,
  seconds: boolean,
): number {
  let point = start;
  while (point < end && text.charCodeAt(point) !== 46) point++;
  if (point === start) return Number.NaN;
  const keep = point - drop;
  let value = 0;
  for (let i = start; i < point; i++) value = i < keep ? value * 10 + text.charCodeAt(i) - ZERO : value;
  let scale = seconds ? 1000 : 1;
  value *= scale;
  for (let i = point + 1; i < end; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit >>> 0 > 9) return Number.NaN;
    scale /= 10;
    if (scale >= 1) value += digit * scale;
  }
  return value;
}

/** Days from 1970-01-01 to a proleptic Gregorian civil date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= lengths[month - 1]!;
}

/** Parses `HH:MM[:SS[.fff…]]` at `i`; returns ms of day and stores the end index, or -1. */
function parseClock(text: string, i: number, end: number, state: { next: number }): number {
  // Fast path for the common fixed layout HH:MM:SS.fff (fraction of any length).
  if (end - i >= 8 && text.charCodeAt(i + 2) === 58 && text.charCodeAt(i + 5) === 58) {
    const h1 = text.charCodeAt(i) - ZERO;
    const h2 = text.charCodeAt(i + 1) - ZERO;
    const m1 = text.charCodeAt(i + 3) - ZERO;
    const m2 = text.charCodeAt(i + 4) - ZERO;
    const s1 = text.charCodeAt(i + 6) - ZERO;
    const s2 = text.charCodeAt(i + 7) - ZERO;
    // `>>> 0` maps negatives to huge values, so one comparison per digit checks 0..9.
    if (h1 >>> 0 <= 2 && h2 >>> 0 <= 9 && m1 >>> 0 <= 5 && m2 >>> 0 <= 9 && s1 >>> 0 <= 6 && s2 >>> 0 <= 9) {
      const hh = h1 * 10 + h2;
      const mm = m1 * 10 + m2;
      const ss = s1 * 10 + s2;
      if (hh > 23 || ss > 60) return -1;
      let at = i + 8;
      let millis = 0;
      const separator = text.charCodeAt(at);
      if (at < end && (separator === 46 || separator === 44)) {
        at++;
        const fractionStart = at;
        let scale = 100;
        while (at < end) {
          const digit = text.charCodeAt(at) - ZERO;
          if (digit < 0 || digit > 9) break;
          if (scale >= 1) millis += digit * scale;
          scale /= 10;
          at++;
        }
        if (at === fractionStart) return -1;
      }
      state.next = at;
      return ((hh * 60 + mm) * 60 + ss) * 1000 + millis;
    }
  }
  let hour = 0;
  let n = 0;
  while (i < end && n < 2) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) break;
    hour = hour * 10 + digit;
    i++;
    n++;
  }
  if (n === 0 || text.charCodeAt(i) !== 58) return -1;
  const minute = digitsAt(text, i + 1, 2);
  if (minute < 0 || minute > 59 || hour > 23) return -1;
  i += 3;
  let second = 0;
  let millis = 0;
  if (i < end && text.charCodeAt(i) === 58) {
    second = digitsAt(text, i + 1, 2);
    if (second < 0 || second > 60) return -1;
    i += 3;
    if (i < end && (text.charCodeAt(i) === 46 || text.charCodeAt(i) === 44)) {
      i++;
      let scale = 100;
      const fractionStart = i;
      while (i < end) {
        const digit = text.charCodeAt(i) - ZERO;
        if (digit < 0 || digit > 9) break;
        millis += digit * scale;
        scale /= 10;
        i++;
      }
      if (i === fractionStart) return -1;
      millis = Math.floor(millis);
    }
  }
  state.next = i;
  return ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

const clockState = { next: 0 };

/** Parses a `Z`, `±HH:MM`, `±HHMM` or `±HH` suffix at `i`; returns the offset in ms or NaN; `null` if absent. */
function parseOffset(text: string, i: number, end: number): number | null {
  while (i < end && text.charCodeAt(i) === 32) i++;
  if (i >= end) return null;
  const code = text.charCodeAt(i);
  if ((code === 90 || code === 122) && i + 1 === end) return 0; // Z
  if (code !== 43 && code !== 45) return Number.NaN;
  const sign = code === 45 ? -1 : 1;
  const hours = digitsAt(text, i + 1, 2);
  let minutes = 0;
  const rest = end - (i + 3);
  if (rest === 3 && text.charCodeAt(i + 3) === 58) minutes = digitsAt(text, i + 4, 2);
  else if (rest === 2) minutes = digitsAt(text, i + 3, 2);
  else if (rest !== 0) return Number.NaN;
  if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return Number.NaN;
  return sign * (hours * 60 + minutes) * 60_000;
}

// The last calendar date seen, so rows of the same day skip the date validation and day arithmetic.
let cachedDateKey = -1;
let cachedDayMs = 0;

function parseIso(text: string, start: number, end: number, toUtc: ZoneResolver): number {
  if (end - start < 10) return Number.NaN;
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  if (
    year < 0 ||
    month < 0 ||
    day < 0 ||
    text.charCodeAt(start + 4) !== 45 ||
    text.charCodeAt(start + 7) !== 45
  ) {
    return Number.NaN;
  }
  const dateKey = year * 10_000 + month * 100 + day;
  if (dateKey !== cachedDateKey) {
    if (!validDate(year, month, day)) return Number.NaN;
    cachedDateKey = dateKey;
    cachedDayMs = daysFromCivil(year, month, day) * DAY_MS;
  }
  let wall = cachedDayMs;
  let i = start + 10;
  if (i < end) {
    const separator = text.charCodeAt(i);
    if (separator !== 84 && separator !== 116 && separator !== 32) return Number.NaN; // T, t, space
    const clock = parseClock(text, i + 1, end, clockState);
    if (clock < 0) return Number.NaN;
    wall += clock;
    i = clockState.next;
  }
  if (i === end) return toUtc === null ? wall : toUtc.toUtc(wall);
  const offset = parseOffset(text, i, end);
  if (offset === null) return toUtc === null ? wall : toUtc.toUtc(wall);
  return wall - offset;
}

function parseSlashDate(
  text: string,
  start: number,
  end: number,
  dayFirst: boolean,
  toUtc: ZoneResolver,
): number {
  const numbers = [0, 0, 0];
  let i = start;
  for (let part = 0; part < 3; part++) {
    let value = 0;
    let n = 0;
    while (i < end) {
      const digit = text.charCodeAt(i) - ZERO;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      i++;
      n++;
    }
    if (n === 0 || (part < 2 && n > 2) || (part === 2 && n !== 4 && n !== 2)) return Number.NaN;
    numbers[part] = part === 2 && n === 2 ? 2000 + value : value;
    if (part < 2) {
      const separator = text.charCodeAt(i);
      if (separator !== 47 && separator !== 46 && separator !== 45) return Number.NaN;
      i++;
    }
  }
  const [first, second, year] = numbers as [number, number, number];
  const day = dayFirst ? first : second;
  const month = dayFirst ? second : first;
  if (!validDate(year, month, day)) return Number.NaN;
  let wall = daysFromCivil(year, month, day) * DAY_MS;
  if (i < end) {
    if (text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 84) return Number.NaN;
    const clock = parseClock(text, i + 1, end, clockState);
    if (clock < 0) return Number.NaN;
    wall += clock;
    i = clockState.next;
  }
  const offset = parseOffset(text, i, end);
  if (offset === null) return toUtc === null ? wall : toUtc.toUtc(wall);
  return wall - offset;
}
