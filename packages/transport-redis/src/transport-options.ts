/**
 * The options of `createRedisTransport` (types and their validation with defaults). Behaviour lives in
 * `redis-producer.ts`, `redis-consumer.ts` and `redis-transport.ts`.
 */
import type { EventBus, Topic } from '@algospace/event-bus';
import type { ChainableCommander, Cluster, Redis, RedisOptions } from 'ioredis';
import type { EventCodec } from './event-codec.js';
import type { ReconnectBackoff, ResolvedBackoff } from './reconnect-backoff.js';
import { checkClusterName, checkClusterPrefix, streamKeyParts } from './stream-keys.js';
import { TransportRedisOptionError } from './transport-redis-error.js';

/**
 * What the producer does with a new event when its bounded buffer is full: throw
 * `TransportRedisBufferFullError` to the publisher (`'reject'`), discard the oldest event not yet handed to Redis
 * (`'drop-oldest'`), or discard the new event (`'drop-newest'`). Every refused or discarded event is counted
 * (`outbound.overflowed`) and reported on `onError`.
 *
 * @example
 * ```ts
 * const policy: BufferOverflowPolicy = 'drop-oldest';
 * ```
 */
export type BufferOverflowPolicy = 'reject' | 'drop-oldest' | 'drop-newest';

/**
 * One stream fed by one or more topics of the local bus. Topics that share a stream keep their relative order
 * (one stream is one ordered log); topics on separate streams do not.
 *
 * @example
 * ```ts
 * const bars: OutboundRoute<EngineEvents> = {
 *   topics: ['NEW_5MIN_BAR', 'NEW_30MIN_BAR'],
 *   stream: 'bars',
 *   partitionBy: (bar) => (bar as { symbol?: string }).symbol,
 * };
 * ```
 */
export interface OutboundRoute<Events extends object> {
  /** Topics whose events go to this stream. */
  readonly topics: readonly Topic<Events>[];
  /** Stream name under the prefix. Default: the topic's name (then `topics` must hold one topic). */
  readonly stream?: string;
  /**
   * Partition key of an event, e.g. its symbol: events with key `k` go to stream `<prefix>:<stream>:<k>`
   * (`<prefix>:{<stream>:<k>}` on Redis Cluster), so each partition is its own ordered stream a consumer can
   * own. `undefined` means the unpartitioned stream. On Cluster a key holding `{` or `}` is refused
   * (`TransportRedisClusterKeyError`, thrown to the publisher).
   */
  readonly partitionBy?: (payload: unknown, topic: string) => string | undefined;
}

/**
 * One stream (or set of partition streams) read into the local bus.
 *
 * @example
 * ```ts
 * const bars: InboundRoute<EngineEvents> = { topics: ['NEW_5MIN_BAR', 'NEW_30MIN_BAR'], stream: 'bars', partitions: ['ES', 'NQ'] };
 * ```
 */
export interface InboundRoute<Events extends object> {
  /** Topics accepted from this stream; an entry of another topic is acknowledged, counted as ignored and reported. */
  readonly topics: readonly Topic<Events>[];
  /** Stream name under the prefix. Default: the topic's name (then `topics` must hold one topic). */
  readonly stream?: string;
  /**
   * Partition keys to read (`<prefix>:<stream>:<key>` each, `<prefix>:{<stream>:<key>}` on Redis Cluster).
   * Default: the unpartitioned stream only.
   */
  readonly partitions?: readonly string[];
}

/**
 * One event handed to the local bus, as seen by the inbound `commit` hook.
 *
 * @example
 * ```ts
 * const commit = (tx: ChainableCommander, events: readonly InboundEvent[]) => {
 *   tx.rpush('audit', ...events.map((e) => e.id));
 * };
 * ```
 */
