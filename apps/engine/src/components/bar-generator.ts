/**
 * The BarGenerator component: NEW_TICK → NEW_5MIN_BAR / NEW_30MIN_BAR through `@algospace/bars`. In paper
 * and live mode a timer calls `advanceTo(clock.now())`, so a bar is published when its period ends rather
 * than when the next tick happens to arrive; in a backtest the open bars are flushed at END_OF_STREAM
 * (configurable), so every accepted tick ends up in a published bar.
 */
import { type AggregatorStats, type Bar, type BarAggregator, createBarAggregator } from '@algospace/bars';
import type { EngineComponent, FeedClock } from './engine-component.js';
import { COMPONENT_NAMES } from './engine-component.js';

/**
 * Options of {@link createBarGeneratorComponent}.
 *
 * @example
 * ```ts
 * const options: BarGeneratorOptions = { gapFill: true, flushAtEnd: true };
 * ```
 */
export interface BarGeneratorOptions {
  /** Fill empty intervals with synthetic bars (spec §1.4). Default true. */
  readonly gapFill?: boolean;
  /** Flush the open bars at END_OF_STREAM. Default true. */
  readonly flushAtEnd?: boolean;
  /** Paper/live: the clock to advance to, on a timer. Absent in backtests. */
  readonly clock?: FeedClock;
  /** Timer period for `advanceTo`, ms. Default 250. */
  readonly advanceIntervalMs?: number;
}

/**
 * The BarGenerator as a kernel component, with its aggregator's counters.
 *
 * @example
 * ```ts
 * const bars = createBarGeneratorComponent();
 * kernel.register(bars);
 * // after the run
 * console.log(bars.stats().accepted);
 * ```
 */
export interface BarGeneratorComponent extends EngineComponent {
  /** Accepted and rejected ticks, bars emitted (from `@algospace/bars`). */
  stats(): AggregatorStats;
}

/**
 * Creates the BarGenerator component for the spec's 5- and 30-minute timeframes.
 *
 * @example
 * ```ts
 * kernel.register(createBarGeneratorComponent({ clock: { now: () => Date.now() } }));
 * ```
 */
export function createBarGeneratorComponent(options: BarGeneratorOptions = {}): BarGeneratorComponent {
  let aggregator: BarAggregator | undefined;
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe: (() => void)[] = [];
  const ensure = (): BarAggregator => {
    if (aggregator === undefined) throw new Error('bar-generator: used before init');
    return aggregator;
  };
  return {
    name: COMPONENT_NAMES.barGenerator,
    dependsOn: [COMPONENT_NAMES.dataHandler],
    init(context) {
      const bus = context.bus;
      const onBar = (bar: Bar): void => {
        if (bar.timeframe === '5m') bus.publish('NEW_5MIN_BAR', bar);
        else bus.publish('NEW_30MIN_BAR', bar);
      };
      const created = createBarAggregator({
        timeframes: ['5m', '30m'],
        gapFill: options.gapFill ?? true,
        onBar,
      });
      aggregator = created;
      unsubscribe.push(
        bus.subscribe('NEW_TICK', (tick) => {
          created.push(tick);
        }),
        bus.subscribe('END_OF_STREAM', () => {
          if (options.flushAtEnd ?? true) created.flush();
        }),
      );
    },
    start(context) {
      const clock = options.clock;
      if (clock === undefined || context.mode === 'backtest') return;
      const target = ensure();
      timer = setInterval(() => {
        const now = clock.now();
        if (now === null) return;
        try {
          target.advanceTo(now);
        } catch (error) {
          context.reportError(error);
        }
      }, options.advanceIntervalMs ?? 250);
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      for (const off of unsubscribe.splice(0)) off();
    },
    stats() {
      return ensure().stats();
    },
    health() {
      if (aggregator === undefined) return { status: 'ok', detail: 'not initialised' };
      const stats = aggregator.stats();
      return {
        status: 'ok',
        detail: `${stats.accepted} ticks accepted, ${stats.rejected} rejected, ${stats.bars} bars`,
      };
    },
  };
}
