/**
 * The bus bridge between split engine processes over Redis Streams. `--role ingest` (DataHandler +
 * BarGenerator) publishes NEW_TICK, NEW_5MIN_BAR, NEW_30MIN_BAR and END_OF_STREAM to one stream, then an
 * INGEST_COMPLETE marker carrying the DataHandler's report and the BarGenerator's counts; `--role strategy`
 * (IndicatorEngine through ExecutionHandler) consumes them into its own bus in the same order and ends its run
 * once the marker is processed. One stream keeps the relative order of ticks and bars that the single-process
 * engine has, which is what makes a split run's results.json equal to a single-process one. On Redis Cluster
 * (several node URLs) that stream is `<prefix>:{events}`, one hash tag, so it and its producer marks share a
 * slot and live on one master.
 */
import {
  clusterStartupNodes,
  createRedisTransport,
  type RedisTransport,
  streamEntryEvents,
  transportStreamKeys,
} from '@algospace/transport-redis';
import { Cluster, Redis } from 'ioredis';
import type { BarGeneratorComponent } from '../components/bar-generator.js';
import type { DataHandlerComponent, DataHandlerReport } from '../components/data-handler.js';
import type { EngineComponent, EngineContext } from '../components/engine-component.js';
import type { EngineConfig } from '../config/engine-config.js';
import { EngineError } from '../engine-error.js';
import type { EngineEvents } from '../events.js';
import { parseRedisTransportUrl, type RedisTransportTarget } from './transport-config.js';

/** Topic of the marker the ingest role publishes after its last event. */
export const INGEST_COMPLETE = 'INGEST_COMPLETE';

/**
 * Topic that carries the ingest process's END_OF_STREAM. It is re-published as END_OF_STREAM on the strategy
 * bus. A topic of its own, because the ingest side must forward it after the BarGenerator's END_OF_STREAM
 * handler (which flushes the last bars) has run, i.e. from a subscription made in `start`, later than the
 * transport's own subscriptions.
 */
export const REMOTE_END_OF_STREAM = 'REMOTE_END_OF_STREAM';

/**
 * The payload of {@link INGEST_COMPLETE}: what the strategy role needs for results.json from the process that
 * read the input.
 *
 * @example
 * ```ts
 * const summary: IngestSummary = { data: report, bars: barGenerator.stats() };
 * ```
 */
export interface IngestSummary {
  /** The DataHandler's report (source, records, rejected rows); absent when the input failed. */
  readonly data?: DataHandlerReport;
  /** The BarGenerator's counters. */
  readonly bars?: ReturnType<BarGeneratorComponent['stats']>;
  /** Why the ingest run failed, when it did. */
  readonly error?: string;
}

/** The engine event map plus the transport's own topics. */
type BridgedEvents = EngineEvents & {
  [INGEST_COMPLETE]: IngestSummary;
  [REMOTE_END_OF_STREAM]: EngineEvents['END_OF_STREAM'];
};

/** Topics on the pipeline's one ordered stream. */
const BRIDGED_TOPICS = [
  'NEW_TICK',
  'NEW_5MIN_BAR',
  'NEW_30MIN_BAR',
  REMOTE_END_OF_STREAM,
  INGEST_COMPLETE,
] as const;

const STREAM = 'events';
const GROUP = 'strategy';
const CONSUMER = 'strategy-1';

/**
 * Options of {@link createRedisTransportComponent}.
 *
 * @example
 * ```ts
 * const options: RedisTransportComponentOptions = { role: 'ingest', url: 'redis://127.0.0.1:6379', prefix: 'algospace:engine', dataHandler, barGenerator };
 * ```
 */
