/**
 * WMA: the linearly weighted moving average, computed exactly as spec §3.1 prescribes (integer weights summed
 * newest first, one division), O(length) per update.
 */
import type { Indicator } from './indicator.js';
import { requireInteger } from './parameter-validation.js';
import { RingWindow } from './ring-window.js';

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
  // `declare` keeps the hot path free of a map check: see ring-window.ts.
  declare private readonly window: RingWindow;
  private readonly divisor: number;
  private last = Number.NaN;

  /** @param length - number of values weighted; a positive integer */
  constructor(length: number) {
    this.length = requireInteger('WMA', 'length', length);
    this.requiredInputs = this.length;
    this.window = new RingWindow(this.length);
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
    const newest = this.window.push(value);
    if (newest < 0) return Number.NaN;
    this.last = this.weightedAverage(newest);
    return this.last;
  }

  /** Forgets every value. */
  reset(): void {
    this.window.reset();
    this.last = Number.NaN;
  }

  /** A plain copy of the window. */
  snapshot(): WMAState {
    return this.window.snapshot();
  }

  /** Continues from a state taken by `snapshot()` on a WMA of the same length. */
  restore(state: WMAState): void {
    this.window.restore('WMA', state);
    this.last = this.window.full ? this.weightedAverage(this.window.newest) : Number.NaN;
  }

  private weightedAverage(newest: number): number {
    const values = this.window.values;
    const length = this.length;
    // Two straight loops instead of one with a modulo: newest → slot 0, then the wrapped tail.
    let sum = 0;
    let weight = length;
    for (let i = newest; i >= 0; i--) sum += weight-- * (values[i] as number);
    for (let i = length - 1; i > newest; i--) sum += weight-- * (values[i] as number);
    return sum / this.divisor;
  }
}
