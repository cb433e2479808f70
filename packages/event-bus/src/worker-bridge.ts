/**
 * The worker_threads bridge: `bridgeWorker` (main thread) connects a bus to one worker's MessagePort, and
 * `connectToMainBus` (inside the worker) gives the worker a bus-shaped handle whose publishes land in the main
 * bus and whose subscriptions receive the main bus's events. Only the public `EventBus` interface is used.
 *
 * Wire format: events travel in batches, each one flat array `[topicId, payload, topicId, payload, …]`
 * (structured-clone cost is per message far more than per element, so batching is what buys throughput). A
 * topic name crosses the port once; after that a small integer stands for it. Every batch carries a
 * per-producer sequence number so the receiving side can prove nothing was lost or repeated.
 */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import type { HandlerFailure, Unsubscribe } from './event-bus.js';
import {
  createEventBus,
  type EventBus,
  type EventHandler,
  type SubscribeOptions,
  type Topic,
} from './event-bus.js';
import { EventBusBridgeError, EventBusOptionError } from './event-bus-error.js';

/**
 * The part of a `Worker` or `MessagePort` the bridge needs: both satisfy it.
 *
 * @example
 * ```ts
 * const endpoint: BridgeEndpoint = new Worker(new URL('./producer.js', import.meta.url));
 * ```
 */
export interface BridgeEndpoint {
  /** Sends one message (with buffers to transfer rather than copy). */
  postMessage(value: unknown, transferList?: readonly TransferListItem[]): void;
  /** Adds a message listener. */
  on(event: 'message', listener: (value: unknown) => void): unknown;
  /** Removes a message listener. */
  off(event: 'message', listener: (value: unknown) => void): unknown;
}

/** Messages worker → main. */
type ToMain =
  | { k: 'events'; seq: number; topics: string[] | undefined; events: unknown[]; ack: boolean }
  | { k: 'sub'; topic: string }
  | { k: 'unsub'; topic: string }
  | { k: 'close' };

/** Messages main → worker. */
type ToWorker =
  | { k: 'events'; events: unknown[] }
  | { k: 'ack'; seq: number; received: number }
  | { k: 'closed'; received: number };

/**
 * Counters of one bridge, for monitoring and for proving exactly-once delivery in tests.
 *
 * @example
 * ```ts
 * const { received, batches } = bridge.stats();
 * ```
 */
export interface WorkerBridgeStats {
  /** Events received from the worker and published into the bus. */
  readonly received: number;
  /** Batches received from the worker. */
  readonly batches: number;
  /** Events forwarded to the worker for its subscriptions. */
  readonly forwarded: number;
  /** Batches that arrived out of sequence (lost or repeated); 0 unless the transport is broken. */
  readonly protocolErrors: number;
}

/**
 * The main-thread end of one worker's bridge.
 *
 * @example
 * ```ts
 * const bridge = bridgeWorker(bus, worker);
 * await bridge.closed; // the worker called close(): every event it published is in the bus
 * ```
 */
export interface WorkerBridge {
  /** Resolves when the worker has closed its end; every event it published has been published into the bus. */
  readonly closed: Promise<WorkerBridgeStats>;
  /** Current counters. */
  stats(): WorkerBridgeStats;
  /** Stops listening to the worker and drops its subscriptions on the bus. */
  close(): void;
}

/**
 * Options of `bridgeWorker`.
 *
 * @example
 * ```ts
 * bridgeWorker(bus, worker, { batchSize: 512, onProtocolError: (e) => logger.error(e) });
 * ```
 */
export interface BridgeWorkerOptions {
  /** Events forwarded to the worker per message, at most. Default 1024. */
  batchSize?: number;
  /** Receives `EventBusBridgeError`s (out-of-sequence batches, unknown messages). Default: `console.error`. */
  onProtocolError?: (error: EventBusBridgeError) => void;
}

/**
 * Connects `bus` (in this thread) to a worker: events the worker publishes through its `connectToMainBus`
 * handle are published into `bus` in the worker's order, and topics the worker subscribes to are forwarded to it.
 * Call once per worker; each producer's order is preserved, and different producers interleave by arrival.
 *
 * @param bus - the bus the worker's events go into
 * @param endpoint - the `Worker` (or a `MessagePort` whose other end the worker holds)
 * @param options - see {@link BridgeWorkerOptions}
 * @returns the bridge's main-thread handle
 *
 * @example
 * ```ts
 * import { Worker } from 'node:worker_threads';
 * const bus = createEventBus<{ tick: { price: number } }>();
 * bus.subscribe('tick', (t) => console.log(t.price));
 * const worker = new Worker(new URL('./feed-worker.js', import.meta.url));
 * const bridge = bridgeWorker(bus, worker);
 * await bridge.closed;
 * ```
 */
