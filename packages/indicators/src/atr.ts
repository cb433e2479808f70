/**
 * ATR: the average true range (Pine `ta.atr`): Wilder's RMA of the true range, O(1) per update.
 */
import type { Indicator } from './indicator.js';
import { requireNumberField, requireStateRecord } from './indicator-state.js';
import { requireInteger } from './parameter-validation.js';
import { RMA, type RMAState } from './rma.js';

/**
 * One input of {@link ATR}: the high, low and close of a bar (any `Bar` of `@algospace/bars` fits).
 *
 * @example
 * ```ts
 * const candle: HighLowClose = { high: 4802.5, low: 4799.75, close: 4801 };
 * ```
 */
export interface HighLowClose {
  /** Highest price of the bar. */
  readonly high: number;
  /** Lowest price of the bar. */
  readonly low: number;
  /** Last price of the bar. */
  readonly close: number;
}

/**
 * The state of an {@link ATR}.
 *
 * @example
 * ```ts
 * const state: ATRState = new ATR(14).snapshot();
 * ```
 */
export interface ATRState {
  /** The previous bar's close (`NaN` before the first bar). */
  readonly previousClose: number;
  /** The RMA of the true range. */
  readonly average: RMAState;
}

/**
 * Average true range: `RMA_L(TR)` with `TR = max(H − L, |H − C₋₁|, |L − C₋₁|)`, and `TR = H − L` when there
 * is no previous close (the first bar; Pine `ta.tr(true)`). First defined on bar `L` (index `L − 1`).
 *
 * Interpretation: the typical bar-to-bar range including gaps, in price units; a volatility yardstick for
 * stops and position sizes.
 *
 * @see spec §3 (Pine semantics), §3.2 (RMA)
 * @example
 * ```ts
 * const atr = new ATR(2);
 * atr.update({ high: 11, low: 9, close: 10 }); // NaN (TR 2)
 * atr.update({ high: 13, low: 11, close: 12 }); // 2.5 (TR max(2, 3, 1) = 3)
 * ```
 */
export class ATR implements Indicator<HighLowClose, number, ATRState> {
  /** The smoothing length. */
  readonly length: number;
  /** Equal to `length`. */
  readonly requiredInputs: number;
  private readonly average: RMA;
  private previousClose = Number.NaN;

  /** @param length - the smoothing length, a positive integer */
  constructor(length: number) {
    this.length = requireInteger('ATR', 'length', length);
    this.requiredInputs = this.length;
    this.average = new RMA(this.length);
  }

  /**
   * The ATR of columns `high`, `low`, `close`, index-aligned (`NaN` during warm-up), computed by the
   * streaming code.
   *
   * @example
   * ```ts
   * ATR.batch({ high: [11, 13], low: [9, 11], close: [10, 12] }, 2); // Float64Array [NaN, 2.5]
   * ```
   */
  static batch(
    columns: {
      readonly high: ArrayLike<number>;
      readonly low: ArrayLike<number>;
      readonly close: ArrayLike<number>;
    },
    length: number,
  ): Float64Array {
    const atr = new ATR(length);
    const n = columns.close.length;
    const out = new Float64Array(n);
    // One reused input record: the batch loop allocates nothing per bar.
    const bar = { high: 0, low: 0, close: 0 };
    for (let i = 0; i < n; i++) {
      bar.high = columns.high[i] as number;
      bar.low = columns.low[i] as number;
      bar.close = columns.close[i] as number;
      out[i] = atr.update(bar);
    }
    return out;
  }

  /** True once the RMA of the true range is seeded. */
  get isReady(): boolean {
    return this.average.isReady;
  }

  /** Adds one bar and returns the ATR, or `NaN` during warm-up. */
  update(bar: HighLowClose): number {
    const high = bar.high;
    const low = bar.low;
    const previousClose = this.previousClose;
    let range = high - low;
    if (!Number.isNaN(previousClose)) {
      const up = Math.abs(high - previousClose);
      const down = Math.abs(low - previousClose);
      if (up > range) range = up;
      if (down > range) range = down;
    }
    this.previousClose = bar.close;
    return this.average.update(range);
  }

  /** Forgets every bar. */
  reset(): void {
    this.previousClose = Number.NaN;
    this.average.reset();
  }

  /** A plain copy of the state. */
  snapshot(): ATRState {
    return { previousClose: this.previousClose, average: this.average.snapshot() };
  }

  /** Continues from a state taken by `snapshot()` on an ATR of the same length. */
  restore(state: ATRState): void {
    requireStateRecord('ATR', state);
    const previousClose = requireNumberField('ATR', state, 'previousClose');
    this.average.restore(state.average);
    this.previousClose = previousClose;
  }
}
