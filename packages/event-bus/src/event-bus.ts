/**
 * The typed bus itself: topic table, synchronous isolated delivery, the recursion guard, taps, the failure
 * channel, counters, latency sampling and queued mode. The worker bridge and the journal live in their own
 * modules and use only the public `EventBus` interface.
 *
 * Delivery does not go through `eventemitter3.emit`: isolating each handler needs a try/catch per call, and
 * wrapping every listener in an isolating trampoline measured 1.3–1.7× raw eventemitter3 per publish (see
 * docs/event-bus.md). Instead each topic keeps a copy-on-write array of subscriptions, which gives the same
 * snapshot semantics eventemitter3 has, and the loop below calls them directly. eventemitter3 carries the
 * bus's control channel (failure reports) and is the reference the property test holds the bus equivalent to.
 */
import EventEmitter from 'eventemitter3';
import {
  EventBusEventDroppedError,
  EventBusOptionError,
  EventBusQueueFullError,
  EventBusRecursionError,
} from './event-bus-error.js';
import { EventRing } from './event-ring.js';
import { LatencySampler, type LatencyStats } from './latency-sampler.js';

/** The topic names of an event map `Events` (topic name → payload type). */
export type Topic<Events extends object> = keyof Events & string;

/**
 * A subscriber for payloads of type `T`. It may be `async`: a returned promise (any thenable) is not awaited
 * by `publish`, but its rejection is caught and reported like a throw. Other return values are ignored.
 *
 * @example
 * ```ts
 * const onTick: EventHandler<{ price: number }> = (tick) => console.log(tick.price);
 * ```
 */
export type EventHandler<T> = (payload: T) => unknown;

/**
 * Removes the subscription (or tap, or error handler) it was returned for. Calling it again does nothing.
 *
 * @example
 * ```ts
 * const off: Unsubscribe = bus.subscribe('tick', onTick);
 * off();
 * ```
 */
export type Unsubscribe = () => void;

/**
 * Options of `subscribe` and `once`.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * bus.subscribe('bar', onBar, { signal: controller.signal, name: 'indicators', critical: true });
 * controller.abort(); // unsubscribes
 * ```
 */
export interface SubscribeOptions {
  /** Unsubscribes when this signal aborts; a signal that is already aborted subscribes nothing. */
  signal?: AbortSignal;
  /** Name used in failure reports. Default: the handler function's name, else `'<topic>#<n>'`. */
  name?: string;
  /** When true, this handler's failures are reported with `critical: true` (the kernel shuts down on those). */
  critical?: boolean;
}

/**
 * What a failure report is about: a handler threw, a handler's promise rejected, a nested publish hit the
 * recursion limit, a tap threw, or the queue dropped an event under `'drop-oldest'`.
 *
 * @example
 * ```ts
 * const kind: FailureKind = 'rejected';
 * ```
 */
export type FailureKind = 'threw' | 'rejected' | 'recursion-limit' | 'tap-threw' | 'dropped';

/**
 * One report on the bus's error channel (`onError`).
 *
 * @example
 * ```ts
 * bus.onError((failure: HandlerFailure) => {
 *   logger.error({ topic: failure.topic, handler: failure.handlerName, err: failure.error }, failure.kind);
 *   if (failure.critical) void kernel.stop(`critical handler ${failure.handlerName} failed`);
 * });
 * ```
 */
export interface HandlerFailure {
  /** Topic of the event being delivered (for `'recursion-limit'` and `'dropped'`: the refused event's topic). */
  readonly topic: string;
  /** Name of the failing handler; `'(tap)'`, `'(queue)'` or `'(publisher)'` when no handler is involved. */
  readonly handlerName: string;
  /** What was thrown or rejected, or the bus's own typed error (`EventBusRecursionError`, …). */
  readonly error: unknown;
  /** True when the handler was subscribed with `critical: true`. */
  readonly critical: boolean;
  /** What kind of failure this is. */
  readonly kind: FailureKind;
  /**
   * Sequence number of the event being delivered when it failed. For `'recursion-limit'` it is the event whose
   * handler attempted the refused publish; for `'dropped'` it is 0 (the event never got a sequence number).
   */
  readonly sequence: number;
}

/**
 * Receives every event: its topic, payload, sequence number, and the sequence number of the event whose
 * delivery published it (0 for events published from outside any handler).
 *
 * @example
 * ```ts
 * const logTap: TapFunction = (topic, payload, sequence) => console.log(sequence, topic, payload);
 * ```
 */
export type TapFunction = (topic: string, payload: unknown, sequence: number, parent: number) => void;