export interface InboundEvent {
  /** The event id, `<producerId>:<sequence>`; unique across producers. */
  readonly id: string;
  /** Id of the producer instance that published the event. */
  readonly producerId: string;
  /** The producer's sequence number of the event (1, 2, … per producer instance). */
  readonly sequence: number;
  /** Topic the event was published on. */
  readonly topic: string;
  /** The Redis stream key it was read from. */
  readonly stream: string;
  /** The stream entry id, e.g. `'1700000000000-0'`. */
  readonly entryId: string;
  /** True when the entry was delivered before (re-read after a lost acknowledgement, or claimed from a dead consumer). */
  readonly redelivered: boolean;
}

/**
 * Outbound settings: which topics go to Redis and how they are batched, capped and buffered.
 *
 * @example
 * ```ts
 * const outbound: OutboundOptions<EngineEvents> = {
 *   topics: ['SYNERGY_DETECTED', { topics: ['NEW_5MIN_BAR', 'NEW_30MIN_BAR'], stream: 'bars' }],
 *   maxBatchSize: 512,
 *   maxLen: 1_000_000,
 *   packBatches: true,
 *   bufferLimit: 100_000,
 *   overflow: 'reject',
 * };
 * ```
 */
export interface OutboundOptions<Events extends object> {
  /** Topics (each on its own stream) and routes (several topics, a stream name, partitioning). */
  readonly topics: readonly (Topic<Events> | OutboundRoute<Events>)[];
  /** Most events in one round trip to Redis. 1 turns batching off. Default 512. */
  readonly maxBatchSize?: number;
  /**
   * How long the first event of a batch may wait for more before the batch is sent, in ms. 0 sends on the next
   * turn of the event loop (events published in one synchronous run share a batch). Default 0.
   */
  readonly maxBatchDelayMs?: number;
  /**
   * Approximate cap on each stream's length (`XADD MAXLEN ~`). When a stream grows past it Redis deletes its
   * oldest entries, delivered or not: a consumer that is down longer than the cap covers loses those entries
   * (counted as `inbound.trimmed` when they were pending). 0 means uncapped. Default 1 000 000.
   */
  readonly maxLen?: number;
  /**
   * Packs the events of one batch bound for one stream into a single stream entry (field `p`), so Redis does
   * one append per batch instead of one per event: several times the throughput. Order, dedup by event id,
   * acknowledgement after the handlers and claiming are unchanged; `maxLen` then counts entries, each holding
   * up to `maxBatchSize` events. A batch of one event is always written unpacked. Turn off when programs other
   * than this transport read the streams and expect one event per entry. Default `true`.
   */
  readonly packBatches?: boolean;
  /** Most events held while unconfirmed (Redis unreachable or behind). Default 100 000. */
  readonly bufferLimit?: number;
  /** What happens to an event that finds the buffer full. Default `'reject'`. */
  readonly overflow?: BufferOverflowPolicy;
}

/**
 * Inbound settings: which streams are read into the local bus, as which consumer of which group.
 *
 * @example
 * ```ts
 * const inbound: InboundOptions<EngineEvents> = {
 *   topics: [{ topics: ['NEW_5MIN_BAR', 'NEW_30MIN_BAR'], stream: 'bars' }],
 *   group: 'strategy',
 *   consumer: 'strategy-1',
 * };
 * ```
 */
