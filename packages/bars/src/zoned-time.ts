/**
 * Wall-clock time in an IANA time zone, computed with the platform's `Intl.DateTimeFormat` (no tz database
 * dependency). Only the slow paths use it (a bar boundary, a gap-fill decision), never the per-tick path.
 * Session calendars and day grids live in their own modules.
 */
import { BarsOptionError } from './bars-error.js';

const dayMs = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Throws a {@link BarsOptionError} naming `path` unless `timeZone` is an IANA zone the platform knows.
 * @internal
 */
export function assertTimeZone(timeZone: unknown, path: string): asserts timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.length === 0) {
    throw new BarsOptionError(path, "an IANA time zone such as 'America/Chicago'", timeZone);
  }
  try {
    formatterFor(timeZone);
  } catch (error) {
    throw new BarsOptionError(path, "an IANA time zone such as 'America/Chicago'", timeZone, error);
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (local = UTC + offset).
 * @internal
 */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  const wholeSeconds = Math.floor(utcMs / 1000) * 1000;
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let beforeCommonEra = false;
  for (const part of formatterFor(timeZone).formatToParts(wholeSeconds)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        beforeCommonEra = part.value === 'BC' || part.value === 'B';
        break;
      default:
        break;
    }
  }
  const local = new Date(0);
  local.setUTCFullYear(beforeCommonEra ? 1 - year : year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  return local.getTime() - wholeSeconds;
}

/**
 * The UTC instant of a wall-clock time in `timeZone`, where `localMs` is that wall time written as if it
 * were UTC. An ambiguous time (the repeated hour when clocks go back) maps to its first occurrence; a time
 * that does not exist (the skipped hour when clocks go forward) maps to the instant the same distance past
 * the transition, as `Temporal`'s `'compatible'` disambiguation does.
 * @internal
 */
export function zonedWallTimeToUtc(timeZone: string, localMs: number): number {
  // Transitions are months apart, so within a day either side the zone has at most two offsets.
  const offsetBefore = zoneOffsetMs(timeZone, localMs - dayMs);
  const offsetAfter = zoneOffsetMs(timeZone, localMs + dayMs);
  const early = localMs - offsetBefore;
  const late = localMs - offsetAfter;
  const earlyValid = zoneOffsetMs(timeZone, early) === offsetBefore;
  const lateValid = zoneOffsetMs(timeZone, late) === offsetAfter;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  return early;
}

/**
 * Days since 1970-01-01 of the wall-clock date in `timeZone` at `utcMs`, shifted back by `dayStartMs` so that
 * a day "starts" at that local time of day (e.g. 17:00 for a futures trading day).
 * @internal
 */
export function zonedDayNumber(timeZone: string, utcMs: number, dayStartMs: number): number {
  return Math.floor((utcMs + zoneOffsetMs(timeZone, utcMs) - dayStartMs) / dayMs);
}

/**
 * The local weekday (0 = Sunday) and milliseconds since local midnight at `utcMs` in `timeZone`, plus the
 * local date as days since 1970-01-01.
 * @internal
 */
export function zonedClock(
  timeZone: string,
  utcMs: number,
): { day: number; weekday: number; timeOfDay: number } {
  const local = utcMs + zoneOffsetMs(timeZone, utcMs);
  const day = Math.floor(local / dayMs);
  // 1970-01-01 was a Thursday (weekday 4).
  const weekday = (((day + 4) % 7) + 7) % 7;
  return { day, weekday, timeOfDay: local - day * dayMs };
}

/**
 * Parses a local time of day `HH:MM` or `HH:MM:SS` (00:00 to 24:00) into milliseconds since midnight.
 * @internal
 */
export function parseTimeOfDay(text: unknown, path: string): number {
  const match =
    typeof text === 'string' ? /^([01][0-9]|2[0-4]):([0-5][0-9])(?::([0-5][0-9]))?$/.exec(text) : null;
  if (match === null) throw new BarsOptionError(path, "a local time of day 'HH:MM' such as '17:00'", text);
  const ms = (Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0)) * 1000;
  if (ms > dayMs) throw new BarsOptionError(path, "a local time of day between '00:00' and '24:00'", text);
  return ms;
}