/**
 * What `enqueue` does when the queue is full: throw `EventBusQueueFullError` (`'reject'`), discard the oldest
 * queued event (`'drop-oldest'`, counted and reported), or return a promise that resolves once the event found
 * room (`'wait'`).
 *
 * @example
 * ```ts
 * const policy: OverflowPolicy = 'wait';
 * ```
 */
export type OverflowPolicy = 'reject' | 'drop-oldest' | 'wait';

/**
 * Options of queued mode (`enqueue`/`drain`).
 *
 * @example
 * ```ts
 * createEventBus({ queue: { capacity: 1 << 16, overflow: 'drop-oldest' } });
 * ```
 */
export interface QueueOptions {
  /** Maximum queued events; rounded up to a power of two. Default 65 536. */
  capacity?: number;
  /** What `enqueue` does when the queue is full. Default `'reject'`. */
  overflow?: OverflowPolicy;
  /**
   * Most events delivered per drain turn before yielding to the event loop with `setImmediate`, so a flooded
   * queue cannot starve I/O. Default: the capacity.
   */
  batchSize?: number;
}

/**
 * Options of `createEventBus`.
 *
 * @example
 * ```ts
 * const bus = createEventBus<EngineEvents>({ name: 'engine', maxDepth: 16, latencySampleEvery: 4096 });
 * ```
 */
export interface EventBusOptions {
  /** Name used in unhandled-failure messages. Default `'event-bus'`. */
  name?: string;
  /** Deepest allowed chain of nested publishes (a handler publishing). Default 32. */
  maxDepth?: number;
  /** Time one event in this many (publish→handler latency). 0 disables sampling. Default 1024. */
  latencySampleEvery?: number;
  /** Queued-mode settings. */
  queue?: QueueOptions;
  /**
   * Receives failures while no `onError` handler is registered, so nothing fails silently. Default: one line on
   * `console.error`.
   */
  onUnhandledFailure?: (failure: HandlerFailure) => void;
}

/**
 * Counters of one topic. `published` counts every `publish` and `enqueue` call; each published event is then
 * either delivered, dropped (refused by a full queue, discarded by `'drop-oldest'`, or stopped by the recursion
 * guard) or still queued. `delivered` and `failed` count handler invocations.
 *
 * @example
 * ```ts
 * const { published, dropped } = bus.stats().topics.tick ?? { published: 0, dropped: 0 };
 * ```
 */
export interface TopicStats {
  /** Events accepted by `publish` or offered to `enqueue`. */
  readonly published: number;
  /** Handler invocations (one per event per handler), failed ones included. */
  readonly delivered: number;
  /** Handler invocations that threw or whose promise rejected. */
  readonly failed: number;
  /** Events that reached no handler: refused or discarded by the queue, or stopped by the recursion guard. */
  readonly dropped: number;
  /** Handlers subscribed right now. */
  readonly subscribers: number;
}

/**
 * State of the queue used by `enqueue`.
 *
 * @example
 * ```ts
 * const { depth, highWaterMark } = bus.stats().queue;
 * ```
 */
export interface QueueStats {
  /** Maximum queued events. */
  readonly capacity: number;
  /** Events queued right now. */
  readonly depth: number;
  /** Deepest the queue has been. */
  readonly highWaterMark: number;
  /** The configured overflow policy. */
  readonly overflow: OverflowPolicy;
  /** Events discarded under `'drop-oldest'`. */
  readonly dropped: number;
  /** Events refused under `'reject'`. */
  readonly rejected: number;
  /** Producers waiting for room under `'wait'`. */
  readonly waiting: number;
}

/**
 * A plain snapshot of the bus's metrics, safe to serialise; the kernel maps it to Prometheus metrics.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(bus.stats(), null, 2));
 * ```
 */
export interface EventBusStats {
  /** Per-topic counters, for every topic ever published to or subscribed to. */
  readonly topics: Record<string, TopicStats>;
  /** Events waiting in the queue (same as `queue.depth`). */
  readonly queueDepth: number;
  /** Queued-mode details. */
  readonly queue: QueueStats;
  /** Sequence number of the last delivered event (the count of delivered events). */
  readonly sequence: number;
  /** Failures reported since creation. */
  readonly failures: number;
  /** Failures of critical handlers since creation. */
  readonly criticalFailures: number;
  /** Promises returned by async handlers that have not settled yet. */
  readonly pendingAsync: number;
  /** Sampled publish→handler latency; absent when sampling is disabled. */
  readonly latency?: LatencyStats;
}

/**
 * A typed publish/subscribe bus over the event map `Events` (topic name → payload type).
 *
 * @example
 * ```ts
 * const bus = createEventBus<{ tick: { price: number } }>();
 * bus.subscribe('tick', (t) => console.log(t.price));
 * bus.publish('tick', { price: 101.25 });
 * ```
 */
