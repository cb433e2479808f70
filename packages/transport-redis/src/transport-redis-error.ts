/**
 * The error base class of `@algospace/transport-redis` and its subclasses. Every failure the transport raises
 * or reports carries a stable `code`, so callers branch on `code` rather than on message text.
 */

const brand = Symbol.for('@algospace/transport-redis/error');

/**
 * Base class of every error raised or reported by the Redis transport.
 *
 * @example
 * ```ts
 * transport.onError((error) => {
 *   if (TransportRedisError.isInstance(error)) console.error(error.code, error.message);
 * });
 * ```
 */
export class TransportRedisError extends Error {
  /** Stable machine-readable identifier of the failure, e.g. `'TRANSPORT_REDIS_NON_FINITE_NUMBER'`. */
  readonly code: string;

  /**
   * @param code - stable identifier of the failure
   * @param message - what was expected and what was found
   * @param options - the underlying cause, when there is one
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportRedisError';
    this.code = code;
    // A symbol brand instead of `instanceof`: it survives two copies of this package in one process.
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * True when `value` is a transport error, even one created by another copy of this package.
   *
   * @example
   * ```ts
   * TransportRedisError.isInstance(new Error('x')); // false
   * ```
   */
  static isInstance(value: unknown): value is TransportRedisError {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

/**
 * An option of `createRedisTransport` is missing, of the wrong type or out of range (`TRANSPORT_REDIS_INVALID_OPTION`).
 *
 * @example
 * ```ts
 * try {
 *   createRedisTransport({ bus, redis: 'redis://127.0.0.1:6379', outbound: { topics: ['bar'], maxLen: -1 } });
 * } catch (error) {
 *   if (error instanceof TransportRedisOptionError) console.error(error.path); // 'outbound.maxLen'
 * }
 * ```
 */
export class TransportRedisOptionError extends TransportRedisError {
  /** The option that failed, as a dotted path from the options object. */
  readonly path: string;

  /**
   * @param path - the option that failed, e.g. `inbound.group`
   * @param expected - what the option must be
   * @param found - what was passed instead (rendered into the message)
   */
  constructor(path: string, expected: string, found: unknown) {
    super('TRANSPORT_REDIS_INVALID_OPTION', `${path}: expected ${expected}, got ${describeValue(found)}`);
    this.name = 'TransportRedisOptionError';
    this.path = path;
  }
}

/**
 * A payload cannot be encoded losslessly: it holds `NaN` or `±Infinity` (`TRANSPORT_REDIS_NON_FINITE_NUMBER`) or
 * a value the codec does not carry, such as a function, a symbol or a `Map` (`TRANSPORT_REDIS_UNSUPPORTED_VALUE`).
 * `path` names the offending value inside the payload.
 *
 * @example
 * ```ts
 * try {
 *   jsonCodec.encode({ close: Number.NaN });
 * } catch (error) {
 *   if (error instanceof TransportRedisEncodeError) console.error(error.path); // 'close'
 * }
 * ```
 */
export class TransportRedisEncodeError extends TransportRedisError {
  /** Where the offending value sits in the payload, e.g. `mmd_features[3]` (`''` for the payload itself). */
  readonly path: string;

  /**
   * @param code - `TRANSPORT_REDIS_NON_FINITE_NUMBER` or `TRANSPORT_REDIS_UNSUPPORTED_VALUE`
   * @param path - where the offending value sits in the payload
   * @param expected - what the codec accepts there
   * @param found - the offending value
   */
  constructor(code: string, path: string, expected: string, found: unknown) {
    super(
      code,
      `payload${path === '' ? '' : path.startsWith('[') ? path : `.${path}`}: expected ${expected}, got ${describeValue(found)}`,
    );
    this.name = 'TransportRedisEncodeError';
    this.path = path;
  }
}

/**
 * A stream entry could not be turned back into an event: missing fields or a payload the codec rejects
 * (`TRANSPORT_REDIS_DECODE_FAILED`). The entry is acknowledged, copied to the dead-letter stream and counted.
 *
 * @example
 * ```ts
 * transport.onError((error) => {
 *   if (error instanceof TransportRedisDecodeError) console.error(error.stream, error.entryId);
 * });
 * ```
 */
export class TransportRedisDecodeError extends TransportRedisError {
  /** The Redis stream key holding the entry. */
  readonly stream: string;
  /** The stream entry id, e.g. `'1700000000000-0'`. */
  readonly entryId: string;

  /**
   * @param stream - the Redis stream key holding the entry
   * @param entryId - the stream entry id
   * @param problem - what is wrong with the entry
   * @param cause - the codec's error, when there is one
   */
  constructor(stream: string, entryId: string, problem: string, cause?: unknown) {
    super(
      'TRANSPORT_REDIS_DECODE_FAILED',
      `stream ${stream} entry ${entryId}: expected an AlgoSpace event entry, ${problem}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'TransportRedisDecodeError';
    this.stream = stream;
    this.entryId = entryId;
  }
}

/**
 * The outbound buffer is full (Redis unreachable or slower than the publisher) and the overflow policy is
 * `'reject'` (`TRANSPORT_REDIS_BUFFER_FULL`); thrown to the publisher, whose bus reports it. Under
 * `'drop-oldest'` and `'drop-newest'` the same error is reported on `onError` for the dropped event.
 *
 * @example
 * ```ts
 * transport.onError((error) => {
 *   if (error instanceof TransportRedisBufferFullError) console.error(error.topic, error.limit);
 * });
 * ```
 */
export class TransportRedisBufferFullError extends TransportRedisError {
  /** Topic of the refused or dropped event. */
  readonly topic: string;
  /** The configured bound, in events. */
  readonly limit: number;

  /**
   * @param topic - topic of the refused or dropped event
   * @param limit - the configured bound, in events
   * @param policy - the overflow policy that applied
   */
  constructor(topic: string, limit: number, policy: string) {
    super(
      'TRANSPORT_REDIS_BUFFER_FULL',
      `outbound buffer: expected room for one more '${topic}' event, found all ${limit} slots holding unconfirmed events (overflow policy '${policy}')`,
    );
    this.name = 'TransportRedisBufferFullError';
    this.topic = topic;
    this.limit = limit;
  }
}

/**
 * Talking to Redis failed: the first connection did not become ready in time
 * (`TRANSPORT_REDIS_CONNECT_TIMEOUT`), or a command failed and will be retried (`TRANSPORT_REDIS_COMMAND_FAILED`),
 * or a pending entry was trimmed away before it could be delivered (`TRANSPORT_REDIS_ENTRY_TRIMMED`).
 *
 * @example
 * ```ts
 * transport.onError((error) => {
 *   if (error instanceof TransportRedisConnectionError) console.warn(error.code, error.message);
 * });
 * ```
 */
export class TransportRedisConnectionError extends TransportRedisError {
  /**
   * @param code - the stable failure code
   * @param message - what was expected and what was found
   * @param cause - the client's error, when there is one
   */
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
    this.name = 'TransportRedisConnectionError';
  }
}

/**
 * Redis holds a lower high-water mark for this producer on a stream than the producer had seen confirmed
 * (`TRANSPORT_REDIS_MARK_BEHIND`): events Redis had confirmed are gone (a Cluster failover to a replica that
 * had not received them, a restart without persistence), or the mark expired while the producer was idle for
 * longer than its 7-day TTL. The append script then refuses every batch as out of order (`GAP`); the producer
 * reports this error, counts it (`outbound.marksBehind`), and resends its unconfirmed events from the mark
 * Redis holds. Events between the two marks that were lost are not recovered: they were no longer buffered.
 *
 * @example
 * ```ts
 * transport.onError((error) => {
 *   if (error instanceof TransportRedisMarkBehindError) console.error(error.stream, error.confirmed, error.mark);
 * });
 * ```
 */
export class TransportRedisMarkBehindError extends TransportRedisError {
  /** The stream key. */
  readonly stream: string;
  /** The producer's last sequence number on the stream that Redis had confirmed. */
  readonly confirmed: number;
  /** The producer's mark Redis answered instead (0: none). */
  readonly mark: number;

  /**
   * @param stream - the stream key
   * @param producerId - the producer whose mark is behind
   * @param confirmed - the last sequence number Redis had confirmed on the stream
   * @param mark - the mark Redis answered
   * @param cause - the script's `GAP` error
   */
  constructor(stream: string, producerId: string, confirmed: number, mark: number, cause?: unknown) {
    super(
      'TRANSPORT_REDIS_MARK_BEHIND',
      `stream ${stream}: expected producer ${producerId}'s mark at ${confirmed} (confirmed appends) or above, found ${mark}: confirmed events were lost (failover to a replica behind its master, restart without persistence) or the mark expired while idle; resending the unconfirmed events from ${mark}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'TransportRedisMarkBehindError';
    this.stream = stream;
    this.confirmed = confirmed;
    this.mark = mark;
  }
}

/**
 * A key, prefix, stream name or partition key that cannot work on Redis Cluster, or a server of the wrong kind
 * (`TRANSPORT_REDIS_CLUSTER_KEY`). On Cluster every script and transaction must touch keys of one hash slot:
 * the transport puts each stream and its bookkeeping keys in one slot with a `{hash tag}`, so names that would
 * move or break that tag (`{` or `}` in a stream name or partition key, a prefix whose braces are not one
 * non-empty tag) are refused; a commit hook writing keys of another slot is reported with this error when Redis
 * answers `CROSSSLOT`; a single-node URL pointing at a cluster node is refused at `start()`. Option problems
 * are thrown by `createRedisTransport`; a partition key returned by `partitionBy` is thrown to the publisher.
 *
 * @example
 * ```ts
 * try {
 *   createRedisTransport({ bus, redis: clusterNodeUrls, prefix: 'algo{}space', outbound: { topics: ['bar'] } });
 * } catch (error) {
 *   if (error instanceof TransportRedisClusterKeyError) console.error(error.path, error.key);
 * }
 * ```
 */
export class TransportRedisClusterKeyError extends TransportRedisError {
  /** Where the key came from: an option path (`prefix`, `inbound.topics[0].partitions[1]`, `inbound.commit`) or `redis`. */
  readonly path: string;
  /** The offending value: the prefix, name, partition key or Redis key. */
  readonly key: string;

  /**
   * @param path - where the key came from
   * @param key - the offending value
   * @param expected - what Redis Cluster needs there
   * @param found - what was found instead, and what it would break
   * @param cause - Redis's error (`CROSSSLOT`), when there is one
   */
  constructor(path: string, key: string, expected: string, found: string, cause?: unknown) {
    super(
      'TRANSPORT_REDIS_CLUSTER_KEY',
      `${path}: expected ${expected}, found ${found}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'TransportRedisClusterKeyError';
    this.path = path;
    this.key = key;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Map) return 'a Map';
  if (value instanceof Set) return 'a Set';
  if (typeof value === 'object' && value !== null)
    return `an object (${value.constructor?.name ?? 'null prototype'})`;
  return String(value);
}
