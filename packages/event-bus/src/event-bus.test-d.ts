import { describe, expectTypeOf, it } from 'vitest';
import { createEventBus, type EventBusStats, type HandlerFailure, type Unsubscribe } from './index.js';

interface Events {
  tick: { price: number; size: number };
  end: undefined;
}

describe('event bus types', () => {
  const bus = createEventBus<Events>();

  it('types handler payloads from the event map', () => {
    bus.subscribe('tick', (tick) => {
      expectTypeOf(tick).toEqualTypeOf<{ price: number; size: number }>();
    });
    bus.once('end', (payload) => {
      expectTypeOf(payload).toEqualTypeOf<undefined>();
    });
  });

  it('rejects unknown topics and wrong payloads at compile time', () => {
    // @ts-expect-error 'bar' is not a topic of Events
    bus.publish('bar', { close: 1 });
    // @ts-expect-error a tick needs a size
    bus.publish('tick', { price: 1 });
    // @ts-expect-error the payload of 'end' is undefined
    bus.enqueue('end', 1);
    bus.publish('end', undefined);
  });

  it('returns unsubscribe functions and plain snapshots', () => {
    expectTypeOf(bus.subscribe('tick', () => undefined)).toEqualTypeOf<Unsubscribe>();
    expectTypeOf(
      bus.onError((failure) => expectTypeOf(failure).toEqualTypeOf<HandlerFailure>()),
    ).toEqualTypeOf<Unsubscribe>();
    expectTypeOf(bus.stats()).toEqualTypeOf<EventBusStats>();
    expectTypeOf(bus.enqueue('tick', { price: 1, size: 1 })).toEqualTypeOf<void | Promise<void>>();
  });
});