export function bridgeWorker<Events extends object>(
  bus: EventBus<Events>,
  endpoint: BridgeEndpoint,
  options: BridgeWorkerOptions = {},
): WorkerBridge {
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new EventBusOptionError('batchSize', 'an integer ≥ 1', batchSize);
  }
  const onProtocolError =
    options.onProtocolError ??
    ((error: EventBusBridgeError) => {
      console.error(error);
    });
  const publish = bus.publish as (topic: string, payload: unknown) => void;
  const subscribe = bus.subscribe as (topic: string, handler: (payload: unknown) => void) => Unsubscribe;
  const topicNames: string[] = [];
  const forwarders = new Map<string, Unsubscribe>();
  let expectedSeq = 1;
  let received = 0;
  let batches = 0;
  let forwarded = 0;
  let protocolErrors = 0;
  let outgoing: unknown[] = [];
  let flushScheduled = false;
  let open = true;
  let resolveClosed: (stats: WorkerBridgeStats) => void = () => {};
  const closed = new Promise<WorkerBridgeStats>((resolve) => {
    resolveClosed = resolve;
  });

  const stats = (): WorkerBridgeStats => ({ received, batches, forwarded, protocolErrors });

  const flushOutgoing = (): void => {
    flushScheduled = false;
    if (outgoing.length === 0 || !open) return;
    const message: ToWorker = { k: 'events', events: outgoing };
    outgoing = [];
    endpoint.postMessage(message);
  };

  const forward = (topic: string): Unsubscribe =>
    subscribe(topic, (payload) => {
      outgoing.push(topic, payload);
      forwarded++;
      if (outgoing.length >= batchSize * 2) flushOutgoing();
      else if (!flushScheduled) {
        flushScheduled = true;
        queueMicrotask(flushOutgoing);
      }
    });

  const onMessage = (value: unknown): void => {
    const message = value as ToMain;
    switch (message.k) {
      case 'events': {
        if (message.seq !== expectedSeq) {
          protocolErrors++;
          onProtocolError(new EventBusBridgeError(`batch ${expectedSeq}`, `batch ${message.seq}`));
        }
        expectedSeq = message.seq + 1;
        batches++;
        if (message.topics !== undefined) for (const name of message.topics) topicNames.push(name);
        const events = message.events;
        for (let i = 0; i < events.length; i += 2) {
          publish(topicNames[events[i] as number] as string, events[i + 1]);
        }
        received += events.length / 2;
        if (message.ack) endpoint.postMessage({ k: 'ack', seq: message.seq, received } satisfies ToWorker);
        return;
      }
      case 'sub':
        if (!forwarders.has(message.topic)) forwarders.set(message.topic, forward(message.topic));
        return;
      case 'unsub':
        forwarders.get(message.topic)?.();
        forwarders.delete(message.topic);
        return;
      case 'close':
        flushOutgoing();
        endpoint.postMessage({ k: 'closed', received } satisfies ToWorker);
        shutdown();
        return;
      default:
        protocolErrors++;
        onProtocolError(
          new EventBusBridgeError('a bridge message', JSON.stringify(value)?.slice(0, 80) ?? 'none'),
        );
    }
  };

  const shutdown = (): void => {
    if (!open) return;
    open = false;
    endpoint.off('message', onMessage);
    for (const off of forwarders.values()) off();
    forwarders.clear();
    resolveClosed(stats());
  };

  endpoint.on('message', onMessage);
  return { closed, stats, close: shutdown };
}

/**
 * The worker-side handle: `publish` sends to the main bus, `subscribe` receives the main bus's events.
 *
 * @example
 * ```ts
 * const main = connectToMainBus<Events>();
 * for (const tick of ticks) main.publish('tick', tick);
 * await main.close();
 * ```
 */
export interface MainBusConnection<Events extends object> {
  /**
   * Sends an event to the main bus. Events are batched and leave on the next microtask or when a batch is full;
   * they arrive in the order published. `transfer` lists buffers in the payload to move rather than copy.
   */
  publish<K extends Topic<Events>>(
    topic: K,
    payload: Events[K],
    transfer?: readonly TransferListItem[],
  ): void;
  /** Receives the main bus's events of `topic` (isolated like bus handlers). Returns the unsubscribe function. */
  subscribe<K extends Topic<Events>>(
    topic: K,
    handler: EventHandler<Events[K]>,
    options?: SubscribeOptions,
  ): Unsubscribe;
  /** Registers a receiver of this side's handler failures. */
  onError(handler: (failure: HandlerFailure) => void): Unsubscribe;
  /** Sends the pending batch and resolves once the main thread has published everything sent so far. */
  flush(): Promise<void>;
  /** Flushes, tells the main side this producer is done, and stops listening so the worker can exit. */
  close(): Promise<void>;
}

/**
 * Options of `connectToMainBus`.
 *
 * @example
 * ```ts
 * connectToMainBus({ batchSize: 4096 });
 * ```
 */
export interface ConnectToMainBusOptions {
  /** The port to the main thread. Default: `parentPort` of `node:worker_threads`. */
  port?: BridgeEndpoint;
  /** Events per message, at most. Default 1024. */
  batchSize?: number;
}

