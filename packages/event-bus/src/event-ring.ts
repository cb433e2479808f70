/**
 * The bounded FIFO behind queued mode: a power-of-two ring buffer stored as parallel arrays (topic reference,
 * payload, and a Float64Array of [parent sequence, sample timestamp] pairs), so enqueueing and dequeueing
 * allocate nothing. Overflow policy lives in the bus, not here.
 */

/** Ring buffer of queued events; `T` is the bus's per-topic record (internal to the bus). */
export class EventRing<T> {
  readonly capacity: number;
  private readonly mask: number;
  private readonly topics: (T | undefined)[];
  private readonly payloads: unknown[];
  // Parent sequence and sample stamp of a slot sit side by side: one cache line serves both reads.
  private readonly meta: Float64Array;
  private head = 0;
  size = 0;

  /** @param capacity - a power of two */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.mask = capacity - 1;
    // Filled rather than holey arrays: V8 keeps PACKED element kinds on the fast path.
    this.topics = new Array<T | undefined>(capacity).fill(undefined);
    this.payloads = new Array<unknown>(capacity).fill(undefined);
    this.meta = new Float64Array(capacity * 2);
  }

  /** Appends one event; the caller has checked that `size < capacity`. */
  push(topic: T, payload: unknown, parent: number, stamp: number): void {
    const slot = (this.head + this.size) & this.mask;
    this.topics[slot] = topic;
    this.payloads[slot] = payload;
    this.meta[slot * 2] = parent;
    this.meta[slot * 2 + 1] = stamp;
    this.size++;
  }

  /** Topic record of the oldest event; only valid when `size > 0`. */
  get frontTopic(): T {
    return this.topics[this.head] as T;
  }

  /** Payload of the oldest event. */
  get frontPayload(): unknown {
    return this.payloads[this.head];
  }

  /** Sequence number of the event whose delivery enqueued the oldest event (0: none). */
  get frontParent(): number {
    return this.meta[this.head * 2] as number;
  }

  /** `performance.now()` at enqueue when the oldest event is sampled for latency, else 0. */
  get frontStamp(): number {
    return this.meta[this.head * 2 + 1] as number;
  }

  /** Removes the oldest event, releasing its payload for the garbage collector. */
  shift(): void {
    this.topics[this.head] = undefined;
    this.payloads[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
  }
}
