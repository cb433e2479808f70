/**
 * Spec §1 (BarGenerator) examples and edge cases, one named test each, against the streaming aggregator
 * in its default (spec) configuration. Expected bars are derived by hand from the cited section.
 */
import { describe, expect, it } from 'vitest';
import type { BarAggregatorOptions, RejectReason } from './index.js';
import { type Bar, BarsOptionError, createBarAggregator, type Tick } from './index.js';

/** 2024-01-02 (a Tuesday) at `hh:mm:ss(.mmm)` UTC. */
function at(clock: string): number {
  return Date.parse(`2024-01-02T${clock}Z`);
}

function tick(clock: string, price: number, size = 1): Tick {
  return { timestamp: at(clock), price, size };
}

interface Run {
  bars: Bar[];
  rejected: [Tick, RejectReason][];
  aggregator: ReturnType<typeof createBarAggregator>;
}

function run(ticks: Tick[], options: Partial<BarAggregatorOptions> = {}, flush = false): Run {
  const bars: Bar[] = [];
  const rejected: [Tick, RejectReason][] = [];
  const aggregator = createBarAggregator({
    timeframes: ['5m', '30m'],
    ...options,
    onBar: (bar) => bars.push(bar),
    onReject: (t, reason) => rejected.push([t, reason]),
  });
  for (const t of ticks) aggregator.push(t);
  if (flush) aggregator.flush();
  return { bars, rejected, aggregator };
}

/** `tf hh:mm O H L C V [S]` — compact bar rendering for readable expectations. */
function show(bar: Bar): string {
  const clock = new Date(bar.timestamp).toISOString().slice(11, 16);
  const synthetic = bar.synthetic ? ' S' : '';
  return `${bar.timeframe} ${clock} ${bar.open} ${bar.high} ${bar.low} ${bar.close} ${bar.volume}${synthetic}`;
}

describe('§1.3 flooring', () => {
  it('puts 10:32:45 and 10:34:59 in the 10:30 five-minute bar and 10:35:00 in the 10:35 bar', () => {
    const { bars } = run(
      [tick('10:32:45', 1), tick('10:34:59', 2), tick('10:35:00', 3)],
      { timeframes: ['5m'] },
      true,
    );
    expect(bars.map(show)).toEqual(['5m 10:30 1 2 1 2 2', '5m 10:35 3 3 3 3 1']);
  });

  it('puts 10:59:59 in the 10:30 thirty-minute bar and 11:00:00 in the 11:00 bar', () => {
    const { bars } = run([tick('10:59:59', 1), tick('11:00:00', 2)], { timeframes: ['30m'] }, true);
    expect(bars.map(show)).toEqual(['30m 10:30 1 1 1 1 1', '30m 11:00 2 2 2 2 1']);
  });

  it('floors on epoch milliseconds, so a tick one millisecond before a boundary stays in the old bar', () => {
    const { bars } = run([tick('10:34:59.999', 1), tick('10:35:00.000', 2)], { timeframes: ['5m'] }, true);
    expect(bars.map((b) => b.timestamp)).toEqual([at('10:30:00'), at('10:35:00')]);
  });
});

