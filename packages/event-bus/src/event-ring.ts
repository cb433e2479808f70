/**
 * The bounded FIFO behind queued mode: a power-of-two ring buffer whose topic records and payloads sit side by
 * side in one array (slot i at 2i and 2i + 1, so one bounds check and usually one cache line serve both), with
 * the parent sequence in a parallel Float64Array and a sample timestamp read only for the rare sampled event.
 * Enqueueing and dequeueing allocate nothing. Overflow policy lives in the bus, not here. The fields are exposed
 * (to the bus only: this module is not exported) so the bus's drain loop reads them directly.
 */

/** Ring buffer of queued events; `T` is the bus's per-topic record (internal to the bus). */
export class EventRing<T> {
  readonly capacity: number;
  readonly mask: number;
  /** Topic record of slot i at index 2i, its payload at 2i + 1. */
  readonly slots: (T | unknown)[];
  /**
   * Parent sequence, stored as -(parent + 1) when the slot also has a sample stamp: the common unsampled event
   * then costs one 8-byte write and read here instead of two.
   */
  readonly parents: Float64Array;
  readonly stamps: Float64Array;
  /** Slot of the oldest event. */
  head = 0;
  size = 0;
  /** Deepest the ring has been. */
  highWaterMark = 0;
  /** Producers waiting for room (the bus keeps them; the count lives here so the drain reads one field). */
  waiting = 0;
  /**
   * `enqueue` takes its fast path (push only) while `0 < size < threshold`. The threshold is the high-water
   * mark, or 0 while producers wait, so one compare covers "full", "someone is waiting", "new high-water mark"
   * and (with `size > 0`) "a drain needs scheduling"; each of those goes through the slow path instead.
   */
  threshold = 0;

  /** @param capacity - a power of two */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.mask = capacity - 1;
    // Grown by push: `new Array(n).fill()` stays HOLEY, and every read of a HOLEY array pays a hole check.
    const slots: (T | unknown)[] = [];
    for (let i = 0; i < capacity * 2; i++) slots.push(undefined);
    this.slots = slots;
    this.parents = new Float64Array(capacity);
    this.stamps = new Float64Array(capacity);
  }

  /** Appends one unsampled event; the caller has checked that `size < capacity`. */
  push(topic: T, payload: unknown, parent: number): void {
    const slot = (this.head + this.size) & this.mask;
    const index = slot << 1;
    // Topic slots are not cleared on shift, so with few topics the slot usually holds this one already; a read
    // is cheaper than a pointer store (which pays V8's write barrier).
    if (this.slots[index] !== topic) this.slots[index] = topic;
    this.slots[index + 1] = payload;
    this.parents[slot] = parent;
    this.size++;
  }

  /** Appends one event with a sample stamp (`performance.now()` at enqueue); same precondition as `push`. */
  pushSampled(topic: T, payload: unknown, parent: number, stamp: number): void {
    const slot = (this.head + this.size) & this.mask;
    this.slots[slot << 1] = topic;
    this.slots[(slot << 1) + 1] = payload;
    this.parents[slot] = -parent - 1;
    this.stamps[slot] = stamp;
    this.size++;
  }

  /** Raises the high-water mark after a push and recomputes the fast-path threshold. */
  noteDepth(): void {
    if (this.size > this.highWaterMark) this.highWaterMark = this.size;
    this.threshold = this.waiting !== 0 ? 0 : this.highWaterMark;
  }

  /** Topic record of the oldest event; only valid when `size > 0`. */
  get frontTopic(): T {
    return this.slots[this.head << 1] as T;
  }

  /**
   * Removes the oldest event, releasing its payload for the garbage collector. The topic slot is left as is:
   * topic records live as long as the bus, so holding one keeps nothing alive.
   */
  shift(): void {
    this.slots[(this.head << 1) + 1] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
  }
}
