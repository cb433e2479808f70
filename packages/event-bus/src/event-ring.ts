/**
 * The bounded FIFO behind queued mode: a power-of-two ring buffer whose topic records and payloads sit side by
 * side in one array (slot i at 2i and 2i + 1, so one bounds check and usually one cache line serve both).
 * Most events are enqueued from outside any handler (parent sequence 0) and are not latency samples; those are
 * "narrow" and store nothing else. The others are "wide": their parent and sample stamp go in side arrays and
 * their slot number in a second, smaller FIFO, in the same order as the ring. `slowStop` is the slot of the
 * next event the drain must deliver through the bus's general path: the oldest wide event, or, while taps are
 * registered or producers wait for room, the very next event. The drain loop's fast path therefore needs one
 * integer compare, `head === slowStop`, for all three cases. Enqueueing and dequeueing allocate nothing.
 * Overflow policy lives in the bus, not here. The fields are exposed (to the bus only: this module is not
 * exported) so the bus's drain loop reads them directly.
 */

/** Ring buffer of queued events; `T` is the bus's per-topic record (internal to the bus). */
export class EventRing<T> {
  // `declare`d, so the compiled class has no field definitions for them: a definition would first store
  // undefined, the constructor's store would then make V8 treat each field as mutable and of any type, and the
  // hot paths would re-check (a Smi check on `mask`, a map check on `slots`) what they can otherwise fold.
  declare readonly capacity: number;
  declare readonly mask: number;
  /** Topic record of slot i at index 2i, its payload at 2i + 1. */
  declare readonly slots: (T | unknown)[];
  /** Parent sequence of a wide slot. */
  declare readonly parents: Float64Array;
  /** `performance.now()` at enqueue of a sampled wide slot, 0 for an unsampled one. */
  declare readonly stamps: Float64Array;
  /** Slot numbers of the queued wide events, oldest at `wideHead`. */
  declare readonly wideSlots: Int32Array;
  wideHead = 0;
  wideCount = 0;
  /** See the module comment; -1 when no event needs the general path. Kept current by `refreshStop`. */
  slowStop = -1;
  /** Taps registered on the bus (mirrored here by the bus). */
  taps = 0;
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
    this.wideSlots = new Int32Array(capacity);
  }

  /** Appends one narrow event (parent 0, not sampled); the caller has checked that `size < capacity`. */
  push(topic: T, payload: unknown): void {
    const index = ((this.head + this.size) & this.mask) << 1;
    // Topic slots are not cleared on shift, so with few topics the slot usually holds this one already; a read
    // is cheaper than a pointer store (which pays V8's write barrier).
    if (this.slots[index] !== topic) this.slots[index] = topic;
    this.slots[index + 1] = payload;
    this.size++;
  }

  /** Appends one event with its parent and sample stamp (0: not sampled); same precondition as `push`. */
  pushWide(topic: T, payload: unknown, parent: number, stamp: number): void {
    const slot = (this.head + this.size) & this.mask;
    this.slots[slot << 1] = topic;
    this.slots[(slot << 1) + 1] = payload;
    this.parents[slot] = parent;
    this.stamps[slot] = stamp;
    this.wideSlots[(this.wideHead + this.wideCount) & this.mask] = slot;
    this.wideCount++;
    this.size++;
    this.refreshStop();
  }

  /** Whether the oldest event is wide. */
  headIsWide(): boolean {
    return this.wideCount !== 0 && this.wideSlots[this.wideHead] === this.head;
  }

  /** Forgets the oldest wide event; called when it is taken or dropped. */
  shiftWide(): void {
    this.wideHead = (this.wideHead + 1) & this.mask;
    this.wideCount--;
  }

  /** Recomputes `slowStop`; called whenever `head`, the wide FIFO, `taps` or `waiting` changes outside the fast path. */
  refreshStop(): void {
    if (this.taps !== 0 || this.waiting !== 0) this.slowStop = this.head;
    else this.slowStop = this.wideCount === 0 ? -1 : (this.wideSlots[this.wideHead] as number);
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
    if (this.headIsWide()) this.shiftWide();
    this.slots[(this.head << 1) + 1] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    this.refreshStop();
  }
}
