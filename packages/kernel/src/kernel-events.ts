/**
 * The events the kernel publishes on its bus: one per component state change and one per kernel state
 * change. Their topic names and payloads are part of the public contract (see docs/kernel.md).
 */
import type { ComponentState } from './component.js';

/**
 * Topic names of the kernel's lifecycle events.
 *
 * @example
 * ```ts
 * kernel.bus.subscribe(KERNEL_TOPICS.componentState, (change) => console.log(change.component, change.to));
 * ```
 */
export const KERNEL_TOPICS = {
  /** A component moved from one {@link ComponentState} to another. Payload: {@link ComponentStateChange}. */
  componentState: 'kernel.component.state',
  /** The kernel moved from one {@link KernelState} to another. Payload: {@link KernelStateChange}. */
  kernelState: 'kernel.state',
} as const;

/**
 * The kernel's own state: `created` → `starting` → `running` → `stopping` → `stopped`, or `failed` when start
 * failed or shutdown was triggered by a failure.
 *
 * @example
 * ```ts
 * const state: KernelState = kernel.status().state;
 * ```
 */
export type KernelState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/**
 * Payload of `kernel.component.state`.
 *
 * @example
 * ```ts
 * const change: ComponentStateChange = {
 *   component: 'bar-aggregator', from: 'ready', to: 'running', at: Date.now(),
 * };
 * ```
 */
export interface ComponentStateChange {
  /** Name of the component. */
  readonly component: string;
  /** State before the change. */
  readonly from: ComponentState;
  /** State after the change. */
  readonly to: ComponentState;
  /** Wall-clock time of the change, epoch milliseconds. */
  readonly at: number;
  /** Why, for `degraded` and `failed` (the error message). */
  readonly reason?: string;
}

/**
 * Payload of `kernel.state`.
 *
 * @example
 * ```ts
 * const change: KernelStateChange = { from: 'running', to: 'stopping', at: Date.now(), reason: 'SIGTERM' };
 * ```
 */
export interface KernelStateChange {
  /** State before the change. */
  readonly from: KernelState;
  /** State after the change. */
  readonly to: KernelState;
  /** Wall-clock time of the change, epoch milliseconds. */
  readonly at: number;
  /** Why, for `stopping`, `stopped` and `failed`. */
  readonly reason?: string;
}

/**
 * The topic map of the kernel's lifecycle events, merged into every kernel bus's event map.
 *
 * @example
 * ```ts
 * type AppEvents = { NEW_TICK: { price: number } } & KernelEvents;
 * ```
 */
export interface KernelEvents {
  /** See {@link KERNEL_TOPICS}. */
  'kernel.component.state': ComponentStateChange;
  /** See {@link KERNEL_TOPICS}. */
  'kernel.state': KernelStateChange;
}
