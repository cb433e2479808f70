/**
 * Quote bars: bid and ask sides aggregated separately on one grid, mid on request, validation of both sides.
 */
import { describe, expect, it } from 'vitest';
import { createQuoteBarAggregator, type QuoteBar, type QuoteTick, type RejectReason } from './index.js';

function quote(clock: string, bid: number, ask: number): QuoteTick {
  return { timestamp: Date.parse(`2014-05-01T${clock}Z`), bid, ask };
}

function run(quotes: QuoteTick[], mid = false) {
  const bars: QuoteBar[] = [];
  const rejected: RejectReason[] = [];
  const aggregator = createQuoteBarAggregator({
    timeframes: ['1m'],
    mid,
    onBar: (b) => bars.push(b),
    onReject: (_, reason) => rejected.push(reason),
  });
  for (const q of quotes) aggregator.push(q);
  aggregator.flush();
  return { bars, rejected, stats: aggregator.stats() };
}

const ohlc = (b: { open: number; high: number; low: number; close: number }) => [
  b.open,
  b.high,
  b.low,
  b.close,
];

describe('createQuoteBarAggregator', () => {
  it('builds bid OHLC from bids and ask OHLC from asks on the same interval', () => {
    const { bars } = run([
      quote('00:00:01', 1.1, 1.3),
      quote('00:00:30', 1.2, 1.25),
      quote('00:00:59', 1.0, 1.4),
    ]);
    expect(bars).toHaveLength(1);
    expect(ohlc(bars[0]!.bid)).toEqual([1.1, 1.2, 1.0, 1.0]);
    expect(ohlc(bars[0]!.ask)).toEqual([1.3, 1.4, 1.25, 1.4]);
    expect(bars[0]).toMatchObject({ tickCount: 3, synthetic: false, timeframe: '1m' });
    expect(bars[0]!.mid).toBeUndefined();
  });

  it('builds mid bars from (bid + ask) / 2 when asked', () => {
    const { bars } = run([quote('00:00:01', 1, 3), quote('00:00:02', 2, 6)], true);
    expect(ohlc(bars[0]!.mid!)).toEqual([2, 4, 2, 4]);
  });

  it('fills a gap with synthetic quote bars flat at each side’s close', () => {
    const { bars } = run([quote('00:00:01', 1, 2), quote('00:02:01', 3, 4)]);
    expect(bars[1]).toMatchObject({ synthetic: true, tickCount: 0 });
    expect(ohlc(bars[1]!.bid)).toEqual([1, 1, 1, 1]);
    expect(ohlc(bars[1]!.ask)).toEqual([2, 2, 2, 2]);
  });

  it('rejects a quote with a bad bid or a bad ask as a whole, bid checked first', () => {
    const { bars, rejected, stats } = run([
      quote('00:00:01', 1, 2),
      quote('00:00:02', 0, Number.NaN),
      quote('00:00:03', 1, Number.NaN),
      quote('00:00:04', 1, -2),
      quote('00:00:05', 1.5, 2.5),
    ]);
    expect(rejected).toEqual(['price-not-positive', 'price-not-finite', 'price-not-positive']);
    expect(stats).toMatchObject({ accepted: 2, rejected: 3 });
    expect(ohlc(bars[0]!.ask)).toEqual([2, 2.5, 2, 2.5]);
  });
});
