/**
 * parseIsoTimestamp against hand-computed instants and against the platform's own ISO parser
 * (`Date.parse`) as an independent reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidTimestampError, parseIsoTimestamp } from './index.js';

describe('parseIsoTimestamp', () => {
  it('applies a negative offset: 09:30:00.123-04:00 is 13:30:00.123Z', () => {
    expect(parseIsoTimestamp('2013-10-07T09:30:00.123-04:00')).toBe(Date.UTC(2013, 9, 7, 13, 30, 0, 123));
  });

  it('truncates nanoseconds to the millisecond, never rounding up into the next one', () => {
    expect(parseIsoTimestamp('2024-07-01T23:58:01.218218853Z')).toBe(Date.UTC(2024, 6, 1, 23, 58, 1, 218));
    expect(parseIsoTimestamp('2024-07-01T23:59:59.999999999Z')).toBe(Date.UTC(2024, 6, 1, 23, 59, 59, 999));
    // The same value by BigInt arithmetic on the nanosecond count, as Databento stores it.
    const nanos = BigInt(Date.UTC(2024, 6, 1, 23, 58, 1)) * 1_000_000n + 218_218_853n;
    expect(parseIsoTimestamp('2024-07-01T23:58:01.218218853Z')).toBe(Number(nanos / 1_000_000n));
  });

  it('reads short fractions as tenths and hundredths of a second', () => {
    expect(parseIsoTimestamp('2024-01-02T10:00:00.5Z') % 1000).toBe(500);
    expect(parseIsoTimestamp('2024-01-02T10:00:00.25Z') % 1000).toBe(250);
  });

  it('accepts offsets written ±HH:MM, ±HHMM and ±HH, a space instead of T, and no seconds', () => {
    const expected = Date.UTC(2024, 0, 2, 4, 45);
    expect(parseIsoTimestamp('2024-01-02T10:15:00+05:30')).toBe(expected);
    expect(parseIsoTimestamp('2024-01-02T10:15:00+0530')).toBe(expected);
    expect(parseIsoTimestamp('2024-01-02 10:15+05:30')).toBe(expected);
    expect(parseIsoTimestamp('2024-01-02T09:45:00+05')).toBe(expected);
  });

  it.each([
    ['2024-01-02T10:15:00', /no UTC offset/],
    ['2024-01-02', /too short/],
    ['2024-13-02T10:15:00Z', /month 13/],
    ['2023-02-29T10:15:00Z', /day 29/],
    ['2024-01-02T24:00:00Z', /out of range/],
    ['2024-01-02T23:59:60Z', /seconds/],
    ['2024-01-02T10:15:00.Z', /empty fraction/],
    ['2024-01-02T10:15:00+25:00', /offset/],
    ['2024-01-02T10:15:00Zjunk', /unexpected/],
    ['02/01/2024 10:15:00 +00:00', /YYYY-MM-DD/],
  ])('rejects %s with a message saying what is wrong', (text, problem) => {
    expect(() => parseIsoTimestamp(text)).toThrow(InvalidTimestampError);
    expect(() => parseIsoTimestamp(text)).toThrow(problem);
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseIsoTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('agrees with Date.parse on every millisecond-precision timestamp with offset (fast-check)', () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31) }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (instant, offsetMinutes) => {
          const local = new Date(instant + offsetMinutes * 60_000);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const text =
            `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
            `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
            `.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
          if (local.getUTCFullYear() < 1 || local.getUTCFullYear() > 9999) return;
          expect(parseIsoTimestamp(text)).toBe(Date.parse(text));
          expect(Date.parse(text)).toBe(instant);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