export interface RedisTransportComponentOptions {
  /** Which side of the split this process is. */
  readonly role: 'ingest' | 'strategy';
  /**
   * `--transport-redis` or `transport.redis.url`: one redis:// (or rediss://) URL for one Redis, or several
   * separated by commas for the nodes of a Redis Cluster.
   */
  readonly url: string;
  /** Key prefix of this pipeline's stream. */
  readonly prefix: string;
  /** Ingest role: the DataHandler whose end (and report) triggers the marker. */
  readonly dataHandler?: DataHandlerComponent;
  /** Ingest role: the BarGenerator whose counters go into the marker. */
  readonly barGenerator?: BarGeneratorComponent;
}

/**
 * The transport component, and for the strategy role stand-ins for the DataHandler and BarGenerator it does
 * not run: their `done` and `stats()` answer with what the ingest process reported in its marker, so the run
 * ends and results.json is written exactly as in a single process.
 *
 * @example
 * ```ts
 * const bridge = createRedisTransportComponent({ role: 'strategy', url, prefix: 'algospace:engine' });
 * kernel.register(bridge.component);
 * await bridge.dataHandler?.done; // the ingest side finished and everything it sent was handled
 * ```
 */
export interface RedisTransportBridge {
  /** Register this with the kernel (first, for the ingest role: see the module comment). */
  readonly component: EngineComponent;
  /** Strategy role: answers like the remote DataHandler. */
  readonly dataHandler?: DataHandlerComponent;
  /** Strategy role: answers like the remote BarGenerator. */
  readonly barGenerator?: BarGeneratorComponent;
}

/**
 * Creates the Redis bridge of one split role.
 *
 * @throws EngineError (`ENGINE_BAD_ARGUMENT`) when `url` holds something other than redis:// or rediss:// URLs
 *
 * @example
 * ```ts
 * const bridge = createRedisTransportComponent({ role: 'ingest', url: 'redis://127.0.0.1:6379', prefix: 'algospace:engine', dataHandler, barGenerator });
 * components.unshift(bridge.component);
 * ```
 */
export function createRedisTransportComponent(options: RedisTransportComponentOptions): RedisTransportBridge {
  const target = parseRedisTransportUrl('url', options.url);
  const run: RunRedis = {
    target,
    keys: transportStreamKeys(options.prefix, STREAM, { cluster: target.cluster }),
  };
  return options.role === 'ingest' ? ingestBridge(options, run) : strategyBridge(options, run);
}

/** Where one pipeline's stream lives. */
interface RunRedis {
  readonly target: RedisTransportTarget;
  /** The stream's keys, as the transport names them in the target's layout. */
  readonly keys: { readonly stream: string; readonly producers: string };
}

/** The transport's `redis` option for a target: a URL, or the node URLs of a cluster. */
function transportRedis(target: RedisTransportTarget): string | string[] {
  return target.cluster ? [...target.nodes] : target.url;
}

function route() {
  return { topics: [...BRIDGED_TOPICS], stream: STREAM };
}

function exposeMetrics(context: EngineContext, transport: RedisTransport, role: string): void {
  const registry = context.kernel.metrics;
  const family = (
    name: string,
    help: string,
    type: 'counter' | 'gauge',
    values: () => { labels: Record<string, string>; value: number }[],
  ) => {
    // A plain object with prom-client's collector shape: the engine reads the snapshot at scrape time and
    // needs no prom-client dependency of its own.
    const metric = {
      name,
      help,
      type,
      aggregator: 'sum',
      get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
      reset() {},
    };
    if (registry.getSingleMetric(name) === undefined)
      registry.registerMetric(metric as unknown as Parameters<typeof registry.registerMetric>[0]);
  };
  family(
    'algospace_transport_redis_events_total',
    'Events through the Redis transport, by what happened to them.',
    'counter',
    () => {
      const { outbound, inbound } = transport.metrics();
      return Object.entries({ ...prefixKeys('outbound_', outbound), ...prefixKeys('inbound_', inbound) })
        .filter(([kind]) => kind !== 'outbound_buffered' && kind !== 'outbound_inFlight')
        .map(([kind, value]) => ({ labels: { role, kind }, value }));
    },
  );
  family('algospace_transport_redis_buffered', 'Outbound events not yet confirmed by Redis.', 'gauge', () => [
    { labels: { role }, value: transport.metrics().outbound.buffered },
  ]);
  family('algospace_transport_redis_connected', '1 while every Redis connection is ready.', 'gauge', () => [
    { labels: { role }, value: transport.metrics().connected ? 1 : 0 },
  ]);
  family(
    'algospace_transport_redis_stream_lag',
    'Entries of a stream not yet delivered to the consumer group.',
    'gauge',
    () =>
      Object.entries(transport.metrics().streams).map(([stream, m]) => ({
        labels: { role, stream },
        value: m.lag ?? 0,
      })),
  );
}

