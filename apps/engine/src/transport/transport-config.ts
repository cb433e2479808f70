/**
 * The `transport` section of the engine configuration: how split roles (`--role ingest` / `--role strategy`)
 * reach each other. Kept beside the transport component; `config/engine-config.ts` only mounts it.
 */
import { z } from 'zod';

const redisSchema = z.strictObject({
  url: z.string().default(''),
  prefix: z.string().regex(/^\S+$/, 'expected a key prefix without whitespace').default('algospace:engine'),
});

/**
 * `transport.redis.url` (empty: no transport; `--transport-redis URL` wins) and `transport.redis.prefix` (the
 * Redis keys of one ingest → strategy pipeline; give concurrent pipelines different prefixes).
 *
 * @example
 * ```ts
 * transportSchema.parse({ redis: { url: 'redis://127.0.0.1:6379' } }).redis.prefix; // 'algospace:engine'
 * ```
 */
export const transportSchema = z.strictObject({
  redis: redisSchema.default(redisSchema.parse({})),
});
