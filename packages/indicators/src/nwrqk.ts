/**
 * NWRQK: Nadaraya-Watson regression with a rational quadratic kernel, the non-repainting 27-term estimator
 * of spec §5, with both bandwidths, both signal modes and the slope. O(x0) per update.
 */
import { crossover, crossunder } from './cross.js';
import type { Indicator } from './indicator.js';
import {
  requireCountField,
  requireNumberArray,
  requireNumberField,
  requireStateRecord,
} from './indicator-state.js';
import { IndicatorParameterError } from './indicators-error.js';
import {
  requireBoolean,
  requireFiniteAbove,
  requireFiniteAtLeast,
  requireInteger,
} from './parameter-validation.js';

/**
 * Options of {@link NWRQK}; defaults are the original script's (spec Appendix A).
 *
 * @example
 * ```ts
 * const options: NWRQKOptions = { h: 8, r: 8, x0: 25, lag: 2, smoothColors: false };
 * ```
 */
export interface NWRQKOptions {
  /** Bandwidth ("Lookback Window") of the main estimate `yhat1`; > 0. Default 8. */
  readonly h?: number;
  /** Relative weighting, the rational quadratic kernel's α; > 0. Default 8. */
  readonly r?: number;
  /** "Start Regression at Bar": the estimator sums `x0 + 2` terms (offsets 0…x0+1); integer ≥ 0. Default 25. */
  readonly x0?: number;
  /** Bandwidth reduction of the faster estimate `yhat2 = ŷ_{h − lag}`; `h − lag` must be > 0. Default 2. */
  readonly lag?: number;
  /** Signal mode: false = direction change of `yhat1` (default); true = `yhat2` crossing `yhat1`. */
  readonly smoothColors?: boolean;
}

/**
 * One NW-RQK output. Booleans are false while undefined (comparisons with ⊥ are false).
 *
 * @example
 * ```ts
 * const out: NWRQKOutput = new NWRQK().update(15000.25);
 * ```
 */
export interface NWRQKOutput {
  /** `nwrqk_value = yhat1 = ŷ_h`, `NaN` before input `x0 + 2`. */
  readonly value: number;
  /** The faster estimate `ŷ_{h − lag}`, `NaN` before input `x0 + 2`. */
  readonly yhat2: number;
  /** `nwrqk_slope = yhat1_t − yhat1_{t−1}` (price units per bar), `NaN` before input `x0 + 3`. */
  readonly slope: number;
  /** `nwrqk_signal`: +1 turning up, −1 turning down, 0 otherwise, in the configured mode (spec §5.3). */
  readonly signal: -1 | 0 | 1;
  /** `yhat1_{t−1} < yhat1_t`. */
  readonly isBullish: boolean;
  /** `yhat1_{t−1} > yhat1_t`. */
  readonly isBearish: boolean;
  /** Turned up: bullish now, bearish on the previous bar. */
  readonly isBullishChange: boolean;
  /** Turned down: bearish now, bullish on the previous bar. */
  readonly isBearishChange: boolean;
  /** `crossover(yhat2, yhat1)`. */
  readonly isBullishCross: boolean;
  /** `crossunder(yhat2, yhat1)`. */
  readonly isBearishCross: boolean;
}

/**
 * Columns of NW-RQK outputs returned by {@link NWRQK.batch} (booleans as 0/1).
 *
 * @example
 * ```ts
 * const { value, slope, signal }: NWRQKColumns = NWRQK.batch(closes);
 * ```
 */
