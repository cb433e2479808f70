/**
 * The bounded FIFO behind queued mode: a power-of-two ring buffer stored as parallel arrays (topic record,
 * payload, parent sequence, and a sample timestamp read only for the rare sampled event), so enqueueing and
 * dequeueing allocate nothing. Overflow policy lives in the bus, not here. The arrays are exposed (to the bus
 * only: this module is not exported) so the bus's drain loop reads them directly, without a call per field.
 */

/** Ring buffer of queued events; `T` is the bus's per-topic record (internal to the bus). */
export class EventRing<T> {
  readonly capacity: number;
  readonly mask: number;
  readonly topics: (T | undefined)[];
  readonly payloads: unknown[];
  /**
   * Parent sequence, stored as -(parent + 1) when the slot also has a sample stamp: the common unsampled event
   * then costs one 8-byte write and read here instead of two.
   */
  readonly parents: Float64Array;
  readonly stamps: Float64Array;
  /** Slot of the oldest event. */
  head = 0;
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

  /** Appends one event; the caller has checked that `size < capacity`. `stamp` 0 means not sampled. */
  push(topic: T, payload: unknown, parent: number, stamp: number): void {
    const slot = (this.head + this.size) & this.mask;
    // Topic slots are not cleared on shift, so with few topics the slot usually holds this one already; a read
    // is cheaper than a pointer store (which pays V8's write barrier).
    if (this.topics[slot] !== topic) this.topics[slot] = topic;
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

  /**
   * Removes the oldest event, releasing its payload for the garbage collector. The topic slot is left as is:
   * topic records live as long as the bus, so holding one keeps nothing alive.
   */
  shift(): void {
    this.payloads[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
  }
}
