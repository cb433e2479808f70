/**
 * What the signal components (SynergyDetector, the three matrix assemblers, RegimeDetector) need from the
 * kernel and the bus: the slice of the engine's event map they subscribe to and publish, and the narrow view
 * of a kernel component context they use. The full event map (`EngineEvents`) lives in `events.ts`; it is a
 * superset of {@link SignalsEvents}, so the engine's bus is usable here as is.
 */
import type { EventBus } from '@algospace/event-bus';
import type { FeatureSnapshot } from '@algospace/indicators';
import type { ComponentHealth } from '@algospace/kernel';
import type { MatrixReadyEvent } from './matrix-assembler.js';
import type { RegimeAssessment } from './regime-detector.js';
import type { SynergyEvent } from './synergy-detector.js';

/**
 * The topics the signal components use, with their payloads.
 *
 * @example
 * ```ts
 * const bus = createEventBus<SignalsEvents>();
 * bus.subscribe('SYNERGY_DETECTED', (event) => console.log(event.synergy_type));
 * ```
 */
export interface SignalsEvents {
  /** Feature snapshot after every 5- and 30-minute bar (spec §9.1). */
  INDICATORS_READY: FeatureSnapshot;
  /** A completed synergy pattern (spec §10.5). */
  SYNERGY_DETECTED: SynergyEvent;
  /** A matrix assembler appended a row and is warmed up (spec §11). */
  MATRIX_READY: MatrixReadyEvent;
  /** A new regime assessment from the RegimeDetector. */
  REGIME_UPDATED: RegimeAssessment;
}

/**
 * The part of a kernel `ComponentContext` the signal components read: the bus they subscribe on.
 *
 * @example
 * ```ts
 * component.init({ bus: createEventBus<SignalsEvents>() });
 * ```
 */
export interface SignalsContext {
  /** The engine's bus; its event map includes {@link SignalsEvents}. */
  readonly bus: unknown;
}

/**
 * The shape of a kernel component as these modules build it (name, dependencies, lifecycle, health). It is
 * assignable to the kernel's `Component` for any event map containing {@link SignalsEvents}.
 *
 * @example
 * ```ts
 * kernel.register(createSynergyDetectorComponent());
 * ```
 */
export interface SignalsComponent {
  /** Unique component name. */
  readonly name: string;
  /** Components that must be initialised first. */
  readonly dependsOn: readonly string[];
  /** Subscribes on the context's bus. */
  init(context: SignalsContext): void;
  /** Unsubscribes. */
  stop(): void;
  /** Status and a one-line summary of the counters for `/health`. */
  health(): ComponentHealth;
}

/**
 * The context's bus, typed with the signal topics. The kernel types its bus loosely (it carries every
 * component's events); the engine's event map contains these topics with these payloads.
 *
 * @example
 * ```ts
 * const bus = signalsBus(context);
 * bus.publish('REGIME_UPDATED', assessment);
 * ```
 */
export function signalsBus(context: SignalsContext): EventBus<SignalsEvents> {
  return context.bus as EventBus<SignalsEvents>;
}