export interface NWRQKColumns {
  /** `yhat1` per input. */
  readonly value: Float64Array;
  /** `yhat2` per input. */
  readonly yhat2: Float64Array;
  /** Slope per input. */
  readonly slope: Float64Array;
  /** Signal per input (−1/0/+1). */
  readonly signal: Int8Array;
  /** `isBullish` per input (0/1). */
  readonly isBullish: Uint8Array;
  /** `isBearish` per input (0/1). */
  readonly isBearish: Uint8Array;
  /** `isBullishChange` per input (0/1). */
  readonly isBullishChange: Uint8Array;
  /** `isBearishChange` per input (0/1). */
  readonly isBearishChange: Uint8Array;
  /** `isBullishCross` per input (0/1). */
  readonly isBullishCross: Uint8Array;
  /** `isBearishCross` per input (0/1). */
  readonly isBearishCross: Uint8Array;
}

/**
 * The state of an {@link NWRQK}.
 *
 * @example
 * ```ts
 * const state: NWRQKState = new NWRQK().snapshot();
 * ```
 */
export interface NWRQKState {
  /** The last `x0 + 2` inputs in ring order. */
  readonly window: number[];
  /** The slot the next input is written to. */
  readonly next: number;
  /** How many slots hold an input. */
  readonly filled: number;
  /** `yhat1` of the previous input. */
  readonly previous1: number;
  /** `yhat1` of the input before that. */
  readonly previous2: number;
  /** `yhat2` of the previous input. */
  readonly previousYhat2: number;
}

/**
 * The rational quadratic kernel weight of a point `i` bars back: `(1 + i² / (2·r·h²))^(−r)`.
 *
 * @param i - offset in bars (0 = the current bar)
 * @param h - bandwidth
 * @param r - relative weighting α
 * @see spec §5.2
 * @example
 * ```ts
 * rationalQuadraticWeight(0, 8, 8); // 1
 * rationalQuadraticWeight(8, 8, 8); // (1 + 1/16)^(−8) ≈ 0.6156
 * ```
 */
export function rationalQuadraticWeight(i: number, h: number, r: number): number {
  return (1 + (i * i) / (2 * r * h * h)) ** -r;
}

/**
 * Nadaraya-Watson kernel regression with a rational quadratic kernel, after jdehorty's TradingView script
 * "Nadaraya-Watson: Rational Quadratic Kernel (Non-Repainting)" (MPL-2.0), implemented from the spec.
 *
 * `ŷ_h(t) = Σ_{i=0}^{N−1} w_h(i)·x_{t−i} / Σ_{i=0}^{N−1} w_h(i)` with `N = x0 + 2 = 27` terms (the script
 * loops `0 … size + x0` with `size = 1`), numerator and denominator accumulated in the order
 * `i = 0, 1, …, N−1`. One-sided (end-point) kernel: a closed bar's value never changes. `yhat1 = ŷ_h`,
 * `yhat2 = ŷ_{h−lag}`; slope = first difference of `yhat1`; signal per spec §5.3 with the PRD's sign
 * (+1 = turning up), i.e. the negation of the script's hidden "alert stream" plot. A plateau yields no
 * change signal (faithful to the script).
 *
 * Warm-up (spec §5.5): `yhat1`/`yhat2` from input `N` (index 26), slope and crosses from index 27, change
 * signals from index 28. `isReady` (and `requiredInputs = N + 1 = 28`) marks the first output whose value
 * and slope are both defined; the not-ready output is the one whose `slope` is `NaN`.
 *
 * Interpretation: a smoothed, non-repainting price estimate; its turning points (`signal`) mark changes of
 * short-term direction, its slope their strength in price units per bar.
 *
 * @see spec §5; original: jdehorty, TradingView script `AWNvbPRM`
 * @example
 * ```ts
 * const nw = new NWRQK(); // h 8, r 8, x0 25, lag 2
 * let out = nw.update(15000);
 * for (let i = 1; i < 28; i++) out = nw.update(15000 + i);
 * out.slope > 0; // true: a rising series
 * ```
 */
