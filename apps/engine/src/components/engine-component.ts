/**
 * The kernel component type specialised to the engine's event map, and the names of the eleven components
 * in flow order (so dependencies and reports refer to one list).
 */
import type { Component, ComponentContext } from '@algospace/kernel';
import type { EngineEvents } from '../events.js';

/**
 * A kernel component on the engine's bus.
 *
 * @example
 * ```ts
 * const logger: EngineComponent = { name: 'tick-logger', init: (context) => void context.bus.subscribe('NEW_TICK', console.log) };
 * ```
 */
export type EngineComponent = Component<EngineEvents>;

/**
 * The context the kernel hands an engine component.
 *
 * @example
 * ```ts
 * function init(context: EngineContext) { context.logger.info('ready'); }
 * ```
 */
export type EngineContext = ComponentContext<EngineEvents>;

/**
 * Component names, in the order of the event flow.
 *
 * @example
 * ```ts
 * kernel.status().components.find((c) => c.name === COMPONENT_NAMES.barGenerator);
 * ```
 */
export const COMPONENT_NAMES = {
  dataHandler: 'data-handler',
  barGenerator: 'bar-generator',
  indicatorEngine: 'indicator-engine',
  matrix30m: 'matrix-assembler-30m',
  matrix5m: 'matrix-assembler-5m',
  matrixRegime: 'matrix-assembler-regime',
  synergyDetector: 'synergy-detector',
  regimeDetector: 'regime-detector',
  riskManager: 'risk-manager',
  decisionCore: 'decision-core',
  executionHandler: 'execution-handler',
} as const;

/**
 * Where the engine's notion of "now" comes from in paper and live mode: the simulator's clock, the feed's
 * clock messages or the wall clock. `null` until the source knows the time.
 *
 * @example
 * ```ts
 * const wallClock: FeedClock = { now: () => Date.now() };
 * ```
 */
export interface FeedClock {
  /** UTC epoch ms up to which the source guarantees no earlier record will follow, or `null`. */
  now(): number | null;
}
