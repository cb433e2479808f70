/**
 * Session calendars: when a market is open, so gap filling does not invent flat bars for weekends, daily
 * halts and holidays. Only gap filling asks the calendar; real ticks are never filtered by it.
 */
import { BarsOptionError } from './bars-error.js';
import { assertTimeZone, parseTimeOfDay, zonedClock } from './zoned-time.js';

/**
 * Anything that can say whether the market is open at an instant. Gap filling asks it once per empty
 * interval, at the interval's start; write your own for exchange calendars this package does not model.
 *
 * @example
 * ```ts
 * // Open on weekdays (UTC), closed on weekends.
 * const weekdays: SessionCalendar = { isOpen: (time) => ![0, 6].includes(new Date(time).getUTCDay()) };
 * ```
 */
export interface SessionCalendar {
  /** True when the market is open at `time` (UTC epoch ms). */
  isOpen(time: number): boolean;
}

/** A day of the week, as used by {@link WeeklySession}. */
export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

/**
 * One recurring trading session. It opens at `open` local time on each of `days` and closes at `close`;
 * when `close` is not after `open` the session runs overnight and closes on the next day (e.g. CME Globex
 * `open: '17:00', close: '16:00'`); `open === close` means 24 hours.
 *
 * @example
 * ```ts
 * const globex: WeeklySession = { days: ['sun', 'mon', 'tue', 'wed', 'thu'], open: '17:00', close: '16:00' };
 * ```
 */
export interface WeeklySession {
  /** The days the session opens on (local dates in the calendar's time zone). */
  readonly days: readonly Weekday[];
  /** Local opening time, `'HH:MM'`. */
  readonly open: string;
  /** Local closing time, `'HH:MM'` (exclusive). */
  readonly close: string;
}

/**
 * Options of {@link createSessionCalendar}.
 *
 * @example
 * ```ts
 * const options: SessionCalendarOptions = {
 *   timeZone: 'America/New_York',
 *   sessions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:30', close: '16:00' }],
 *   holidays: ['2024-12-25'],
 * };
 * ```
 */
export interface SessionCalendarOptions {
  /** IANA time zone the session times and holiday dates are written in. */
  readonly timeZone: string;
  /** The weekly sessions; the market is open when any of them is. */
  readonly sessions: readonly WeeklySession[];
  /** Local dates (`'YYYY-MM-DD'`) on which the market is closed all day. */
  readonly holidays?: readonly string[];
}

const weekdayIndex: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const dayMs = 86_400_000;

/**
 * Builds a {@link SessionCalendar} from weekly sessions in an IANA time zone, correct across daylight-saving
 * changes (local times are resolved with `Intl.DateTimeFormat`).
 *
 * @throws {@link BarsOptionError} naming the bad option (`sessions[0].open`, `holidays[2]`, …).
 * @example
 * ```ts
 * // CME equity futures: Sunday 17:00 to Friday 16:00 Chicago time, with a daily 16:00-17:00 halt.
 * const cme = createSessionCalendar({
 *   timeZone: 'America/Chicago',
 *   sessions: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu'], open: '17:00', close: '16:00' }],
 * });
 * cme.isOpen(Date.parse('2024-07-06T12:00:00Z')); // false: Saturday
 * ```
 */
export function createSessionCalendar(options: SessionCalendarOptions): SessionCalendar {
  assertTimeZone(options?.timeZone, 'timeZone');
  const timeZone = options.timeZone;
  if (!Array.isArray(options.sessions) || options.sessions.length === 0) {
    throw new BarsOptionError('sessions', 'a non-empty array of weekly sessions', options.sessions);
  }
  // Per local weekday, the open ranges [from, to) in ms since local midnight.
  const ranges: [number, number][][] = [[], [], [], [], [], [], []];
  options.sessions.forEach((session, i) => {
    const open = parseTimeOfDay(session?.open, `sessions[${i}].open`);
    const close = parseTimeOfDay(session?.close, `sessions[${i}].close`);
    const days: readonly Weekday[] = session.days;
    if (!Array.isArray(days) || days.length === 0) {
      throw new BarsOptionError(`sessions[${i}].days`, "a non-empty array of weekdays ('sun' … 'sat')", days);
    }
    days.forEach((day: Weekday, j: number) => {
      const index = Object.hasOwn(weekdayIndex, day) ? weekdayIndex[day] : undefined;
      if (index === undefined) {
        throw new BarsOptionError(`sessions[${i}].days[${j}]`, "one of 'sun', 'mon', … 'sat'", day);
      }
      if (close > open) {
        ranges[index]!.push([open, close]);
      } else {
        ranges[index]!.push([open, dayMs]);
        if (close > 0) ranges[(index + 1) % 7]!.push([0, close]);
      }
    });
  });
  const holidays = new Set<number>();
  (options.holidays ?? []).forEach((text, i) => {
    const match = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
    const time =
      match === null ? Number.NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (match === null || new Date(time).toISOString().slice(0, 10) !== text) {
      throw new BarsOptionError(`holidays[${i}]`, "a local date 'YYYY-MM-DD'", text);
    }
    holidays.add(time / dayMs);
  });
  return {
    isOpen(time: number): boolean {
      const clock = zonedClock(timeZone, time);
      if (holidays.has(clock.day)) return false;
      for (const [from, to] of ranges[clock.weekday]!) {
        if (clock.timeOfDay >= from && clock.timeOfDay < to) return true;
      }
      return false;
    },
  };
}