export class NWRQK implements Indicator<number, NWRQKOutput, NWRQKState> {
  /** Bandwidth of `yhat1`. */
  readonly h: number;
  /** Relative weighting α. */
  readonly r: number;
  /** Regression start; the estimator uses `x0 + 2` terms. */
  readonly x0: number;
  /** Bandwidth reduction of `yhat2`. */
  readonly lag: number;
  /** Signal mode (false = direction change, true = crossover). */
  readonly smoothColors: boolean;
  /** `x0 + 3`: first input whose value and slope are both defined. */
  readonly requiredInputs: number;
  private readonly terms: number;
  private readonly weights1: Float64Array;
  private readonly weights2: Float64Array;
  private readonly denominator1: number;
  private readonly denominator2: number;
  private readonly window: Float64Array;
  private next = 0;
  private filled = 0;
  private previous1 = Number.NaN;
  private previous2 = Number.NaN;
  private previousYhat2 = Number.NaN;

  /** @param options - kernel parameters and signal mode; defaults h 8, r 8, x0 25, lag 2, smoothColors false */
  constructor(options: NWRQKOptions = {}) {
    this.h = requireFiniteAbove('NWRQK', 'h', options.h ?? 8);
    this.r = requireFiniteAbove('NWRQK', 'r', options.r ?? 8);
    this.x0 = requireInteger('NWRQK', 'x0', options.x0 ?? 25, 0);
    this.lag = requireFiniteAtLeast('NWRQK', 'lag', options.lag ?? 2, 0);
    this.smoothColors = requireBoolean('NWRQK', 'smoothColors', options.smoothColors ?? false);
    if (!(this.h - this.lag > 0)) {
      throw new IndicatorParameterError(
        'NWRQK',
        'lag',
        `a value below h = ${this.h} (h − lag > 0)`,
        this.lag,
      );
    }
    this.terms = this.x0 + 2;
    this.requiredInputs = this.terms + 1;
    this.weights1 = new Float64Array(this.terms);
    this.weights2 = new Float64Array(this.terms);
    let denominator1 = 0;
    let denominator2 = 0;
    for (let i = 0; i < this.terms; i++) {
      this.weights1[i] = rationalQuadraticWeight(i, this.h, this.r);
      this.weights2[i] = rationalQuadraticWeight(i, this.h - this.lag, this.r);
      denominator1 += this.weights1[i] as number;
      denominator2 += this.weights2[i] as number;
    }
    this.denominator1 = denominator1;
    this.denominator2 = denominator2;
    this.window = new Float64Array(this.terms);
  }

  /**
   * NW-RQK columns of `values`, index-aligned (`NaN`/0 during warm-up), computed by the streaming code.
   *
   * @example
   * ```ts
   * const { value, signal } = NWRQK.batch(closes, { smoothColors: true });
   * ```
   */
  static batch(values: ArrayLike<number>, options: NWRQKOptions = {}): NWRQKColumns {
    const n = values.length;
    const columns = {
      value: new Float64Array(n),
      yhat2: new Float64Array(n),
      slope: new Float64Array(n),
      signal: new Int8Array(n),
      isBullish: new Uint8Array(n),
      isBearish: new Uint8Array(n),
      isBullishChange: new Uint8Array(n),
      isBearishChange: new Uint8Array(n),
      isBullishCross: new Uint8Array(n),
      isBearishCross: new Uint8Array(n),
    };
    const nw = new NWRQK(options);
    for (let i = 0; i < n; i++) {
      const out = nw.update(values[i] as number);
      columns.value[i] = out.value;
      columns.yhat2[i] = out.yhat2;
      columns.slope[i] = out.slope;
      columns.signal[i] = out.signal;
      columns.isBullish[i] = out.isBullish ? 1 : 0;
      columns.isBearish[i] = out.isBearish ? 1 : 0;
      columns.isBullishChange[i] = out.isBullishChange ? 1 : 0;
      columns.isBearishChange[i] = out.isBearishChange ? 1 : 0;
      columns.isBullishCross[i] = out.isBullishCross ? 1 : 0;
      columns.isBearishCross[i] = out.isBearishCross ? 1 : 0;
    }
    return columns;
  }

