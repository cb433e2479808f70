/**
 * The bounded window of recently delivered event ids a consumer checks before delivering, so an entry seen
 * again (re-read after a lost acknowledgement, a duplicate written by a foreign producer) reaches the local
 * bus once. Bounded: the oldest id is forgotten when the window is full.
 */

/** A FIFO set of the last `capacity` event ids. */
export class DedupWindow {
  readonly capacity: number;
  readonly #ids = new Set<string>();
  readonly #ring: (string | undefined)[];
  #next = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#ring = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** True when `id` was added and not yet evicted. */
  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Remembers `id`, forgetting the oldest remembered id when the window is full. */
  add(id: string): void {
    if (this.capacity === 0) return;
    const evicted = this.#ring[this.#next];
    if (evicted !== undefined) this.#ids.delete(evicted);
    this.#ring[this.#next] = id;
    this.#ids.add(id);
    this.#next = this.#next + 1 === this.capacity ? 0 : this.#next + 1;
  }

  /** Ids remembered right now. */
  get size(): number {
    return this.#ids.size;
  }
}