export interface EventBus<Events extends object> {
  /** The name given in the options (default `'event-bus'`). */
  readonly name: string;
  /**
   * Delivers `payload` to every handler of `topic`, synchronously and in subscription order, and returns after
   * the last one ran. A handler that throws or rejects is reported on `onError` and the others still run.
   * Handlers subscribed during the delivery do not receive this event; handlers unsubscribed before their turn
   * do not either. A nested publish (from a handler) is delivered completely before the outer one continues.
   */
  publish<K extends Topic<Events>>(topic: K, payload: Events[K]): void;
  /** Registers `handler` for `topic`, after every current handler, and returns the function that removes it. */
  subscribe<K extends Topic<Events>>(
    topic: K,
    handler: EventHandler<Events[K]>,
    options?: SubscribeOptions,
  ): Unsubscribe;
  /** Like `subscribe`, but the handler runs for at most one event (it is removed before it runs). */
  once<K extends Topic<Events>>(
    topic: K,
    handler: EventHandler<Events[K]>,
    options?: SubscribeOptions,
  ): Unsubscribe;
  /**
   * Registers a receiver of failure reports (handler throws and rejections, recursion-limit stops, tap throws,
   * queue drops). While none is registered, reports go to `onUnhandledFailure`.
   */
  onError(handler: (failure: HandlerFailure) => void): Unsubscribe;
  /** Registers a function that sees every delivered event before its handlers do. Costs nothing while none is. */
  tap(fn: TapFunction): Unsubscribe;
  /** A snapshot of counters, queue state and sampled latency. */
  stats(): EventBusStats;
  /**
   * Queues an event for delivery outside the caller's stack (on a microtask), in FIFO order. Returns nothing,
   * except under the `'wait'` policy when the queue is full: then a promise that resolves once the event is
   * queued, which the producer must await before enqueueing more.
   *
   * @throws EventBusQueueFullError when the queue is full under the `'reject'` policy
   */
  enqueue<K extends Topic<Events>>(topic: K, payload: Events[K]): void | Promise<void>;
  /** Resolves once the queue is empty, no producer is waiting, and every async handler has settled. */
  drain(): Promise<void>;
  /** Number of handlers subscribed to `topic` right now. */
  listenerCount(topic: Topic<Events>): number;
}

/** One subscription. `active` turns false on unsubscribe, which also hides it from in-flight deliveries. */
class Subscription {
  readonly handler: (payload: unknown) => unknown;
  readonly name: string;
  readonly critical: boolean;
  readonly state: TopicState;
  active = true;

  constructor(handler: (payload: unknown) => unknown, name: string, critical: boolean, state: TopicState) {
    this.handler = handler;
    this.name = name;
    this.critical = critical;
    this.state = state;
  }
}

/** Handlers and counters of one topic. */
class TopicState {
  readonly name: string;
  /**
   * Small integer identity, so the drain loop can tell whether the topic changed with an integer compare.
   * `declare`d so that the constructor's store is the field's first (see EventRing).
   */
  declare readonly id: number;
  /** Replaced, never mutated: a delivery iterates the array it started with (snapshot semantics). */
  subscriptions: readonly Subscription[] = [];
  published = 0;
  delivered = 0;
  failed = 0;
  dropped = 0;
  /** Counts subscriptions ever made, for default handler names. */
  serial = 0;

  constructor(name: string, id: number) {
    this.name = name;
    this.id = id;
  }
}

/**
 * The per-bus mutable numbers of the hot path. They live in an object rather than in closure variables because
 * V8 stores object fields that outgrow small integers as in-place doubles, whereas a closure variable would
 * get a fresh heap number on every write once a sequence number passes 2^30.
 */
class DeliveryCursor {
  /** Sequence number of the last delivered event. */
  lastSequence = 0;
  /** Sequence number of the event whose handlers are running (0 outside any delivery). */
  currentSequence = 0;
  /** Nested deliveries in progress. */
  depth = 0;
  /** Events until the next latency sample. */
  sampleCountdown = 0;
  /**
   * The subscription whose handler the drain loop is running. The loop records it here rather than in the
   * bus's `running` variable (which stays undefined during a queued delivery), because a field of this object
   * is cheaper to compare and store there than a closure variable.
   */
  queued: Subscription | undefined = undefined;
}

type TopicTable = Record<string, TopicState | undefined>;

