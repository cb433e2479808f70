/**
 * The component contract: what an application registers with the kernel, what the kernel hands it, and the
 * states it moves through. The kernel's implementation lives in `kernel.ts`.
 */
import type { EventBus } from '@algospace/event-bus';
import type { Logger } from 'pino';
import type { Kernel } from './kernel.js';
import type { KernelEvents } from './kernel-events.js';
import type { KernelMode } from './kernel-mode.js';

/**
 * A component's lifecycle state.
 *
 * ```text
 * created → initializing → ready → running ⇄ degraded → stopping → stopped
 *                 ↘ failed     ↘ failed  ↘ failed (critical)    ↘ failed (stop error or timeout)
 * ```
 *
 * `degraded` means running but a non-critical error was reported; `failed` is terminal.
 *
 * @example
 * ```ts
 * const state: ComponentState = kernel.status().components[0]!.state;
 * ```
 */
export type ComponentState =
  | 'created'
  | 'initializing'
  | 'ready'
  | 'running'
  | 'degraded'
  | 'stopping'
  | 'stopped'
  | 'failed';

/**
 * Every {@link ComponentState}, in lifecycle order.
 *
 * @example
 * ```ts
 * COMPONENT_STATES.length; // 8
 * ```
 */
export const COMPONENT_STATES: readonly ComponentState[] = [
  'created',
  'initializing',
  'ready',
  'running',
  'degraded',
  'stopping',
  'stopped',
  'failed',
];

/**
 * What a component's optional `health()` reports; shown by `kernel.status()` and `/health`, and a status
 * other than `ok` makes `/ready` answer 503.
 *
 * @example
 * ```ts
 * const health: ComponentHealth = { status: 'degraded', detail: 'feed lagging 2.5 s' };
 * ```
 */
export interface ComponentHealth {
  /** `ok`, `degraded` (working, impaired) or `failed` (not working). */
  readonly status: 'ok' | 'degraded' | 'failed';
  /** A short human-readable explanation. */
  readonly detail?: string;
}

/**
 * What the kernel hands a component in `init` and `start`.
 *
 * @example
 * ```ts
 * const component: Component = {
 *   name: 'clock',
 *   init(context) {
 *     context.logger.info({ mode: context.mode }, 'clock ready');
 *   },
 * };
 * ```
 */
export interface ComponentContext<Events extends object = Record<string, unknown>> {
  /**
   * The kernel's bus. Subscriptions made through it are attributed to this component: their handler name
   * defaults to the component name and `critical` to the component's `critical`, so a failing handler
   * degrades (or, when critical, shuts down) the right component, and their latency is sampled for metrics.
   */
  readonly bus: EventBus<Events & KernelEvents>;
  /** A pino child logger whose every line carries `component: <name>`. */
  readonly logger: Logger;
  /** The run mode. */
  readonly mode: KernelMode;
  /** The kernel this component is registered with. */
  readonly kernel: Kernel<Events>;
  /** Aborted when the kernel begins to shut down: pass it to timers, fetches and loops. */
  readonly signal: AbortSignal;
  /**
   * Reports a runtime error the bus cannot see (a socket error, a failed poll): logged and counted; the
   * component becomes `degraded`, or the kernel shuts down when `critical` (default: the component's).
   */
  reportError(error: unknown, options?: { readonly critical?: boolean }): void;
}

/**
 * A unit the kernel initialises, starts and stops: a feed, an aggregator, a strategy, a report writer.
 *
 * @example
 * ```ts
 * const heartbeat: Component = {
 *   name: 'heartbeat',
 *   dependsOn: ['feed'],
 *   init() {},
 *   start(context) {
 *     const timer = setInterval(() => context.logger.debug('alive'), 1000);
 *     context.signal.addEventListener('abort', () => clearInterval(timer));
 *   },
 * };
 * ```
 */
export interface Component<Events extends object = Record<string, unknown>> {
  /** Unique name; appears in logs (`component`), metrics labels, errors and `status()`. */
  readonly name: string;
  /** Names of components that must be initialised and started before this one (and stopped after it). */
  readonly dependsOn?: readonly string[];
  /** When true, a runtime error of this component shuts the kernel down instead of degrading it. */
  readonly critical?: boolean;
  /** Per-component timeouts in ms, overriding the kernel's `initTimeoutMs`/`startTimeoutMs`/`stopTimeoutMs`. */
  readonly timeouts?: { readonly init?: number; readonly start?: number; readonly stop?: number };
  /** Acquires resources and subscribes; a rejection stops everything initialised so far. */
  init(context: ComponentContext<Events>): void | Promise<void>;
  /** Begins work once every component is initialised (open the feed, start timers). */
  start?(context: ComponentContext<Events>): void | Promise<void>;
  /** Releases what `init`/`start` acquired; called in reverse dependency order, at most once. */
  stop?(): void | Promise<void>;
  /** Reports the component's own view of its health; must be cheap and synchronous. */
  health?(): ComponentHealth;
}
