/**
 * The names of the transport's Redis keys, on one node and on Redis Cluster.
 *
 * One node: `<prefix>:<stream>`, partitions `<prefix>:<stream>:<key>`, dead letters `<prefix>:dead-letter`.
 *
 * Cluster: every script and transaction must touch keys of one hash slot, and Redis hashes only the part of a
 * key between its first `{` and the next `}` when that part is not empty (the hash tag). Each stream gets its
 * own tag, `<prefix>:{<stream>}` and `<prefix>:{<stream>:<key>}`, so different topics and partitions spread
 * over the slots (and nodes), while every bookkeeping key is the stream key plus a suffix and so shares its
 * slot: the producers' marks `<stream key>:producers`, the dead letters `<stream key>:dead-letter`. A prefix may
 * carry a tag of its own (`{algospace}`): the first tag wins, and every key of the transport lands in one slot.
 */
import { producerMarksKey } from './stream-entry.js';
import { TransportRedisClusterKeyError, TransportRedisOptionError } from './transport-redis-error.js';

/** Where a stream's key is put together: `head + partitionKey + tail` for a partition. */
export interface StreamKeyParts {
  /** Key of the unpartitioned stream. */
  readonly streamKey: string;
  /** Key of partition `k` is `partitionHead + k + partitionTail`. */
  readonly partitionHead: string;
  readonly partitionTail: string;
}

/** Builds the key parts of stream `name` under `prefix`. */
export function streamKeyParts(prefix: string, name: string, cluster: boolean): StreamKeyParts {
  return cluster
    ? { streamKey: `${prefix}:{${name}}`, partitionHead: `${prefix}:{${name}:`, partitionTail: '}' }
    : { streamKey: `${prefix}:${name}`, partitionHead: `${prefix}:${name}:`, partitionTail: '' };
}

/** Key of the dead-letter stream for entries of `streamKey`. */
export function deadLetterKey(prefix: string, streamKey: string, cluster: boolean): string {
  // On Cluster the copy is written in the transaction that acknowledges the entry, so it must share its slot.
  return cluster ? `${streamKey}:dead-letter` : `${prefix}:dead-letter`;
}

/** The part of `key` Redis Cluster hashes: the first non-empty `{…}`, else the whole key. */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  return close <= open + 1 ? key : key.slice(open + 1, close);
}

/** True when `name` contains a brace, which would move or break a stream's hash tag on Cluster. */
export function hasBrace(name: string): boolean {
  return name.includes('{') || name.includes('}');
}

/**
 * Refuses, on Cluster, a prefix whose braces are not one non-empty hash tag: `{}` or an unclosed `{` would
 * make Redis hash a different part of each key and split a stream from its bookkeeping keys (`CROSSSLOT`).
 */
export function checkClusterPrefix(prefix: string): void {
  if (!hasBrace(prefix)) return;
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  if (close > open + 1) return;
  throw new TransportRedisClusterKeyError(
    'prefix',
    prefix,
    "on Redis Cluster a prefix without braces, or with one non-empty hash tag such as '{algospace}' (then every key shares its slot)",
    `'${prefix}', whose braces form no non-empty {tag}: Redis would hash different parts of a stream key and of its ':producers' key and refuse the append script with CROSSSLOT`,
  );
}

/** Refuses, on Cluster, a stream name or partition key holding a brace. */
export function checkClusterName(path: string, name: string): void {
  if (!hasBrace(name)) return;
  throw new TransportRedisClusterKeyError(
    path,
    name,
    'on Redis Cluster a name without { or }',
    `'${name}': the transport puts each stream in its own hash tag {<stream>:<partition>}, and a brace would end or empty that tag (streams sharing slots unexpectedly, or a stream split from its ':producers' key)`,
  );
}

/**
 * Options of {@link transportStreamKeys}.
 *
 * @example
 * ```ts
 * const options: TransportStreamKeyOptions = { cluster: true, partition: 'ES' };
 * ```
 */
export interface TransportStreamKeyOptions {
  /**
   * True for the layout the transport uses on Redis Cluster (its `redis` is an array of node URLs or an ioredis
   * `Cluster`): the stream in its own hash tag. Default `false` (one Redis).
   */
  readonly cluster?: boolean;
  /** The partition key, for a route with `partitionBy` (outbound) or `partitions` (inbound). */
  readonly partition?: string;
}

/**
 * The Redis keys the transport writes for one stream, as returned by {@link transportStreamKeys}.
 *
 * @example
 * ```ts
 * const { stream, producers }: TransportStreamKeys = transportStreamKeys('algospace', 'bars');
 * ```
 */
export interface TransportStreamKeys {
  /** The stream (its consumer groups live in it). */
  readonly stream: string;
  /** The hash of each producer's high-water mark, which makes resends idempotent; in the stream's slot. */
  readonly producers: string;
  /**
   * The dead-letter stream receiving this stream's undecodable entries: on one Redis `<prefix>:dead-letter`,
   * shared by every stream under the prefix; on Cluster the stream's own, in its slot.
   */
  readonly deadLetter: string;
}

/**
 * The keys of stream `stream` under `prefix`, as `createRedisTransport` with the same `prefix` and layout
 * names them: for tools that inspect, trim or delete a pipeline's streams without copying the key layout,
 * which differs between one Redis (`<prefix>:<stream>`) and Redis Cluster (`<prefix>:{<stream>}`). On
 * Cluster `stream` and `producers` share a hash slot, so one `DEL` (or transaction) may hold both.
 *
 * @param prefix - the transport's `prefix` (its default is `'algospace'`)
 * @param stream - the route's stream name (by default its topic's name)
 * @throws TransportRedisOptionError when `prefix`, `stream` or `partition` is empty or holds whitespace
 * @throws TransportRedisClusterKeyError on Cluster, for a name the transport refuses there (braces)
 *
 * @example
 * ```ts
 * transportStreamKeys('algospace:engine', 'events');
 * // { stream: 'algospace:engine:events', producers: 'algospace:engine:events:producers', deadLetter: 'algospace:engine:dead-letter' }
 * const keys = transportStreamKeys('algospace:engine', 'events', { cluster: true });
 * // keys.stream === 'algospace:engine:{events}', keys.producers === 'algospace:engine:{events}:producers'
 * await cluster.del(keys.stream, keys.producers); // one slot: no CROSSSLOT
 * ```
 */
export function transportStreamKeys(
  prefix: string,
  stream: string,
  options: TransportStreamKeyOptions = {},
): TransportStreamKeys {
  const cluster = options.cluster ?? false;
  const partition = options.partition;
  keyName('prefix', prefix);
  keyName('stream', stream);
  if (partition !== undefined) keyName('partition', partition);
  if (cluster) {
    checkClusterPrefix(prefix);
    checkClusterName('stream', stream);
    if (partition !== undefined) checkClusterName('partition', partition);
  }
  const parts = streamKeyParts(prefix, stream, cluster);
  const key =
    partition === undefined ? parts.streamKey : `${parts.partitionHead}${partition}${parts.partitionTail}`;
  return { stream: key, producers: producerMarksKey(key), deadLetter: deadLetterKey(prefix, key, cluster) };
}

function keyName(path: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0 || /\s/.test(value))
    throw new TransportRedisOptionError(path, 'a non-empty string without whitespace', value);
}
