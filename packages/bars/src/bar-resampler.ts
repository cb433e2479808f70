/**
 * Bars from bars: finer bars (e.g. 1-minute vendor bars) aggregated into coarser ones (5- and 30-minute)
 * with the same alignment, gap and closing rules as bars from ticks, for data that only exists as bars.
 */
import {
  type BarLabel,
  optionalFunction,
  resolveTimeBarOptions,
  type TimeBarOptions,
} from './aggregator-options.js';
import type { AggregatorStats, RejectReason } from './aggregator-stats.js';
import type { Bar } from './bar.js';
import { BarsOptionError } from './bars-error.js';
import { ObjectBarSink } from './object-bar-sink.js';
import { ACCEPTED, rejectReasonOf, TimeBarEngine } from './time-bar-engine.js';
import { parseTimeframe } from './timeframe.js';

/**
 * Options of {@link createBarResampler}.
 *
 * @example
 * ```ts
 * const options: BarResamplerOptions = { timeframes: ['5m', '30m'], gapFill: 'none', onBar: console.log };
 * ```
 */
export interface BarResamplerOptions extends TimeBarOptions {
  /** Receives every coarser bar, in the same order the tick aggregator would emit it. */
  readonly onBar: (bar: Bar) => void;
  /** Receives every rejected input bar with the reason. */
  readonly onReject?: (bar: Bar, reason: RejectReason) => void;
  /**
   * How input bars are labelled: `'open'` (interval start, default) or `'close'` (interval end; the start
   * is then `timestamp − length of bar.timeframe`).
   */
  readonly sourceLabel?: BarLabel;
}

/**
 * A bars → coarser bars aggregator.
 *
 * @example
 * ```ts
 * const resampler: BarResampler = createBarResampler({ timeframes: ['5m'], onBar: console.log });
 * ```
 */
export interface BarResampler {
  /** The target timeframes, shortest first. */
  readonly timeframes: readonly string[];
  /**
   * Adds one finer bar. Synthetic input bars are skipped (counted in `stats().syntheticInputsSkipped`):
   * the resampler fills gaps by its own rules, and a flat filler at the start of a target interval would
   * otherwise become its open. Returns `true` when the bar was used, `false` when skipped or rejected.
   */
  push(bar: Bar): boolean;
  /** As {@link BarAggregator.advanceTo}. */
  advanceTo(time: number): void;
  /** As {@link BarAggregator.flush}. */
  flush(): void;
  /** Counters; `accepted` counts input bars, `syntheticInputsSkipped` the synthetic ones passed over. */
  stats(): AggregatorStats & { readonly syntheticInputsSkipped: number };
}

/**
 * Creates a resampler that aggregates finer bars into coarser timeframes: open of the first input bar,
 * max of highs, min of lows, close of the last, sum of volumes and tick counts. On the same ticks, 1-minute
 * bars resampled to 5 and 30 minutes equal 5- and 30-minute bars built from the ticks directly (a
 * property test holds this), because every target interval is a union of whole source intervals.
 *
 * Each input bar must fit inside one target interval (its timeframe must divide the target's and share
 * its grid); otherwise it is rejected as `bar-straddles-interval`. Bars with high/low inconsistent with
 * open/close are rejected as `bar-inconsistent`.
 *
 * @throws {@link BarsOptionError} naming the option when an option is invalid.
 * @example
 * ```ts
 * const out: Bar[] = [];
 * const resampler = createBarResampler({ timeframes: ['5m'], gapFill: 'none', onBar: (b) => out.push(b) });
 * for (const minute of oneMinuteBars) resampler.push(minute);
 * resampler.flush();
 * ```
 */
export function createBarResampler(options: BarResamplerOptions): BarResampler {
  const resolved = resolveTimeBarOptions(options);
  const onBar = options.onBar;
  if (typeof onBar !== 'function') throw new BarsOptionError('onBar', 'a function receiving each bar', onBar);
  const onReject = optionalFunction<(bar: Bar, reason: RejectReason) => void>(options.onReject, 'onReject');
  const sourceLabel = options.sourceLabel ?? 'open';
  if (sourceLabel !== 'open' && sourceLabel !== 'close') {
    throw new BarsOptionError('sourceLabel', "'open' or 'close'", sourceLabel);
  }
  const timeframes = resolved.frames.map((f) => f.timeframe);
  const sink = new ObjectBarSink(timeframes);
  const engine = new TimeBarEngine(resolved, sink);
  let syntheticInputsSkipped = 0;
  let lastTimeframe = '';
  let lastLength = 0;
  const deliver = () => sink.deliver(onBar);
  const sourceLength = (bar: Bar): number => {
    if (bar.timeframe !== lastTimeframe) {
      lastLength = parseTimeframe(bar.timeframe);
      lastTimeframe = bar.timeframe;
    }
    return lastLength;
  };

  return {
    timeframes,
    push(bar: Bar): boolean {
      deliver();
      if (bar.synthetic) {
        syntheticInputsSkipped++;
        return false;
      }
      const length = sourceLength(bar);
      const start = sourceLabel === 'open' ? bar.timestamp : bar.timestamp - length;
      const code = engine.offerBar(
        start,
        start + length,
        bar.open,
        bar.high,
        bar.low,
        bar.close,
        bar.volume,
        bar.tickCount,
      );
      deliver();
      if (code === ACCEPTED) return true;
      onReject?.(bar, rejectReasonOf(code));
      return false;
    },
    advanceTo(time: number): void {
      deliver();
      engine.advanceTo(time);
      deliver();
    },
    flush(): void {
      deliver();
      engine.flush();
      deliver();
    },
    stats: () => ({ ...engine.stats(), syntheticInputsSkipped }),
  };
}
