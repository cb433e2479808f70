/**
 * The parts of the `@algospace/event-bus` contract the kernel uses beyond publish/subscribe (error channel,
 * statistics, subscription options), read structurally so the kernel degrades gracefully with a bus that
 * lacks one of them (metrics without counters rather than a crash).
 */

/**
 * A handler failure as the bus reports it through `onError`.
 *
 * @example
 * ```ts
 * const failure: BusHandlerFailure = { topic: 'NEW_TICK', handlerName: 'feed', error: new Error('x'), critical: false };
 * ```
 */
export interface BusHandlerFailure {
  /** Topic whose handler failed. */
  readonly topic: string;
  /** Name given at subscription (the kernel defaults it to the subscribing component's name). */
  readonly handlerName: string;
  /** What the handler threw. */
  readonly error: unknown;
  /** Whether the subscription was marked critical. */
  readonly critical: boolean;
}

/**
 * Per-topic counters and queue depth as the bus's `stats()` reports them.
 *
 * @example
 * ```ts
 * const stats: BusStatistics = { topics: { NEW_TICK: { published: 3, delivered: 3, failed: 0, dropped: 0 } }, queueDepth: 0 };
 * ```
 */
export interface BusStatistics {
  /** Counters per topic. */
  readonly topics: Readonly<
    Record<
      string,
      {
        readonly published: number;
        readonly delivered: number;
        readonly failed: number;
        readonly dropped: number;
      }
    >
  >;
  /** Events waiting in the bus's queue (queued mode). */
  readonly queueDepth: number;
  /** The bus's own sampled publish → handler latency, in microseconds, when it measures one. */
  readonly latency?: {
    readonly count: number;
    readonly p50Us: number;
    readonly p90Us: number;
    readonly p99Us: number;
    readonly maxUs: number;
  };
}

/** Subscription options of the bus contract. */
export interface BusSubscribeOptions {
  readonly signal?: AbortSignal;
  readonly name?: string;
  readonly critical?: boolean;
}

/** The bus as the kernel sees it: every method beyond publish/subscribe may be missing. */
export interface ObservableBus {
  publish(topic: string, payload: unknown): void;
  subscribe(topic: string, handler: (payload: unknown) => void, options?: BusSubscribeOptions): () => void;
  once?(topic: string, handler: (payload: unknown) => void, options?: BusSubscribeOptions): () => void;
  onError?(handler: (failure: BusHandlerFailure) => void): () => void;
  stats?(): BusStatistics;
}

/** Reads `stats()` when the bus has it. */
export function readBusStatistics(bus: ObservableBus): BusStatistics | undefined {
  return typeof bus.stats === 'function' ? bus.stats() : undefined;
}
