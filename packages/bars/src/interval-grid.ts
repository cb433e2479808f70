/**
 * Interval grids: where each bar of a timeframe starts and ends. Sub-day timeframes use a fixed grid on
 * epoch milliseconds (§1.3 flooring, optionally shifted by an origin); day timeframes follow a session start
 * in an IANA time zone, so a trading day is 23 or 25 hours long across daylight-saving changes.
 */
import { BarsOptionError } from './bars-error.js';
import { parseTimeframe } from './timeframe.js';
import { parseTimeOfDay, zonedDayNumber, zonedWallTimeToUtc } from './zoned-time.js';

const dayMs = 86_400_000;

/**
 * Where the bars of one timeframe start and end.
 * @internal
 */
export interface IntervalGrid {
  /** Length of every interval in ms, or 0 when intervals vary (zoned day grids). */
  readonly fixedMs: number;
  /** Start of the interval holding `time`. */
  bucketStart(time: number): number;
  /** Start of the interval after the one starting at `start`. */
  nextStart(start: number): number;
}

/**
 * Daily bars aligned to a local session start, e.g. `{ timeZone: 'America/Chicago', time: '17:00' }` for
 * CME futures trading days.
 *
 * @example
 * ```ts
 * const sessionStart: SessionStart = { timeZone: 'America/Chicago', time: '17:00' };
 * ```
 */
export interface SessionStart {
  /** IANA time zone the session start is given in. */
  readonly timeZone: string;
  /** Local time of day the trading day starts, `'HH:MM'` (e.g. `'17:00'`; `'00:00'` for calendar days). */
  readonly time: string;
}

class FixedGrid implements IntervalGrid {
  readonly fixedMs: number;
  readonly origin: number;

  constructor(ms: number, origin: number) {
    this.fixedMs = ms;
    this.origin = origin;
  }

  bucketStart(time: number): number {
    const offset = (time - this.origin) % this.fixedMs;
    // `%` keeps the dividend's sign; times before the origin need the floor, not the truncation.
    return offset < 0 ? time - offset - this.fixedMs : time - offset;
  }

  nextStart(start: number): number {
    return start + this.fixedMs;
  }
}

class ZonedDayGrid implements IntervalGrid {
  readonly fixedMs = 0;
  readonly days: number;
  readonly timeZone: string;
  readonly dayStartMs: number;

  constructor(days: number, timeZone: string, dayStartMs: number) {
    this.days = days;
    this.timeZone = timeZone;
    this.dayStartMs = dayStartMs;
  }

  private startOfDay(dayNumber: number): number {
    return zonedWallTimeToUtc(this.timeZone, dayNumber * dayMs + this.dayStartMs);
  }

  /** Multi-day buckets count whole days from 1970-01-01; `%` is made non-negative for earlier dates. */
  private firstDayOfBucket(dayNumber: number): number {
    return dayNumber - (((dayNumber % this.days) + this.days) % this.days);
  }

  bucketStart(time: number): number {
    let day = this.firstDayOfBucket(zonedDayNumber(this.timeZone, time, this.dayStartMs));
    // A session start moved by a DST gap can land the estimate one bucket off; step until it holds `time`.
    while (this.startOfDay(day) > time) day -= this.days;
    while (this.startOfDay(day + this.days) <= time) day += this.days;
    return this.startOfDay(day);
  }

  nextStart(start: number): number {
    const day = this.firstDayOfBucket(zonedDayNumber(this.timeZone, start, this.dayStartMs));
    let next = this.startOfDay(day + this.days);
    if (next <= start) next = this.startOfDay(day + 2 * this.days);
    return next;
  }
}

/**
 * Builds the grid of one timeframe. Timeframes of whole days use `sessionStart` when given, UTC midnight
 * plus `origin` otherwise.
 * @internal
 */
export function createIntervalGrid(
  timeframe: string,
  origin: number,
  sessionStart: SessionStart | undefined,
  path: string,
): IntervalGrid {
  let ms: number;
  try {
    ms = parseTimeframe(timeframe);
  } catch (error) {
    throw new BarsOptionError(path, "a timeframe such as '30s', '5m', '1h' or '1d'", timeframe, error);
  }
  if (sessionStart !== undefined && ms % dayMs === 0) {
    const dayStart = parseTimeOfDay(sessionStart.time, 'sessionStart.time');
    return new ZonedDayGrid(ms / dayMs, sessionStart.timeZone, dayStart);
  }
  return new FixedGrid(ms, origin);
}
