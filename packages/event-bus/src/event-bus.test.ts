import { describe, expect, it } from 'vitest';
import { createEventBus } from './event-bus.js';

describe('createEventBus', () => {
  it('delivers a payload to handlers in subscription order', () => {
    const bus = createEventBus<{ tick: number }>();
    const seen: string[] = [];
    bus.subscribe('tick', (n) => seen.push(`a${n}`));
    bus.subscribe('tick', (n) => seen.push(`b${n}`));
    bus.publish('tick', 1);
    expect(seen, 'handlers run in the order they subscribed').toEqual(['a1', 'b1']);
  });

  it('stops delivering after unsubscribe', () => {
    const bus = createEventBus<{ tick: number }>();
    const seen: number[] = [];
    const off = bus.subscribe('tick', (n) => seen.push(n));
    bus.publish('tick', 1);
    off();
    bus.publish('tick', 2);
    expect(seen).toEqual([1]);
  });
});
