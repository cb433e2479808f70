/**
 * SMA: the simple moving average over a ring buffer, O(1) per update.
 */
import type { Indicator } from './indicator.js';
import {
  requireCountField,
  requireNumberArray,
  requireNumberField,
  requireStateRecord,
} from './indicator-state.js';
import { requireInteger } from './parameter-validation.js';

/**
 * The state of an {@link SMA}: its window in ring order and the running sum.
 *
 * @example
 * ```ts
 * const state: SMAState = new SMA(3).snapshot();
 * ```
 */
export interface SMAState {
  /** The ring buffer (slot `next` holds the oldest value once full). */
  readonly window: number[];
  /** The slot the next value is written to. */
  readonly next: number;
  /** How many slots hold a value (≤ length). */
  readonly filled: number;
  /** Sum of the defined values in the window. */
  readonly sum: number;
  /** How many values in the window are NaN (⊥). */
  readonly undefinedCount: number;
}

/**
 * Simple moving average of the last `length` values (Pine `ta.sma`).
 *
 * Returns `NaN` until `length` values have been seen, and while any value in the window is `NaN` (Pine's
 * `na` propagation). The running sum is recomputed from the window once per `length` updates, so rounding
 * never drifts beyond one window however long the stream.
 *
 * Interpretation: the average price of the last `length` bars; a lagging trend line.
 *
 * @see spec §3 (Pine semantics of the primitives)
 * @example
 * ```ts
 * const sma = new SMA(3);
 * [1, 2, 3, 4].map((v) => sma.update(v)); // [NaN, NaN, 2, 3]
 * SMA.batch([1, 2, 3, 4], 3); // Float64Array [NaN, NaN, 2, 3]
 * ```
 */
export class SMA implements Indicator<number, number, SMAState> {
  /** Number of values averaged. */
  readonly length: number;
  /** Equal to `length`: the first value is defined on the `length`-th input. */
  readonly requiredInputs: number;
  private readonly window: Float64Array;
  private next = 0;
  private filled = 0;
  private sum = 0;
  private undefinedCount = 0;

  /** @param length - number of values averaged; a positive integer */
  constructor(length: number) {
    this.length = requireInteger('SMA', 'length', length);
    this.requiredInputs = this.length;
    this.window = new Float64Array(this.length);
  }

  /**
   * The SMA of `values`, index-aligned (`NaN` during warm-up), computed by the streaming code.
   *
   * @example
   * ```ts
   * SMA.batch([2, 4, 6], 2); // Float64Array [NaN, 3, 5]
   * ```
   */
  static batch(values: ArrayLike<number>, length: number): Float64Array {
    const sma = new SMA(length);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = sma.update(values[i] as number);
    return out;
  }

  /** True once the window is full and holds no `NaN`. */
  get isReady(): boolean {
    return this.filled === this.length && this.undefinedCount === 0;
  }

  /** Adds one value and returns the average of the last `length` values, or `NaN` before that many. */
  update(value: number): number {
    const window = this.window;
    const slot = this.next;
    if (this.filled === this.length) {
      const old = window[slot] as number;
      if (!Number.isNaN(old)) this.sum -= old;
      else this.undefinedCount--;
    } else {
      this.filled++;
    }
    window[slot] = value;
    if (!Number.isNaN(value)) this.sum += value;
    else this.undefinedCount++;
    if (slot + 1 === this.length) {
      this.next = 0;
      this.resum();
    } else {
      this.next = slot + 1;
    }
    return this.filled === this.length && this.undefinedCount === 0 ? this.sum / this.length : Number.NaN;
  }

  /** Forgets every value. */
  reset(): void {
    this.window.fill(0);
    this.next = 0;
    this.filled = 0;
    this.sum = 0;
    this.undefinedCount = 0;
  }

  /** A plain copy of the window and running sums. */
  snapshot(): SMAState {
    return {
      window: Array.from(this.window),
      next: this.next,
      filled: this.filled,
      sum: this.sum,
      undefinedCount: this.undefinedCount,
    };
  }

  /** Continues from a state taken by `snapshot()` on an SMA of the same length. */
  restore(state: SMAState): void {
    requireStateRecord('SMA', state);
    const window = requireNumberArray('SMA', state, 'window', this.length);
    const next = requireCountField('SMA', state, 'next', 0, this.length - 1);
    const filled = requireCountField('SMA', state, 'filled', 0, this.length);
    const sum = requireNumberField('SMA', state, 'sum');
    const undefinedCount = requireCountField('SMA', state, 'undefinedCount', 0, this.length);
    this.window.set(window);
    this.next = next;
    this.filled = filled;
    this.sum = sum;
    this.undefinedCount = undefinedCount;
  }

  // Once per lap of the ring: replaces the running sum by a fresh sum of the window, bounding drift.
  private resum(): void {
    let sum = 0;
    const window = this.window;
    for (let i = 0; i < this.filled; i++) {
      const v = window[i] as number;
      if (!Number.isNaN(v)) sum += v;
    }
    this.sum = sum;
  }
}