describe('§1.4 state machine', () => {
  it('starts the first bar at the first tick without gap filling before it (step 2)', () => {
    const { bars } = run([tick('10:42:17', 5150)], {}, true);
    expect(bars.map(show)).toEqual(['5m 10:40 5150 5150 5150 5150 1', '30m 10:30 5150 5150 5150 5150 1']);
  });

  it('updates high, low, close and volume inside one bucket (step 3)', () => {
    const ticks = [
      tick('10:30:01', 100, 2),
      tick('10:31:00', 103, 1),
      tick('10:32:00', 99, 4),
      tick('10:33', 101, 3),
    ];
    const { bars } = run(ticks, { timeframes: ['5m'] }, true);
    expect(bars.map(show)).toEqual(['5m 10:30 100 103 99 101 10']);
    expect(bars[0]?.tickCount, 'four ticks went into the bar').toBe(4);
  });

  it('emits 10:30 and only a synthetic 10:35 when the next tick is at 10:42:17 (PRD §3.4 example, DECISION)', () => {
    const { bars } = run([tick('10:30:00', 5150.25), tick('10:42:17', 5151)], { timeframes: ['5m'] });
    expect(bars.map(show)).toEqual([
      '5m 10:30 5150.25 5150.25 5150.25 5150.25 1',
      '5m 10:35 5150.25 5150.25 5150.25 5150.25 0 S',
    ]);
    expect(bars[1]).toMatchObject({ synthetic: true, tickCount: 0 });
  });

  it('fills a one-hour break with 12 synthetic five-minute bars and 2 synthetic thirty-minute bars', () => {
    const { bars } = run([tick('15:59:59', 4800), tick('17:00:00', 4810)]);
    const synthetic5 = bars.filter((b) => b.synthetic && b.timeframe === '5m');
    const synthetic30 = bars.filter((b) => b.synthetic && b.timeframe === '30m');
    expect(synthetic5.map((b) => b.timestamp)).toEqual(
      Array.from({ length: 12 }, (_, k) => at('16:00:00') + k * 300_000),
    );
    expect(synthetic30.map((b) => b.timestamp)).toEqual([at('16:00:00'), at('16:30:00')]);
  });

  it('emits every five-minute bar a tick causes before any thirty-minute bar (emission order)', () => {
    const { bars } = run([tick('10:59:00', 1), tick('11:12:00', 2)]);
    expect(bars.map(show)).toEqual([
      '5m 10:55 1 1 1 1 1',
      '5m 11:00 1 1 1 1 0 S',
      '5m 11:05 1 1 1 1 0 S',
      '30m 10:30 1 1 1 1 1',
    ]);
  });

  it('emits shortest timeframe first whatever order the timeframes are configured in', () => {
    const { bars, aggregator } = run([tick('10:59:00', 1), tick('11:00:00', 2)], {
      timeframes: ['30m', '1m', '5m'],
    });
    expect(aggregator.timeframes).toEqual(['1m', '5m', '30m']);
    expect(bars.map((b) => b.timeframe)).toEqual(['1m', '5m', '30m']);
  });

  it('skips step 4b entirely when gap filling is off', () => {
    for (const gapFill of [false, 'none'] as const) {
      const { bars } = run([tick('10:30:00', 1), tick('11:42:17', 2)], { gapFill }, true);
      expect(
        bars.every((b) => !b.synthetic),
        `gapFill ${String(gapFill)}`,
      ).toBe(true);
      expect(bars.map(show)).toEqual([
        '5m 10:30 1 1 1 1 1',
        '30m 10:30 1 1 1 1 1',
        '5m 11:40 2 2 2 2 1',
        '30m 11:30 2 2 2 2 1',
      ]);
    }
  });

  it("treats gapFill true and 'forward-fill' and the default alike", () => {
    const ticks = [tick('10:30:00', 1), tick('10:52:00', 2)];
    const expected = run(ticks, {}).bars.map(show);
    expect(run(ticks, { gapFill: true }).bars.map(show)).toEqual(expected);
    expect(run(ticks, { gapFill: 'forward-fill' }).bars.map(show)).toEqual(expected);
    expect(expected.filter((b) => b.endsWith(' S'))).toHaveLength(3);
  });

  it('emits nothing at the end of input until flush() is called (end of stream)', () => {
    const { bars, aggregator } = run([tick('10:30:00', 1), tick('10:31:00', 2)]);
    expect(bars).toEqual([]);
    aggregator.flush();
    expect(bars.map(show)).toEqual(['5m 10:30 1 2 1 2 2', '30m 10:30 1 2 1 2 2']);
  });

  it('flush() emits in-progress bars only, never synthetic ones, and is idempotent', () => {
    const { bars, aggregator } = run([tick('10:30:00', 1)], {}, true);
    aggregator.flush();
    expect(bars.map(show)).toEqual(['5m 10:30 1 1 1 1 1', '30m 10:30 1 1 1 1 1']);
  });

  it('never emits a synthetic bar with the timestamp of the real bar emitted with it (§1.6 divergence)', () => {
    const { bars } = run([tick('10:30:00', 1), tick('10:35:00', 2), tick('10:47:00', 3)], {}, true);
    const keys = bars.map((b) => `${b.timeframe}@${b.timestamp}`);
    expect(new Set(keys).size, 'one bar per timeframe and interval').toBe(keys.length);
  });
});

describe('§1.5 edge cases', () => {
  it('puts a tick exactly on a boundary (10:35:00.000) in the new bar', () => {
    const { bars } = run([tick('10:34:00', 1), tick('10:35:00.000', 2)], { timeframes: ['5m'] });
    expect(bars.map(show)).toEqual(['5m 10:30 1 1 1 1 1']);
  });

  it('gives a bar with a single tick O = H = L = C', () => {
    const { bars } = run([tick('10:31:12', 4801.5, 7)], { timeframes: ['5m'] }, true);
    expect(bars[0]).toMatchObject({
      open: 4801.5,
      high: 4801.5,
      low: 4801.5,
      close: 4801.5,
      volume: 7,
      tickCount: 1,
    });
  });

  it('uses the last accepted tick price for synthetic bars of both timeframes', () => {
    const ticks = [tick('10:29:00', 10), tick('10:29:30', 12), tick('10:29:59', 11), tick('11:31:00', 20)];
    const { bars } = run(ticks);
    const synthetic = bars.filter((b) => b.synthetic);
    expect(synthetic.length).toBeGreaterThan(0);
    for (const bar of synthetic)
      expect([bar.open, bar.high, bar.low, bar.close, bar.volume]).toEqual([11, 11, 11, 11, 0]);
  });

  it('keeps a bar whose ticks all had zero or negative size as a real bar with volume 0', () => {
    const { bars, aggregator } = run(
      [tick('10:30:00', 5, 0), tick('10:31:00', 6, -3)],
      { timeframes: ['5m'] },
      true,
    );
    expect(bars[0]).toMatchObject({ volume: 0, synthetic: false, tickCount: 2, high: 6 });
    expect(aggregator.stats().sizesZeroed, 'the negative size was counted as 0').toBe(1);
  });
});

