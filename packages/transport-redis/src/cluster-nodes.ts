/**
 * Reading Redis Cluster node URLs into what an ioredis `Cluster` is built from.
 */
import type { ClusterNode, RedisOptions } from 'ioredis';

/**
 * The startup nodes a list of `redis://` / `rediss://` URLs names, and the connection options every node needs:
 * nodes learned later from `CLUSTER SLOTS` get the same credentials and TLS as the listed ones, which are taken
 * from the first URL that carries a password (and TLS from any `rediss://` URL).
 *
 * @param urls - node URLs such as `redis://user:pass@10.0.0.1:6379` or `redis://[::1]:7000`
 *
 * @example
 * ```ts
 * const { nodes, redisOptions } = clusterStartupNodes(['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379']);
 * const cluster = new Cluster(nodes, { redisOptions });
 * ```
 */
export function clusterStartupNodes(urls: readonly string[]): {
  nodes: ClusterNode[];
  redisOptions: Pick<RedisOptions, 'username' | 'password' | 'tls'>;
} {
  const nodes: ClusterNode[] = [];
  let redisOptions: Pick<RedisOptions, 'username' | 'password' | 'tls'> = {};
  for (const url of urls) {
    const parsed = new URL(url);
    // `hostname` keeps an IPv6 literal's brackets, which the resolver does not take.
    nodes.push({ host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(parsed.port || 6379) });
    if (parsed.password !== '' && redisOptions.password === undefined) {
      redisOptions = {
        ...redisOptions,
        password: decodeURIComponent(parsed.password),
        ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
      };
    }
    if (parsed.protocol === 'rediss:') redisOptions = { ...redisOptions, tls: {} };
  }
  return { nodes, redisOptions };
}
