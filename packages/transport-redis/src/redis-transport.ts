/**
 * `createRedisTransport`: bridges chosen topics of a local bus to Redis Streams (outbound) and streams back into
 * the bus (inbound), and owns the connections, lifecycle, error channel and metrics of both halves.
 */
import { randomUUID } from 'node:crypto';
import type { EventBus, Topic, Unsubscribe } from '@algospace/event-bus';
import type { Redis } from 'ioredis';
import { DedupWindow } from './dedup-window.js';
import { jsonCodec } from './event-codec.js';
import {
  describeTarget,
  openConnection,
  type RedisConnection,
  resolveTarget,
  whenReady,
} from './redis-connection.js';
import { InboundCounters, RedisConsumer } from './redis-consumer.js';
import { RedisProducer } from './redis-producer.js';
import { deadLetterKey, hashTag } from './stream-keys.js';
import { StreamCounterTable, type TransportMetrics } from './transport-metrics.js';
import {
  type RedisTransportOptions,
  resolveBackoff,
  resolveInbound,
  resolveOutbound,
  resolvePrefix,
} from './transport-options.js';
import {
  TransportRedisClusterKeyError,
  TransportRedisConnectionError,
  TransportRedisError,
  TransportRedisOptionError,
} from './transport-redis-error.js';

/**
 * Where a transport is in its life.
 *
 * @example
 * ```ts
 * if (transport.state === 'running') console.log(transport.metrics());
 * ```
 */
export type TransportState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * A running bridge between a local bus and Redis Streams. See {@link createRedisTransport}.
 *
 * @example
 * ```ts
 * const transport = createRedisTransport({ bus, redis: 'redis://127.0.0.1:6379', outbound: { topics: ['bar'] } });
 * await transport.start();
 * bus.publish('bar', { close: 4810.25 });
 * await transport.flush();
 * await transport.stop();
 * ```
 */
export interface RedisTransport {
  /** This transport's producer id (the first half of the ids of the events it publishes). */
  readonly producerId: string;
  /** Where the transport is in its life. */
  readonly state: TransportState;
  /**
   * Subscribes the outbound topics, connects, creates the consumer groups and starts reading.
   *
   * @throws TransportRedisConnectionError (`TRANSPORT_REDIS_CONNECT_TIMEOUT`) when Redis is not ready within
   *   `connectTimeoutMs`; the transport is stopped then
   * @throws TransportRedisClusterKeyError when a single-node `redis` option points at a Redis Cluster node
   */
  start(): Promise<void>;
  /**
   * Stops taking outbound events, waits up to `timeoutMs` (default 5 000) for the buffered ones to be confirmed
   * (those left are counted as `outbound.abandoned` and reported), lets the inbound batch in progress be
   * acknowledged, and closes the connections. Idempotent.
   */
  stop(options?: { readonly timeoutMs?: number }): Promise<void>;
  /**
   * Resolves `true` once every event published so far is confirmed by Redis, or `false` when `timeoutMs`
   * passes first (default: wait as long as it takes, e.g. while Redis is down).
   */
  flush(options?: { readonly timeoutMs?: number }): Promise<boolean>;
  /** A snapshot of the counters (lag and pending are refreshed every `inbound.metricsIntervalMs`). */
  metrics(): TransportMetrics;
  /** Re-reads lag and pending counts now, then returns {@link RedisTransport.metrics}. */
  refreshMetrics(): Promise<TransportMetrics>;
  /**
   * Registers a receiver of the transport's failures (typed `TransportRedisError`s: lost connections, retried
   * commands, overflowed buffers, undecodable entries). While none is registered they go to `console.error`.
   */
  onError(handler: (error: unknown) => void): Unsubscribe;
}