describe('§1.2 tick validation', () => {
  it.each([
    ['NaN', Number.NaN, 'price-not-finite'],
    ['Infinity', Number.POSITIVE_INFINITY, 'price-not-finite'],
    ['-Infinity', Number.NEGATIVE_INFINITY, 'price-not-finite'],
    ['zero', 0, 'price-not-positive'],
    ['negative', -5, 'price-not-positive'],
  ] as const)('rejects a %s price and leaves the open bar untouched', (_, price, reason) => {
    const bad = tick('10:31:00', price);
    const { bars, rejected, aggregator } = run(
      [tick('10:30:00', 100, 2), bad, tick('10:32:00', 101, 3)],
      {},
      true,
    );
    expect(rejected).toEqual([[bad, reason]]);
    expect(bars.map(show)).toEqual(['5m 10:30 100 101 100 101 5', '30m 10:30 100 101 100 101 5']);
    expect(aggregator.stats()).toMatchObject({ accepted: 2, rejected: 1, rejectedByReason: { [reason]: 1 } });
  });

  it('checks the price before the timestamp (step 1 before step 2)', () => {
    const bad = tick('10:00:00', -1);
    const { rejected } = run([tick('10:30:00', 100), bad]);
    expect(rejected).toEqual([[bad, 'price-not-positive']]);
  });

  it('rejects a tick earlier than the last accepted one without changing any bar', () => {
    const late = tick('10:29:59', 50);
    const { bars, rejected } = run(
      [tick('10:30:00', 100), tick('10:36:00', 101), late, tick('10:36:30', 102)],
      {},
      true,
    );
    expect(rejected).toEqual([[late, 'timestamp-before-last-tick']]);
    expect(bars.map(show)).toEqual([
      '5m 10:30 100 100 100 100 1',
      '5m 10:35 101 102 101 102 2',
      '30m 10:30 100 102 100 102 3',
    ]);
  });

  it('accepts equal timestamps, in arrival order', () => {
    const { bars, rejected } = run(
      [tick('10:30:00', 100), tick('10:30:00', 99), tick('10:30:00', 101)],
      {},
      true,
    );
    expect(rejected).toEqual([]);
    expect(bars[0]).toMatchObject({ open: 100, high: 101, low: 99, close: 101, tickCount: 3 });
  });

  it('compares against the last accepted tick, not the last rejected one', () => {
    const { rejected } = run([tick('10:30:00', 100), tick('10:40:00', -1), tick('10:35:00', 100)]);
    expect(rejected.map(([, reason]) => reason)).toEqual(['price-not-positive']);
  });

  it.each([
    ['negative', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('accepts a %s size as size 0', (_, size) => {
    const { bars, rejected } = run(
      [tick('10:30:00', 100, 2), tick('10:31:00', 101, size)],
      { timeframes: ['5m'] },
      true,
    );
    expect(rejected).toEqual([]);
    expect(bars[0]).toMatchObject({ volume: 2, close: 101, tickCount: 2 });
  });

  it('rejects a non-finite timestamp', () => {
    const bad = { timestamp: Number.NaN, price: 1, size: 1 };
    const { rejected } = run([tick('10:30:00', 100), bad]);
    expect(rejected).toEqual([[bad, 'timestamp-not-finite']]);
  });

  it('reports push() acceptance as its return value', () => {
    const aggregator = createBarAggregator({ timeframes: ['1m'], onBar: () => {} });
    expect(aggregator.push(tick('10:30:00', 1))).toBe(true);
    expect(aggregator.push(tick('10:30:00', 0))).toBe(false);
  });
});

describe('options validation', () => {
  it.each([
    [{ timeframes: [] }, 'timeframes'],
    [{ timeframes: ['5x'] }, 'timeframes[0]'],
    [{ timeframes: ['5m', '5m'] }, 'timeframes[1]'],
    [{ timeframes: ['5m'], gapFill: 'yes' }, 'gapFill'],
    [{ timeframes: ['5m'], maxGapBars: -1 }, 'maxGapBars'],
    [{ timeframes: ['5m'], label: 'middle' }, 'label'],
    [
      { timeframes: ['1d'], sessionStart: { timeZone: 'Mars/Olympus', time: '17:00' } },
      'sessionStart.timeZone',
    ],
    [{ timeframes: ['1d'], sessionStart: { timeZone: 'America/Chicago', time: '5pm' } }, 'sessionStart.time'],
  ])('names the bad option in the error: %j', (options, path) => {
    const create = () =>
      createBarAggregator({ ...(options as unknown as BarAggregatorOptions), onBar: () => {} });
    expect(create).toThrow(BarsOptionError);
    expect(create).toThrow(new RegExp(`^${path.replace(/[[\].]/g, '\\$&')}: expected`));
  });

  it('requires onBar', () => {
    expect(() => createBarAggregator({ timeframes: ['5m'] } as unknown as BarAggregatorOptions)).toThrow(
      /onBar: expected a function/,
    );
  });
});
