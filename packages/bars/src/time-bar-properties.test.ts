/**
 * Property tests (fast-check) of the invariants the spec states for the BarGenerator (§1.4, [PRD-BG] §5.1
 * "no overlaps, every tick in exactly one bar", §5.2 "no missing bars" with forward fill) and of the
 * streaming/batch and bars-from-bars/bars-from-ticks equivalences (§0.1, §1.4 step 5).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateTicks,
  type Bar,
  columnarBarAt,
  createBarAggregator,
  createBarResampler,
  parseTimeframe,
  type Tick,
} from './index.js';

const base = Date.UTC(2024, 0, 2, 9, 0);

/** Tick streams with bursts, long gaps, equal timestamps and some invalid ticks. */
const tickStream = fc
  .array(
    fc.record({
      step: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
        { weight: 2, arbitrary: fc.integer({ min: 0, max: 900_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 12_000_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: -60_000, max: -1 }) },
      ),
      price: fc.oneof(
        { weight: 20, arbitrary: fc.integer({ min: 1, max: 400 }).map((p) => 4800 + p / 4) },
        { weight: 1, arbitrary: fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY) },
      ),
      size: fc.oneof(
        { weight: 20, arbitrary: fc.integer({ min: 0, max: 50 }) },
        { weight: 1, arbitrary: fc.constantFrom(-2, Number.NaN) },
      ),
    }),
    { maxLength: 250 },
  )
  .map((rows) => {
    let time = base;
    return rows.map(({ step, price, size }): Tick => {
      time += step;
      return { timestamp: time, price, size };
    });
  });

const timeframeSets = fc.constantFrom(['1m'], ['5m', '30m'], ['1m', '5m', '30m', '1h'], ['30s', '15m']);

function streaming(ticks: readonly Tick[], timeframes: readonly string[], gapFill: boolean) {
  const bars: Bar[] = [];
  const accepted: Tick[] = [];
  const aggregator = createBarAggregator({ timeframes, gapFill, onBar: (b) => bars.push(b) });
  for (const tick of ticks) if (aggregator.push(tick)) accepted.push(tick);
  aggregator.flush();
  return { bars, accepted, stats: aggregator.stats() };
}

