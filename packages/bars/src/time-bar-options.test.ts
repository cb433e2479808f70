/**
 * The options beyond the spec's defaults: clock-driven closing (advanceTo, fillOnAdvance), labels, partial
 * first bars, grid origin, per-gap fill caps, session calendars and daily bars aligned to a local session
 * start across DST. Expected bars are worked out by hand in each test from the option's documented rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Bar,
  type BarAggregatorOptions,
  createBarAggregator,
  createSessionCalendar,
  type GapCapReport,
  InvalidInputError,
  type RejectReason,
  type Tick,
} from './index.js';

function at(clock: string, day = '2024-01-02'): number {
  return Date.parse(`${day}T${clock}Z`);
}

function tick(clock: string, price: number, size = 1, day = '2024-01-02'): Tick {
  return { timestamp: at(clock, day), price, size };
}

function aggregator(options: Partial<BarAggregatorOptions> = {}) {
  const bars: Bar[] = [];
  const rejected: RejectReason[] = [];
  const instance = createBarAggregator({
    timeframes: ['5m'],
    ...options,
    onBar: (bar) => bars.push(bar),
    onReject: (_, reason) => rejected.push(reason),
  });
  return { instance, bars, rejected };
}

function show(bar: Bar): string {
  return `${bar.timeframe} ${new Date(bar.timestamp).toISOString().slice(11, 16)} ${bar.close}${bar.synthetic ? ' S' : ''}`;
}

describe('advanceTo', () => {
  it('closes a bar exactly when its interval has ended, not a millisecond earlier', () => {
    const { instance, bars } = aggregator();
    instance.push(tick('10:31:00', 1));
    instance.advanceTo(at('10:34:59.999'));
    expect(bars).toEqual([]);
    instance.advanceTo(at('10:35:00'));
    expect(bars.map(show)).toEqual(['5m 10:30 1']);
  });

  it('emits synthetic bars for empty intervals that ended by then, and the next tick adds no duplicate', () => {
    const { instance, bars } = aggregator();
    instance.push(tick('10:31:00', 1));
    instance.advanceTo(at('10:47:00'));
    expect(bars.map(show), '10:35 and 10:40 ended by 10:47; 10:45 has not').toEqual([
      '5m 10:30 1',
      '5m 10:35 1 S',
      '5m 10:40 1 S',
    ]);
    instance.push(tick('10:48:00', 2));
    instance.flush();
    expect(bars.map(show)).toEqual(['5m 10:30 1', '5m 10:35 1 S', '5m 10:40 1 S', '5m 10:45 2']);
  });

  it('with fillOnAdvance false closes only real bars and leaves the gap to the next tick', () => {
    const { instance, bars } = aggregator({ fillOnAdvance: false });
    instance.push(tick('10:31:00', 1));
    instance.advanceTo(at('10:47:00'));
    expect(bars.map(show)).toEqual(['5m 10:30 1']);
    instance.push(tick('10:48:00', 2));
    expect(bars.map(show)).toEqual(['5m 10:30 1', '5m 10:35 1 S', '5m 10:40 1 S']);
  });

  it('emits nothing synthetic with gap filling off, whatever fillOnAdvance says', () => {
    const { instance, bars } = aggregator({ gapFill: 'none' });
    instance.push(tick('10:31:00', 1));
    instance.advanceTo(at('11:47:00'));
    expect(bars.map(show)).toEqual(['5m 10:30 1']);
  });

  it('rejects a later tick that falls into a closed interval, and accepts one in the still-open interval', () => {
    const { instance, bars, rejected } = aggregator({ timeframes: ['5m', '30m'] });
    instance.push(tick('10:34:00', 1));
    instance.advanceTo(at('10:36:00'));
    expect(instance.push(tick('10:34:30', 2)), 'the 10:30 five-minute bar is already out').toBe(false);
    expect(instance.push(tick('10:35:30', 3)), 'inside the open 10:35 bar').toBe(true);
    instance.flush();
    expect(rejected).toEqual(['timestamp-in-closed-bar']);
    expect(bars.map(show)).toEqual(['5m 10:30 1', '5m 10:35 3', '30m 10:30 3']);
  });

  it('never moves time backwards', () => {
    const { instance, bars } = aggregator();
    instance.push(tick('10:31:00', 1));
    instance.advanceTo(at('10:36:00'));
    instance.advanceTo(at('10:20:00'));
    expect(instance.push(tick('10:36:30', 2))).toBe(true);
    expect(bars.map(show)).toEqual(['5m 10:30 1']);
  });

  it('throws a typed error for a time that is not a finite number', () => {
    const { instance } = aggregator();
    expect(() => instance.advanceTo(Number.NaN)).toThrow(InvalidInputError);
  });

  it("does not change any timeframe's bars when called between ticks (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            step: fc.integer({ min: 0, max: 1_500_000 }),
            price: fc.integer({ min: 1, max: 9 }),
            tick: fc.boolean(),
          }),
          {
            maxLength: 80,
          },
        ),
        fc.boolean(),
        fc.boolean(),
        (events, gapFill, fillOnAdvance) => {
          const options = { timeframes: ['1m', '5m', '30m'], gapFill, fillOnAdvance };
          const plain = aggregator(options);
          const clocked = aggregator(options);
          let time = at('09:00:00');
          // Only clock events followed by a tick: after the last tick, advanceTo legitimately fills more.
          const lastTick = events.map((e) => e.tick).lastIndexOf(true);
          for (const event of events.slice(0, lastTick + 1)) {
            time += event.step;
            if (event.tick) {
              plain.instance.push({ timestamp: time, price: event.price, size: 1 });
              clocked.instance.push({ timestamp: time, price: event.price, size: 1 });
            } else {
              // The clock never runs ahead of the next tick, as in a live feed.
              clocked.instance.advanceTo(time);
            }
          }
          plain.instance.flush();
          clocked.instance.flush();
          expect(clocked.rejected).toEqual([]);
          // Per timeframe: the clock emits bars earlier, which may interleave timeframes differently.
          for (const timeframe of options.timeframes) {
            const own = (bars: Bar[]) => bars.filter((b) => b.timeframe === timeframe);
            expect(own(clocked.bars)).toEqual(own(plain.bars));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('label, first partial bar, origin', () => {
  it("labels real and synthetic bars by their interval end with label 'close'", () => {
    const { instance, bars } = aggregator({ label: 'close' });
    instance.push(tick('10:31:00', 1));
    instance.push(tick('10:41:00', 2));
    instance.flush();
    expect(bars.map(show)).toEqual(['5m 10:35 1', '5m 10:40 1 S', '5m 10:45 2']);
  });

  it('drops the first bar when the stream starts after its interval start, but fills gaps from its close', () => {
    const { instance, bars } = aggregator({ skipFirstPartialBar: true, timeframes: ['5m', '30m'] });
    instance.push(tick('10:31:00', 7));
    instance.push(tick('10:41:00', 8));
    instance.flush();
    expect(bars.map(show)).toEqual(['5m 10:35 7 S', '5m 10:40 8']);
    expect(instance.stats().partialBarsSkipped, 'the 5m 10:30 and 30m 10:30 bars').toBe(2);
  });

  it('keeps the first bar when the stream starts exactly on its interval start', () => {
    const { instance, bars } = aggregator({ skipFirstPartialBar: true });
    instance.push(tick('10:30:00', 7));
    instance.flush();
    expect(bars.map(show)).toEqual(['5m 10:30 7']);
  });

  it('shifts the grid by the origin offset', () => {
    const { instance, bars } = aggregator({ origin: 60_000 });
    instance.push(tick('10:30:59', 1));
    instance.push(tick('10:31:00', 2));
    instance.push(tick('10:35:59', 3));
    instance.push(tick('10:36:00', 4));
    instance.flush();
    expect(bars.map(show)).toEqual(['5m 10:26 1', '5m 10:31 3', '5m 10:36 4']);
  });
});

describe('gap fill cap', () => {
  it('fills at most maxGapBars intervals of one gap and reports the rest', () => {
    const reports: GapCapReport[] = [];
    const { instance, bars } = aggregator({ maxGapBars: 2, onGapCapped: (gap) => reports.push(gap) });
    instance.push(tick('10:31:00', 1));
    instance.push(tick('11:31:00', 2));
    instance.push(tick('11:46:00', 3));
    expect(bars.map(show)).toEqual([
      '5m 10:30 1',
      '5m 10:35 1 S',
      '5m 10:40 1 S',
      '5m 11:30 2',
      '5m 11:35 2 S',
      '5m 11:40 2 S',
    ]);
    expect(reports, '10:35 … 11:25 is 11 intervals: 2 filled, 9 omitted').toEqual([
      { timeframe: '5m', from: at('10:35:00'), to: at('11:30:00'), filled: 2, omitted: 9 },
    ]);
    expect(instance.stats()).toMatchObject({ syntheticBars: 4, gapIntervalsOverCap: 9 });
  });

  it('counts a gap filled by advanceTo and then by a tick against one cap', () => {
    const { instance, bars } = aggregator({ maxGapBars: 3 });
    instance.push(tick('10:31:00', 1));
    instance.advanceTo(at('10:46:00'));
    instance.push(tick('11:01:00', 2));
    expect(bars.filter((b) => b.synthetic).map(show)).toEqual([
      '5m 10:35 1 S',
      '5m 10:40 1 S',
      '5m 10:45 1 S',
    ]);
    expect(instance.stats().gapIntervalsOverCap, '10:50 and 10:55').toBe(2);
  });
});

describe('session calendar', () => {
  const cme = createSessionCalendar({
    timeZone: 'America/Chicago',
    sessions: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu'], open: '17:00', close: '16:00' }],
  });

  it('inserts no flat bars over a weekend (Friday 16:00 to Sunday 17:00 Chicago time)', () => {
    const { instance, bars } = aggregator({ timeframes: ['30m'], sessions: cme });
    // Friday 2024-01-05 15:59 CST = 21:59Z; Sunday 2024-01-07 17:00 CST = 23:00Z.
    instance.push(tick('21:59:00', 1, 1, '2024-01-05'));
    instance.push(tick('23:00:00', 2, 1, '2024-01-07'));
    instance.flush();
    expect(bars.map((b) => `${new Date(b.timestamp).toISOString()}${b.synthetic ? ' S' : ''}`)).toEqual([
      '2024-01-05T21:30:00.000Z',
      '2024-01-07T23:00:00.000Z',
    ]);
    expect(instance.stats().gapIntervalsMarketClosed, '22:00Z Friday … 22:30Z Sunday: 49 hours').toBe(98);
  });

  it('fills an intra-session gap but not the daily 16:00-17:00 halt', () => {
    const { instance, bars } = aggregator({ timeframes: ['30m'], sessions: cme });
    // Tuesday 2024-01-02: 15:20 CST = 21:20Z, 17:40 CST = 23:40Z.
    instance.push(tick('21:20:00', 1));
    instance.push(tick('23:40:00', 2));
    expect(bars.map(show)).toEqual(['30m 21:00 1', '30m 21:30 1 S', '30m 23:00 1 S']);
  });

  it('follows daylight saving time: in July the halt is 21:00-22:00Z', () => {
    expect(cme.isOpen(Date.parse('2024-07-02T20:59:00Z'))).toBe(true);
    expect(cme.isOpen(Date.parse('2024-07-02T21:00:00Z'))).toBe(false);
    expect(cme.isOpen(Date.parse('2024-07-02T22:00:00Z'))).toBe(true);
  });
});

describe('daily bars aligned to a session start in an IANA zone', () => {
  const sessionStart = { timeZone: 'America/Chicago', time: '17:00' };
  const iso = (bar: Bar) => `${new Date(bar.timestamp).toISOString()}${bar.synthetic ? ' S' : ''}`;

  it('starts trading days at 17:00 Chicago time across the March DST change (a 23-hour day)', () => {
    const { instance, bars } = aggregator({ timeframes: ['1d'], sessionStart });
    // CST = UTC-6 until Sunday 2024-03-10 02:00, CDT = UTC-5 after.
    instance.push({ timestamp: Date.parse('2024-03-08T23:30:00Z'), price: 1, size: 1 }); // Fri 17:30 CST
    instance.push({ timestamp: Date.parse('2024-03-10T22:30:00Z'), price: 2, size: 1 }); // Sun 17:30 CDT
    instance.push({ timestamp: Date.parse('2024-03-11T21:59:59Z'), price: 3, size: 1 }); // Mon 16:59:59 CDT
    instance.push({ timestamp: Date.parse('2024-03-11T22:00:00Z'), price: 4, size: 1 }); // Mon 17:00 CDT
    instance.flush();
    expect(bars.map(iso)).toEqual([
      '2024-03-08T23:00:00.000Z',
      '2024-03-09T23:00:00.000Z S',
      '2024-03-10T22:00:00.000Z',
      '2024-03-11T22:00:00.000Z',
    ]);
    expect(bars[2]).toMatchObject({ open: 2, close: 3, tickCount: 2 });
  });

  it('labels by close time with the day lengths DST gives (23 h in March, 25 h in November)', () => {
    const { instance, bars } = aggregator({ timeframes: ['1d'], sessionStart, label: 'close' });
    instance.push({ timestamp: Date.parse('2024-03-09T23:00:00Z'), price: 1, size: 1 }); // Sat 17:00 CST
    instance.push({ timestamp: Date.parse('2024-11-02T22:00:00Z'), price: 2, size: 1 }); // Sat 17:00 CDT
    instance.flush();
    const first = bars[0]!;
    const last = bars[bars.length - 1]!;
    expect(new Date(first.timestamp).toISOString(), 'Sat 17:00 CST + 23 h').toBe('2024-03-10T22:00:00.000Z');
    expect(new Date(last.timestamp).toISOString(), 'Sat 17:00 CDT + 25 h').toBe('2024-11-03T23:00:00.000Z');
    expect(bars.length, 'every trading day from 2024-03-09 to 2024-11-02 once').toBe(239);
  });

  it('aligns 1d bars to UTC midnight when no session start is given', () => {
    const { instance, bars } = aggregator({ timeframes: ['1d'] });
    instance.push({ timestamp: Date.parse('2024-03-10T23:59:59Z'), price: 1, size: 1 });
    instance.push({ timestamp: Date.parse('2024-03-11T00:00:00Z'), price: 2, size: 1 });
    instance.flush();
    expect(bars.map(iso)).toEqual(['2024-03-10T00:00:00.000Z', '2024-03-11T00:00:00.000Z']);
  });

  it('builds 2-day bars from the session start too', () => {
    const { instance, bars } = aggregator({ timeframes: ['2d'], sessionStart, gapFill: 'none' });
    instance.push({ timestamp: Date.parse('2024-01-02T00:00:00Z'), price: 1, size: 1 }); // Mon 18:00 CST
    instance.push({ timestamp: Date.parse('2024-01-04T00:00:00Z'), price: 2, size: 1 }); // Wed 18:00 CST
    instance.flush();
    const starts = bars.map((b) => b.timestamp);
    expect(starts[1]! - starts[0]!, 'two 24-hour days apart in January').toBe(2 * 86_400_000);
    for (const start of starts)
      expect(new Date(start).getUTCHours(), 'starts at 17:00 CST = 23:00Z').toBe(23);
  });
});

describe('robustness', () => {
  it('delivers the bars queued behind a throwing onBar at the next call, none twice and none lost', () => {
    const seen: string[] = [];
    let fail = true;
    const instance = createBarAggregator({
      timeframes: ['5m'],
      onBar: (bar) => {
        seen.push(show(bar));
        if (fail) {
          fail = false;
          throw new Error('consumer failed');
        }
      },
    });
    instance.push(tick('10:31:00', 1));
    expect(() => instance.push(tick('10:46:00', 2))).toThrow('consumer failed');
    expect(seen).toEqual(['5m 10:30 1']);
    instance.push(tick('10:47:00', 3));
    instance.flush();
    expect(seen).toEqual(['5m 10:30 1', '5m 10:35 1 S', '5m 10:40 1 S', '5m 10:45 3']);
  });

  it('reports the last accepted timestamp and rejection counts in stats()', () => {
    const { instance } = aggregator();
    expect(instance.stats().lastTimestamp).toBeNull();
    instance.push(tick('10:31:00', 1));
    instance.push(tick('10:30:00', 1));
    instance.push(tick('10:32:00', Number.NaN));
    expect(instance.stats()).toMatchObject({
      accepted: 1,
      rejected: 2,
      lastTimestamp: at('10:31:00'),
      rejectedByReason: { 'timestamp-before-last-tick': 1, 'price-not-finite': 1, 'price-not-positive': 0 },
    });
  });
});
