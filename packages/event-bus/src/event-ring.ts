/**
 * The bounded FIFO behind queued mode: a power-of-two ring buffer stored as parallel arrays (topic reference,
 * payload, parent sequence, and a sample timestamp read only for the rare sampled event), so enqueueing and
 * dequeueing allocate nothing. Overflow policy lives in the bus, not here.
 */

/** Ring buffer of queued events; `T` is the bus's per-topic record (internal to the bus). */
export class EventRing<T> {
  readonly capacity: number;
  private readonly mask: number;
  private readonly topics: (T | undefined)[];
  private readonly payloads: unknown[];
  // Parent sequence, stored as -(parent + 1) when the slot also has a sample stamp: the common unsampled event
  // then costs one 8-byte write and read here instead of two (a full queue does not fit in cache).
  private readonly parents: Float64Array;
  private readonly stamps: Float64Array;
  private head = 0;
  size = 0;

  /** @param capacity - a power of two */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.mask = capacity - 1;
    // Filled rather than holey arrays: V8 keeps PACKED element kinds on the fast path.
    this.topics = new Array<T | undefined>(capacity).fill(undefined);
    this.payloads = new Array<unknown>(capacity).fill(undefined);
    this.parents = new Float64Array(capacity);
    this.stamps = new Float64Array(capacity);
  }

  /** Appends one event; the caller has checked that `size < capacity`. */
  push(topic: T, payload: unknown, parent: number, stamp: number): void {
    const slot = (this.head + this.size) & this.mask;
    this.topics[slot] = topic;
    this.payloads[slot] = payload;
    if (stamp === 0) this.parents[slot] = parent;
    else {
      this.parents[slot] = -parent - 1;
      this.stamps[slot] = stamp;
    }
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
    const parent = this.parents[this.head] as number;
    return parent < 0 ? -parent - 1 : parent;
  }

  /** `performance.now()` at enqueue when the oldest event is sampled for latency, else 0. */
  get frontStamp(): number {
    return (this.parents[this.head] as number) < 0 ? (this.stamps[this.head] as number) : 0;
  }

  /** Removes the oldest event, releasing its payload for the garbage collector. */
  shift(): void {
    this.topics[this.head] = undefined;
    this.payloads[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
  }
}
