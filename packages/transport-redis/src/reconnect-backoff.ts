/**
 * Reconnect delays: exponential backoff with full jitter, capped. Passed to ioredis as its `retryStrategy`,
 * and used by the transport before retrying a failed batch.
 */

/**
 * How long to wait between reconnection attempts: `initialDelayMs · factor^(attempt-1)`, capped at
 * `maxDelayMs`, with full jitter (a uniform draw below that) so many clients do not reconnect in lockstep.
 *
 * @example
 * ```ts
 * const backoff: ReconnectBackoff = { initialDelayMs: 50, maxDelayMs: 2_000, factor: 2 };
 * ```
 */
export interface ReconnectBackoff {
  /** Delay ceiling of the first retry. Default 50 ms. */
  readonly initialDelayMs?: number;
  /** Largest delay ceiling. Default 2 000 ms. */
  readonly maxDelayMs?: number;
  /** Growth of the ceiling per attempt. Default 2. */
  readonly factor?: number;
}

/** Resolved backoff settings. */
export interface ResolvedBackoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
}

/** The delay before retry number `attempt` (1-based); `random` is injectable for tests. */
export function backoffDelay(
  settings: ResolvedBackoff,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    settings.maxDelayMs,
    settings.initialDelayMs * settings.factor ** Math.max(0, attempt - 1),
  );
  // Never 0: a zero delay would let a flapping server turn the retry loop into a busy loop.
  return Math.max(1, Math.round(ceiling * random()));
}
