/**
 * StdDev: the rolling standard deviation of the last `length` values (Pine `ta.stdev`), population by
 * default, sample on request.
 */
import type { Indicator } from './indicator.js';
import { IndicatorParameterError } from './indicators-error.js';
import { requireBoolean, requireInteger } from './parameter-validation.js';
import { restoreRingWindow, snapshotRingWindow } from './ring-window.js';

/**
 * Options of {@link StdDev}.
 *
 * @example
 * ```ts
 * const options: StdDevOptions = { sample: true };
 * ```
 */
export interface StdDevOptions {
  /** Divide by `n − 1` (sample, spec std₁) instead of `n` (population, std₀, Pine's default). Default false. */
  readonly sample?: boolean;
}

/**
 * The state of a {@link StdDev}: its window in ring order.
 *
 * @example
 * ```ts
 * const state: StdDevState = new StdDev(20).snapshot();
 * ```
 */
export interface StdDevState {
  /** The ring buffer. */
  readonly window: number[];
  /** The slot the next value is written to. */
  readonly next: number;
  /** How many slots hold a value (≤ length). */
  readonly filled: number;
}

/**
 * Rolling standard deviation of the last `length` values: population (`÷ n`, Pine `ta.stdev` with its
 * default `biased = true`, spec std₀) or sample (`÷ (n − 1)`, spec std₁).
 *
 * Computed two-pass over the window (mean first, then squared deviations) rather than from running sums of
 * `x` and `x²`: prices near 15 000 with a spread of a few points would lose most digits to cancellation in
 * the one-pass form. That is O(length) per update. Pine's snapping of deviations below 1e−10 to zero is not
 * reproduced. `NaN` until `length` values have been seen and while a `NaN` is in the window.
 *
 * Interpretation: the typical distance of recent values from their mean.
 *
 * @see spec §3.5
 * @example
 * ```ts
 * const sd = new StdDev(2);
 * [1, 3].map((v) => sd.update(v)); // [NaN, 1]
 * new StdDev(2, { sample: true }).update(1); // NaN; then update(3) gives √2
 * ```
 */
export class StdDev implements Indicator<number, number, StdDevState> {
  /** Window length. */
  readonly length: number;
  /** Equal to `length`. */
  readonly requiredInputs: number;
  /** Whether the sample (`n − 1`) divisor is used. */
  readonly sample: boolean;
  // `window`, `next` and `filled` are the ring window of ring-window.ts, kept in the StdDev's own fields
  // (see there why).
  private readonly window: Float64Array;
  private readonly divisor: number;
  private next = 0;
  private filled = 0;
  private last = Number.NaN;

  /**
   * @param length - window length, a positive integer (≥ 2 with `sample: true`)
   * @param options - `sample: true` for the `n − 1` divisor
   */
  constructor(length: number, options: StdDevOptions = {}) {
    this.length = requireInteger('StdDev', 'length', length);
    this.sample = requireBoolean('StdDev', 'sample', options.sample ?? false);
    if (this.sample && this.length < 2) {
      throw new IndicatorParameterError('StdDev', 'length', 'an integer ≥ 2 with sample: true', length);
    }
    this.requiredInputs = this.length;
    this.window = new Float64Array(this.length);
    this.divisor = this.sample ? this.length - 1 : this.length;
  }

  /**
   * The rolling standard deviation of `values`, index-aligned (`NaN` during warm-up), computed by the
   * streaming code.
   *
   * @example
   * ```ts
   * StdDev.batch([1, 3, 3], 2); // Float64Array [NaN, 1, 0]
   * ```
   */
  static batch(values: ArrayLike<number>, length: number, options: StdDevOptions = {}): Float64Array {
    const sd = new StdDev(length, options);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = sd.update(values[i] as number);
    return out;
  }

  /** True once the window is full and its value defined. */
  get isReady(): boolean {
    return !Number.isNaN(this.last);
  }

  /** Adds one value and returns the standard deviation of the last `length`, or `NaN`. */
  update(value: number): number {
    const length = this.length;
    const slot = this.next;
    this.window[slot] = value;
    this.next = slot + 1 === length ? 0 : slot + 1;
    if (this.filled < length && ++this.filled < length) return Number.NaN;
    this.last = this.compute();
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
  snapshot(): StdDevState {
    return snapshotRingWindow(this.window, this.next, this.filled);
  }

  /** Continues from a state taken by `snapshot()` on a StdDev with the same parameters. */
  restore(state: StdDevState): void {
    const { next, filled } = restoreRingWindow('StdDev', state, this.window);
    this.next = next;
    this.filled = filled;
    this.last = filled === this.length ? this.compute() : Number.NaN;
  }

  private compute(): number {
    const values = this.window;
    const n = this.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i] as number;
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const d = (values[i] as number) - mean;
      squares += d * d;
    }
    return Math.sqrt(squares / this.divisor);
  }
}
