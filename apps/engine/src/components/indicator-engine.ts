/**
 * The IndicatorEngine component: NEW_5MIN_BAR / NEW_30MIN_BAR → INDICATORS_READY through the
 * `@algospace/indicators` engine (spec §9), which does the routing and the feature store; this module only
 * connects it to the bus.
 */

import type { Bar } from '@algospace/bars';
import {
  createIndicatorEngine,
  type IndicatorEngine,
  type IndicatorEngineOptions,
  type IndicatorEngineStats,
} from '@algospace/indicators';
import type { EngineComponent } from './engine-component.js';
import { COMPONENT_NAMES } from './engine-component.js';

/**
 * The IndicatorEngine as a kernel component.
 *
 * @example
 * ```ts
 * const indicators = createIndicatorEngineComponent();
 * kernel.register(indicators);
 * // after the run
 * console.log(indicators.stats().snapshotsEmitted);
 * ```
 */
export interface IndicatorEngineComponent extends EngineComponent {
  /** The wrapped engine (for its store view). */
  readonly engine: IndicatorEngine;
  /** Bars processed and snapshots emitted. */
  stats(): IndicatorEngineStats;
}

/**
 * Creates the IndicatorEngine component.
 *
 * @throws the indicators package's `IndicatorParameterError` when an option is invalid.
 * @example
 * ```ts
 * kernel.register(createIndicatorEngineComponent({ lvn: { binSize: 0.01 } }));
 * ```
 */
export function createIndicatorEngineComponent(
  options: IndicatorEngineOptions = {},
): IndicatorEngineComponent {
  const engine = createIndicatorEngine(options);
  const unsubscribe: (() => void)[] = [];
  return {
    name: COMPONENT_NAMES.indicatorEngine,
    engine,
    init(context) {
      const bus = context.bus;
      const onBar = (bar: Bar): void => {
        const snapshot = engine.update(bar);
        if (snapshot !== null) bus.publish('INDICATORS_READY', snapshot);
      };
      unsubscribe.push(bus.subscribe('NEW_5MIN_BAR', onBar), bus.subscribe('NEW_30MIN_BAR', onBar));
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off();
    },
    stats() {
      return engine.stats();
    },
    health() {
      const stats = engine.stats();
      return {
        status: 'ok',
        detail: `${stats.fiveMinuteBars} 5m bars, ${stats.thirtyMinuteBars} 30m bars, ${stats.snapshotsEmitted} snapshots`,
      };
    },
  };
}