export interface InboundOptions<Events extends object> {
  /** Topics (each on its own stream) and routes (several topics on one stream, partitions). */
  readonly topics: readonly (Topic<Events> | InboundRoute<Events>)[];
  /** Consumer group name; consumers of one group share the work, each entry goes to one of them. */
  readonly group: string;
  /** This consumer's name, stable across restarts so a restarted consumer finds its own pending entries. */
  readonly consumer: string;
  /** Where a group created by this consumer starts: `'0'` (everything retained) or `'$'` (new entries only). Default `'0'`. */
  readonly startFrom?: '0' | '$';
  /** Most entries per read. Default 512. */
  readonly readCount?: number;
  /** How long one blocking read waits for new entries, in ms. Default 1 000. */
  readonly blockMs?: number;
  /** Entries pending this long on any consumer are claimed (`XAUTOCLAIM`) as abandoned. Default 30 000. */
  readonly claimIdleMs?: number;
  /** How often to look for abandoned entries, in ms. Default 5 000. */
  readonly claimIntervalMs?: number;
  /** Event ids remembered for duplicate detection. Default 100 000. */
  readonly dedupWindow?: number;
  /** How often lag and pending counts are refreshed for `metrics()`, in ms. Default 1 000. */
  readonly metricsIntervalMs?: number;
  /**
   * Adds commands to the transaction (`MULTI`/`EXEC`) that acknowledges a batch after its events reached the
   * local bus: whatever is written here commits atomically with the acknowledgement, which is how handler
   * effects kept in Redis become exactly-once across consumer crashes. On Redis Cluster a transaction covers
   * the streams of one hash slot, and the hook is called once per transaction with its events: write keys of
   * that slot, e.g. `` `${events[0].stream}:seen` `` (a stream key plus a suffix keeps its hash tag); a key of
   * another slot makes Redis refuse the acknowledgement (reported as `TransportRedisClusterKeyError`, retried).
   */
  readonly commit?: (tx: ChainableCommander, events: readonly InboundEvent[]) => void;
}

/**
 * Options of `createRedisTransport`.
 *
 * @example
 * ```ts
 * const options: RedisTransportOptions<EngineEvents> = {
 *   bus,
 *   redis: 'redis://127.0.0.1:6379',
 *   prefix: 'algospace:es',
 *   outbound: { topics: ['NEW_5MIN_BAR'] },
 * };
 * ```
 */
export interface RedisTransportOptions<Events extends object> {
  /** The local bus: outbound topics are subscribed on it, inbound events are published to it. */
  readonly bus: EventBus<Events>;
  /**
   * Where Redis is. One Redis: a `redis://` URL, ioredis options or an ioredis `Redis`. Redis Cluster: the
   * `redis://` URLs of some of its nodes (the rest are discovered), or an ioredis `Cluster`. A client passed is
   * used only as a template: the transport opens its own connections with the same nodes and options and never
   * sends on or closes the instance passed.
   * Either way the retry and queue settings are replaced by the transport's own. On Cluster each stream gets
   * its own hash tag (`<prefix>:{<stream>}`), so streams spread over the nodes; see `docs/distributed.md`.
   */
  readonly redis: string | RedisOptions | Redis | Cluster | readonly string[];
  /**
   * Prefix of every key (`<prefix>:<stream>`). Default `'algospace'`. On Redis Cluster it may hold no braces,
   * or one non-empty hash tag (`'{algospace}'`), which then puts every key of the transport in one slot.
   */
  readonly prefix?: string;
  /** Payload codec. Default {@link jsonCodec}. */
  readonly codec?: EventCodec;
  /**
   * A readable name put in front of this producer's id (`<name>-<random>`), e.g. the host or role. The random
   * part is new for every transport instance: a restarted producer must never reuse an id, or Redis would
   * take its new events for resends of old ones. Default `'producer'`.
   */
  readonly producerName?: string;
  /** Reconnect backoff. */
  readonly reconnect?: ReconnectBackoff;
  /** How long `start()` waits for Redis, in ms, before it fails. Default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Publish local events to Redis. */
  readonly outbound?: OutboundOptions<Events>;
  /** Read Redis streams into the local bus. */
  readonly inbound?: InboundOptions<Events>;
}

/** One resolved stream of a route: its full key, how partition keys are made, and its partitioner. */
export interface ResolvedOutboundRoute {
  readonly streamKey: string;
  readonly partitionHead: string;
  readonly partitionTail: string;
  readonly partitionBy: ((payload: unknown, topic: string) => string | undefined) | undefined;
  /** Option path of the route, for errors about its partition keys. */
  readonly path: string;
}