/**
 * Creates a transport that extends `options.bus` over Redis Streams: events of the outbound topics are appended
 * to streams (one per topic or route, optionally partitioned by key) in batches with a unique event id and the
 * producer's sequence number; entries of the inbound streams are read by a consumer group, published into the
 * bus in stream order and acknowledged after the handlers ran, with abandoned entries claimed and duplicates
 * dropped. See the guide `docs/distributed.md` for the delivery guarantees.
 *
 * An event the transport itself publishes into the bus is never sent back out, so a topic may be both inbound
 * and outbound in one process (bus in synchronous `publish` mode).
 *
 * On Redis Cluster (`redis` an ioredis `Cluster` or an array of node URLs) each stream and its bookkeeping keys
 * share a hash tag (`<prefix>:{<stream>}`, `<prefix>:{<stream>:<partition>}`), so streams spread over the
 * nodes, and the consumer reads each hash tag with its own blocking read.
 *
 * @param options - see {@link RedisTransportOptions}
 * @throws TransportRedisOptionError when an option is invalid (nothing is connected then)
 * @throws TransportRedisClusterKeyError when, on Redis Cluster, the prefix, a stream name or a partition key
 *   cannot keep a stream and its bookkeeping keys in one hash slot
 *
 * @example
 * ```ts
 * // Process A: publish bars to Redis.
 * const ingest = createRedisTransport({
 *   bus: busA,
 *   redis: 'redis://127.0.0.1:6379',
 *   outbound: { topics: [{ topics: ['NEW_5MIN_BAR', 'NEW_30MIN_BAR'], stream: 'bars' }] },
 * });
 * // Process B: read them into its own bus.
 * const strategy = createRedisTransport({
 *   bus: busB,
 *   redis: 'redis://127.0.0.1:6379',
 *   inbound: { topics: [{ topics: ['NEW_5MIN_BAR', 'NEW_30MIN_BAR'], stream: 'bars' }], group: 'strategy', consumer: 'strategy-1' },
 * });
 * await Promise.all([ingest.start(), strategy.start()]);
 * ```
 */
