/**
 * HeikinAshi: Heiken Ashi candles from standard OHLCV bars (spec §2), bit-exact, O(1) per bar.
 */
import type { Indicator } from './indicator.js';
import { requireCountField, requireNumberField, requireStateRecord } from './indicator-state.js';

/**
 * One input of {@link HeikinAshi}: a standard bar. Any `Bar` of `@algospace/bars` fits; `volume` and
 * `timestamp` are optional and passed through (0 when absent).
 *
 * @example
 * ```ts
 * const bar: OHLCVInput = { timestamp: Date.UTC(2024, 0, 2, 10), open: 10, high: 12, low: 9, close: 11, volume: 5 };
 * ```
 */
export interface OHLCVInput {
  /** First price of the bar. */
  readonly open: number;
  /** Highest price of the bar. */
  readonly high: number;
  /** Lowest price of the bar. */
  readonly low: number;
  /** Last price of the bar. */
  readonly close: number;
  /** Traded volume (passed through). */
  readonly volume?: number;
  /** Bar start time, UTC epoch ms (passed through). */
  readonly timestamp?: number;
}

/**
 * One Heiken Ashi candle.
 *
 * @example
 * ```ts
 * const candle: HeikinAshiCandle = new HeikinAshi().update({ open: 10, high: 12, low: 9, close: 11 });
 * ```
 */
export interface HeikinAshiCandle {
  /** The standard bar's timestamp (0 when the input has none). */
  readonly timestamp: number;
  /** `haO`: the midpoint of the previous HA candle's open and close; `(O₀ + C₀)/2` on the first bar. */
  readonly open: number;
  /** `haH = max(H, haO, haC)`. */
  readonly high: number;
  /** `haL = min(L, haO, haC)`. */
  readonly low: number;
  /** `haC = (((O + H) + L) + C) / 4`. */
  readonly close: number;
  /** The standard bar's volume (0 when the input has none). */
  readonly volume: number;
}

/**
 * Columns of Heiken Ashi candles returned by {@link HeikinAshi.batch}.
 *
 * @example
 * ```ts
 * const { close }: HeikinAshiColumns = HeikinAshi.batch({ open: [10], high: [12], low: [9], close: [11] });
 * ```
 */
export interface HeikinAshiColumns {
  /** HA opens. */
  readonly open: Float64Array;
  /** HA highs. */
  readonly high: Float64Array;
  /** HA lows. */
  readonly low: Float64Array;
  /** HA closes. */
  readonly close: Float64Array;
}

/**
 * The state of a {@link HeikinAshi}: the previous candle's open and close.
 *
 * @example
 * ```ts
 * const state: HeikinAshiState = new HeikinAshi().snapshot();
 * ```
 */
export interface HeikinAshiState {
  /** Previous HA open (`NaN` before the first bar). */
  readonly previousOpen: number;
  /** Previous HA close (`NaN` before the first bar). */
  readonly previousClose: number;
  /** Bars seen (capped at 1: only "any bar yet" matters). */
  readonly count: number;
}

/**
 * Heiken Ashi candles, the 30-minute input of MLMI, NW-RQK and MMD in the AlgoSpace pipeline.
 *
 * `haC = (((O + H) + L) + C) / 4` (this evaluation order makes every value bit-exact: the divisions by 2 and
 * 4 are exact), `haO₀ = (O₀ + C₀)/2`, `haO_t = (haO_{t−1} + haC_{t−1})/2`, `haH = max(H, haO, haC)`,
 * `haL = min(L, haO, haC)`. Defined from the first bar (no warm-up). The recursion runs over the whole stream;
 * synthetic (gap-filled) bars are ordinary inputs. If the previous candle is undefined (a `NaN` bar), the
 * next bar re-seeds like the first, as Pine's `na(haOpen[1]) ? (open + close)/2 : …` does.
 *
 * Interpretation: smoothed candles; runs of same-coloured HA candles without opposite wicks mark trends.
 *
 * @see spec §2
 * @example
 * ```ts
 * const ha = new HeikinAshi();
 * ha.update({ open: 10, high: 12, low: 9, close: 11 }); // { open: 10.5, high: 12, low: 9, close: 10.5, … }
 * ha.update({ open: 11, high: 13, low: 10, close: 12 }); // { open: 10.5, high: 13, low: 10, close: 11.5, … }
 * ```
 */
export class HeikinAshi implements Indicator<OHLCVInput, HeikinAshiCandle, HeikinAshiState> {
  /** 1: a candle is defined from the first bar (spec Appendix B: HA from index 0). */
  readonly requiredInputs = 1;
  private previousOpen = Number.NaN;
  private previousClose = Number.NaN;
  private count = 0;

  /**
   * Heiken Ashi columns of OHLC columns, index-aligned, computed by the streaming code.
   *
   * @example
   * ```ts
   * HeikinAshi.batch({ open: [10, 11], high: [12, 13], low: [9, 10], close: [11, 12] }).close; // [10.5, 11.5]
   * ```
   */
  static batch(columns: {
    readonly open: ArrayLike<number>;
    readonly high: ArrayLike<number>;
    readonly low: ArrayLike<number>;
    readonly close: ArrayLike<number>;
  }): HeikinAshiColumns {
    const n = columns.close.length;
    const result = {
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
    };
    const ha = new HeikinAshi();
    for (let i = 0; i < n; i++) {
      const candle = ha.update({
        open: columns.open[i] as number,
        high: columns.high[i] as number,
        low: columns.low[i] as number,
        close: columns.close[i] as number,
      });
      result.open[i] = candle.open;
      result.high[i] = candle.high;
      result.low[i] = candle.low;
      result.close[i] = candle.close;
    }
    return result;
  }

  /** True after the first bar. */
  get isReady(): boolean {
    return this.count > 0;
  }

  /** Converts the next standard bar into its Heiken Ashi candle. */
  update(bar: OHLCVInput): HeikinAshiCandle {
    const close = (bar.open + bar.high + bar.low + bar.close) / 4;
    const previousOpen = this.previousOpen;
    const previousClose = this.previousClose;
    const open =
      !Number.isNaN(previousOpen) && !Number.isNaN(previousClose)
        ? (previousOpen + previousClose) / 2
        : (bar.open + bar.close) / 2;
    this.previousOpen = open;
    this.previousClose = close;
    this.count = 1;
    return {
      timestamp: bar.timestamp ?? 0,
      open,
      high: Math.max(bar.high, open, close),
      low: Math.min(bar.low, open, close),
      close,
      volume: bar.volume ?? 0,
    };
  }

  /** Forgets every bar; the next bar seeds again. */
  reset(): void {
    this.previousOpen = Number.NaN;
    this.previousClose = Number.NaN;
    this.count = 0;
  }

  /** A plain copy of the state. */
  snapshot(): HeikinAshiState {
    return { previousOpen: this.previousOpen, previousClose: this.previousClose, count: this.count };
  }

  /** Continues from a state taken by `snapshot()`. */
  restore(state: HeikinAshiState): void {
    requireStateRecord('HeikinAshi', state);
    const previousOpen = requireNumberField('HeikinAshi', state, 'previousOpen');
    const previousClose = requireNumberField('HeikinAshi', state, 'previousClose');
    this.count = requireCountField('HeikinAshi', state, 'count', 0, 1);
    this.previousOpen = previousOpen;
    this.previousClose = previousClose;
  }
}
