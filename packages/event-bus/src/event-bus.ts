/**
 * The synchronous typed bus: topic map, publish and subscribe. Queueing, worker bridging and journaling live
 * in their own modules.
 */
import EventEmitter from 'eventemitter3';

/** A handler for the payload type `T`. */
export type EventHandler<T> = (payload: T) => void;

/**
 * A typed publish/subscribe bus over the topic map `Events` (topic name → payload type).
 *
 * @example
 * ```ts
 * const bus = createEventBus<{ tick: { price: number } }>();
 * bus.subscribe('tick', (t) => console.log(t.price));
 * bus.publish('tick', { price: 101.25 });
 * ```
 */
export interface EventBus<Events extends object> {
  /** Delivers `payload` to every handler of `topic`, synchronously and in subscription order. */
  publish<K extends keyof Events & string>(topic: K, payload: Events[K]): void;
  /** Registers `handler` for `topic` and returns the function that removes it. */
  subscribe<K extends keyof Events & string>(topic: K, handler: EventHandler<Events[K]>): () => void;
}

/**
 * Creates a typed event bus.
 *
 * @example
 * ```ts
 * const bus = createEventBus<{ bar: { close: number } }>();
 * const off = bus.subscribe('bar', (bar) => console.log(bar.close));
 * bus.publish('bar', { close: 4810.5 });
 * off();
 * ```
 */
export function createEventBus<Events extends object>(): EventBus<Events> {
  const emitter = new EventEmitter();
  return {
    publish(topic, payload) {
      emitter.emit(topic, payload);
    },
    subscribe(topic, handler) {
      emitter.on(topic, handler);
      return () => {
        emitter.off(topic, handler);
      };
    },
  };
}