export function createRedisTransport<Events extends object>(
  options: RedisTransportOptions<Events>,
): RedisTransport {
  if (typeof options !== 'object' || options === null)
    throw new TransportRedisOptionError('options', 'an object', options);
  const bus: EventBus<Events> = options.bus;
  if (typeof bus?.publish !== 'function' || typeof bus.subscribe !== 'function') {
    throw new TransportRedisOptionError('bus', 'an @algospace/event-bus EventBus', bus);
  }
  const target = resolveTarget(options.redis);
  const cluster = target.cluster;
  if (options.outbound === undefined && options.inbound === undefined) {
    throw new TransportRedisOptionError('outbound', 'outbound and/or inbound settings', undefined);
  }
  const prefix = resolvePrefix(options.prefix, cluster);
  const backoff = resolveBackoff(options.reconnect);
  const outbound =
    options.outbound === undefined ? undefined : resolveOutbound(prefix, options.outbound, cluster);
  const inbound =
    options.inbound === undefined ? undefined : resolveInbound(prefix, options.inbound, cluster);
  const codec = options.codec ?? jsonCodec;
  const producerName = options.producerName ?? 'producer';
  if (typeof producerName !== 'string' || producerName.length === 0 || /[\s:]/.test(producerName)) {
    throw new TransportRedisOptionError(
      'producerName',
      'a non-empty string without whitespace or ":"',
      producerName,
    );
  }
  const producerId = `${producerName}-${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  if (!Number.isInteger(connectTimeoutMs) || connectTimeoutMs < 1) {
    throw new TransportRedisOptionError('connectTimeoutMs', 'an integer ≥ 1', connectTimeoutMs);
  }

  const streams = new StreamCounterTable();
  const errorHandlers = new Set<(error: unknown) => void>();
  const report = (error: unknown) => {
    if (errorHandlers.size === 0) {
      console.error('[transport-redis]', error instanceof Error ? error.message : error);
      return;
    }
    for (const handler of errorHandlers) {
      try {
        handler(error);
      } catch {
        // An error handler that throws must not stop the others or the transport.
      }
    }
  };

  const connections: RedisConnection[] = [];
  let reconnects = 0;
  const watch = (connection: RedisConnection, role: string) => {
    let wasReady = false;
    let lost = false;
    connection.on('ready', () => {
      if (lost) reconnects++;
      wasReady = true;
      lost = false;
    });
    connection.on('close', () => {
      if (!wasReady || lost || state === 'stopping' || state === 'stopped') return;
      lost = true;
      report(
        new TransportRedisConnectionError(
          'TRANSPORT_REDIS_DISCONNECTED',
          `${role} connection: expected Redis to stay reachable, found the connection closed; reconnecting with backoff`,
        ),
      );
    });
    // ioredis emits 'error' on every failed reconnect attempt; the 'close' report above says it once.
    connection.on('error', () => {});
    connections.push(connection);
    return connection;
  };

  const producer =
    outbound === undefined
      ? undefined
      : new RedisProducer(
          producerId,
          outbound,
          watch(openConnection(target, 'producer', backoff), 'producer'),
          codec,
          backoff,
          streams,
          report,
        );

  // Set while the consumer publishes into the bus, so the outbound handler does not echo inbound events.
  let delivering = false;
  const deliver = (topic: string, payload: unknown) => {
    delivering = true;
    try {
      bus.publish(topic as Topic<Events>, payload as Events[Topic<Events>]);
    } finally {
      delivering = false;
    }
  };
  // One lane reads every stream on one Redis; on Cluster a read may only name keys of one slot, so each hash
  // tag gets a lane with its own connection (a blocking read holds its connection).
  const inboundCounts = new InboundCounters();
  const lanes: RedisConsumer[] = [];
  if (inbound !== undefined) {
    const keysByLane = new Map<string, string[]>();
    for (const key of inbound.streams.keys()) {
      const lane = cluster ? hashTag(key) : '';
      const keys = keysByLane.get(lane);
      if (keys === undefined) keysByLane.set(lane, [key]);
      else keys.push(key);
    }
    const dedup = new DedupWindow(inbound.dedupWindow);
    let lane = 0;
    for (const keys of keysByLane.values()) {
      const role = cluster ? `consumer-${++lane}` : 'consumer';
      lanes.push(
        new RedisConsumer(
          inbound,
          keys,
          watch(openConnection(target, role, backoff), role),
          cluster,
          codec,
          backoff,
          streams,
          inboundCounts,
          dedup,
          deliver,
          report,
          (stream) => deadLetterKey(prefix, stream, cluster),
        ),
      );
    }
  }
  const consumer = lanes.length === 0 ? undefined : inboundCounts;

  let state: TransportState = 'created';
  const unsubscribes: Unsubscribe[] = [];
  let stopping: Promise<void> | undefined;

  const closeConnections = async () => {
    await Promise.all(
      connections.map(async (connection) => {
        if (connection.status === 'ready') {
          try {
            await connection.quit();
            return;
          } catch {
            // Fall through to a hard disconnect.
          }
        }
        connection.disconnect();
      }),
    );
  };

  const transport: RedisTransport = {
    producerId,
    get state() {
      return state;
    },
    async start() {
      if (state !== 'created') {
        throw new TransportRedisError(
          'TRANSPORT_REDIS_ALREADY_STARTED',
          `start(): expected a new transport, found one ${state}`,
        );
      }
      state = 'starting';
      if (producer !== undefined && outbound !== undefined) {
        for (const topic of outbound.routes.keys()) {
          unsubscribes.push(
            bus.subscribe(
              topic as Topic<Events>,
              (payload) => {
                if (!delivering) producer.enqueue(topic, payload);
              },
              { name: 'transport-redis' },
            ),
          );
        }
      }
      const timeout = AbortSignal.timeout(connectTimeoutMs);
      try {
        await Promise.all(
          connections.map((connection) => {
            connection.connect().catch(() => {});
            return whenReady(connection, timeout);
          }),
        );
        if (!cluster) await refuseClusterNode(connections[0] as Redis, describeTarget(target));
        await producer?.prepare();
        for (const lane of lanes) await lane.ensureGroups();
      } catch (error) {
        state = 'stopped';
        for (const off of unsubscribes.splice(0)) off();
        producer?.close();
        for (const connection of connections) connection.disconnect();
        if (error instanceof TransportRedisClusterKeyError) throw error;
        throw new TransportRedisConnectionError(
          'TRANSPORT_REDIS_CONNECT_TIMEOUT',
          `expected ${describeTarget(target)} to accept connections within ${connectTimeoutMs} ms, found it unreachable or failing: ${error instanceof Error ? error.message : String(error)}`,
          error,
        );
      }
      for (const lane of lanes) lane.run();
      state = 'running';
    },
    stop(stopOptions) {
      if (stopping !== undefined) return stopping;
      if (state === 'created') {
        state = 'stopped';
        for (const connection of connections) connection.disconnect();
        stopping = Promise.resolve();
        return stopping;
      }
      state = 'stopping';
      stopping = (async () => {
        for (const off of unsubscribes.splice(0)) off();
        if (producer !== undefined) {
          const flushed = await producer.flush(stopOptions?.timeoutMs ?? 5_000);
          if (!flushed) {
            const abandoned = producer.close();
            report(
              new TransportRedisConnectionError(
                'TRANSPORT_REDIS_ABANDONED',
                `stop(): expected every outbound event confirmed by Redis, found ${abandoned} still buffered after ${stopOptions?.timeoutMs ?? 5_000} ms; they were not published`,
              ),
            );
          }
        }
        await Promise.all(lanes.map((lane) => lane.stop()));
        await closeConnections();
        state = 'stopped';
      })();
      return stopping;
    },
    flush(flushOptions) {
      return producer === undefined ? Promise.resolve(true) : producer.flush(flushOptions?.timeoutMs);
    },
    metrics() {
      return {
        connected: connections.every((connection) => connection.status === 'ready'),
        reconnects,
        outbound: {
          published: producer?.published ?? 0,
          buffered: producer?.buffered ?? 0,
          inFlight: producer?.inFlight ?? 0,
          overflowed: producer?.overflowed ?? 0,
          encodeFailures: producer?.encodeFailures ?? 0,
          batches: producer?.batches ?? 0,
          retries: producer?.retries ?? 0,
          abandoned: producer?.abandoned ?? 0,
          resendSkipped: producer?.resendSkipped ?? 0,
          marksBehind: producer?.marksBehind ?? 0,
        },
        inbound: {
          delivered: consumer?.delivered ?? 0,
          acknowledged: consumer?.acknowledged ?? 0,
          redelivered: consumer?.redelivered ?? 0,
          claimed: consumer?.claimed ?? 0,
          duplicatesDropped: consumer?.duplicatesDropped ?? 0,
          decodeFailures: consumer?.decodeFailures ?? 0,
          ignored: consumer?.ignored ?? 0,
          trimmed: consumer?.trimmed ?? 0,
          overlapSkipped: consumer?.overlapSkipped ?? 0,
        },
        streams: streams.snapshot(),
      };
    },
    async refreshMetrics() {
      // The consumer's own connection may be blocked in a read; a short-lived one answers at once.
      if (state === 'running') for (const lane of lanes) await lane.refreshLag(connections[0]);
      return transport.metrics();
    },
    onError(handler) {
      errorHandlers.add(handler);
      return () => {
        errorHandlers.delete(handler);
      };
    },
  };
  return transport;
}

/**
 * A single-node connection to a Redis Cluster node works until a script or transaction touches two slots or a
 * key lives on another node; refuse it at start instead.
 */
async function refuseClusterNode(connection: Redis, target: string): Promise<void> {
  let info: string;
  try {
    info = await connection.info('cluster');
  } catch {
    return; // INFO renamed or refused: nothing to tell, and nothing the transport needs it for.
  }
  if (!/cluster_enabled:1/.test(info)) return;
  throw new TransportRedisClusterKeyError(
    'redis',
    target,
    'a standalone Redis for a redis:// URL or ioredis options (for Redis Cluster pass an ioredis Cluster or an array of node URLs)',
    `a Redis Cluster node (cluster_enabled:1) at ${target}, where one connection would meet MOVED and CROSSSLOT replies`,
  );
}