function prefixKeys(prefix: string, record: object): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [`${prefix}${key}`, Number(value)]));
}

function health(transport: RedisTransport | undefined) {
  if (transport === undefined) return { status: 'ok' as const, detail: 'not started' };
  const m = transport.metrics();
  return m.connected
    ? { status: 'ok' as const, detail: `${m.outbound.published} published, ${m.inbound.delivered} delivered` }
    : { status: 'degraded' as const, detail: `Redis unreachable, ${m.outbound.buffered} events buffered` };
}

/** A typed `publish` on a bus whose map lacks the marker topic. */
function bridgedBus(context: EngineContext) {
  return context.bus as unknown as Parameters<typeof createRedisTransport<BridgedEvents>>[0]['bus'];
}

function ingestBridge(options: RedisTransportComponentOptions, run: RunRedis): RedisTransportBridge {
  let transport: RedisTransport | undefined;
  const component: EngineComponent = {
    name: 'redis-transport',
    critical: true,
    async init(context) {
      await clearCompletedRun(run);
      transport = createRedisTransport<BridgedEvents>({
        bus: bridgedBus(context),
        redis: transportRedis(run.target),
        prefix: options.prefix,
        producerName: 'ingest',
        // A backtest reads faster than Redis appends and nothing may be dropped: the bound is generous, and a
        // full buffer fails the run (reject → critical handler failure) instead of losing events.
        outbound: { topics: [route()], maxBatchSize: 1024, bufferLimit: 5_000_000, overflow: 'reject' },
      });
      transport.onError((error) => context.reportError(error, { critical: isFatal(error) }));
      // Subscribes here, before the BarGenerator's init: a tick goes out before the bars it closes, the order
      // in which the ExecutionHandler sees them in one process.
      await transport.start();
      exposeMetrics(context, transport, 'ingest');
    },
    start(context) {
      const bus = bridgedBus(context);
      bus.subscribe('END_OF_STREAM', (end) => bus.publish(REMOTE_END_OF_STREAM, end));
      const data = options.dataHandler;
      if (data === undefined) return;
      // The marker follows every event: DataHandler.done resolves after END_OF_STREAM and the final flush.
      data.done.then(
        (report) =>
          bus.publish(INGEST_COMPLETE, {
            data: report,
            ...(options.barGenerator === undefined ? {} : { bars: options.barGenerator.stats() }),
          }),
        (error: unknown) =>
          bus.publish(INGEST_COMPLETE, { error: error instanceof Error ? error.message : String(error) }),
      );
    },
    async stop() {
      // Waits until Redis confirmed everything, the marker included.
      await transport?.stop({ timeoutMs: 60_000 });
    },
    health: () => health(transport),
  };
  return { component };
}

