import { describe, expect, it, vi } from 'vitest';
import { createEventBus, type HandlerFailure } from './event-bus.js';
import {
  EventBusError,
  EventBusEventDroppedError,
  EventBusOptionError,
  EventBusQueueFullError,
  EventBusRecursionError,
} from './event-bus-error.js';

interface Events {
  tick: number;
  bar: string;
  ping: number;
  pong: number;
}

function collectFailures(bus: {
  onError(handler: (failure: HandlerFailure) => void): unknown;
}): HandlerFailure[] {
  const failures: HandlerFailure[] = [];
  bus.onError((failure) => failures.push(failure));
  return failures;
}

describe('synchronous delivery', () => {
  it('delivers a payload to handlers in subscription order and returns after the last one ran', () => {
    const bus = createEventBus<Events>();
    const seen: string[] = [];
    bus.subscribe('tick', (n) => seen.push(`a${n}`));
    bus.subscribe('tick', (n) => seen.push(`b${n}`));
    bus.subscribe('tick', (n) => seen.push(`c${n}`));
    bus.publish('tick', 1);
    seen.push('returned');
    expect(seen, 'handlers run in the order they subscribed, before publish returns').toEqual([
      'a1',
      'b1',
      'c1',
      'returned',
    ]);
  });

  it('delivers a nested publish completely before the outer delivery continues (depth first)', () => {
    const bus = createEventBus<Events>();
    const seen: string[] = [];
    bus.subscribe('tick', (n) => {
      seen.push(`A tick${n} start`);
      bus.publish('bar', `bar${n}`);
      seen.push(`A tick${n} end`);
    });
    bus.subscribe('tick', (n) => seen.push(`B tick${n}`));
    bus.subscribe('bar', (b) => seen.push(`C ${b}`));
    bus.publish('tick', 1);
    expect(seen).toEqual(['A tick1 start', 'C bar1', 'A tick1 end', 'B tick1']);
  });

  it('ignores publishes to a topic nobody subscribed to, but counts them', () => {
    const bus = createEventBus<Events>();
    bus.publish('bar', 'x');
    expect(bus.stats().topics.bar).toEqual({
      published: 1,
      delivered: 0,
      failed: 0,
      dropped: 0,
      subscribers: 0,
    });
  });
});

