/**
 * The `transport` section of the engine configuration: how split roles (`--role ingest` / `--role strategy`)
 * reach each other. Kept beside the transport component; `config/engine-config.ts` only mounts it.
 */
import { maskUrlCredentials } from '@algospace/kernel';
import { z } from 'zod';
import { EngineError } from '../engine-error.js';

const EXPECTED_URL =
  'a redis:// or rediss:// URL (one Redis), or a comma-separated list of them (the nodes of a Redis Cluster)';

/**
 * Where split roles meet: one Redis, or a Redis Cluster given by some of its nodes (the others are
 * discovered).
 *
 * @example
 * ```ts
 * const target: RedisTransportTarget = { cluster: true, nodes: ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379'] };
 * ```
 */
export type RedisTransportTarget =
  | { readonly cluster: false; readonly url: string }
  | { readonly cluster: true; readonly nodes: readonly string[] };

/** The target `text` names, or the entry that is no URL (`count` entries in all). */
function readTarget(
  text: string,
): RedisTransportTarget | { readonly bad: string; readonly index: number; readonly count: number } {
  const entries = text.split(',').map((entry) => entry.trim());
  for (const [index, entry] of entries.entries()) {
    if (!/^rediss?:\/\/[^/]+/.test(entry) || !URL.canParse(entry)) {
      // A comma inside unencoded credentials splits them, and the piece shown could hold part of a password.
      const shown =
        entry === ''
          ? 'empty'
          : text.includes('@')
            ? '(not shown: the list holds credentials)'
            : `'${entry}'`;
      return { bad: shown, index, count: entries.length };
    }
  }
  // One entry is one Redis, exactly as before lists were accepted: a single URL never means a cluster.
  return entries.length === 1
    ? { cluster: false, url: entries[0] as string }
    : { cluster: true, nodes: entries };
}

/**
 * Reads a transport URL: one `redis://` (or `rediss://`) URL is one Redis, several separated by commas are
 * nodes of one Redis Cluster. `source` names where the text came from in the error.
 *
 * @throws EngineError (`ENGINE_BAD_ARGUMENT`) when an entry is not a redis:// or rediss:// URL
 *
 * @example
 * ```ts
 * parseRedisTransportUrl('--transport-redis', 'redis://10.0.0.1:6379,redis://10.0.0.2:6379').cluster; // true
 * parseRedisTransportUrl('transport.redis.url', 'redis://127.0.0.1:6379'); // { cluster: false, url: 'redis://127.0.0.1:6379' }
 * ```
 */
export function parseRedisTransportUrl(source: string, text: string): RedisTransportTarget {
  const target = readTarget(text);
  if (!('bad' in target)) return target;
  const found =
    target.count === 1
      ? target.bad === 'empty'
        ? 'an empty string'
        : target.bad
      : `'${maskUrlCredentials(text)}', whose entry ${target.index + 1} of ${target.count} is ${target.bad}`;
  throw new EngineError('ENGINE_BAD_ARGUMENT', `${source}: expected ${EXPECTED_URL}, got ${found}`);
}

const redisSchema = z.strictObject({
  url: z
    .string()
    .default('')
    .superRefine((text, context) => {
      if (text === '') return;
      const target = readTarget(text);
      if (!('bad' in target)) return;
      // The config loader appends ", got <the value>"; the entry at fault is named when there are several.
      const entry =
        target.count === 1 ? '' : ` (entry ${target.index + 1} of ${target.count} is ${target.bad})`;
      context.addIssue({ code: 'custom', message: `expected ${EXPECTED_URL}${entry}` });
    }),
  prefix: z.string().regex(/^\S+$/, 'expected a key prefix without whitespace').default('algospace:engine'),
});

/**
 * `transport.redis.url` (empty: no transport; `--transport-redis URL` wins; several URLs separated by commas
 * name the nodes of a Redis Cluster) and `transport.redis.prefix` (the Redis keys of one ingest → strategy
 * pipeline; give concurrent pipelines different prefixes).
 *
 * @example
 * ```ts
 * transportSchema.parse({ redis: { url: 'redis://127.0.0.1:6379' } }).redis.prefix; // 'algospace:engine'
 * ```
 */
export const transportSchema = z.strictObject({
  redis: redisSchema.default(redisSchema.parse({})),
});