// The eventemitter3 trick: instances of a constructor whose prototype is a null-prototype object have no
// inherited keys ('constructor', '__proto__', 'toString') yet stay in V8's fast property mode, unlike
// Object.create(null). Lookups by topic name measured ~2x faster than a Map here.
const TopicTableConstructor = function TopicTable() {} as unknown as new () => TopicTable;
TopicTableConstructor.prototype = Object.create(null) as object;

interface QueueWaiter {
  readonly state: TopicState;
  readonly payload: unknown;
  readonly parent: number;
  readonly resolve: () => void;
}

/** Copy-on-write append: a new array, so deliveries iterating the old one are unaffected. */
function appended<T>(items: readonly T[], item: T): T[] {
  // slice + push keeps V8's PACKED elements kind, which the delivery loop reads without hole checks.
  const copy = items.slice();
  copy.push(item);
  return copy;
}

/** Copy-on-write removal of the first occurrence of `item`. */
function without<T>(items: readonly T[], item: T): T[] {
  const index = items.indexOf(item);
  if (index === -1) return items.slice();
  const copy = items.slice(0, index);
  for (let i = index + 1; i < items.length; i++) copy.push(items[i] as T);
  return copy;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function positiveInteger(option: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new EventBusOptionError(option, `an integer ≥ ${min}`, value);
  }
  return value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function defaultUnhandledFailure(busName: string): (failure: HandlerFailure) => void {
  return (failure) => {
    console.error(
      `[${busName}] ${failure.kind} in handler '${failure.handlerName}' of '${failure.topic}' (no onError handler registered):`,
      failure.error,
    );
  };
}

/**
 * Creates a typed event bus. See the guide (docs/event-bus.md) for delivery semantics, queued mode, the worker
 * bridge and the journal.
 *
 * @param options - see {@link EventBusOptions}; every field has a default
 * @returns a bus whose topics and payload types are those of `Events`
 * @throws EventBusOptionError when an option is out of range
 *
 * @example
 * ```ts
 * interface Events { tick: { price: number }; bar: { close: number } }
 * const bus = createEventBus<Events>();
 * const off = bus.subscribe('bar', (bar) => console.log(bar.close));
 * bus.onError((failure) => console.error(failure.topic, failure.handlerName, failure.error));
 * bus.publish('bar', { close: 4810.5 });
 * off();
 * ```
 */
export function createEventBus<Events extends object>(options: EventBusOptions = {}): EventBus<Events> {
  const busName = options.name ?? 'event-bus';
  const maxDepth = positiveInteger('maxDepth', options.maxDepth, 32, 1);
  const sampleEvery = positiveInteger('latencySampleEvery', options.latencySampleEvery, 1024, 0);
  const capacity = nextPowerOfTwo(positiveInteger('queue.capacity', options.queue?.capacity, 65_536, 1));
  const batchSize = positiveInteger('queue.batchSize', options.queue?.batchSize, capacity, 1);
  const overflow = options.queue?.overflow ?? 'reject';
  if (overflow !== 'reject' && overflow !== 'drop-oldest' && overflow !== 'wait') {
    throw new EventBusOptionError('queue.overflow', "'reject', 'drop-oldest' or 'wait'", overflow);
  }
  const onUnhandledFailure = options.onUnhandledFailure ?? defaultUnhandledFailure(busName);

  const topics: TopicTable = new TopicTableConstructor();
  const failureChannel = new EventEmitter<{ failure: [HandlerFailure] }>();
  const sampler = sampleEvery === 0 ? undefined : new LatencySampler(sampleEvery);
  const ring = new EventRing<TopicState>(capacity);
  // Topics being delivered, by depth, so a recursion report can name the chain without tracking it per event.
  const topicStack = new Array<string>(maxDepth).fill('');

  let taps: readonly TapFunction[] = [];
  const cursor = new DeliveryCursor();
  let running: Subscription | undefined;
  // With sampling disabled the countdown still runs (one branch fewer on the hot path) but restarts at 2^30 - 1,
  // which stays a small integer, and the sampled path then records nothing.
  const sampleRestart = sampleEvery === 0 ? 0x3fff_ffff : sampleEvery;
  cursor.sampleCountdown = sampleRestart;
  let failures = 0;
  let criticalFailures = 0;
  let pendingAsync = 0;
  let queueDropped = 0;
  let queueRejected = 0;
  let drainScheduled = false;
  let draining = false;
  // Producers waiting for room under 'wait', oldest at `waiterHead`; their count is mirrored in `ring.waiting`.
  const waiters: QueueWaiter[] = [];
  let waiterHead = 0;
  let drainWaiters: (() => void)[] = [];

  let topicCount = 0;
  function topicState(topic: string): TopicState {
    let state = topics[topic];
    if (state === undefined) {
      state = new TopicState(topic, ++topicCount);
      topics[topic] = state;
    }
    return state;
  }

  function report(failure: HandlerFailure): void {
    failures++;
    if (failure.critical) criticalFailures++;
    if (failureChannel.listenerCount('failure') === 0) {
      try {
        onUnhandledFailure(failure);
      } catch (error) {
        // Reporting runs inside the isolation catch: a throwing reporter must not escape into publish.
        console.error(`[${busName}] onUnhandledFailure threw while reporting a failure:`, error);
      }
      return;
    }
    failureChannel.emit('failure', failure);
  }

  function fail(subscription: Subscription, error: unknown, kind: FailureKind, sequence: number): void {
    subscription.state.failed++;
    report({
      topic: subscription.state.name,
      handlerName: subscription.name,
      error,
      critical: subscription.critical,
      kind,
      sequence,
    });
  }

  function watch(subscription: Subscription, result: unknown, sequence: number): void {
    if (!isThenable(result)) return;
    pendingAsync++;
    result.then(
      () => {
        pendingAsync--;
        settleDrainWaiters();
      },
      (error: unknown) => {
        pendingAsync--;
        fail(subscription, error, 'rejected', sequence);
        settleDrainWaiters();
      },
    );
  }

  function runTaps(topic: string, payload: unknown, sequence: number, parent: number): void {
    const current = taps;
    for (let i = 0; i < current.length; i++) {
      try {
        (current[i] as TapFunction)(topic, payload, sequence, parent);
      } catch (error) {
        report({ topic, handlerName: '(tap)', error, critical: false, kind: 'tap-threw', sequence });
      }
    }
  }

  function refuseNested(state: TopicState): void {
    state.dropped++;
    // Directly inside a queued handler `running` is undefined: the drain loop keeps its subscription apart.
    const current = running ?? (draining ? cursor.queued : undefined);
    const chain = topicStack.slice(0, cursor.depth);
    chain.push(state.name);
    report({
      topic: state.name,
      handlerName: current?.name ?? '(publisher)',
      error: new EventBusRecursionError(chain, maxDepth),
      critical: current?.critical ?? false,
      kind: 'recursion-limit',
      sequence: cursor.currentSequence,
    });
  }

  // The hot path. Everything per event is a counter update or a local; the try/catch costs nothing until a
  // handler throws, and the `active` check is what lets an unsubscribe take effect inside an in-flight delivery.
  function deliver(state: TopicState, payload: unknown, parent: number): void {
    const sequence = ++cursor.lastSequence;
    if (taps.length !== 0) runTaps(state.name, payload, sequence, parent);
    const outerSequence = cursor.currentSequence;
    const outerRunning = running;
    cursor.currentSequence = sequence;
    topicStack[cursor.depth] = state.name;
    cursor.depth++;
    const subscriptions = state.subscriptions;
    for (let i = 0; i < subscriptions.length; i++) {
      const subscription = subscriptions[i] as Subscription;
      if (!subscription.active) continue;
      running = subscription;
      state.delivered++;
      try {
        const result = subscription.handler(payload);
        if (result !== undefined) watch(subscription, result, sequence);
      } catch (error) {
        fail(subscription, error, 'threw', sequence);
      }
    }
    cursor.depth--;
    running = outerRunning;
    cursor.currentSequence = outerSequence;
  }

  // `deliver` plus a clock read before each handler; kept apart so the unsampled loop stays minimal.
  function deliverSampled(state: TopicState, payload: unknown, parent: number, since: number): void {
    cursor.sampleCountdown = sampleRestart;
    const sequence = ++cursor.lastSequence;
    if (taps.length !== 0) runTaps(state.name, payload, sequence, parent);
    const outerSequence = cursor.currentSequence;
    const outerRunning = running;
    cursor.currentSequence = sequence;
    topicStack[cursor.depth] = state.name;
    cursor.depth++;
    const subscriptions = state.subscriptions;
    for (let i = 0; i < subscriptions.length; i++) {
      const subscription = subscriptions[i] as Subscription;
      if (!subscription.active) continue;
      running = subscription;
      state.delivered++;
      if (sampler !== undefined) sampler.record(performance.now() - since);
      try {
        const result = subscription.handler(payload);
        if (result !== undefined) watch(subscription, result, sequence);
      } catch (error) {
        fail(subscription, error, 'threw', sequence);
      }
    }
    cursor.depth--;
    running = outerRunning;
    cursor.currentSequence = outerSequence;
  }

  function publish(topic: string, payload: unknown): void {
    const state = topics[topic] ?? topicState(topic);
    state.published++;
    if (cursor.depth === maxDepth) {
      refuseNested(state);
      return;
    }
    if (state.subscriptions.length === 0 && taps.length === 0) {
      // Nobody listens: the event still takes a sequence number, but there is nothing to time or to run.
      cursor.lastSequence++;
      return;
    }
    if (--cursor.sampleCountdown === 0) {
      deliverSampled(state, payload, cursor.currentSequence, performance.now());
      return;
    }
    deliver(state, payload, cursor.currentSequence);
  }

  function subscribe(
    topic: string,
    handler: (payload: unknown) => unknown,
    subscribeOptions: SubscribeOptions | undefined,
    named: (payload: never) => unknown = handler,
  ): Unsubscribe {
    if (typeof handler !== 'function') {
      throw new EventBusOptionError(`subscribe('${topic}') handler`, 'a function', handler);
    }
    const signal = subscribeOptions?.signal;
    if (signal?.aborted) return () => {};
    const state = topicState(topic);
    state.serial++;
    const name = subscribeOptions?.name ?? (named.name !== '' ? named.name : `${topic}#${state.serial}`);
    const subscription = new Subscription(handler, name, subscribeOptions?.critical ?? false, state);
    state.subscriptions = appended(state.subscriptions, subscription);
    const unsubscribe = (): void => {
      if (!subscription.active) return;
      subscription.active = false;
      state.subscriptions = without(state.subscriptions, subscription);
      signal?.removeEventListener('abort', unsubscribe);
    };
    signal?.addEventListener('abort', unsubscribe, { once: true });
    return unsubscribe;
  }

  function once(
    topic: string,
    handler: (payload: unknown) => unknown,
    subscribeOptions: SubscribeOptions | undefined,
  ): Unsubscribe {
    let fired = false;
    const wrapped = (payload: unknown): unknown => {
      // Removed before it runs (as in eventemitter3); `fired` also covers an outer delivery still holding it.
      if (fired) return undefined;
      fired = true;
      unsubscribe();
      return handler(payload);
    };
    // Named after the caller's handler, not the wrapper.
    const unsubscribe = subscribe(topic, wrapped, subscribeOptions, handler);
    return unsubscribe;
  }

  // ---- queued mode ----

  function scheduleDrain(): void {
    if (drainScheduled) return;
    drainScheduled = true;
    queueMicrotask(drainTurn);
  }

  function admitWaiters(): void {
    while (waiterHead < waiters.length && ring.size < ring.capacity) {
      const waiter = waiters[waiterHead] as QueueWaiter;
      waiters[waiterHead] = undefined as unknown as QueueWaiter;
      waiterHead++;
      ring.pushWide(waiter.state, waiter.payload, waiter.parent, 0);
      waiter.resolve();
    }
    if (waiterHead === waiters.length) {
      waiters.length = 0;
      waiterHead = 0;
    }
    ring.waiting = waiters.length - waiterHead;
    ring.noteDepth();
    ring.refreshStop();
  }

  function drainTurn(): void {
    drainScheduled = false;
    draining = true;
    // A turn always starts from the event loop, outside any delivery, so the depth and current-sequence
    // bookkeeping that `deliver` saves and restores per event for nested publishes is set once per turn here.
    cursor.depth = 1;
    // In chunks, so that V8 compiles drainRun as a function: given a whole turn in one call it only ever runs it
    // as on-stack-replacement code, whose loop keeps checks that normal code hoists (measured 10-15% slower).
    let budget = batchSize;
    while (budget !== 0) {
      // Producers waiting for room are admitted between events, so also before a chunk and after the last one.
      if (ring.waiting !== 0) admitWaiters();
      if (ring.size === 0) break;
      const chunk = Math.min(budget, 4096);
      budget -= chunk - drainRun(chunk);
    }
    if (ring.waiting !== 0) admitWaiters();
    cursor.depth = 0;
    cursor.currentSequence = 0;
    running = undefined;
    cursor.queued = undefined;
    draining = false;
    if (ring.size !== 0) {
      drainScheduled = true;
      setImmediate(drainTurn);
      return;
    }
    settleDrainWaiters();
  }

  // The queue's hot path: one flat loop over the ring that calls the handlers itself (`deliver`'s loop,
  // inlined by hand). It is its own function, not part of `drainTurn`, so V8 optimises it as a whole: as the
  // loop of `drainTurn` it ran as on-stack-replacement code that deoptimised at the end of every turn.
  // `head` and `size` are re-read from the ring after every event because a handler may enqueue (size grows)
  // or, under 'drop-oldest', discard the next event (head moves). Returns the budget left.
  //
  // Every property read is inside the loop, none before it: V8 allocates a function's feedback vector only
  // after a few calls, so reads done before the first call's loop record no type feedback, and a function
  // optimised from that state deoptimises on entry; this one then stayed in its slower on-stack-replacement
  // code for good (seen as runs alternating between ~9.3 and ~10.5 ns per event). Reading the ring's fields
  // in the loop costs nothing: they never change, so V8 folds them to constants.
  function drainRun(budget: number): number {
    // The closure's variables as locals: with more than one bus, V8 cannot treat them as constants, and every
    // use would load them from the closure context again (measured ~1.5 ns per event with four other buses).
    const queue = ring;
    const at = cursor;
    const stack = topicStack;
    // Id of the topic whose name is in topicStack[0]; a run of one topic then stores nothing there.
    let stacked = 0;
    // An int32 local: the parameter itself stays a tagged value the loop would check on every turn.
    let left = budget | 0;
    while (left !== 0) {
      const head = queue.head;
      if (head === queue.slowStop) {
        // Producers waiting for room, taps, or a wide event (a parent or a sample stamp): through the general
        // path, at depth 0 as a publish from outside any handler would be (it writes topicStack[0] itself).
        // Waiters are admitted first: they take the room the previous event left, as they would have had.
        if (queue.waiting !== 0) admitWaiters();
        if (queue.size === 0) return left;
        const wide = queue.headIsWide();
        if (wide) queue.shiftWide();
        const { slots, mask } = queue;
        const index = head << 1;
        const state = slots[index] as TopicState;
        const payload = slots[index + 1];
        slots[index + 1] = undefined;
        queue.head = (head + 1) & mask;
        queue.size--;
        queue.refreshStop();
        left--;
        const parent = wide ? (queue.parents[head] as number) : 0;
        const stamp = wide ? (queue.stamps[head] as number) : 0;
        // Outside any handler, as for a publish from outside: what a tap publishes has no parent.
        at.depth = 0;
        at.currentSequence = 0;
        if (stamp === 0) deliver(state, payload, parent);
        else deliverSampled(state, payload, parent, stamp);
        at.depth = 1;
        stacked = state.id;
        continue;
      }
      const size = queue.size;
      if (size === 0) return left;
      const { slots, mask } = queue;
      const index = head << 1;
      const state = slots[index] as TopicState;
      const payload = slots[index + 1];
      slots[index + 1] = undefined;
      queue.head = (head + 1) & mask;
      queue.size = size - 1;
      left--;
      {
        const sequence = ++at.lastSequence;
        at.currentSequence = sequence;
        if (state.id !== stacked) {
          stack[0] = state.name;
          stacked = state.id;
        }
        // Handler arrays are replaced, never mutated, so the length read once holds for the whole delivery.
        const subscriptions = state.subscriptions;
        const count = subscriptions.length;
        if (count === 1) {
          // One handler, the common case, without the loop's index, bounds and active checks (~0.5 ns per
          // event). It is active: the array was current when read and nothing has run for this event yet.
          const subscription = subscriptions[0] as Subscription;
          at.queued = subscription;
          state.delivered++;
          try {
            const result = subscription.handler(payload);
            if (result !== undefined) watch(subscription, result, sequence);
          } catch (error) {
            fail(subscription, error, 'threw', sequence);
          }
        } else {
          for (let i = 0; i < count; i++) {
            const subscription = subscriptions[i] as Subscription;
            // The first is active, as above; a later one may have been unsubscribed by an earlier handler. A
            // strict compare: `!active` compiles to a generic truthiness test, `active` being a tagged field.
            if (i !== 0 && subscription.active === false) continue;
            at.queued = subscription;
            state.delivered++;
            try {
              const result = subscription.handler(payload);
              if (result !== undefined) watch(subscription, result, sequence);
            } catch (error) {
              fail(subscription, error, 'threw', sequence);
            }
          }
        }
      }
    }
    return 0;
  }

  function settleDrainWaiters(): void {
    if (drainWaiters.length === 0 || ring.size !== 0 || pendingAsync !== 0 || draining) return;
    if (ring.waiting !== 0) return;
    const resolved = drainWaiters;
    drainWaiters = [];
    for (const resolve of resolved) resolve();
  }

  // Out of line so `enqueue` stays small enough to inline into the producer's loop.
  function overflowed(state: TopicState, payload: unknown): Promise<void> | undefined {
    if (overflow === 'reject') {
      state.dropped++;
      queueRejected++;
      throw new EventBusQueueFullError(state.name, ring.capacity);
    }
    if (overflow === 'wait') {
      const parent = cursor.currentSequence;
      scheduleDrain();
      return new Promise<void>((resolve) => {
        waiters.push({ state, payload, parent, resolve });
        ring.waiting = waiters.length - waiterHead;
        ring.threshold = 0;
        ring.refreshStop();
      });
    }
    const dropped = ring.frontTopic;
    const droppedTopic = dropped.name;
    ring.shift();
    dropped.dropped++;
    queueDropped++;
    report({
      topic: droppedTopic,
      handlerName: '(queue)',
      error: new EventBusEventDroppedError(droppedTopic, ring.capacity),
      critical: false,
      kind: 'dropped',
      sequence: 0,
    });
    return undefined;
  }

  // Small enough to inline into the producer's loop: a counter, the sampling countdown, one threshold compare
  // (see EventRing.threshold) and the push. Everything rarer is in `enqueueSlow`.
  function enqueue(topic: string, payload: unknown): void | Promise<void> {
    const state = topics[topic] ?? topicState(topic);
    state.published++;
    const size = ring.size;
    if (
      --cursor.sampleCountdown === 0 ||
      size === 0 ||
      size >= ring.threshold ||
      cursor.currentSequence !== 0
    ) {
      return enqueueSlow(state, payload);
    }
    ring.push(state, payload);
    return undefined;
  }

  function enqueueSlow(state: TopicState, payload: unknown): void | Promise<void> {
    let stamp = 0;
    if (cursor.sampleCountdown === 0) {
      cursor.sampleCountdown = sampleRestart;
      stamp = performance.now();
    }
    if (ring.size === ring.capacity || ring.waiting !== 0) {
      const waiting = overflowed(state, payload);
      if (waiting !== undefined) return waiting;
    }
    const parent = cursor.currentSequence;
    if (stamp === 0 && parent === 0) ring.push(state, payload);
    else ring.pushWide(state, payload, parent, stamp);
    ring.noteDepth();
    // During a turn the turn itself takes new events, up to its batch, then yields with setImmediate: a
    // microtask turn scheduled from inside it would run before any I/O and defeat `batchSize`.
    if (!drainScheduled && !draining) scheduleDrain();
    return undefined;
  }

  function drain(): Promise<void> {
    if (ring.size === 0 && pendingAsync === 0 && !draining && ring.waiting === 0) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      drainWaiters.push(resolve);
    });
  }

  function stats(): EventBusStats {
    const topicStats: Record<string, TopicStats> = {};
    for (const name of Object.keys(topics)) {
      const state = topics[name] as TopicState;
      topicStats[name] = {
        published: state.published,
        delivered: state.delivered,
        failed: state.failed,
        dropped: state.dropped,
        subscribers: state.subscriptions.length,
      };
    }
    const queue: QueueStats = {
      capacity: ring.capacity,
      depth: ring.size,
      highWaterMark: ring.highWaterMark,
      overflow,
      dropped: queueDropped,
      rejected: queueRejected,
      waiting: ring.waiting,
    };
    const snapshot: EventBusStats = {
      topics: topicStats,
      queueDepth: ring.size,
      queue,
      sequence: cursor.lastSequence,
      failures,
      criticalFailures,
      pendingAsync,
    };
    return sampler === undefined ? snapshot : { ...snapshot, latency: sampler.snapshot() };
  }

  return {
    name: busName,
    publish: publish as EventBus<Events>['publish'],
    subscribe: ((
      topic: string,
      handler: (payload: unknown) => unknown,
      subscribeOptions?: SubscribeOptions,
    ) => subscribe(topic, handler, subscribeOptions)) as EventBus<Events>['subscribe'],
    once: ((topic: string, handler: (payload: unknown) => unknown, subscribeOptions?: SubscribeOptions) =>
      once(topic, handler, subscribeOptions)) as EventBus<Events>['once'],
    onError(handler) {
      // Each error handler is isolated too: one that throws must not hide the report from the others.
      const isolated = (failure: HandlerFailure): void => {
        try {
          handler(failure);
        } catch (error) {
          console.error(`[${busName}] an onError handler threw while reporting a failure:`, error);
        }
      };
      failureChannel.on('failure', isolated);
      return () => {
        failureChannel.off('failure', isolated);
      };
    },
    tap(fn) {
      let active = true;
      taps = [...taps, fn];
      ring.taps = taps.length;
      ring.refreshStop();
      return () => {
        if (!active) return;
        active = false;
        taps = without(taps, fn);
        ring.taps = taps.length;
        ring.refreshStop();
      };
    },
    stats,
    enqueue: enqueue as EventBus<Events>['enqueue'],
    drain,
    listenerCount(topic) {
      return topics[topic]?.subscriptions.length ?? 0;
    },
  };
}