describe('snapshot semantics', () => {
  it('does not deliver the in-flight event to a handler subscribed during its delivery, but delivers the next', () => {
    const bus = createEventBus<Events>();
    const seen: string[] = [];
    let added = false;
    bus.subscribe('tick', (n) => {
      seen.push(`first${n}`);
      if (!added) {
        added = true;
        bus.subscribe('tick', (m) => seen.push(`late${m}`));
      }
    });
    bus.publish('tick', 1);
    bus.publish('tick', 2);
    expect(seen).toEqual(['first1', 'first2', 'late2']);
  });

  it('does not deliver the in-flight event to a handler unsubscribed before its turn', () => {
    const bus = createEventBus<Events>();
    const seen: string[] = [];
    bus.subscribe('tick', (n) => {
      seen.push(`a${n}`);
      offC();
    });
    bus.subscribe('tick', (n) => seen.push(`b${n}`));
    const offC = bus.subscribe('tick', (n) => seen.push(`c${n}`));
    bus.publish('tick', 1);
    expect(seen, 'c was unsubscribed by a before its turn came').toEqual(['a1', 'b1']);
  });

  it('keeps delivering to the remaining handlers when a handler unsubscribes itself', () => {
    const bus = createEventBus<Events>();
    const seen: string[] = [];
    const offA = bus.subscribe('tick', (n) => {
      seen.push(`a${n}`);
      offA();
    });
    bus.subscribe('tick', (n) => seen.push(`b${n}`));
    bus.publish('tick', 1);
    bus.publish('tick', 2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });
});

describe('unsubscribe', () => {
  it('stops delivering after the returned function is called, and a second call does nothing', () => {
    const bus = createEventBus<Events>();
    const seen: number[] = [];
    const off = bus.subscribe('tick', (n) => seen.push(n));
    bus.subscribe('tick', () => undefined);
    bus.publish('tick', 1);
    off();
    off();
    bus.publish('tick', 2);
    expect(seen).toEqual([1]);
    expect(bus.listenerCount('tick'), 'the second call did not remove the other handler').toBe(1);
  });

  it('unsubscribes when the AbortSignal aborts', () => {
    const bus = createEventBus<Events>();
    const seen: number[] = [];
    const controller = new AbortController();
    bus.subscribe('tick', (n) => seen.push(n), { signal: controller.signal });
    bus.publish('tick', 1);
    controller.abort();
    bus.publish('tick', 2);
    expect(seen).toEqual([1]);
    expect(bus.listenerCount('tick')).toBe(0);
  });

  it('subscribes nothing when the AbortSignal is already aborted', () => {
    const bus = createEventBus<Events>();
    const handler = vi.fn();
    bus.subscribe('tick', handler, { signal: AbortSignal.abort() });
    bus.publish('tick', 1);
    expect(handler).not.toHaveBeenCalled();
    expect(bus.listenerCount('tick')).toBe(0);
  });
});

describe('once', () => {
  it('runs a handler for the first event only', () => {
    const bus = createEventBus<Events>();
    const seen: number[] = [];
    bus.once('tick', (n) => seen.push(n));
    bus.publish('tick', 1);
    bus.publish('tick', 2);
    expect(seen).toEqual([1]);
    expect(bus.listenerCount('tick')).toBe(0);
  });

  it('runs once even when its own handler publishes the same topic again', () => {
    const bus = createEventBus<Events>();
    const seen: number[] = [];
    bus.subscribe('tick', (n) => {
      if (n === 1) bus.publish('tick', 2);
    });
    bus.once('tick', (n) => seen.push(n));
    bus.publish('tick', 1);
    expect(
      seen,
      'the nested event 2 fired the once-handler; the outer event 1 must not fire it again',
    ).toEqual([2]);
  });

  it('can be cancelled before it fires', () => {
    const bus = createEventBus<Events>();
    const handler = vi.fn();
    const off = bus.once('tick', handler);
    off();
    bus.publish('tick', 1);
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('error isolation', () => {
  it('runs every other handler when one throws, and reports the failure with topic, handler name and error', () => {
    const bus = createEventBus<Events>();
    const failures = collectFailures(bus);
    const seen: string[] = [];
    const boom = new Error('boom');
    bus.subscribe('tick', () => seen.push('a'));
    bus.subscribe('tick', function indicators() {
      throw boom;
    });
    bus.subscribe('tick', () => seen.push('c'));
    bus.publish('tick', 7);
    expect(seen).toEqual(['a', 'c']);
    expect(failures).toEqual([
      { topic: 'tick', handlerName: 'indicators', error: boom, critical: false, kind: 'threw', sequence: 1 },
    ]);
    expect(bus.stats().topics.tick).toMatchObject({ published: 1, delivered: 3, failed: 1 });
  });

  it('reports a rejected promise from an async handler, marked critical when the handler is', async () => {
    const bus = createEventBus<Events>();
    const failures = collectFailures(bus);
    const seen: string[] = [];
    bus.subscribe(
      'tick',
      async () => {
        await Promise.resolve();
        throw new Error('late');
      },
      { name: 'risk', critical: true },
    );
    bus.subscribe('tick', () => seen.push('after'));
    bus.publish('tick', 1);
    expect(seen).toEqual(['after']);
    expect(bus.stats().pendingAsync).toBe(1);
    await bus.drain();
    expect(failures.map((f) => [f.kind, f.handlerName, f.critical, (f.error as Error).message])).toEqual([
      ['rejected', 'risk', true, 'late'],
    ]);
    expect(bus.stats()).toMatchObject({ failures: 1, criticalFailures: 1, pendingAsync: 0 });
  });

  it('names anonymous handlers after their topic and position', () => {
    const bus = createEventBus<Events>();
    const failures = collectFailures(bus);
    bus.subscribe('tick', () => undefined);
    bus.subscribe('tick', () => {
      throw new Error('x');
    });
    bus.publish('tick', 1);
    expect(failures[0]?.handlerName).toBe('tick#2');
  });

  it('sends failures to onUnhandledFailure while no onError handler is registered', () => {
    const unhandled: string[] = [];
    const bus = createEventBus<Events>({ onUnhandledFailure: (f) => unhandled.push(f.handlerName) });
    bus.subscribe(
      'tick',
      () => {
        throw new Error('x');
      },
      { name: 'h' },
    );
    bus.publish('tick', 1);
    const off = bus.onError(() => undefined);
    bus.publish('tick', 2);
    off();
    bus.publish('tick', 3);
    expect(unhandled, 'the second failure went to onError instead').toEqual(['h', 'h']);
  });

  it('keeps reporting to the other onError handlers when one of them throws', () => {
    const bus = createEventBus<Events>();
    const errorSpy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const reached: string[] = [];
    bus.onError(() => {
      throw new Error('broken reporter');
    });
    bus.onError((f) => reached.push(f.kind));
    bus.subscribe('tick', () => {
      throw new Error('x');
    });
    bus.publish('tick', 1);
    expect(reached).toEqual(['threw']);
    expect(errorSpy).toHaveBeenCalledTimes(1);
    errorSpy.mockRestore();
  });
});

describe('recursion guard', () => {
  it('stops a circular chain at maxDepth and reports a typed error naming the chain of topics', () => {
    const bus = createEventBus<Events>({ maxDepth: 4 });
    const failures = collectFailures(bus);
    const seen: string[] = [];
    bus.subscribe('ping', function pinger(n) {
      seen.push(`ping${n}`);
      bus.publish('pong', n + 1);
    });
    bus.subscribe('pong', function ponger(n) {
      seen.push(`pong${n}`);
      bus.publish('ping', n + 1);
    });
    expect(() => bus.publish('ping', 0)).not.toThrow();
    expect(seen, 'four levels are delivered; the fifth publish is refused').toEqual([
      'ping0',
      'pong1',
      'ping2',
      'pong3',
    ]);
    expect(failures).toHaveLength(1);
    const failure = failures[0] as HandlerFailure;
    expect(failure).toMatchObject({
      topic: 'ping',
      handlerName: 'ponger',
      kind: 'recursion-limit',
      sequence: 4,
    });
    expect(failure.error).toBeInstanceOf(EventBusRecursionError);
    expect((failure.error as EventBusRecursionError).chain).toEqual(['ping', 'pong', 'ping', 'pong', 'ping']);
    expect((failure.error as EventBusRecursionError).code).toBe('EVENT_BUS_RECURSION_LIMIT');
    expect((failure.error as Error).message).toBe(
      'expected nested publishes at most 4 deep, found a chain of 5: ping → pong → ping → pong → ping',
    );
    expect(bus.stats().topics.ping).toMatchObject({ published: 3, dropped: 1 });
    bus.publish('tick', 1);
    expect(bus.stats().sequence, 'the bus still works after the stop (4 delivered + 1)').toBe(5);
  });
});

describe('taps', () => {
  it('sees every event with its sequence number and the sequence number of the event that caused it', () => {
    const bus = createEventBus<Events>();
    const seen: unknown[] = [];
    bus.subscribe('tick', (n) => bus.publish('bar', `b${n}`));
    const untap = bus.tap((topic, payload, seq, parent) => seen.push([topic, payload, seq, parent]));
    bus.publish('tick', 1);
    bus.publish('tick', 2);
    untap();
    bus.publish('tick', 3);
    expect(seen).toEqual([
      ['tick', 1, 1, 0],
      ['bar', 'b1', 2, 1],
      ['tick', 2, 3, 0],
      ['bar', 'b2', 4, 3],
    ]);
  });

  it('reports a throwing tap and still delivers the event', () => {
    const bus = createEventBus<Events>();
    const failures = collectFailures(bus);
    const handler = vi.fn();
    bus.subscribe('tick', handler);
    bus.tap(() => {
      throw new Error('tap');
    });
    bus.publish('tick', 1);
    expect(handler).toHaveBeenCalledWith(1);
    expect(failures.map((f) => [f.kind, f.handlerName])).toEqual([['tap-threw', '(tap)']]);
  });
});

describe('metrics', () => {
  it('counts published, delivered, failed and subscribers per topic', () => {
    const bus = createEventBus<Events>({ onUnhandledFailure: () => undefined });
    bus.subscribe('tick', () => undefined);
    bus.subscribe('tick', (n) => {
      if (n % 2 === 0) throw new Error('even');
    });
    for (let n = 1; n <= 5; n++) bus.publish('tick', n);
    expect(bus.stats().topics.tick).toEqual({
      published: 5,
      delivered: 10,
      failed: 2,
      dropped: 0,
      subscribers: 2,
    });
  });

  it('samples publish→handler latency at the configured rate', () => {
    const bus = createEventBus<Events>({ latencySampleEvery: 4 });
    bus.subscribe('tick', () => undefined);
    bus.subscribe('tick', () => undefined);
    for (let n = 0; n < 40; n++) bus.publish('tick', n);
    const latency = bus.stats().latency;
    expect(latency?.count, 'every 4th of 40 events, timed at each of its 2 handlers').toBe(20);
    expect(latency?.sampleEvery).toBe(4);
    expect(latency?.p50Us).toBeGreaterThanOrEqual(0);
    expect(latency?.maxUs).toBeGreaterThanOrEqual(latency?.p99Us ?? Number.NaN);
  });

  it('leaves latency out when sampling is disabled', () => {
    const bus = createEventBus<Events>({ latencySampleEvery: 0 });
    bus.subscribe('tick', () => undefined);
    for (let n = 0; n < 5000; n++) bus.publish('tick', n);
    expect(bus.stats().latency).toBeUndefined();
  });
});

describe('queued mode', () => {
  it('delivers enqueued events after the producer’s call returns, in FIFO order, breadth first', async () => {
    const bus = createEventBus<Events>();
    const seen: string[] = [];
    bus.subscribe('tick', (n) => {
      seen.push(`tick${n}`);
      bus.enqueue('bar', `bar${n}`);
    });
    bus.subscribe('bar', (b) => seen.push(b));
    bus.enqueue('tick', 1);
    bus.enqueue('tick', 2);
    seen.push('producer done');
    expect(bus.stats().queueDepth).toBe(2);
    await bus.drain();
    expect(seen).toEqual(['producer done', 'tick1', 'tick2', 'bar1', 'bar2']);
    expect(bus.stats().queue).toMatchObject({ depth: 0, highWaterMark: 2 });
  });

  it('gives queued events the same sequence, parent, depth and recursion accounting as published ones', async () => {
    // 0: no event is sampled; 1: every event is; 2 and 3 mix sampled and unsampled slots in one queue.
    for (const latencySampleEvery of [0, 1, 2, 3]) {
      const bus = createEventBus<Events>({ maxDepth: 2, latencySampleEvery });
      const failures = collectFailures(bus);
      const tapped: string[] = [];
      bus.tap((topic, payload, sequence, parent) => tapped.push(`${sequence}<${parent} ${topic}:${payload}`));
      bus.subscribe('tick', (n) => bus.publish('ping', n));
      bus.subscribe('ping', (n) => bus.publish('pong', n));
      bus.enqueue('tick', 1);
      bus.publish('bar', 'outside');
      bus.enqueue('tick', 2);
      await bus.drain();
      // Sequences count delivered events; each nested event names the event whose handler published it.
      expect(tapped, `latencySampleEvery ${latencySampleEvery}`).toEqual([
        '1<0 bar:outside',
        '2<0 tick:1',
        '3<2 ping:1',
        '4<0 tick:2',
        '5<4 ping:2',
      ]);
      // Depth 2 is the limit: the queued tick is depth 1, its ping depth 2, the pong from there is refused.
      expect(failures.map((f) => (f.error as EventBusRecursionError).chain)).toEqual([
        ['tick', 'ping', 'pong'],
        ['tick', 'ping', 'pong'],
      ]);
      expect(failures.map((f) => f.sequence)).toEqual([3, 5]);
      bus.publish('pong', 9);
      expect(failures, 'after the drain the bus is back at depth 0').toHaveLength(2);
    }
  });

  it('throws a typed error under the reject policy when the queue is full, and counts the refusal', async () => {
    const bus = createEventBus<Events>({ queue: { capacity: 4, overflow: 'reject' } });
    const seen: number[] = [];
    bus.subscribe('tick', (n) => seen.push(n));
    for (let n = 1; n <= 4; n++) bus.enqueue('tick', n);
    let caught: unknown;
    try {
      bus.enqueue('tick', 5);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EventBusQueueFullError);
    expect(EventBusError.isInstance(caught)).toBe(true);
    expect((caught as EventBusQueueFullError).code).toBe('EVENT_BUS_QUEUE_FULL');
    await bus.drain();
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(bus.stats().topics.tick).toMatchObject({ published: 5, delivered: 4, dropped: 1 });
    expect(bus.stats().queue.rejected).toBe(1);
  });

  it('discards the oldest events under drop-oldest, counting and reporting each one', async () => {
    const bus = createEventBus<Events>({ queue: { capacity: 4, overflow: 'drop-oldest' } });
    const failures = collectFailures(bus);
    const seen: number[] = [];
    bus.subscribe('tick', (n) => seen.push(n));
    for (let n = 1; n <= 6; n++) bus.enqueue('tick', n);
    await bus.drain();
    expect(seen).toEqual([3, 4, 5, 6]);
    expect(failures.map((f) => [f.kind, f.topic, f.handlerName])).toEqual([
      ['dropped', 'tick', '(queue)'],
      ['dropped', 'tick', '(queue)'],
    ]);
    expect(failures[0]?.error).toBeInstanceOf(EventBusEventDroppedError);
    expect(bus.stats().topics.tick).toMatchObject({ published: 6, delivered: 4, dropped: 2 });
    expect(bus.stats().queue.dropped).toBe(2);
  });

  it('makes producers wait for room under the wait policy and loses nothing', async () => {
    const bus = createEventBus<Events>({ queue: { capacity: 4, overflow: 'wait' } });
    const seen: number[] = [];
    bus.subscribe('tick', (n) => seen.push(n));
    let waited = 0;
    for (let n = 1; n <= 50; n++) {
      const room = bus.enqueue('tick', n);
      if (room !== undefined) {
        waited++;
        expect(bus.stats().queue.waiting).toBe(1);
        await room;
      }
    }
    await bus.drain();
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(waited, 'the producer had to wait each time the 4 slots were full').toBeGreaterThan(0);
    expect(bus.stats().topics.tick).toMatchObject({ published: 50, delivered: 50, dropped: 0 });
  });

  it('keeps FIFO order for producers that enqueue while others wait', async () => {
    const bus = createEventBus<Events>({ queue: { capacity: 2, overflow: 'wait' } });
    const seen: number[] = [];
    bus.subscribe('tick', (n) => seen.push(n));
    const pending = [1, 2, 3, 4, 5, 6].map((n) => bus.enqueue('tick', n));
    expect(pending.map((p) => p === undefined)).toEqual([true, true, false, false, false, false]);
    await Promise.all(pending);
    await bus.drain();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('admits waiting producers in order when a turn ends on a full batch or an empty queue', async () => {
    for (const [capacity, batchSize] of [
      [1, 1],
      [2, 2],
      [2, 1],
      [4, 3],
    ] as const) {
      const bus = createEventBus<Events>({ queue: { capacity, batchSize, overflow: 'wait' } });
      const seen: number[] = [];
      bus.subscribe('tick', (n) => seen.push(n));
      const pending = Array.from({ length: 9 }, (_, i) => bus.enqueue('tick', i + 1));
      await Promise.all(pending);
      await bus.drain();
      expect(seen, `capacity ${capacity}, batchSize ${batchSize}`).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(bus.stats().queue).toMatchObject({ depth: 0, waiting: 0, highWaterMark: capacity });
    }
  });

  it('lets a tap registered by a queued handler see the following queued events, and only those', async () => {
    const bus = createEventBus<Events>({ latencySampleEvery: 0 });
    const tapped: string[] = [];
    let off: () => void = () => undefined;
    bus.subscribe('tick', (n) => {
      if (n === 2)
        off = bus.tap((topic, payload, sequence) => tapped.push(`${sequence} ${topic}:${payload}`));
      if (n === 4) off();
    });
    for (let n = 1; n <= 5; n++) bus.enqueue('tick', n);
    await bus.drain();
    expect(tapped).toEqual(['3 tick:3', '4 tick:4']);
  });

  it('yields to the event loop between batches so a flood cannot starve I/O', async () => {
    const bus = createEventBus<Events>({ queue: { capacity: 16, batchSize: 4 } });
    const seen: string[] = [];
    bus.subscribe('tick', (n) => seen.push(`t${n}`));
    for (let n = 1; n <= 10; n++) bus.enqueue('tick', n);
    setImmediate(() => seen.push('io'));
    await bus.drain();
    expect(
      seen.indexOf('io'),
      'the immediate ran after the first batch of 4, before the last event',
    ).toBeLessThan(seen.indexOf('t10'));
    expect(seen.filter((s) => s !== 'io')).toEqual(Array.from({ length: 10 }, (_, i) => `t${i + 1}`));
  });

  it('yields between batches also when the handlers keep enqueueing derived events', async () => {
    const bus = createEventBus<Events>({ queue: { capacity: 16, batchSize: 4 } });
    const seen: string[] = [];
    // Each tick queues the next one from inside its handler: the chain never leaves the queue empty.
    bus.subscribe('tick', (n) => {
      seen.push(`t${n}`);
      if (n < 40) bus.enqueue('tick', n + 1);
    });
    bus.enqueue('tick', 1);
    setImmediate(() => seen.push('io'));
    await bus.drain();
    const io = seen.indexOf('io');
    expect(io, 'the immediate ran before the chain was drained').toBeGreaterThanOrEqual(0);
    expect(io, 'the immediate ran within the first two batches').toBeLessThanOrEqual(8);
    expect(seen.filter((s) => s !== 'io')).toEqual(Array.from({ length: 40 }, (_, i) => `t${i + 1}`));
  });

  it('gives what a tap publishes during a queued delivery no parent, as during a publish from outside', async () => {
    const bus = createEventBus<Events>({ latencySampleEvery: 0 });
    const tapped: string[] = [];
    bus.subscribe('tick', (n) => {
      // From the second tick on, a tap echoes every tick; it runs before the tick's handlers.
      if (n === 2)
        bus.tap((topic, payload, sequence, parent) => {
          tapped.push(`${sequence}<${parent} ${topic}:${payload}`);
          if (topic === 'tick') bus.publish('bar', `echo ${payload}`);
        });
    });
    for (let n = 1; n <= 3; n++) bus.enqueue('tick', n);
    await bus.drain();
    expect(tapped).toEqual(['3<0 tick:3', '4<0 bar:echo 3']);
  });

  it('keeps the high-water mark exact while the queue grows below its previous high and during a drain', async () => {
    const bus = createEventBus<Events>({ queue: { capacity: 64 } });
    let deepest = 0;
    const enqueue = (topic: 'tick' | 'bar', payload: number | string): void => {
      (bus.enqueue as (t: string, p: unknown) => void)(topic, payload);
      deepest = Math.max(deepest, bus.stats().queueDepth);
    };
    // Each of the first three ticks queues two bars while it is delivered, so the queue grows mid-drain.
    bus.subscribe('tick', (n) => {
      if (n <= 3) {
        enqueue('bar', `${n}a`);
        enqueue('bar', `${n}b`);
      }
    });
    const bars: string[] = [];
    bus.subscribe('bar', (b) => bars.push(b));
    for (let n = 4; n <= 6; n++) enqueue('tick', n);
    await bus.drain();
    expect(bus.stats().queue.highWaterMark).toBe(3);
    for (let n = 4; n <= 5; n++) enqueue('tick', n);
    await bus.drain();
    expect(bus.stats().queue.highWaterMark, 'two below the previous high leave it alone').toBe(3);
    for (let n = 1; n <= 3; n++) enqueue('tick', n);
    await bus.drain();
    // 3 ticks queued; each delivery takes one out and puts two bars in: 3 → 4 → 5 → 6.
    expect(deepest).toBe(6);
    expect(bus.stats().queue.highWaterMark, 'the deepest depth any enqueue left behind').toBe(deepest);
    expect(bars).toEqual(['1a', '1b', '2a', '2b', '3a', '3b']);
    expect(bus.stats().topics.bar).toMatchObject({ published: 6, delivered: 6, dropped: 0 });
  });

  it('applies snapshot semantics to queued deliveries, with one handler and with several', async () => {
    const bus = createEventBus<Events>();
    const seen: string[] = [];
    let offB: () => void = () => undefined;
    bus.subscribe('tick', (n) => {
      seen.push(`a${n}`);
      if (n === 1) offB(); // b has not run for event 1 yet: it must not
      if (n === 2) bus.subscribe('tick', (m) => seen.push(`c${m}`)); // c starts with event 3
    });
    offB = bus.subscribe('tick', (n) => seen.push(`b${n}`));
    bus.subscribe('bar', (b) => seen.push(b));
    bus.enqueue('bar', 'only');
    for (let n = 1; n <= 3; n++) bus.enqueue('tick', n);
    await bus.drain();
    expect(seen).toEqual(['only', 'a1', 'a2', 'a3', 'c3']);
    expect(bus.stats().topics.tick).toMatchObject({ published: 3, delivered: 4 });
  });

  it('names the queued handler whose publish the recursion guard refused', async () => {
    for (const latencySampleEvery of [0, 1]) {
      const bus = createEventBus<Events>({ maxDepth: 1, latencySampleEvery });
      const failures = collectFailures(bus);
      bus.subscribe('tick', function relay(n) {
        bus.publish('ping', n);
      });
      bus.subscribe(
        'tick',
        (n) => {
          bus.publish('pong', n);
        },
        { name: 'second', critical: true },
      );
      bus.enqueue('tick', 1);
      bus.enqueue('tick', 2);
      await bus.drain();
      expect(
        failures.map((f) => `${f.handlerName} ${f.critical} ${f.topic} ${f.sequence}`),
        `latencySampleEvery ${latencySampleEvery}`,
      ).toEqual(['relay false ping 1', 'second true pong 1', 'relay false ping 2', 'second true pong 2']);
    }
  });

  it('forgets the parent of a dropped event: the event reusing its slot has its own', async () => {
    const bus = createEventBus<Events>({
      latencySampleEvery: 0,
      queue: { capacity: 2, overflow: 'drop-oldest' },
    });
    collectFailures(bus);
    const tapped: string[] = [];
    bus.tap((topic, payload, sequence, parent) => tapped.push(`${sequence}<${parent} ${topic}:${payload}`));
    bus.subscribe('ping', () => bus.enqueue('tick', 10));
    bus.subscribe('tick', () => undefined);
    bus.publish('ping', 1); // sequence 1; its handler queues tick 10 with parent 1
    bus.enqueue('tick', 20); // parent 0
    bus.enqueue('tick', 30); // the queue is full: tick 10 is dropped and tick 30 takes its slot
    await bus.drain();
    expect(tapped).toEqual(['1<0 ping:1', '2<0 tick:20', '3<0 tick:30']);
    expect(bus.stats().queue.dropped).toBe(1);
  });

  it('drain resolves at once when nothing is queued or pending', async () => {
    const bus = createEventBus<Events>();
    await expect(bus.drain()).resolves.toBeUndefined();
  });
});

describe('options', () => {
  it('rejects an out-of-range option with a typed error naming it', () => {
    expect(() => createEventBus({ maxDepth: 0 })).toThrow(
      new EventBusOptionError('maxDepth', 'an integer ≥ 1', 0),
    );
    expect(() => createEventBus({ maxDepth: 0 })).toThrow('maxDepth: expected an integer ≥ 1, got 0');
    expect(() => createEventBus({ queue: { overflow: 'block' as 'wait' } })).toThrow(
      "queue.overflow: expected 'reject', 'drop-oldest' or 'wait', got block",
    );
  });

  it('rounds the queue capacity up to a power of two', () => {
    expect(createEventBus({ queue: { capacity: 1000 } }).stats().queue.capacity).toBe(1024);
  });
});

describe('reporting', () => {
  it('keeps publish from throwing when onUnhandledFailure itself throws', () => {
    const errorSpy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const bus = createEventBus<Events>({
      onUnhandledFailure: () => {
        throw new Error('reporter down');
      },
    });
    const seen: number[] = [];
    bus.subscribe('tick', () => {
      throw new Error('x');
    });
    bus.subscribe('tick', (n) => seen.push(n));
    expect(() => bus.publish('tick', 1)).not.toThrow();
    expect(seen).toEqual([1]);
    expect(errorSpy).toHaveBeenCalledTimes(1);
    errorSpy.mockRestore();
  });
});

describe('handler names', () => {
  it('names a once handler after the caller’s function, or its topic and position', () => {
    const bus = createEventBus<Events>();
    const failures = collectFailures(bus);
    bus.once('tick', function warmUp() {
      throw new Error('x');
    });
    bus.once('tick', () => {
      throw new Error('y');
    });
    bus.publish('tick', 1);
    expect(failures.map((f) => f.handlerName)).toEqual(['warmUp', 'tick#2']);
  });
});
