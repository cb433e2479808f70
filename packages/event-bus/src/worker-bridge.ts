/**
 * The worker_threads bridge: `bridgeWorker` (main thread) connects a bus to one worker's MessagePort, and
 * `connectToMainBus` (inside the worker) gives the worker a bus-shaped handle whose publishes land in the main
 * bus and whose subscriptions receive the main bus's events. Only the public `EventBus` interface is used.
 *
 * Wire format (worker → main): events travel in batches. A batch is columnar: a `Uint32Array` of topic ids (a
 * topic name crosses the port once, with its codec width), a `Float64Array` holding the payloads of topics that
 * have a `NumericCodec`, and an array of the other payloads in order. Both typed arrays are transferred, not
 * copied, so a batch of codec-encoded events costs the receiving thread no structured-clone work at all; plain
 * payloads pay structured clone. Every batch carries a per-producer sequence number so the receiving side can
 * prove nothing was lost or repeated.
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

/**
 * Packs a topic's payloads into numbers, so the bridge can move them in a transferred `Float64Array` instead of
 * structured-cloning objects. Both ends of a bridge must use the same codec for a topic.
 *
 * @example
 * ```ts
 * const tickCodec: NumericCodec<{ timestamp: number; price: number; size: number }> = {
 *   width: 3,
 *   encode: (t, out, at) => { out[at] = t.timestamp; out[at + 1] = t.price; out[at + 2] = t.size; },
 *   decode: (src, at) => ({ timestamp: src[at] ?? 0, price: src[at + 1] ?? 0, size: src[at + 2] ?? 0 }),
 * };
 * ```
 */
export interface NumericCodec<T> {
  /** How many numbers one payload takes. */
  readonly width: number;
  /** Writes `payload` into `target[offset … offset + width - 1]`. */
  encode(payload: T, target: Float64Array, offset: number): void;
  /** Rebuilds a payload from `source[offset … offset + width - 1]`. */
  decode(source: Float64Array, offset: number): T;
}

/**
 * Codecs by topic, for the topics whose payloads should cross threads as numbers.
 *
 * @example
 * ```ts
 * const codecs: BridgeCodecs<{ tick: Tick; bar: Bar }> = { tick: tickCodec };
 * ```
 */
export type BridgeCodecs<Events extends object> = { readonly [K in Topic<Events>]?: NumericCodec<Events[K]> };

type AnyCodec = NumericCodec<unknown>;

/** Messages worker → main. */
type ToMain =
  | {
      k: 'events';
      seq: number;
      /** Topics first used in this batch, `[name, codec width (0: none)]`, taking the next ids in order. */
      topics: [string, number][] | undefined;
      count: number;
      ids: Uint32Array;
      numbers: Float64Array | undefined;
      objects: unknown[];
      ack: boolean;
    }
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
export interface BridgeWorkerOptions<Events extends object = Record<string, unknown>> {
  /** Events forwarded to the worker per message, at most. Default 1024. */
  batchSize?: number;
  /** Receives `EventBusBridgeError`s (out-of-sequence batches, unknown messages). Default: `console.error`. */
  onProtocolError?: (error: EventBusBridgeError) => void;
  /** Codecs for the topics the worker encodes as numbers; they must match the worker's. */
  codecs?: BridgeCodecs<Events>;
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
  options: BridgeWorkerOptions<Events> = {},
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
  const codecs = (options.codecs ?? {}) as Record<string, AnyCodec | undefined>;
  const topicNames: string[] = [];
  const topicCodecs: (AnyCodec | undefined)[] = [];
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

