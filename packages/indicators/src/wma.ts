/**
 * WMA: the linearly weighted moving average, computed exactly as spec §3.1 prescribes (integer weights summed
 * newest first, one division), O(length) per update.
 */
import type { Indicator } from './indicator.js';
import { requireInteger } from './parameter-validation.js';
import { newestSlot, restoreRingWindow, snapshotRingWindow } from './ring-window.js';

/**
 * The state of a {@link WMA}: its window in ring order.
 *
 * @example
 * ```ts
 * const state: WMAState = new WMA(20).snapshot();
 * ```
 */
export interface WMAState {
  /** The ring buffer (slot `next − 1` holds the newest value). */
  readonly window: number[];
  /** The slot the next value is written to. */
  readonly next: number;
  /** How many slots hold a value (≤ length). */
  readonly filled: number;
}

/**
 * Linearly weighted moving average (Pine `ta.wma`): newest value weight `length`, oldest weight 1.
 *
 * `WMA_L(x)_t = (Σ_{j=0}^{L−1} (L − j)·x_{t−j}) / (L(L+1)/2)`, the integer-weighted sum accumulated newest
 * first and divided once. No pre-normalised weights and no sliding update: for integer-valued input (MLMI's
 * prediction) every partial sum is an exact integer, so the WMA is exact and "a run of `L` equal values
 * has a WMA equal to that value" holds bit for bit, which the crossover tests of MLMI depend on. `NaN` until
 * `length` values have been seen and while any value in the window is `NaN`.
 *
 * Interpretation: a trend line that reacts faster than an SMA of the same length.
 *
 * @see spec §3.1
 * @example
 * ```ts
 * const wma = new WMA(3); // weights 1, 2, 3 over 6
 * [1, 2, 4].map((v) => wma.update(v)); // [NaN, NaN, (3·4 + 2·2 + 1·1) / 6 = 17/6]
 * ```
 */
export class WMA implements Indicator<number, number, WMAState> {
  /** Number of values weighted. */
  readonly length: number;
  /** Equal to `length`. */
  readonly requiredInputs: number;
  // `window`, `next` and `filled` are the ring window of ring-window.ts, kept in the WMA's own fields
  // (see there why).
  private readonly window: Float64Array;
  private readonly divisor: number;
  private next = 0;
  private filled = 0;
  private last = Number.NaN;

  /** @param length - number of values weighted; a positive integer */
  constructor(length: number) {
    this.length = requireInteger('WMA', 'length', length);
    this.requiredInputs = this.length;
    this.window = new Float64Array(this.length);
    this.divisor = (this.length * (this.length + 1)) / 2;
  }

  /**
   * The WMA of `values`, index-aligned (`NaN` during warm-up), computed by the streaming code.
   *
   * @example
   * ```ts
   * WMA.batch([1, 2, 4], 3); // Float64Array [NaN, NaN, 2.8333…]
   * ```
   */
  static batch(values: ArrayLike<number>, length: number): Float64Array {
    const wma = new WMA(length);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = wma.update(values[i] as number);
    return out;
  }

  /** True once the window is full and its value defined. */
  get isReady(): boolean {
    return !Number.isNaN(this.last);
  }

  /** Adds one value and returns the weighted average of the last `length` values, or `NaN`. */
  update(value: number): number {
    const window = this.window;
    const length = this.length;
    const newest = this.next;
    window[newest] = value;
    this.next = newest + 1 === length ? 0 : newest + 1;
    if (this.filled < length && ++this.filled < length) return Number.NaN;
    // The sum is written out here, not called: as a method it measured up to 9% slower in the benchmark.
    // Two straight loops instead of one with a modulo: newest → slot 0, then the wrapped tail.
    let sum = 0;
    let weight = length;
    for (let i = newest; i >= 0; i--) sum += weight-- * (window[i] as number);
    for (let i = length - 1; i > newest; i--) sum += weight-- * (window[i] as number);
    this.last = sum / this.divisor;
    return this.last;
  }

  /** Forgets every value. */
  reset(): void {
    this.window.fill(0);
    this.next = 0;
    this.filled = 0;
    this.last = Number.NaN;
  }

  /** A plain copy of the window. */
  snapshot(): WMAState {
    return snapshotRingWindow(this.window, this.next, this.filled);
  }

  /** Continues from a state taken by `snapshot()` on a WMA of the same length. */
  restore(state: WMAState): void {
    const { next, filled } = restoreRingWindow('WMA', state, this.window);
    this.next = next;
    this.filled = filled;
    this.last = filled === this.length ? this.recompute() : Number.NaN;
  }

  private recompute(): number {
    const window = this.window;
    const length = this.length;
    const newest = newestSlot(this.next, length);
    let sum = 0;
    let weight = length;
    for (let i = newest; i >= 0; i--) sum += weight-- * (window[i] as number);
    for (let i = length - 1; i > newest; i--) sum += weight-- * (window[i] as number);
    return sum / this.divisor;
  }
}