/** Outbound options with defaults applied. */
export interface ResolvedOutbound {
  readonly routes: ReadonlyMap<string, ResolvedOutboundRoute>;
  /** Keys are laid out for Redis Cluster (partition keys are checked for braces). */
  readonly cluster: boolean;
  readonly maxBatchSize: number;
  readonly maxBatchDelayMs: number;
  readonly maxLen: number;
  readonly packBatches: boolean;
  readonly bufferLimit: number;
  readonly overflow: BufferOverflowPolicy;
}

/** Inbound options with defaults applied. */
export interface ResolvedInbound {
  /** Stream key → topics accepted from it. */
  readonly streams: ReadonlyMap<string, ReadonlySet<string>>;
  readonly group: string;
  readonly consumer: string;
  readonly startFrom: '0' | '$';
  readonly readCount: number;
  readonly blockMs: number;
  readonly claimIdleMs: number;
  readonly claimIntervalMs: number;
  readonly dedupWindow: number;
  readonly metricsIntervalMs: number;
  readonly commit: ((tx: ChainableCommander, events: readonly InboundEvent[]) => void) | undefined;
}

function integer(path: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min)
    throw new TransportRedisOptionError(path, `an integer ≥ ${min}`, value);
  return value;
}

function name(path: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || /\s/.test(value)) {
    throw new TransportRedisOptionError(path, 'a non-empty string without whitespace', value);
  }
  return value;
}

function routeStream(
  path: string,
  topics: readonly string[],
  stream: string | undefined,
  cluster: boolean,
): string {
  const resolved = routeName(path, topics, stream);
  if (cluster) checkClusterName(stream === undefined ? `${path}.topics[0]` : `${path}.stream`, resolved);
  return resolved;
}

function routeName(path: string, topics: readonly string[], stream: string | undefined): string {
  if (!Array.isArray(topics) || topics.length === 0) {
    throw new TransportRedisOptionError(`${path}.topics`, 'a non-empty array of topic names', topics);
  }
  topics.forEach((topic, i) => {
    name(`${path}.topics[${i}]`, topic);
  });
  if (stream !== undefined) return name(`${path}.stream`, stream);
  if (topics.length !== 1) {
    throw new TransportRedisOptionError(
      `${path}.stream`,
      'a stream name for a route of several topics',
      stream,
    );
  }
  return topics[0] as string;
}

/** Validates the backoff settings. */
export function resolveBackoff(backoff: ReconnectBackoff | undefined): ResolvedBackoff {
  const initialDelayMs = integer('reconnect.initialDelayMs', backoff?.initialDelayMs, 50, 1);
  const maxDelayMs = integer('reconnect.maxDelayMs', backoff?.maxDelayMs, 2_000, initialDelayMs);
  const factor = backoff?.factor ?? 2;
  if (typeof factor !== 'number' || !(factor >= 1))
    throw new TransportRedisOptionError('reconnect.factor', 'a number ≥ 1', factor);
  return { initialDelayMs, maxDelayMs, factor };
}

/** Validates the prefix; on Cluster its braces must form one non-empty hash tag, if any. */
export function resolvePrefix(prefix: string | undefined, cluster = false): string {
  const resolved = prefix === undefined ? 'algospace' : name('prefix', prefix);
  if (cluster) checkClusterPrefix(resolved);
  return resolved;
}