  /** True once both the estimate and its slope are defined. */
  get isReady(): boolean {
    return !Number.isNaN(this.previous1) && !Number.isNaN(this.previous2);
  }

  /** Adds one value (HA close in the pipeline) and returns the estimates, slope and signals. */
  update(value: number): NWRQKOutput {
    const terms = this.terms;
    const window = this.window;
    const newest = this.next;
    window[newest] = value;
    this.next = newest + 1 === terms ? 0 : newest + 1;
    if (this.filled < terms) this.filled++;

    let yhat1 = Number.NaN;
    let yhat2 = Number.NaN;
    if (this.filled === terms) {
      let numerator1 = 0;
      let numerator2 = 0;
      let i = 0;
      // Offsets 0, 1, …, N−1 = ring slots newest, newest−1, …, wrapping: the spec's summation order.
      for (let slot = newest; slot >= 0; slot--, i++) {
        const x = window[slot] as number;
        numerator1 += (this.weights1[i] as number) * x;
        numerator2 += (this.weights2[i] as number) * x;
      }
      for (let slot = terms - 1; slot > newest; slot--, i++) {
        const x = window[slot] as number;
        numerator1 += (this.weights1[i] as number) * x;
        numerator2 += (this.weights2[i] as number) * x;
      }
      yhat1 = numerator1 / this.denominator1;
      yhat2 = numerator2 / this.denominator2;
    }

    const previous1 = this.previous1;
    const previous2 = this.previous2;
    const isBullish = previous1 < yhat1;
    const isBearish = previous1 > yhat1;
    const wasBullish = previous2 < previous1;
    const wasBearish = previous2 > previous1;
    const isBullishChange = isBullish && wasBearish;
    const isBearishChange = isBearish && wasBullish;
    const isBullishCross = crossover(yhat2, yhat1, this.previousYhat2, previous1);
    const isBearishCross = crossunder(yhat2, yhat1, this.previousYhat2, previous1);
    const up = this.smoothColors ? isBullishCross : isBullishChange;
    const down = this.smoothColors ? isBearishCross : isBearishChange;

    this.previous2 = previous1;
    this.previous1 = yhat1;
    this.previousYhat2 = yhat2;
    return {
      value: yhat1,
      yhat2,
      slope: yhat1 - previous1,
      signal: up ? 1 : down ? -1 : 0,
      isBullish,
      isBearish,
      isBullishChange,
      isBearishChange,
      isBullishCross,
      isBearishCross,
    };
  }

  /** Forgets every input. */
  reset(): void {
    this.window.fill(0);
    this.next = 0;
    this.filled = 0;
    this.previous1 = Number.NaN;
    this.previous2 = Number.NaN;
    this.previousYhat2 = Number.NaN;
  }

  /** A plain copy of the state. */
  snapshot(): NWRQKState {
    return {
      window: Array.from(this.window),
      next: this.next,
      filled: this.filled,
      previous1: this.previous1,
      previous2: this.previous2,
      previousYhat2: this.previousYhat2,
    };
  }

  /** Continues from a state taken by `snapshot()` on an NWRQK with the same options. */
  restore(state: NWRQKState): void {
    requireStateRecord('NWRQK', state);
    const window = requireNumberArray('NWRQK', state, 'window', this.terms);
    const next = requireCountField('NWRQK', state, 'next', 0, this.terms - 1);
    const filled = requireCountField('NWRQK', state, 'filled', 0, this.terms);
    const previous1 = requireNumberField('NWRQK', state, 'previous1');
    const previous2 = requireNumberField('NWRQK', state, 'previous2');
    const previousYhat2 = requireNumberField('NWRQK', state, 'previousYhat2');
    this.window.set(window);
    this.next = next;
    this.filled = filled;
    this.previous1 = previous1;
    this.previous2 = previous2;
    this.previousYhat2 = previousYhat2;
  }
}