function strategyBridge(options: RedisTransportComponentOptions, run: RunRedis): RedisTransportBridge {
  let transport: RedisTransport | undefined;
  let summary: IngestSummary | undefined;
  let received = 0;
  let started = false;
  let complete!: (summary: IngestSummary) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<DataHandlerReport>((resolve, reject) => {
    complete = (s) => {
      summary = s;
      if (s.data !== undefined) resolve(s.data);
      else
        reject(
          new EngineError('ENGINE_INGEST_FAILED', `the ingest process failed: ${s.error ?? 'no report'}`),
        );
    };
    fail = reject;
  });
  done.catch(() => {});
  const component: EngineComponent = {
    name: 'redis-transport',
    critical: true,
    init(context) {
      const bus = bridgedBus(context);
      transport = createRedisTransport<BridgedEvents>({
        bus,
        redis: transportRedis(run.target),
        prefix: options.prefix,
        inbound: { topics: [route()], group: GROUP, consumer: CONSUMER, readCount: 1024 },
      });
      transport.onError((error) => context.reportError(error, { critical: isFatal(error) }));
      bus.subscribe('NEW_TICK', () => received++);
      bus.subscribe('NEW_5MIN_BAR', () => received++);
      bus.subscribe(REMOTE_END_OF_STREAM, (end) => bus.publish('END_OF_STREAM', end));
      bus.subscribe(INGEST_COMPLETE, (s) => complete(s));
      exposeMetrics(context, transport, 'strategy');
    },
    async start() {
      // Registered last, so every other component has subscribed before the first event arrives.
      started = true;
      try {
        await transport?.start();
      } catch (error) {
        fail(error);
        throw error;
      }
    },
    async stop() {
      await transport?.stop({ timeoutMs: 10_000 });
      // Stopped (a signal, a critical error) before the ingest's end marker: the run ends with what arrived.
      if (summary === undefined)
        fail(
          new EngineError(
            'ENGINE_INGEST_INCOMPLETE',
            `expected the ingest process's end marker (${INGEST_COMPLETE}) before stopping, got ${received} events without it`,
          ),
        );
      // The run is complete and acknowledged: leave Redis clean for the next one.
      else await deleteRun(run);
    },
    health: () => health(transport),
  };
  const dataHandler: DataHandlerComponent = {
    name: 'remote-data-handler',
    init() {},
    done,
    clock: { now: () => null },
    progress: () => Number.NaN,
    records: () => received,
    // `done` settles once the bridge has started (with the ingest summary or the start failure).
    started: () => started,
  };
  const barGenerator: BarGeneratorComponent = {
    name: 'remote-bar-generator',
    init() {},
    stats() {
      if (summary?.bars === undefined) {
        throw new EngineError('ENGINE_INGEST_FAILED', 'the ingest process sent no bar statistics');
      }
      return summary.bars;
    },
  };
  return { component, dataHandler, barGenerator };
}

/** Connection losses and retries degrade the run; a refused (full) buffer would lose events and fails it. */
function isFatal(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'TRANSPORT_REDIS_BUFFER_FULL' || code === 'TRANSPORT_REDIS_DECODE_FAILED';
}

/**
 * A short-lived client for the bridge's own clean-up: fails fast instead of retrying (the transport, not this,
 * rides out outages).
 */