/** Validates outbound options and applies defaults. */
export function resolveOutbound<Events extends object>(
  prefix: string,
  options: OutboundOptions<Events>,
  cluster = false,
): ResolvedOutbound {
  if (!Array.isArray(options.topics) || options.topics.length === 0) {
    throw new TransportRedisOptionError(
      'outbound.topics',
      'a non-empty array of topics or routes',
      options.topics,
    );
  }
  const routes = new Map<string, ResolvedOutboundRoute>();
  options.topics.forEach((entry, i) => {
    const path = `outbound.topics[${i}]`;
    const route: OutboundRoute<Events> = typeof entry === 'string' ? { topics: [entry] } : entry;
    const stream = routeStream(path, route.topics, route.stream, cluster);
    if (route.partitionBy !== undefined && typeof route.partitionBy !== 'function') {
      throw new TransportRedisOptionError(`${path}.partitionBy`, 'a function', route.partitionBy);
    }
    const parts = streamKeyParts(prefix, stream, cluster);
    for (const topic of route.topics) {
      if (routes.has(topic))
        throw new TransportRedisOptionError(path, `topic '${topic}' on one route only`, topic);
      routes.set(topic, { ...parts, partitionBy: route.partitionBy, path: `${path}.partitionBy` });
    }
  });
  const overflow = options.overflow ?? 'reject';
  if (overflow !== 'reject' && overflow !== 'drop-oldest' && overflow !== 'drop-newest') {
    throw new TransportRedisOptionError(
      'outbound.overflow',
      "'reject', 'drop-oldest' or 'drop-newest'",
      overflow,
    );
  }
  const maxBatchSize = integer('outbound.maxBatchSize', options.maxBatchSize, 512, 1);
  const packBatches = options.packBatches ?? true;
  if (typeof packBatches !== 'boolean')
    throw new TransportRedisOptionError('outbound.packBatches', 'true or false', packBatches);
  return {
    routes,
    cluster,
    maxBatchSize,
    maxBatchDelayMs: integer('outbound.maxBatchDelayMs', options.maxBatchDelayMs, 0, 0),
    maxLen: integer('outbound.maxLen', options.maxLen, 1_000_000, 0),
    packBatches,
    bufferLimit: integer('outbound.bufferLimit', options.bufferLimit, 100_000, 1),
    overflow,
  };
}

/** Validates inbound options and applies defaults. */
export function resolveInbound<Events extends object>(
  prefix: string,
  options: InboundOptions<Events>,
  cluster = false,
): ResolvedInbound {
  if (!Array.isArray(options.topics) || options.topics.length === 0) {
    throw new TransportRedisOptionError(
      'inbound.topics',
      'a non-empty array of topics or routes',
      options.topics,
    );
  }
  const streams = new Map<string, Set<string>>();
  options.topics.forEach((entry, i) => {
    const path = `inbound.topics[${i}]`;
    const route: InboundRoute<Events> = typeof entry === 'string' ? { topics: [entry] } : entry;
    const parts = streamKeyParts(prefix, routeStream(path, route.topics, route.stream, cluster), cluster);
    const keys =
      route.partitions === undefined
        ? [parts.streamKey]
        : route.partitions.map((key, k) => {
            const partition = name(`${path}.partitions[${k}]`, key);
            if (cluster) checkClusterName(`${path}.partitions[${k}]`, partition);
            return `${parts.partitionHead}${partition}${parts.partitionTail}`;
          });
    for (const key of keys) {
      const accepted = streams.get(key) ?? new Set<string>();
      for (const topic of route.topics) accepted.add(topic);
      streams.set(key, accepted);
    }
  });
  const startFrom = options.startFrom ?? '0';
  if (startFrom !== '0' && startFrom !== '$')
    throw new TransportRedisOptionError('inbound.startFrom', "'0' or '$'", startFrom);
  if (options.commit !== undefined && typeof options.commit !== 'function') {
    throw new TransportRedisOptionError('inbound.commit', 'a function', options.commit);
  }
  return {
    streams,
    group: name('inbound.group', options.group),
    consumer: name('inbound.consumer', options.consumer),
    startFrom,
    readCount: integer('inbound.readCount', options.readCount, 512, 1),
    blockMs: integer('inbound.blockMs', options.blockMs, 1_000, 1),
    claimIdleMs: integer('inbound.claimIdleMs', options.claimIdleMs, 30_000, 1),
    claimIntervalMs: integer('inbound.claimIntervalMs', options.claimIntervalMs, 5_000, 1),
    dedupWindow: integer('inbound.dedupWindow', options.dedupWindow, 100_000, 0),
    metricsIntervalMs: integer('inbound.metricsIntervalMs', options.metricsIntervalMs, 1_000, 1),
    commit: options.commit,
  };
}
