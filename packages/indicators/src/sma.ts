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
  /** The ring buffer (slot `next` holds the oldest value once full); a `NaN` input is stored as 0. */
  readonly window: number[];
  /** The slot the next value is written to. */
  readonly next: number;
  /** Inputs seen. */
  readonly count: number;
  /** Sum of the window. */
  readonly sum: number;
  /** Outputs are `NaN` while `count ≤ undefinedUntil` (warm-up, or a `NaN` still inside the window). */
  readonly undefinedUntil: number;
  /** Laps of the ring since the sum was last recomputed from the window. */
  readonly laps: number;
}

/**
 * Simple moving average of the last `length` values (Pine `ta.sma`).
 *
 * Returns `NaN` until `length` values have been seen, and while any value in the window is `NaN` (Pine's
 * `na` propagation). O(1) per update with a running sum, which is recomputed from the window every 4,096
 * updates or so, so rounding never drifts however long the stream.
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
  private readonly lapsPerResum: number;
  private next = 0;
  private count = 0;
  private sum = 0;
  private undefinedUntil: number;
  private laps = 0;

  /** @param length - number of values averaged; a positive integer */
  constructor(length: number) {
    this.length = requireInteger('SMA', 'length', length);
    this.requiredInputs = this.length;
    this.window = new Float64Array(this.length);
    this.lapsPerResum = Math.max(1, Math.ceil(4096 / this.length));
    this.undefinedUntil = this.length - 1;
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
    return this.count > this.undefinedUntil;
  }

  /** Adds one value and returns the average of the last `length` values, or `NaN` before that many. */
  update(value: number): number {
    const window = this.window;
    const slot = this.next;
    let v = value;
    if (Number.isNaN(v)) {
      // Stored as 0 so the running sum stays finite; the output is NaN while it is in the window.
      this.undefinedUntil = this.count + this.length;
      v = 0;
    }
    // The window starts zero-filled, so the same subtraction serves the warm-up.
    this.sum += v - (window[slot] as number);
    window[slot] = v;
    this.count++;
    if (slot + 1 === this.length) {
      this.next = 0;
      if (++this.laps === this.lapsPerResum) this.resum();
    } else {
      this.next = slot + 1;
    }
    return this.count > this.undefinedUntil ? this.sum / this.length : Number.NaN;
  }

  /** Forgets every value. */
  reset(): void {
    this.window.fill(0);
    this.next = 0;
    this.count = 0;
    this.sum = 0;
    this.undefinedUntil = this.length - 1;
    this.laps = 0;
  }

  /** A plain copy of the window and running sums. */
  snapshot(): SMAState {
    return {
      window: Array.from(this.window),
      next: this.next,
      count: this.count,
      sum: this.sum,
      undefinedUntil: this.undefinedUntil,
      laps: this.laps,
    };
  }

  /** Continues from a state taken by `snapshot()` on an SMA of the same length. */
  restore(state: SMAState): void {
    requireStateRecord('SMA', state);
    const window = requireNumberArray('SMA', state, 'window', this.length);
    const next = requireCountField('SMA', state, 'next', 0, this.length - 1);
    const count = requireCountField('SMA', state, 'count', 0, Number.MAX_SAFE_INTEGER);
    const sum = requireNumberField('SMA', state, 'sum');
    const undefinedUntil = requireCountField('SMA', state, 'undefinedUntil', 0, Number.MAX_SAFE_INTEGER);
    const laps = requireCountField('SMA', state, 'laps', 0, this.lapsPerResum - 1);
    this.window.set(window);
    this.next = next;
    this.count = count;
    this.sum = sum;
    this.undefinedUntil = undefinedUntil;
    this.laps = laps;
  }

  // Replaces the running sum by a fresh sum of the window, bounding drift.
  private resum(): void {
    this.laps = 0;
    let sum = 0;
    const window = this.window;
    for (let i = 0; i < this.length; i++) sum += window[i] as number;
    this.sum = sum;
  }
}
