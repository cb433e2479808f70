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
import { TransportRedisClusterKeyError } from './transport-redis-error.js';

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
