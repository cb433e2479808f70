/**
 * Runs one lifecycle call with a time limit, turning a synchronous throw into a rejection.
 */

/**
 * Resolves with `work()`'s result, or rejects with `onTimeout()` when it has not settled within `ms`.
 * The work itself cannot be cancelled; the component is marked failed and the kernel moves on.
 */
export async function withTimeout<T>(
  work: () => T | Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(work),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