/**
 * Called inside a worker thread: connects to the bus the main thread bridged with `bridgeWorker`.
 *
 * @param options - see {@link ConnectToMainBusOptions}
 * @returns the worker's handle on the main bus
 * @throws EventBusOptionError when called outside a worker without a `port`
 *
 * @example
 * ```ts
 * // feed-worker.ts
 * import { connectToMainBus } from '@algospace/event-bus';
 * const main = connectToMainBus<{ tick: { price: number } }>();
 * main.publish('tick', { price: 4810.25 });
 * await main.close();
 * ```
 */
export function connectToMainBus<Events extends object>(
  options: ConnectToMainBusOptions = {},
): MainBusConnection<Events> {
  const port = options.port ?? (parentPort as BridgeEndpoint | null);
  if (port === null) {
    throw new EventBusOptionError('port', 'a MessagePort (or to be called inside a worker thread)', 'none');
  }
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new EventBusOptionError('batchSize', 'an integer ≥ 1', batchSize);
  }
  // Local subscribers get the same isolation, once and snapshot semantics as on the main bus.
  const local = createEventBus<Events>({ name: 'worker-bridge', latencySampleEvery: 0 });
  const topicIds = new Map<string, number>();
  let newTopics: string[] | undefined;
  let pending: unknown[] = [];
  let transfers: TransferListItem[] = [];
  let seq = 0;
  let flushScheduled = false;
  let listening = false;
  let closedByMain: (() => void) | undefined;
  const ackWaiters = new Map<number, () => void>();
  const remoteRefs = new Map<string, number>();

  const send = (ack: boolean): number => {
    flushScheduled = false;
    if (pending.length === 0 && !ack) return seq;
    seq++;
    const message: ToMain = { k: 'events', seq, topics: newTopics, events: pending, ack };
    const transferList = transfers;
    pending = [];
    transfers = [];
    newTopics = undefined;
    port.postMessage(message, transferList);
    return seq;
  };

  const onMessage = (value: unknown): void => {
    const message = value as ToWorker;
    if (message.k === 'events') {
      const events = message.events;
      const publishLocal = local.publish as (topic: string, payload: unknown) => void;
      for (let i = 0; i < events.length; i += 2) publishLocal(events[i] as string, events[i + 1]);
    } else if (message.k === 'ack') {
      ackWaiters.get(message.seq)?.();
      ackWaiters.delete(message.seq);
    } else if (message.k === 'closed') {
      closedByMain?.();
    }
  };

  const listen = (): void => {
    if (listening) return;
    listening = true;
    port.on('message', onMessage);
  };

  const stopListening = (): void => {
    if (!listening) return;
    listening = false;
    port.off('message', onMessage);
  };

  const publish = (topic: string, payload: unknown, transfer?: readonly TransferListItem[]): void => {
    let id = topicIds.get(topic);
    if (id === undefined) {
      id = topicIds.size;
      topicIds.set(topic, id);
      if (newTopics === undefined) newTopics = [topic];
      else newTopics.push(topic);
    }
    pending.push(id, payload);
    if (transfer !== undefined) for (const item of transfer) transfers.push(item);
    if (pending.length >= batchSize * 2) send(false);
    else if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(() => {
        if (flushScheduled) send(false);
      });
    }
  };

  const flush = (): Promise<void> => {
    listen();
    const acked = new Promise<void>((resolve) => {
      ackWaiters.set(seq + 1, resolve);
    });
    send(true);
    return acked.then(() => {
      if (remoteRefs.size === 0 && ackWaiters.size === 0) stopListening();
    });
  };

  return {
    publish: publish as MainBusConnection<Events>['publish'],
    subscribe: ((
      topic: string,
      handler: (payload: unknown) => unknown,
      subscribeOptions?: SubscribeOptions,
    ) => {
      const off = (
        local.subscribe as (t: string, h: (p: unknown) => unknown, o?: SubscribeOptions) => Unsubscribe
      )(topic, handler, subscribeOptions);
      const refs = remoteRefs.get(topic) ?? 0;
      remoteRefs.set(topic, refs + 1);
      if (refs === 0) {
        listen();
        port.postMessage({ k: 'sub', topic } satisfies ToMain);
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        off();
        const left = (remoteRefs.get(topic) ?? 1) - 1;
        if (left > 0) {
          remoteRefs.set(topic, left);
          return;
        }
        remoteRefs.delete(topic);
        port.postMessage({ k: 'unsub', topic } satisfies ToMain);
      };
    }) as MainBusConnection<Events>['subscribe'],
    onError: (handler) => local.onError(handler),
    flush,
    async close() {
      listen();
      const done = new Promise<void>((resolve) => {
        closedByMain = resolve;
      });
      send(false);
      port.postMessage({ k: 'close' } satisfies ToMain);
      await done;
      stopListening();
    },
  };
}
