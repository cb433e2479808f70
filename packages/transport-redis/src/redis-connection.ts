/**
 * Opens the transport's ioredis connections with the settings its delivery guarantees rely on: no offline
 * queue and no automatic resend (the transport buffers and resends itself, in order, idempotently), in-flight
 * commands failed at once when the connection drops, and reconnection with jittered exponential backoff.
 * A target is one Redis (a URL or ioredis options) or a Redis Cluster (an ioredis `Cluster` used as a template,
 * or the URLs of its nodes).
 */
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { clusterStartupNodes } from './cluster-nodes.js';
import { backoffDelay, type ResolvedBackoff } from './reconnect-backoff.js';
import { TransportRedisOptionError } from './transport-redis-error.js';

/** One connection of the transport: to one Redis, or to a cluster (one connection per node it talks to). */
export type RedisConnection = Redis | Cluster;

/** Where the transport connects. */
export type RedisTarget =
  | { readonly cluster: false; readonly redis: string | RedisOptions | Redis }
  | { readonly cluster: true; readonly template: Cluster | undefined; readonly nodes: readonly string[] };

/** True for an ioredis `Cluster` (checked by its flag, so two copies of ioredis still agree). */
function isClusterInstance(value: unknown): value is Cluster {
  return typeof value === 'object' && value !== null && (value as { isCluster?: unknown }).isCluster === true;
}

/** True for an ioredis `Redis` client (by shape, so two copies of ioredis still agree). */
function isRedisInstance(value: object): value is Redis {
  return typeof (value as { duplicate?: unknown }).duplicate === 'function';
}

/** Validates the `redis` option. */
export function resolveTarget(redis: unknown): RedisTarget {
  if (isClusterInstance(redis)) return { cluster: true, template: redis, nodes: [] };
  if (Array.isArray(redis)) {
    if (
      redis.length === 0 ||
      !redis.every((url) => typeof url === 'string' && /^rediss?:\/\/[^/]+/.test(url) && URL.canParse(url))
    ) {
      throw new TransportRedisOptionError(
        'redis',
        'a non-empty array of redis:// (or rediss://) URLs of Redis Cluster nodes',
        redis,
      );
    }
    return { cluster: true, template: undefined, nodes: redis as string[] };
  }
  if (typeof redis === 'string' || (typeof redis === 'object' && redis !== null))
    return { cluster: false, redis: redis as string | RedisOptions | Redis };
  throw new TransportRedisOptionError(
    'redis',
    'a redis:// URL, ioredis options or an ioredis Redis (one Redis), or an ioredis Cluster or an array of node URLs (Redis Cluster)',
    redis,
  );
}

/** Describes a target for messages, without credentials. */
export function describeTarget(target: RedisTarget): string {
  const hide = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
  if (!target.cluster) return typeof target.redis === 'string' ? hide(target.redis) : 'the configured Redis';
  return target.nodes.length > 0
    ? `the Redis Cluster at ${target.nodes.map(hide).join(', ')}`
    : 'the configured Redis Cluster';
}

/** Opens (lazily: call `connect()`) one connection; `role` names it in `CLIENT LIST`. */
export function openConnection(target: RedisTarget, role: string, backoff: ResolvedBackoff): RedisConnection {
  const perConnection = {
    autoResendUnfulfilledCommands: false,
    // 0: every command in flight is rejected as soon as the connection closes, so the transport knows at once
    // what to resend instead of waiting behind ioredis's own retries.
    maxRetriesPerRequest: 0,
    connectionName: `algospace-${role}`,
  } satisfies RedisOptions;
  if (!target.cluster) {
    const settings: RedisOptions = {
      ...perConnection,
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: true,
      retryStrategy: (attempt) => backoffDelay(backoff, attempt),
    };
    const redis = target.redis;
    if (typeof redis === 'string') return new Redis(redis, settings);
    // A client is only a template, as a Cluster is below.
    if (isRedisInstance(redis)) return redis.duplicate(settings);
    return new Redis({ ...redis, ...settings });
  }
  const settings = (base: ClusterOptions['redisOptions']): ClusterOptions => ({
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: true,
    clusterRetryStrategy: (attempt) => backoffDelay(backoff, attempt),
    // 0: a command (or MULTI/EXEC) whose node connection closed is rejected, not resent by ioredis after its
    // failover delay. It may have run with only its reply lost; a blind resend ran a consumer's commit hook
    // twice and left a lost read's entries pending behind later ones. The transport's own retry checks first.
    // MOVED, ASK, TRYAGAIN and CLUSTERDOWN retries stay: Redis answers those before executing anything.
    retryDelayOnFailover: 0,
    redisOptions: { ...base, ...perConnection },
  });
  // The caller's instance is only a template: the transport never sends on it or closes it.
  if (target.template !== undefined)
    return target.template.duplicate([], settings(target.template.options.redisOptions));
  const { nodes, redisOptions } = clusterStartupNodes(target.nodes);
  // Nodes learned from CLUSTER SLOTS need the same credentials as the ones listed.
  return new Cluster(nodes, settings(redisOptions));
}

/** Resolves when `connection` is ready; rejects when `signal` aborts first. */
export function whenReady(connection: RedisConnection, signal?: AbortSignal): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      connection.off('ready', onReady);
      reject(signal?.reason);
    };
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    connection.once('ready', onReady);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