async function adminClient(target: RedisTransportTarget): Promise<Redis | Cluster> {
  const client = target.cluster
    ? clusterClient(target.nodes)
    : new Redis(target.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    await client.connect();
    // One URL is one Redis. On a cluster node the run's keys would answer MOVED or CROSSSLOT later, from deep
    // inside the clean-up; saying what to pass instead is kinder.
    // A user may be refused INFO (managed Redis services restrict it): then the check is skipped, not the run.
    if (!target.cluster && /^cluster_enabled:1\s*$/m.test(await client.info('cluster').catch(() => ''))) {
      throw new EngineError(
        'ENGINE_BAD_ARGUMENT',
        `--transport-redis / transport.redis.url: expected one URL to name a single Redis, got ${new URL(target.url).host}, a Redis Cluster node; list the cluster's nodes separated by commas (e.g. redis://10.0.0.1:6379,redis://10.0.0.2:6379)`,
      );
    }
  } catch (error) {
    client.disconnect();
    if (EngineError.isInstance(error)) throw error;
    const where = target.cluster
      ? `the Redis Cluster at ${target.nodes.map((node) => new URL(node).host).join(', ')}`
      : `Redis at ${new URL(target.url).host}`;
    throw new EngineError(
      'ENGINE_REDIS_UNREACHABLE',
      `--transport-redis / transport.redis.url: expected to reach ${where}, got ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return client;
}

/** A Cluster client for `nodes`; the nodes it discovers get the credentials and TLS the listed URLs carry. */
function clusterClient(urls: readonly string[]): Cluster {
  const { nodes, redisOptions } = clusterStartupNodes(urls);
  return new Cluster(nodes, {
    lazyConnect: true,
    clusterRetryStrategy: () => null,
    redisOptions: { ...redisOptions, maxRetriesPerRequest: 1 },
  });
}

/** Deletes the stream of a previous run that was completely published but never cleaned up. */
async function clearCompletedRun({ target, keys }: RunRedis): Promise<void> {
  const redis = await adminClient(target);
  try {
    const [last] = await redis.xrevrange(keys.stream, '+', '-', 'COUNT', 1);
    // The marker is the run's last event; the producer packs it into one entry with the events before it.
    if (last === undefined || streamEntryEvents(keys.stream, last).at(-1)?.topic !== INGEST_COMPLETE) return;
    // One DEL for both keys: on Cluster they share the stream's hash tag, hence its slot.
    await redis.del(keys.stream, keys.producers);
  } finally {
    redis.disconnect();
  }
}

async function deleteRun({ target, keys }: RunRedis): Promise<void> {
  const redis = await adminClient(target);
  try {
    await redis.del(keys.stream, keys.producers);
  } finally {
    redis.disconnect();
  }
}

/**
 * Adds the Redis bridge to a split role's pipeline: for `ingest` first in the list (its subscriptions must
 * precede the BarGenerator's), for `strategy` last (it starts delivering once everything else has started),
 * with its stand-ins as the DataHandler and BarGenerator handles. Does nothing for `all`.
 *
 * @throws EngineError (`ENGINE_BAD_ARGUMENT`) when a split role has no Redis URL, or one that is not a
 *   redis:// URL or a comma-separated list of them
 *
 * @example
 * ```ts
 * addRedisTransport({ role: 'strategy', config, components, handles, url: 'redis://127.0.0.1:6379' });
 * ```
 */
export function addRedisTransport(target: {
  readonly role: 'all' | 'ingest' | 'strategy';
  readonly config: EngineConfig;
  readonly components: EngineComponent[];
  readonly handles: { dataHandler?: DataHandlerComponent; barGenerator?: BarGeneratorComponent };
  readonly url: string | undefined;
}): void {
  const { role, config, components, handles } = target;
  if (role === 'all') return;
  const url = target.url ?? config.transport.redis.url;
  if (url === '') {
    throw new EngineError(
      'ENGINE_BAD_ARGUMENT',
      `--role ${role}: expected --transport-redis URL or transport.redis.url in the config, got neither`,
    );
  }
  // Checked here with the name the user knows, before the components are built.
  parseRedisTransportUrl(target.url === undefined ? 'transport.redis.url' : '--transport-redis', url);
  const prefix = config.transport.redis.prefix;
  if (role === 'ingest') {
    const bridge = createRedisTransportComponent({
      role,
      url,
      prefix,
      ...(handles.dataHandler === undefined ? {} : { dataHandler: handles.dataHandler }),
      ...(handles.barGenerator === undefined ? {} : { barGenerator: handles.barGenerator }),
    });
    components.unshift(bridge.component);
    return;
  }
  const bridge = createRedisTransportComponent({ role, url, prefix });
  components.push(bridge.component);
  if (bridge.dataHandler !== undefined) handles.dataHandler = bridge.dataHandler;
  if (bridge.barGenerator !== undefined) handles.barGenerator = bridge.barGenerator;
}
