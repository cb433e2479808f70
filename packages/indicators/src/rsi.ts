/**
 * RSI: Wilder's relative strength index (Pine `ta.rsi`), O(1) per update.
 */
import type { Indicator } from './indicator.js';
import { requireCountField, requireNumberField, requireStateRecord } from './indicator-state.js';
import { requireInteger } from './parameter-validation.js';

/**
 * The state of an {@link RSI}.
 *
 * @example
 * ```ts
 * const state: RSIState = new RSI(14).snapshot();
 * ```
 */
export interface RSIState {
  /** The previous input (`NaN` before the first or after a `NaN` input). */
  readonly previous: number;
  /** Changes collected towards the seed (0…length). */
  readonly run: number;
  /** Sum of the collected up-moves, in order. */
  readonly seedUp: number;
  /** Sum of the collected down-moves, in order. */
  readonly seedDown: number;
  /** RMA of up-moves, `NaN` until seeded. */
  readonly averageUp: number;
  /** RMA of down-moves, `NaN` until seeded. */
  readonly averageDown: number;
}

/**
 * Relative strength index with Wilder smoothing (RMA), exactly TradingView's `ta.rsi`.
 *
 * `u_t = max(x_t − x_{t−1}, 0)`, `d_t = max(x_{t−1} − x_t, 0)`; `U = RMA_L(u)`, `D = RMA_L(d)`, seeded with
 * the mean of the first `L` changes, so the first value is at input `L + 1` (index `L`).
 * `RSI = 100` if `D = 0` (flat input gives 100), else `0` if `U = 0`, else `100 − 100/(1 + U/D)`.
 * A `NaN` input yields `NaN` and restarts the warm-up.
 *
 * Interpretation: 0–100 momentum; high when recent closes mostly rose, low when they mostly fell.
 *
 * @see spec §3.3
 * @example
 * ```ts
 * const rsi = new RSI(2);
 * [10, 11, 10.5, 11.5].map((v) => rsi.update(v)); // [NaN, NaN, 66.66…, 85.71…]
 * ```
 */
export class RSI implements Indicator<number, number, RSIState> {
  /** The RSI length `L`. */
  readonly length: number;
  /** `length + 1` (spec Appendix B: first defined at index `L`). */
  readonly requiredInputs: number;
  private readonly alpha: number;
  private previous = Number.NaN;
  private run = 0;
  private seedUp = 0;
  private seedDown = 0;
  private averageUp = Number.NaN;
  private averageDown = Number.NaN;

  /** @param length - the RSI length, a positive integer */
  constructor(length: number) {
    this.length = requireInteger('RSI', 'length', length);
    this.requiredInputs = this.length + 1;
    this.alpha = 1 / this.length;
  }

  /**
   * The RSI of `values`, index-aligned (`NaN` during warm-up), computed by the streaming code.
   *
   * @example
   * ```ts
   * RSI.batch([10, 11, 10.5, 11.5], 2); // Float64Array [NaN, NaN, 66.66…, 85.71…]
   * ```
   */
  static batch(values: ArrayLike<number>, length: number): Float64Array {
    const rsi = new RSI(length);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = rsi.update(values[i] as number);
    return out;
  }

  /** True once both averages are seeded. */
  get isReady(): boolean {
    return this.run === this.length;
  }

  /** Adds one value and returns the RSI (0–100), or `NaN` during warm-up. */
  update(value: number): number {
    const previous = this.previous;
    this.previous = value;
    if (Number.isNaN(value) || Number.isNaN(previous)) {
      if (Number.isNaN(value)) this.restart();
      return Number.NaN;
    }
    const change = value - previous;
    const up = Math.max(change, 0);
    const down = Math.max(-change, 0);
    let averageUp: number;
    let averageDown: number;
    if (this.run === this.length) {
      averageUp = this.alpha * up + (1 - this.alpha) * this.averageUp;
      averageDown = this.alpha * down + (1 - this.alpha) * this.averageDown;
    } else {
      this.seedUp += up;
      this.seedDown += down;
      if (++this.run < this.length) return Number.NaN;
      averageUp = this.seedUp / this.length;
      averageDown = this.seedDown / this.length;
    }
    this.averageUp = averageUp;
    this.averageDown = averageDown;
    if (averageDown === 0) return 100;
    if (averageUp === 0) return 0;
    return 100 - 100 / (1 + averageUp / averageDown);
  }

  /** Forgets every value. */
  reset(): void {
    this.previous = Number.NaN;
    this.restart();
  }

  /** A plain copy of the state. */
  snapshot(): RSIState {
    return {
      previous: this.previous,
      run: this.run,
      seedUp: this.seedUp,
      seedDown: this.seedDown,
      averageUp: this.averageUp,
      averageDown: this.averageDown,
    };
  }

  /** Continues from a state taken by `snapshot()` on an RSI of the same length. */
  restore(state: RSIState): void {
    requireStateRecord('RSI', state);
    const previous = requireNumberField('RSI', state, 'previous');
    const run = requireCountField('RSI', state, 'run', 0, this.length);
    const seedUp = requireNumberField('RSI', state, 'seedUp');
    const seedDown = requireNumberField('RSI', state, 'seedDown');
    const averageUp = requireNumberField('RSI', state, 'averageUp');
    const averageDown = requireNumberField('RSI', state, 'averageDown');
    this.previous = previous;
    this.run = run;
    this.seedUp = seedUp;
    this.seedDown = seedDown;
    this.averageUp = averageUp;
    this.averageDown = averageDown;
  }

  private restart(): void {
    this.run = 0;
    this.seedUp = 0;
    this.seedDown = 0;
    this.averageUp = Number.NaN;
    this.averageDown = Number.NaN;
  }
}
