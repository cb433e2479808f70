/**
 * EMA: the exponential moving average with Pine's recursion, O(1) per update.
 */
import type { Indicator } from './indicator.js';
import { requireCountField, requireNumberField, requireStateRecord } from './indicator-state.js';
import { requireInteger } from './parameter-validation.js';

/**
 * The state of an {@link EMA}.
 *
 * @example
 * ```ts
 * const state: EMAState = new EMA(10).snapshot();
 * ```
 */
export interface EMAState {
  /** The current average (`NaN` before the first input or after a `NaN` input). */
  readonly value: number;
  /** Consecutive defined inputs since the last seed. */
  readonly run: number;
}

/**
 * Exponential moving average with `α = 2 / (length + 1)` (Pine `ta.ema`).
 *
 * The recursion is the one TradingView's reference gives for `ta.ema`: seeded with the first value, then
 * `ema = α·x + (1 − α)·ema₋₁`. **Choice** (the spec is silent on EMA): the first `length − 1` outputs are
 * reported as `NaN` (warm-up, as for every other length-`length` primitive here and in trading-signals), and
 * a `NaN` input yields `NaN` and re-seeds from the next defined value, restarting the warm-up.
 *
 * Interpretation: a trend line that weights recent prices more than an SMA of the same length.
 *
 * @see spec §3 (Pine semantics of the primitives)
 * @example
 * ```ts
 * const ema = new EMA(3); // α = 0.5
 * [2, 4, 8].map((v) => ema.update(v)); // [NaN, NaN, 5.5]
 * ```
 */
export class EMA implements Indicator<number, number, EMAState> {
  /** The EMA period. */
  readonly length: number;
  /** Equal to `length`. */
  readonly requiredInputs: number;
  private readonly alpha: number;
  private readonly beta: number;
  private value = Number.NaN;
  private run = 0;

  /** @param length - the period, a positive integer (`α = 2 / (length + 1)`) */
  constructor(length: number) {
    this.length = requireInteger('EMA', 'length', length);
    this.requiredInputs = this.length;
    this.alpha = 2 / (this.length + 1);
    this.beta = 1 - this.alpha;
  }

  /**
   * The EMA of `values`, index-aligned (`NaN` during warm-up), computed by the streaming code.
   *
   * @example
   * ```ts
   * EMA.batch([2, 4, 8], 3); // Float64Array [NaN, NaN, 5.5]
   * ```
   */
  static batch(values: ArrayLike<number>, length: number): Float64Array {
    const ema = new EMA(length);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = ema.update(values[i] as number);
    return out;
  }

  /** True once `length` consecutive defined values have been seen. */
  get isReady(): boolean {
    return this.run >= this.length;
  }

  /** Adds one value and returns the EMA, or `NaN` during warm-up. */
  update(value: number): number {
    if (Number.isNaN(value)) {
      this.value = Number.NaN;
      this.run = 0;
      return Number.NaN;
    }
    const run = this.run;
    this.value = run === 0 ? value : this.alpha * value + this.beta * this.value;
    this.run = run + 1;
    return run + 1 >= this.length ? this.value : Number.NaN;
  }

  /** Forgets every value. */
  reset(): void {
    this.value = Number.NaN;
    this.run = 0;
  }

  /** A plain copy of the state. */
  snapshot(): EMAState {
    return { value: this.value, run: this.run };
  }

  /** Continues from a state taken by `snapshot()` on an EMA of the same length. */
  restore(state: EMAState): void {
    requireStateRecord('EMA', state);
    const value = requireNumberField('EMA', state, 'value');
    this.run = requireCountField('EMA', state, 'run', 0, Number.MAX_SAFE_INTEGER);
    this.value = value;
  }
}
