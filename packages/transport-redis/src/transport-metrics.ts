/**
 * The transport's metrics snapshot: plain counters and gauges, safe to serialise, shaped for a Prometheus
 * exporter (counters are monotonic; `streams` is keyed by the label value).
 */

/**
 * Counters of one Redis stream, from this transport's point of view.
 *
 * @example
 * ```ts
 * const { lag } = transport.metrics().streams['algospace:bars'] ?? { lag: null };
 * ```
 */
export interface StreamMetrics {
  /** Events this producer appended to the stream (confirmed by Redis). */
  readonly published: number;
  /** Events this consumer delivered to the local bus from the stream. */
  readonly delivered: number;
  /** Events this consumer acknowledged on the stream (a packed entry counts as the events it carries). */
  readonly acknowledged: number;
  /**
   * Entries in the stream not yet delivered to this consumer's group (Redis ≥ 7 `XINFO GROUPS` lag), refreshed
   * every `inbound.metricsIntervalMs`; `null` when unknown (not a consumed stream, or Redis cannot tell).
   */
  readonly lag: number | null;
  /** Entries delivered to the group and not yet acknowledged (all consumers), refreshed like `lag`; `null` when unknown. */
  readonly pending: number | null;
}

/**
 * Producer-side counters.
 *
 * @example
 * ```ts
 * const { published, buffered, overflowed, resendSkipped } = transport.metrics().outbound;
 * ```
 */
export interface OutboundMetrics {
  /** Events Redis confirmed appended. */
  readonly published: number;
  /** Events held right now, not yet confirmed (waiting or in flight). */
  readonly buffered: number;
  /** Of `buffered`, events in the round trip in progress. */
  readonly inFlight: number;
  /** Events refused or discarded because the buffer was full. */
  readonly overflowed: number;
  /** Events whose payload the codec refused (thrown to the publisher). */
  readonly encodeFailures: number;
  /** Round trips (batches) confirmed. */
  readonly batches: number;
  /** Batches sent again after a failure. */
  readonly retries: number;
  /** Events still buffered when `stop()` gave up waiting for Redis. */
  readonly abandoned: number;
  /**
   * Events of resent batches that the append script skipped because they had already landed: their first
   * append was written but its reply was lost (a dropped connection, a restarted Redis with persistence). Not
   * zero means a resend happened, and says by how many events it overlapped what Redis held; each of them
   * is still in the stream exactly once.
   */
  readonly resendSkipped: number;
  /**
   * Times an append found this producer's mark on a stream below what Redis had confirmed to it (see
   * `TransportRedisMarkBehindError`): confirmed events lost by a failover or a restart without persistence,
   * or a mark that expired while idle. The producer then resent from the mark Redis held.
   */
  readonly marksBehind: number;
}

/**
 * Consumer-side counters.
 *
 * @example
 * ```ts
 * const { delivered, duplicatesDropped, redelivered, overlapSkipped } = transport.metrics().inbound;
 * ```
 */
export interface InboundMetrics {
  /** Events published into the local bus. */
  readonly delivered: number;
  /** Events whose entries were acknowledged (`XACK`) after their handlers ran (duplicates and dead letters included; a packed entry counts as the events it carries). */
  readonly acknowledged: number;
  /** Entries read again: re-read from this consumer's pending list or claimed from another consumer. */
  readonly redelivered: number;
  /** Of `redelivered`, entries taken over from another (dead) consumer with `XAUTOCLAIM`. */
  readonly claimed: number;
  /** Entries dropped because their event id was already delivered. */
  readonly duplicatesDropped: number;
  /** Entries that could not be decoded: acknowledged, copied to `<prefix>:dead-letter`, reported. */
  readonly decodeFailures: number;
  /** Entries of a topic the route does not accept: acknowledged and reported. */
  readonly ignored: number;
  /** Pending entries whose data was trimmed away (by `maxLen`) before they could be delivered. */
  readonly trimmed: number;
  /**
   * Events this consumer read and left out because they were at or below their packed entry's `k` mark: a
   * resent batch written whole over events an earlier entry already holds (see `outbound.resendSkipped` on
   * the producer). Counted each time such an entry is read, so a redelivered entry counts again. These events
   * are delivered from the earlier entry; the count shows how much a resend overlapped.
   */
  readonly overlapSkipped: number;
}

/**
 * A snapshot of everything the transport counts.
 *
 * @example
 * ```ts
 * const m: TransportMetrics = transport.metrics();
 * console.log(m.connected, m.outbound.published, m.inbound.delivered);
 * ```
 */
export interface TransportMetrics {
  /** True while every connection the transport uses is ready. */
  readonly connected: boolean;
  /** Successful reconnections after a lost connection. */
  readonly reconnects: number;
  /** Producer-side counters (zeros without `outbound`). */
  readonly outbound: OutboundMetrics;
  /** Consumer-side counters (zeros without `inbound`). */
  readonly inbound: InboundMetrics;
  /** Per Redis stream key. */
  readonly streams: Record<string, StreamMetrics>;
}

/** Mutable per-stream counters behind {@link StreamMetrics}. */
export class StreamCounters {
  published = 0;
  delivered = 0;
  acknowledged = 0;
  lag: number | null = null;
  pending: number | null = null;

  snapshot(): StreamMetrics {
    return {
      published: this.published,
      delivered: this.delivered,
      acknowledged: this.acknowledged,
      lag: this.lag,
      pending: this.pending,
    };
  }
}

/** Per-stream counters, created on first use. */
export class StreamCounterTable {
  readonly #table = new Map<string, StreamCounters>();

  get(stream: string): StreamCounters {
    let counters = this.#table.get(stream);
    if (counters === undefined) {
      counters = new StreamCounters();
      this.#table.set(stream, counters);
    }
    return counters;
  }

  snapshot(): Record<string, StreamMetrics> {
    const out: Record<string, StreamMetrics> = {};
    for (const [stream, counters] of this.#table) out[stream] = counters.snapshot();
    return out;
  }
}
