/**
 * Session calendars: weekly sessions in a zone, overnight sessions, holidays and option errors. Instants
 * are derived from the zone's published offsets (Chicago: CST = UTC-6, CDT = UTC-5; New York one hour ahead).
 */
import { describe, expect, it } from 'vitest';
import { BarsOptionError, createSessionCalendar, type SessionCalendarOptions } from './index.js';

describe('createSessionCalendar', () => {
  const nyse = createSessionCalendar({
    timeZone: 'America/New_York',
    sessions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:30', close: '16:00' }],
    holidays: ['2024-12-25'],
  });

  it('is open from 09:30 inclusive to 16:00 exclusive local time on weekdays', () => {
    expect(nyse.isOpen(Date.parse('2024-12-24T14:29:59Z')), '09:29:59 EST').toBe(false);
    expect(nyse.isOpen(Date.parse('2024-12-24T14:30:00Z')), '09:30 EST').toBe(true);
    expect(nyse.isOpen(Date.parse('2024-12-24T20:59:59Z')), '15:59:59 EST').toBe(true);
    expect(nyse.isOpen(Date.parse('2024-12-24T21:00:00Z')), '16:00 EST').toBe(false);
  });

  it('is closed all day on a holiday and at weekends', () => {
    expect(nyse.isOpen(Date.parse('2024-12-25T15:00:00Z')), 'Christmas').toBe(false);
    expect(nyse.isOpen(Date.parse('2024-12-28T15:00:00Z')), 'Saturday').toBe(false);
  });

  it('runs an overnight session from the listed day into the next one', () => {
    const globex = createSessionCalendar({
      timeZone: 'America/Chicago',
      sessions: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu'], open: '17:00', close: '16:00' }],
    });
    expect(globex.isOpen(Date.parse('2024-01-07T22:59:00Z')), 'Sunday 16:59 CST').toBe(false);
    expect(globex.isOpen(Date.parse('2024-01-07T23:00:00Z')), 'Sunday 17:00 CST').toBe(true);
    expect(globex.isOpen(Date.parse('2024-01-12T21:59:00Z')), 'Friday 15:59 CST (Thursday session)').toBe(
      true,
    );
    expect(globex.isOpen(Date.parse('2024-01-12T23:30:00Z')), 'Friday 17:30 CST: no Friday session').toBe(
      false,
    );
  });

  it('treats open equal to close as a 24-hour session', () => {
    const fx = createSessionCalendar({
      timeZone: 'America/New_York',
      sessions: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu'], open: '17:00', close: '17:00' }],
    });
    expect(fx.isOpen(Date.parse('2024-01-10T21:59:00Z')), 'Wednesday 16:59 EST').toBe(true);
    expect(fx.isOpen(Date.parse('2024-01-12T22:00:00Z')), 'Friday 17:00 EST').toBe(false);
  });

  it.each([
    [{ timeZone: 'Nowhere/Zone', sessions: [] }, 'timeZone'],
    [{ timeZone: 'UTC', sessions: [] }, 'sessions'],
    [{ timeZone: 'UTC', sessions: [{ days: ['mon'], open: '9:30', close: '16:00' }] }, 'sessions[0].open'],
    [
      { timeZone: 'UTC', sessions: [{ days: ['monday'], open: '09:30', close: '16:00' }] },
      'sessions[0].days[0]',
    ],
    [
      {
        timeZone: 'UTC',
        sessions: [{ days: ['mon'], open: '09:30', close: '16:00' }],
        holidays: ['2024-02-30'],
      },
      'holidays[0]',
    ],
  ])('names the bad option: %j', (options, path) => {
    const create = () => createSessionCalendar(options as unknown as SessionCalendarOptions);
    expect(create).toThrow(BarsOptionError);
    expect(create).toThrow(`${path}: expected`);
  });
});