  const learnTopic = (name: string, width: number): void => {
    const codec = codecs[name];
    topicNames.push(name);
    if (width === 0) {
      topicCodecs.push(undefined);
      return;
    }
    if (codec !== undefined && codec.width === width) {
      topicCodecs.push(codec);
      return;
    }
    protocolErrors++;
    onProtocolError(
      new EventBusBridgeError(
        `a codec of width ${width} for topic '${name}' in bridgeWorker's codecs`,
        codec === undefined ? 'none' : `one of width ${codec.width}`,
      ),
    );
    // Nothing is dropped: the events go out as the raw numbers the worker encoded.
    topicCodecs.push({
      width,
      encode: () => {},
      decode: (source, offset) => source.slice(offset, offset + width),
    });
  };

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
        if (message.topics !== undefined) for (const [name, width] of message.topics) learnTopic(name, width);
        const { count, ids, numbers, objects } = message;
        let numberAt = 0;
        let objectAt = 0;
        for (let i = 0; i < count; i++) {
          const id = ids[i] as number;
          const codec = topicCodecs[id];
          if (codec === undefined) {
            publish(topicNames[id] as string, objects[objectAt++]);
          } else {
            publish(topicNames[id] as string, codec.decode(numbers as Float64Array, numberAt));
            numberAt += codec.width;
          }
        }
        received += count;
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
export interface ConnectToMainBusOptions<Events extends object = Record<string, unknown>> {
  /** The port to the main thread. Default: `parentPort` of `node:worker_threads`. */
  port?: BridgeEndpoint;
  /** Events per message, at most. Default 4096. */
  batchSize?: number;
  /** Codecs for topics whose payloads should cross as numbers; the main side must use the same ones. */
  codecs?: BridgeCodecs<Events>;
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
  options: ConnectToMainBusOptions<Events> = {},
): MainBusConnection<Events> {
  const port = options.port ?? (parentPort as BridgeEndpoint | null);
  if (port === null) {
    throw new EventBusOptionError('port', 'a MessagePort (or to be called inside a worker thread)', 'none');
  }
  const batchSize = options.batchSize ?? 4096;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new EventBusOptionError('batchSize', 'an integer ≥ 1', batchSize);
  }
  // Local subscribers get the same isolation, once and snapshot semantics as on the main bus.
  const local = createEventBus<Events>({ name: 'worker-bridge', latencySampleEvery: 0 });
  const codecs = (options.codecs ?? {}) as Record<string, AnyCodec | undefined>;
  let maxWidth = 0;
  for (const codec of Object.values(codecs))
    if (codec !== undefined) maxWidth = Math.max(maxWidth, codec.width);
  const topicIds = new Map<string, number>();
  const topicCodecs: (AnyCodec | undefined)[] = [];
  let newTopics: [string, number][] | undefined;
  // The batch being filled. The typed arrays are transferred with each batch, so each batch gets new ones.
  let ids = new Uint32Array(batchSize);
  let numbers = maxWidth === 0 ? undefined : new Float64Array(batchSize * maxWidth);
  let count = 0;
  let numberAt = 0;
  let objects: unknown[] = [];
  let transfers: TransferListItem[] = [];
  let seq = 0;
  let flushScheduled = false;
  let listening = false;
  let closedByMain: (() => void) | undefined;
  const ackWaiters = new Map<number, () => void>();
  const remoteRefs = new Map<string, number>();

  const send = (ack: boolean): number => {
    flushScheduled = false;
    if (count === 0 && !ack) return seq;
    seq++;
    const transferList = transfers;
    let message: ToMain;
    if (count * 4 >= batchSize) {
      // A full-ish batch: hand the buffers over (no copy) and start new ones.
      message = { k: 'events', seq, topics: newTopics, count, ids, numbers, objects, ack };
      transferList.push(ids.buffer);
      if (numbers !== undefined) transferList.push(numbers.buffer);
      ids = new Uint32Array(batchSize);
      numbers = maxWidth === 0 ? undefined : new Float64Array(batchSize * maxWidth);
    } else {
      // A trickle (a flush after a few events): copy the used part and keep the buffers, rather than allocating
      // batch-sized arrays for every microtask.
      message = {
        k: 'events',
        seq,
        topics: newTopics,
        count,
        ids: ids.slice(0, count),
        numbers: numbers?.slice(0, numberAt),
        objects,
        ack,
      };
    }
    count = 0;
    numberAt = 0;
    objects = [];
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

  // The topic of the previous publish, so a producer that publishes one topic many times in a row (the common
  // case) skips the Map lookup.
  let lastTopic: string | undefined;
  let lastId = 0;
  let lastCodec: AnyCodec | undefined;

  const selectTopic = (topic: string): void => {
    let id = topicIds.get(topic);
    if (id === undefined) {
      id = topicIds.size;
      topicIds.set(topic, id);
      const codec = codecs[topic];
      topicCodecs.push(codec);
      const announced: [string, number] = [topic, codec?.width ?? 0];
      if (newTopics === undefined) newTopics = [announced];
      else newTopics.push(announced);
    }
    lastTopic = topic;
    lastId = id;
    lastCodec = topicCodecs[id];
  };

  const flushLater = (): void => {
    if (flushScheduled) send(false);
  };

  const publish = (topic: string, payload: unknown, transfer?: readonly TransferListItem[]): void => {
    if (topic !== lastTopic) selectTopic(topic);
    ids[count++] = lastId;
    const codec = lastCodec;
    if (codec === undefined) objects.push(payload);
    else {
      codec.encode(payload, numbers as Float64Array, numberAt);
      numberAt += codec.width;
    }
    if (transfer !== undefined) for (const item of transfer) transfers.push(item);
    if (count === batchSize) send(false);
    else if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flushLater);
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
