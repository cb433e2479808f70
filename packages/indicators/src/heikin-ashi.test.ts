import { describe, expect, it } from 'vitest';
import { describeWithMarketData } from '../../../test-support/market-data.js';
import { CL_30_MINUTE_FILE, NQ_30_MINUTE_FILE, readAlgoSpaceBars } from './algospace-bar-csv.js';
import { HeikinAshi, type HeikinAshiCandle, type OHLCVInput } from './heikin-ashi.js';
import { barWalk, testIndicatorContract } from './indicator-contract.js';

// The batch function returns columns; the contract compares candles, so volume/timestamp pass through here.
function batchCandles(bars: readonly Required<OHLCVInput>[]): HeikinAshiCandle[] {
  const columns = HeikinAshi.batch({
    open: bars.map((b) => b.open),
    high: bars.map((b) => b.high),
    low: bars.map((b) => b.low),
    close: bars.map((b) => b.close),
  });
  return bars.map((bar, i) => ({
    timestamp: bar.timestamp,
    open: columns.open[i] as number,
    high: columns.high[i] as number,
    low: columns.low[i] as number,
    close: columns.close[i] as number,
    volume: bar.volume,
  }));
}

testIndicatorContract('HeikinAshi', () => new HeikinAshi(), barWalk, {
  requiredInputs: 1,
  isNotReadyOutput: (candle) => Number.isNaN(candle.close),
  batch: batchCandles,
  realData: { files: [NQ_30_MINUTE_FILE], load: () => [readAlgoSpaceBars(NQ_30_MINUTE_FILE)] },
});

describe('HeikinAshi (spec §2)', () => {
  it('seeds haO with (O₀ + C₀)/2 and then averages the previous HA open and close, exactly', () => {
    const ha = new HeikinAshi();
    const bars = [
      { timestamp: 1, open: 100, high: 104, low: 99, close: 103, volume: 7 },
      { timestamp: 2, open: 103, high: 103.5, low: 98, close: 98.25, volume: 0 },
      { timestamp: 3, open: 98.25, high: 98.25, low: 98.25, close: 98.25, volume: 0 },
    ];
    const [a, b, c] = bars.map((bar) => ha.update(bar));
    // bar 0: haC = (((100 + 104) + 99) + 103)/4 = 101.5, haO = (100 + 103)/2 = 101.5
    expect(a).toEqual({ timestamp: 1, open: 101.5, high: 104, low: 99, close: 101.5, volume: 7 });
    // bar 1: haC = 402.75/4 = 100.6875, haO = (101.5 + 101.5)/2 = 101.5, haH = 103.5, haL = 98
    expect(b).toEqual({ timestamp: 2, open: 101.5, high: 103.5, low: 98, close: 100.6875, volume: 0 });
    // bar 2 (a flat synthetic bar): haC = 98.25, haO = (101.5 + 100.6875)/2 = 101.09375, haH = haO
    expect(c).toEqual({
      timestamp: 3,
      open: 101.09375,
      high: 101.09375,
      low: 98.25,
      close: 98.25,
      volume: 0,
    });
  });

  it('passes volume and timestamp through as 0 when the input has none', () => {
    const candle = new HeikinAshi().update({ open: 1, high: 2, low: 0.5, close: 1.5 });
    expect(candle.volume).toBe(0);
    expect(candle.timestamp).toBe(0);
  });

  it('re-seeds after a NaN bar like the first bar does', () => {
    const ha = new HeikinAshi();
    ha.update({ open: Number.NaN, high: 1, low: 1, close: 1 });
    expect(ha.update({ open: 10, high: 12, low: 9, close: 11 }).open).toBe(10.5);
  });
});

describeWithMarketData(
  'HeikinAshi on the NQ and CL 30-minute series',
  [NQ_30_MINUTE_FILE, CL_30_MINUTE_FILE],
  () => {
    it('keeps haL ≤ min(haO, haC) ≤ max(haO, haC) ≤ haH, haH ≥ H and haL ≤ L on every bar', () => {
      for (const file of [NQ_30_MINUTE_FILE, CL_30_MINUTE_FILE]) {
        const ha = new HeikinAshi();
        for (const bar of readAlgoSpaceBars(file)) {
          const c = ha.update(bar);
          const ok =
            c.low <= Math.min(c.open, c.close) &&
            Math.max(c.open, c.close) <= c.high &&
            c.high >= bar.high &&
            c.low <= bar.low &&
            Number.isFinite(c.open);
          if (!ok) expect.fail(`${file} ${new Date(bar.timestamp).toISOString()}: ${JSON.stringify(c)}`);
        }
      }
    });
  },
);
