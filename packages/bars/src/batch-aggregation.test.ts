/**
 * The batch API's own contract (input checks, reject indices, flush option, result shape). Its equality
 * with the streaming API is a property test in time-bar-properties.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  aggregateTicks,
  columnarBarAt,
  InvalidInputError,
  type RejectReason,
  type TickColumns,
} from './index.js';

const columns: TickColumns = {
  timestamps: Float64Array.of(0, 61_000, 190_000, 100_000),
  prices: Float64Array.of(10, 11, 9, 12),
  sizes: Float64Array.of(1, 2, 3, 4),
};

describe('aggregateTicks', () => {
  it('returns columns per timeframe, the 00:02 minute synthetic and the late tick rejected with its row', () => {
    const rejected: [number, RejectReason][] = [];
    const { bars, stats } = aggregateTicks(columns, {
      timeframes: ['1m', '5m'],
      onReject: (_, reason, index) => rejected.push([index, reason]),
    });
    expect(Array.from(bars['1m'].timestamp)).toEqual([0, 60_000, 120_000, 180_000]);
    expect(Array.from(bars['1m'].close)).toEqual([10, 11, 11, 9]);
    expect(Array.from(bars['1m'].synthetic)).toEqual([0, 0, 1, 0]);
    expect(Array.from(bars['5m'].volume)).toEqual([6]);
    expect(columnarBarAt(bars['5m'], 0)).toEqual({
      timestamp: 0,
      timeframe: '5m',
      open: 10,
      high: 11,
      low: 9,
      close: 9,
      volume: 6,
      synthetic: false,
      tickCount: 3,
    });
    expect(rejected).toEqual([[3, 'timestamp-before-last-tick']]);
    expect(stats.rejected).toBe(1);
  });

  it('leaves the open bars out with flush: false', () => {
    const { bars } = aggregateTicks(columns, { timeframes: ['1m'], flush: false });
    expect(bars['1m'].length, 'the 00:03 bar is still open').toBe(3);
  });

  it('returns empty columns for empty input', () => {
    const empty = new Float64Array(0);
    const { bars } = aggregateTicks(
      { timestamps: empty, prices: empty, sizes: empty },
      { timeframes: ['5m'] },
    );
    expect(bars['5m'].length).toBe(0);
  });

  it('grows its columns when the span estimate (first to last row) is short', () => {
    const n = 41;
    // The last row is a late tick at time 0, so the estimated span is 0 and 16 slots are allocated.
    const timestamps = Float64Array.from({ length: n }, (_, i) => (i === n - 1 ? 0 : i * 60_000));
    const { bars, stats } = aggregateTicks(
      { timestamps, prices: new Float64Array(n).fill(1), sizes: new Float64Array(n).fill(1) },
      { timeframes: ['1m'] },
    );
    expect(stats.rejected).toBe(1);
    expect(Array.from(bars['1m'].timestamp)).toEqual(Array.from({ length: n - 1 }, (_, i) => i * 60_000));
  });

  it('rejects columns that are not Float64Arrays of one length', () => {
    expect(() => aggregateTicks({ ...columns, sizes: new Float64Array(2) }, { timeframes: ['1m'] })).toThrow(
      InvalidInputError,
    );
    expect(() =>
      aggregateTicks({ ...columns, prices: [1, 2, 3, 4] as unknown as Float64Array }, { timeframes: ['1m'] }),
    ).toThrow(/Float64Arrays/);
  });

  it('bounds columnarBarAt to the bars it holds', () => {
    const { bars } = aggregateTicks(columns, { timeframes: ['5m'] });
    expect(() => columnarBarAt(bars['5m'], 1)).toThrow(/expected an index in \[0, 1\)/);
  });
});
