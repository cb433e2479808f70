/**
 * Wall-clock conversions in IANA zones around DST transitions, checked against offsets known from the
 * zone rules (America/New_York: EST = UTC-5, EDT = UTC-4; 2024 transitions on 10 March and 3 November).
 */
import { describe, expect, it } from 'vitest';
import { zonedClock, zonedWallTimeToUtc, zoneOffsetMs } from './zoned-time.js';

const hour = 3_600_000;
const wall = (text: string) => Date.parse(`${text}Z`);

describe('zoned time', () => {
  it('reads the offset on both sides of a transition', () => {
    expect(zoneOffsetMs('America/New_York', Date.parse('2024-03-10T06:59:59Z'))).toBe(-5 * hour);
    expect(zoneOffsetMs('America/New_York', Date.parse('2024-03-10T07:00:00Z'))).toBe(-4 * hour);
    expect(zoneOffsetMs('Asia/Kolkata', Date.parse('2024-03-10T07:00:00Z'))).toBe(5.5 * hour);
  });

  it('maps an ordinary wall time to its one instant', () => {
    expect(zonedWallTimeToUtc('America/New_York', wall('2024-07-01T09:30:00'))).toBe(
      Date.parse('2024-07-01T13:30:00Z'),
    );
  });

  it('maps a skipped wall time (02:30 on 10 March) past the transition, like Temporal "compatible"', () => {
    expect(zonedWallTimeToUtc('America/New_York', wall('2024-03-10T02:30:00'))).toBe(
      Date.parse('2024-03-10T07:30:00Z'),
    );
  });

  it('maps a repeated wall time (01:30 on 3 November) to its first occurrence (EDT)', () => {
    expect(zonedWallTimeToUtc('America/New_York', wall('2024-11-03T01:30:00'))).toBe(
      Date.parse('2024-11-03T05:30:00Z'),
    );
  });

  it('gives local weekday and time of day', () => {
    // Sunday 2024-03-10 22:00Z = 18:00 EDT, a Sunday.
    expect(zonedClock('America/New_York', Date.parse('2024-03-10T22:00:00Z'))).toMatchObject({
      weekday: 0,
      timeOfDay: 18 * hour,
    });
  });
});
