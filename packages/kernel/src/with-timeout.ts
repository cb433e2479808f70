/**
 * Runs one lifecycle call with a time limit, turning a synchronous throw into a rejection.
 */

/**
 * Resolves with `work()`'s result, or rejects with `onTimeout()` when it has not settled within `ms`.
 * A synchronous result needs no timer (most `init`/`stop` of small components are synchronous). The work
 * itself cannot be cancelled; the caller marks the component failed and moves on.
 */
export async function withTimeout<T>(
  work: () => T | Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  const result = work();
  if (
    typeof result !== 'object' ||
    result === null ||
    typeof (result as PromiseLike<T>).then !== 'function'
  ) {
    return result as T;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(result),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
