/**
 * RMA: Wilder's smoothing (Pine `ta.rma`), seeded with the mean of the first `length` values, O(1) per update.
 */
import type { Indicator } from './indicator.js';
import { requireCountField, requireNumberField, requireStateRecord } from './indicator-state.js';
import { requireInteger } from './parameter-validation.js';

/**
 * The state of an {@link RMA}.
 *
 * @example
 * ```ts
 * const state: RMAState = new RMA(14).snapshot();
 * ```
 */
export interface RMAState {
  /** The current average, `NaN` until seeded. */
  readonly value: number;
  /** Defined inputs collected towards the seed (0…length). */
  readonly run: number;
  /** Their sum, in input order. */
  readonly seedSum: number;
}

/**
 * Wilder's moving average (RMA) with `α = 1/length`, the smoothing inside RSI and ATR.
 *
 * `NaN` until the first `length` consecutive defined values, whose mean is the seed; afterwards
 * `rma = α·x + (1 − α)·rma₋₁`. A `NaN` input yields `NaN` and the average re-seeds from the next `length`
 * defined values (Pine: `na(sum[1]) ? ta.sma(src, length) : …`).
 *
 * Interpretation: a slow, smooth average whose memory decays like `(1 − 1/length)ⁿ`.
 *
 * @see spec §3.2
 * @example
 * ```ts
 * const rma = new RMA(2);
 * [1, 3, 5].map((v) => rma.update(v)); // [NaN, 2, 3.5]
 * ```
 */
export class RMA implements Indicator<number, number, RMAState> {
  /** The smoothing length. */
  readonly length: number;
  /** Equal to `length`. */
  readonly requiredInputs: number;
  private readonly alpha: number;
  private value = Number.NaN;
  private run = 0;
  private seedSum = 0;

  /** @param length - the smoothing length, a positive integer (`α = 1/length`) */
  constructor(length: number) {
    this.length = requireInteger('RMA', 'length', length);
    this.requiredInputs = this.length;
    this.alpha = 1 / this.length;
  }

  /**
   * The RMA of `values`, index-aligned (`NaN` during warm-up), computed by the streaming code.
   *
   * @example
   * ```ts
   * RMA.batch([1, 3, 5], 2); // Float64Array [NaN, 2, 3.5]
   * ```
   */
  static batch(values: ArrayLike<number>, length: number): Float64Array {
    const rma = new RMA(length);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = rma.update(values[i] as number);
    return out;
  }

  /** True once seeded. */
  get isReady(): boolean {
    return this.run === this.length;
  }

  /** Adds one value and returns the RMA, or `NaN` before it is seeded. */
  update(value: number): number {
    if (Number.isNaN(value)) {
      this.reset();
      return Number.NaN;
    }
    if (this.run === this.length) {
      this.value = this.alpha * value + (1 - this.alpha) * this.value;
      return this.value;
    }
    this.seedSum += value;
    if (++this.run === this.length) this.value = this.seedSum / this.length;
    return this.value;
  }

  /** Forgets every value. */
  reset(): void {
    this.value = Number.NaN;
    this.run = 0;
    this.seedSum = 0;
  }

  /** A plain copy of the state. */
  snapshot(): RMAState {
    return { value: this.value, run: this.run, seedSum: this.seedSum };
  }

  /** Continues from a state taken by `snapshot()` on an RMA of the same length. */
  restore(state: RMAState): void {
    requireStateRecord('RMA', state);
    const value = requireNumberField('RMA', state, 'value');
    const seedSum = requireNumberField('RMA', state, 'seedSum');
    this.run = requireCountField('RMA', state, 'run', 0, this.length);
    this.value = value;
    this.seedSum = seedSum;
  }
}
