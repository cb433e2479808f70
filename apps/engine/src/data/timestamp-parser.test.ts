import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine-error.js';
import { createTimestampParser, resolveTimestampFormat } from './timestamp-parser.js';

const parse = (
  format: Parameters<typeof createTimestampParser>[0]['format'],
  text: string,
  timezone = 'UTC',
) => createTimestampParser({ format, timezone })(text, 0, text.length);

describe('ISO-8601 timestamps', () => {
  it('reads the SPY layout with a -04:00 offset as 13:30:00.123 UTC', () => {
    expect(parse('iso', '2013-10-07T09:30:00.123-04:00')).toBe(Date.UTC(2013, 9, 7, 13, 30, 0, 123));
  });

  it('truncates nanosecond fractions to the millisecond (Databento layout)', () => {
    expect(parse('iso', '2023-12-25T23:00:00.085275419Z')).toBe(Date.UTC(2023, 11, 25, 23, 0, 0, 85));
  });

  it('reads a space separator without zone in the configured zone (New York summer time is UTC-4)', () => {
    expect(parse('iso', '2013-10-07 09:30:00', 'America/New_York')).toBe(Date.UTC(2013, 9, 7, 13, 30));
    expect(parse('iso', '2013-12-09 09:30:00', 'America/New_York'), 'EST is UTC-5 in December').toBe(
      Date.UTC(2013, 11, 9, 14, 30),
    );
  });

  it('reads the BTC layout with microseconds and no zone as UTC by default', () => {
    expect(parse('iso', '2021-12-31 23:01:00.000000')).toBe(Date.UTC(2021, 11, 31, 23, 1));
  });

  it('reads a date alone as midnight and offsets without a colon', () => {
    expect(parse('iso', '2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parse('iso', '2024-01-02T10:00:00+0130')).toBe(Date.UTC(2024, 0, 2, 8, 30));
  });

  it('returns NaN for impossible dates, bad clocks and junk', () => {
    for (const text of [
      '2023-02-29T00:00:00Z',
      '2024-13-01',
      '2024-01-02T25:00:00Z',
      '2024-01-02T10:61',
      'yesterday',
      '2024-01-02X10:00',
      '',
    ]) {
      expect(parse('iso', text), text).toBeNaN();
    }
  });
});

describe('slash dates', () => {
  it('reads both NQ/CL layouts day-first', () => {
    expect(parse('day-first', '13/07/2020 01:00:00')).toBe(Date.UTC(2020, 6, 13, 1));
    expect(parse('day-first', '2/7/2025 9:00')).toBe(Date.UTC(2025, 6, 2, 9));
  });

  it('reads month-first when configured', () => {
    expect(parse('month-first', '2/7/2025 9:00')).toBe(Date.UTC(2025, 1, 7, 9));
  });

  it('applies a fixed-offset zone such as Etc/GMT-3 (UTC+3)', () => {
    expect(parse('day-first', '2/7/2024 2:30', 'Etc/GMT-3')).toBe(Date.UTC(2024, 6, 1, 23, 30));
  });

  it('rejects a day 32 and a month 13', () => {
    expect(parse('day-first', '32/01/2020 00:00')).toBeNaN();
    expect(parse('day-first', '01/13/2020 00:00')).toBeNaN();
  });
});

describe('epochs', () => {
  it('reads seconds, milliseconds and nanoseconds', () => {
    expect(parse('epoch-s', '1704067200')).toBe(Date.UTC(2024, 0, 1));
    expect(parse('epoch-ms', '1704067200123')).toBe(Date.UTC(2024, 0, 1, 0, 0, 0, 123));
    expect(parse('epoch-ns', '1719878281218218853')).toBe(1_719_878_281_218);
  });

  // Each unit written from a known whole ms plus sub-ms digits; the reading must be that ms exactly.
  const bases = [0, 1, 999, 1_000, 86_399_999, 1_704_191_400_000, 1_719_878_281_218, 4_102_444_799_999];
  const wholeMs = [...bases, ...Array.from({ length: 1000 }, (_, k) => 1_704_191_400_000 + k)];
  const pad = (value: number, width: number) => String(value).padStart(width, '0');

  it('keeps the milliseconds of fractional epoch seconds and cuts finer digits', () => {
    for (const ms of wholeMs) {
      const seconds = `${Math.floor(ms / 1000)}.${pad(ms % 1000, 3)}`;
      expect(parse('epoch-s', seconds), seconds).toBe(ms);
      expect(parse('epoch-s', `${seconds}999`), `${seconds}999`).toBe(ms);
    }
    expect(parse('epoch-s', '1704191400.5')).toBe(1_704_191_400_500);
    expect(parse('epoch-s', '1704191400.12x')).toBeNaN();
  });

  it('reads ms, µs and ns epochs exactly to the millisecond, truncating the sub-ms digits', () => {
    for (const ms of wholeMs) {
      for (const sub of [0, 1, 499, 500, 999]) {
        expect(parse('epoch-ms', String(ms))).toBe(ms);
        const micros = `${ms}${pad(sub, 3)}`;
        expect(parse('epoch-us', micros), micros).toBe(ms);
        const nanos = `${ms}${pad(sub * 1000 + (sub % 7), 6)}`;
        expect(parse('epoch-ns', nanos), nanos).toBe(ms);
      }
    }
    expect(parse('epoch-ns', '999999')).toBe(0);
    expect(parse('epoch-ms', '1704191400123.9')).toBe(1_704_191_400_123);
    expect(parse('epoch-us', '1704191400123999.9')).toBe(1_704_191_400_123);
    expect(parse('epoch-ns', '1704191400123999999.5')).toBe(1_704_191_400_123);
    expect(parse('epoch-ns', '17198782812182188x3')).toBeNaN();
  });
});

describe('local times around daylight-saving changes', () => {
  const reader = (format: 'iso' | 'day-first', timezone: string) => {
    const parser = createTimestampParser({ format, timezone });
    return (text: string) => parser(text, 0, text.length);
  };

  it('reads the repeated Europe/Athens hour (03:00–04:00 on 27 Oct 2024) in file order, first EEST then EET', () => {
    const read = reader('day-first', 'Europe/Athens');
    const rows = [
      ['27/10/2024 02:00:00', Date.UTC(2024, 9, 26, 23, 0)],
      ['27/10/2024 02:30:00', Date.UTC(2024, 9, 26, 23, 30)],
      ['27/10/2024 03:00:00', Date.UTC(2024, 9, 27, 0, 0)],
      ['27/10/2024 03:30:00', Date.UTC(2024, 9, 27, 0, 30)],
      ['27/10/2024 03:00:00', Date.UTC(2024, 9, 27, 1, 0)],
      ['27/10/2024 03:30:00', Date.UTC(2024, 9, 27, 1, 30)],
      ['27/10/2024 04:00:00', Date.UTC(2024, 9, 27, 2, 0)],
      ['27/10/2024 04:30:00', Date.UTC(2024, 9, 27, 2, 30)],
    ] as const;
    for (const [text, utc] of rows)
      expect(new Date(read(text)).toISOString(), text).toBe(new Date(utc).toISOString());
  });

  it('reads the repeated America/New_York hour (01:00–02:00 on 3 Nov 2024) in file order, first EDT then EST', () => {
    const read = reader('iso', 'America/New_York');
    const rows = [
      ['2024-11-03 00:59:00', Date.UTC(2024, 10, 3, 4, 59)],
      ['2024-11-03 01:10:00', Date.UTC(2024, 10, 3, 5, 10)],
      ['2024-11-03 01:50:00.250', Date.UTC(2024, 10, 3, 5, 50, 0, 250)],
      ['2024-11-03 01:10:00', Date.UTC(2024, 10, 3, 6, 10)],
      ['2024-11-03 01:50:00', Date.UTC(2024, 10, 3, 6, 50)],
      ['2024-11-03 02:10:00', Date.UTC(2024, 10, 3, 7, 10)],
    ] as const;
    for (const [text, utc] of rows)
      expect(new Date(read(text)).toISOString(), text).toBe(new Date(utc).toISOString());
  });

  it('reads a repeated local time as its earlier instant when nothing came before', () => {
    expect(parse('iso', '2024-11-03 01:10:00', 'America/New_York')).toBe(Date.UTC(2024, 10, 3, 5, 10));
    expect(parse('day-first', '27/10/2024 03:15', 'Europe/Athens')).toBe(Date.UTC(2024, 9, 27, 0, 15));
  });

  it('rejects a local time skipped by the spring change and says why', () => {
    const parser = createTimestampParser({ format: 'iso', timezone: 'America/New_York' });
    const read = (text: string) => parser(text, 0, text.length);
    expect(read('2024-03-10 01:59:00')).toBe(Date.UTC(2024, 2, 10, 6, 59));
    expect(read('2024-03-10 02:30:00')).toBeNaN();
    expect(parser.problem).toMatch(/does not exist in America\/New_York/);
    expect(read('2024-03-10 03:01:00')).toBe(Date.UTC(2024, 2, 10, 7, 1));
    expect(parser.problem).toBeUndefined();
    const athens = createTimestampParser({ format: 'day-first', timezone: 'Europe/Athens' });
    expect(athens('31/03/2024 03:30', 0, 16)).toBeNaN();
    expect(athens.problem).toMatch(/does not exist in Europe\/Athens/);
    expect(athens('31/03/2024 04:00', 0, 16)).toBe(Date.UTC(2024, 2, 31, 1));
  });
});

describe('format detection', () => {
  it('picks the epoch unit from the magnitude and ISO otherwise', () => {
    expect(resolveTimestampFormat('1719878281218218853')).toBe('epoch-ns');
    expect(resolveTimestampFormat('1719878281218')).toBe('epoch-ms');
    expect(resolveTimestampFormat('1719878281')).toBe('epoch-s');
    expect(resolveTimestampFormat('2024-07-01T23:58:01Z')).toBe('iso');
  });

  it('refuses to guess slash dates and names the config key', () => {
    expect(() => resolveTimestampFormat('02/07/2025 9:00')).toThrow(/data_handler\.timestamp\.format/);
    try {
      resolveTimestampFormat('02/07/2025');
    } catch (error) {
      expect(EngineError.isInstance(error) && error.code).toBe('ENGINE_AMBIGUOUS_TIMESTAMP');
    }
  });

  it('rejects an unknown time zone with a clear error', () => {
    expect(() => createTimestampParser({ format: 'iso', timezone: 'Mars/Olympus' })).toThrow(
      /IANA time zone/,
    );
  });
});
