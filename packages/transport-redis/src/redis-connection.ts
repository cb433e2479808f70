/**
 * Opens the transport's ioredis connections with the settings its delivery guarantees rely on: no offline
 * queue and no automatic resend (the transport buffers and resends itself, in order, idempotently), in-flight
 * commands failed at once when the connection drops, and reconnection with jittered exponential backoff.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { backoffDelay, type ResolvedBackoff } from './reconnect-backoff.js';

/** Opens (lazily: call `connect()`) one connection; `role` names it in `CLIENT LIST`. */
export function openConnection(redis: string | RedisOptions, role: string, backoff: ResolvedBackoff): Redis {
  const settings: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    // 0: every command in flight is rejected as soon as the connection closes, so the transport knows at once
    // what to resend instead of waiting behind ioredis's own retries.
    maxRetriesPerRequest: 0,
    enableReadyCheck: true,
    connectionName: `algospace-${role}`,
    retryStrategy: (attempt) => backoffDelay(backoff, attempt),
  };
  return typeof redis === 'string' ? new Redis(redis, settings) : new Redis({ ...redis, ...settings });
}

/** Resolves when `connection` is ready; rejects when `signal` aborts first. */
export function whenReady(connection: Redis, signal?: AbortSignal): Promise<void> {
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
