/**
 * The producer's bounded FIFO of events not yet confirmed by Redis. Events are appended by the bus handler,
 * sent in order in batches, and removed only when Redis confirmed them, so a lost connection loses nothing:
 * the sender rewinds to the oldest unconfirmed event and resends (the append script makes that idempotent).
 *
 * Slots are parallel arrays in a ring rather than an array of records with `shift()`: pushing and confirming
 * are O(1) and allocate nothing beyond the encoded payload string.
 */

/** A bounded ring of encoded events with three cursors: confirmed ≤ sent ≤ end. */
export class OutboundBuffer {
  readonly capacity: number;
  readonly streams: string[];
  readonly topics: string[];
  readonly sequences: Float64Array;
  readonly publishedAt: Float64Array;
  readonly data: string[];
  /** Absolute index of the oldest unconfirmed event. */
  head = 0;
  /** Absolute index of the oldest event not yet handed to Redis. */
  sent = 0;
  /** Absolute index one past the newest event. */
  end = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.streams = new Array<string>(capacity).fill('');
    this.topics = new Array<string>(capacity).fill('');
    this.sequences = new Float64Array(capacity);
    this.publishedAt = new Float64Array(capacity);
    this.data = new Array<string>(capacity).fill('');
  }

  /** Events held (unconfirmed, sent or not). */
  get size(): number {
    return this.end - this.head;
  }

  /** Events not yet handed to Redis. */
  get unsent(): number {
    return this.end - this.sent;
  }

  /** Events handed to Redis and awaiting confirmation. */
  get inFlight(): number {
    return this.sent - this.head;
  }

  /** Appends an event; the caller checks `size < capacity` first. */
  push(stream: string, topic: string, sequence: number, publishedAt: number, data: string): void {
    const slot = this.end % this.capacity;
    this.streams[slot] = stream;
    this.topics[slot] = topic;
    this.sequences[slot] = sequence;
    this.publishedAt[slot] = publishedAt;
    this.data[slot] = data;
    this.end++;
  }

  /** Slot of absolute index `index`. */
  slot(index: number): number {
    return index % this.capacity;
  }

  /**
   * Discards the oldest unsent event (only possible while nothing is in flight) and returns its topic, or
   * undefined when the oldest held event is already in flight.
   */
  dropOldestUnsent(): string | undefined {
    if (this.sent !== this.head || this.end === this.head) return undefined;
    const slot = this.head % this.capacity;
    const topic = this.topics[slot];
    this.data[slot] = '';
    this.head++;
    this.sent++;
    return topic;
  }

  /** Marks `count` events, from `sent` on, as handed to Redis. */
  markSent(count: number): void {
    this.sent += count;
  }

  /** Removes the `count` oldest events: Redis confirmed them. */
  confirm(count: number): void {
    for (let i = 0; i < count; i++) this.data[(this.head + i) % this.capacity] = '';
    this.head += count;
    if (this.sent < this.head) this.sent = this.head;
  }

  /** Makes every in-flight event unsent again (the connection dropped before Redis confirmed them). */
  rewind(): void {
    this.sent = this.head;
  }
}
