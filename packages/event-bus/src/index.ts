/**
 * `@algospace/event-bus`: typed, ordered pub/sub with error isolation for market-data pipelines.
 *
 * @packageDocumentation
 */

export type { EventBus, EventHandler } from './event-bus.js';
export { createEventBus } from './event-bus.js';
export { EventBusError } from './event-bus-error.js';