describe('bar invariants (fast-check)', () => {
  it('puts every accepted tick in exactly one real bar of each timeframe, and no rejected tick anywhere', () => {
    fc.assert(
      fc.property(tickStream, timeframeSets, fc.boolean(), (ticks, timeframes, gapFill) => {
        const { bars, accepted } = streaming(ticks, timeframes, gapFill);
        for (const timeframe of timeframes) {
          const ms = parseTimeframe(timeframe);
          const own = bars.filter((b) => b.timeframe === timeframe);
          for (const tick of accepted) {
            const holders = own.filter(
              (b) => b.timestamp <= tick.timestamp && tick.timestamp < b.timestamp + ms,
            );
            expect(holders.length, 'one bar holds the tick').toBe(1);
            expect(holders[0]!.synthetic, 'the bar holding a tick is real').toBe(false);
          }
          const tickCount = own.reduce((sum, b) => sum + b.tickCount, 0);
          expect(tickCount, 'tick counts add up to the accepted ticks').toBe(accepted.length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('conserves volume: bar volumes add up to the accepted sizes (invalid sizes as 0)', () => {
    fc.assert(
      fc.property(tickStream, timeframeSets, (ticks, timeframes) => {
        const { bars, accepted } = streaming(ticks, timeframes, true);
        const total = accepted.reduce(
          (sum, t) => sum + (Number.isFinite(t.size) && t.size > 0 ? t.size : 0),
          0,
        );
        for (const timeframe of timeframes) {
          const volume = bars.filter((b) => b.timeframe === timeframe).reduce((sum, b) => sum + b.volume, 0);
          expect(volume).toBe(total);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('bounds every price of a bar by its high and low, with open and close its first and last prices', () => {
    fc.assert(
      fc.property(tickStream, timeframeSets, (ticks, timeframes) => {
        const { bars, accepted } = streaming(ticks, timeframes, false);
        for (const bar of bars) {
          const ms = parseTimeframe(bar.timeframe);
          const inside = accepted.filter(
            (t) => bar.timestamp <= t.timestamp && t.timestamp < bar.timestamp + ms,
          );
          const prices = inside.map((t) => t.price);
          expect(bar.high).toBe(Math.max(...prices));
          expect(bar.low).toBe(Math.min(...prices));
          expect(bar.open).toBe(prices[0]);
          expect(bar.close).toBe(prices[prices.length - 1]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never overlaps bars and, with forward fill, leaves no interval between the first and last bar empty', () => {
    fc.assert(
      fc.property(tickStream, timeframeSets, fc.boolean(), (ticks, timeframes, gapFill) => {
        const { bars } = streaming(ticks, timeframes, gapFill);
        for (const timeframe of timeframes) {
          const ms = parseTimeframe(timeframe);
          const own = bars.filter((b) => b.timeframe === timeframe);
          for (let i = 1; i < own.length; i++) {
            const gap = own[i]!.timestamp - own[i - 1]!.timestamp;
            expect(gap % ms, 'bars sit on the grid').toBe(0);
            if (gapFill) expect(gap, 'contiguous with forward fill').toBe(ms);
            else expect(gap, 'strictly increasing, no overlap').toBeGreaterThanOrEqual(ms);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('emits, per input, every bar of a shorter timeframe before any bar of a longer one', () => {
    fc.assert(
      fc.property(tickStream, (ticks) => {
        const order: string[][] = [];
        let current: string[] = [];
        const aggregator = createBarAggregator({
          timeframes: ['30m', '5m'],
          onBar: (b) => current.push(b.timeframe),
        });
        for (const tick of ticks) {
          current = [];
          aggregator.push(tick);
          order.push(current);
        }
        for (const emitted of order) {
          const firstLong = emitted.indexOf('30m');
          if (firstLong >= 0) expect(emitted.slice(firstLong).includes('5m')).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('gives the batch API exactly the streaming output, stats included', () => {
    fc.assert(
      fc.property(tickStream, timeframeSets, fc.boolean(), (ticks, timeframes, gapFill) => {
        const stream = streaming(ticks, timeframes, gapFill);
        const { bars, stats } = aggregateTicks(
          {
            timestamps: Float64Array.from(ticks, (t) => t.timestamp),
            prices: Float64Array.from(ticks, (t) => t.price),
            sizes: Float64Array.from(ticks, (t) => t.size),
          },
          { timeframes, gapFill },
        );
        const sorted = [...timeframes].sort((a, b) => parseTimeframe(a) - parseTimeframe(b));
        for (const timeframe of sorted) {
          const columns = bars[timeframe]!;
          const batch = Array.from({ length: columns.length }, (_, i) => columnarBarAt(columns, i));
          expect(batch).toEqual(stream.bars.filter((b) => b.timeframe === timeframe));
        }
        expect(stats).toEqual(stream.stats);
      }),
      { numRuns: 150 },
    );
  });

  it('builds the same 5m and 30m bars from 1m bars as from the ticks themselves', () => {
    fc.assert(
      fc.property(tickStream, fc.boolean(), fc.boolean(), (ticks, gapFill, fillMinutes) => {
        const direct = streaming(ticks, ['5m', '30m'], gapFill).bars;
        const minutes = streaming(ticks, ['1m'], fillMinutes).bars;
        const resampled: Bar[] = [];
        const resampler = createBarResampler({
          timeframes: ['5m', '30m'],
          gapFill,
          onBar: (b) => resampled.push(b),
        });
        for (const minute of minutes) resampler.push(minute);
        resampler.flush();
        expect(resampled).toEqual(direct);
      }),
      { numRuns: 150 },
    );
  });
});
