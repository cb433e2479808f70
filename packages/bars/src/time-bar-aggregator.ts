/**
 * The streaming entry point: ticks in, `Bar` objects out through `onBar`, on any set of timeframes at once.
 * The state machine itself lives in `time-bar-engine.ts`; the columnar batch form in `batch-aggregation.ts`.
 */
import { optionalFunction, resolveTimeBarOptions, type TimeBarOptions } from './aggregator-options.js';
import type { AggregatorStats, RejectReason } from './aggregator-stats.js';
import type { Bar, Tick } from './bar.js';
import { BarsOptionError } from './bars-error.js';
import { ObjectBarSink } from './object-bar-sink.js';
import { ACCEPTED, rejectReasonOf, TimeBarEngine } from './time-bar-engine.js';

/**
 * Options of {@link createBarAggregator}: the shared {@link TimeBarOptions} plus the callbacks.
 *
 * @example
 * ```ts
 * const options: BarAggregatorOptions = {
 *   timeframes: ['5m', '30m'],
 *   gapFill: 'forward-fill',
 *   onBar: (bar) => console.log(bar.timeframe, new Date(bar.timestamp).toISOString(), bar.close),
 *   onReject: (tick, reason) => console.warn('rejected', reason, tick),
 * };
 * ```
 */
export interface BarAggregatorOptions extends TimeBarOptions {
  /**
   * Receives every bar, synchronously, in emission order: per input, shortest timeframe first; within a
   * timeframe the closed bar, then its gap's synthetic bars in time order (spec §1.4). If it throws, the
   * error reaches the caller of `push`/`advanceTo`/`flush`; the aggregator's state is already consistent and
   * the bars still queued behind the failing one are delivered at the start of the next call.
   */
  readonly onBar: (bar: Bar) => void;
  /** Receives every rejected tick with the reason (they are also counted in `stats()`). */
  readonly onReject?: (tick: Tick, reason: RejectReason) => void;
}

/**
 * A streaming tick → bar aggregator. Memory is constant in the length of the stream.
 *
 * @example
 * ```ts
 * const aggregator: BarAggregator = createBarAggregator({ timeframes: ['1m'], onBar: console.log });
 * aggregator.push({ timestamp: Date.UTC(2024, 6, 1, 23, 58, 1), price: 5528.75, size: 2 });
 * aggregator.flush();
 * ```
 */
export interface BarAggregator {
  /** The configured timeframes, shortest first (the emission order). */
  readonly timeframes: readonly string[];
  /**
   * Validates one tick (spec §1.2) and adds it to the open bar of every timeframe, emitting the bars it
   * closes. Returns `true` when accepted, `false` when rejected (counted and passed to `onReject`).
   */
  push(tick: Tick): boolean;
  /**
   * Declares that time has reached `time` (UTC epoch ms): emits every bar whose interval ended by then, and
   * with gap filling and `fillOnAdvance` on, synthetic bars for the empty intervals that ended by then. Live
   * feeds call it on a timer so a bar is emitted when its period ends, not when the next tick arrives.
   * Afterwards ticks earlier than the start of the interval holding `time` are rejected
   * (`timestamp-in-closed-bar`). Never moves time backwards.
   */
  advanceTo(time: number): void;
  /**
   * Emits the open bar of every timeframe (real bars only, no synthetic ones; spec §1.4 "End of stream").
   * Never called implicitly. Ticks that would fall into a flushed interval are rejected afterwards.
   */
  flush(): void;
  /** Counters since creation: accepted, rejected by reason, bars, gaps left unfilled. */
  stats(): AggregatorStats;
}

/**
 * Creates a streaming aggregator that turns ticks into OHLCV bars on several timeframes at once, per spec
 * §1 (validation §1.2, flooring §1.3, state machine and emission order §1.4, edge cases §1.5), with the
 * generalisations of {@link TimeBarOptions}. The defaults are the spec's: forward-fill every gap, bars
 * labelled by interval start, no implicit flush.
 *
 * @throws {@link BarsOptionError} naming the option when an option is invalid.
 * @see spec `indicators.md` §1 (BarGenerator)
 * @example
 * ```ts
 * const bars: Bar[] = [];
 * const aggregator = createBarAggregator({ timeframes: ['5m', '30m'], gapFill: 'forward-fill', onBar: (b) => bars.push(b) });
 * aggregator.push({ timestamp: Date.parse('2024-01-02T10:32:45Z'), price: 5150.25, size: 3 });
 * aggregator.push({ timestamp: Date.parse('2024-01-02T10:42:17Z'), price: 5151, size: 1 });
 * // bars: 5m 10:30 (real, close 5150.25), 5m 10:35 (synthetic, OHLC 5150.25, volume 0)
 * aggregator.flush();
 * // bars: + 5m 10:40 (close 5151), 30m 10:30 (open 5150.25, close 5151, volume 4)
 * ```
 */
export function createBarAggregator(options: BarAggregatorOptions): BarAggregator {
  const resolved = resolveTimeBarOptions(options);
  const onBar = options.onBar;
  if (typeof onBar !== 'function') throw new BarsOptionError('onBar', 'a function receiving each bar', onBar);
  const onReject = optionalFunction<(tick: Tick, reason: RejectReason) => void>(options.onReject, 'onReject');
  const timeframes = resolved.frames.map((f) => f.timeframe);
  const sink = new ObjectBarSink(timeframes);
  const engine = new TimeBarEngine(resolved, sink);

  return {
    timeframes,
    push(tick: Tick): boolean {
      // head is non-zero only when an onBar call threw: deliver what is still queued first.
      if (sink.head !== 0) sink.deliver(onBar);
      const code = engine.offerTick(tick.timestamp, tick.price, tick.size);
      if (sink.pending.length !== 0) sink.deliver(onBar);
      if (code === ACCEPTED) return true;
      onReject?.(tick, rejectReasonOf(code));
      return false;
    },
    advanceTo(time: number): void {
      sink.deliver(onBar);
      engine.advanceTo(time);
      sink.deliver(onBar);
    },
    flush(): void {
      sink.deliver(onBar);
      engine.flush();
      sink.deliver(onBar);
    },
    stats: () => engine.stats(),
  };
}
