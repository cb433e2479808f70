/**
 * MLMI: the Machine Learning Momentum Index of spec §4: momentum features at price-MA crosses are
 * remembered with the sign of the move since the previous cross, and each bar's value is the label sum of
 * its k nearest remembered neighbours (all ties included); a WMA of that prediction is the signal line.
 */
import { crossover, crossunder } from './cross.js';
import type { Indicator } from './indicator.js';
import {
  requireBooleanField,
  requireNumberArray,
  requireNumberField,
  requireStateRecord,
} from './indicator-state.js';
import { IndicatorStateError } from './indicators-error.js';
import { kthSmallest } from './kth-smallest.js';
import { requireInteger } from './parameter-validation.js';
import { RSI, type RSIState } from './rsi.js';
import { WMA, type WMAState } from './wma.js';

/**
 * Options of {@link MLMI}; defaults are the original script's (spec §4.1, Appendix A).
 *
 * @example
 * ```ts
 * const options: MLMIOptions = { k: 200, trendLength: 20 };
 * ```
 */
export interface MLMIOptions {
  /** Neighbours used by the k-NN vote ("Prediction Data (k)"). Default 200. */
  readonly k?: number;
  /** "Trend Length" M: the WMA length applied to both RSIs. Default 20. */
  readonly trendLength?: number;
  /** Fast price WMA of the cross events. Default 5. */
  readonly fastMaLength?: number;
  /** Slow price WMA of the cross events. Default 20. */
  readonly slowMaLength?: number;
  /** Fast RSI (feature f2 = WMA_M(RSI_fast)). Default 5. */
  readonly fastRsiLength?: number;
  /** Slow RSI (feature f1 = WMA_M(RSI_slow)). Default 20. */
  readonly slowRsiLength?: number;
  /** WMA length P of the prediction (the signal line `mlmi_ma`). Default 20. */
  readonly signalLength?: number;
}

/**
 * One MLMI output.
 *
 * @example
 * ```ts
 * const out: MLMIOutput = new MLMI().update(15000.25);
 * ```
 */
export interface MLMIOutput {
  /** `mlmi_value`: the k-NN label sum (an integer, not a 0–100 oscillator); `NaN` until ready. */
  readonly value: number;
  /** `mlmi_ma`: the exact WMA_P of the prediction; `NaN` until ready. */
  readonly ma: number;
  /** `mlmi_signal`: +1 when the prediction crosses above `ma`, −1 below, else 0 (spec §4.5). */
  readonly signal: -1 | 0 | 1;
  /** Diagnostic: +1 / −1 when the prediction crosses above / below zero, else 0. */
  readonly zeroCross: -1 | 0 | 1;
  /** Feature f1 = WMA_M(RSI_slow), `NaN` during its warm-up. */
  readonly rsiSlow: number;
  /** Feature f2 = WMA_M(RSI_fast), `NaN` during its warm-up. */
  readonly rsiFast: number;
  /** True when the fast price WMA crossed the slow one on this bar (a point was stored). */
  readonly event: boolean;
  /** Points in memory, the sentinel included. */
  readonly memorySize: number;
}

/**
 * Columns of MLMI outputs returned by {@link MLMI.batch}.
 *
 * @example
 * ```ts
 * const { value, ma, signal }: MLMIColumns = MLMI.batch(closes);
 * ```
 */
export interface MLMIColumns {
  /** `mlmi_value` per input. */
  readonly value: Float64Array;
  /** `mlmi_ma` per input. */
  readonly ma: Float64Array;
  /** `mlmi_signal` per input. */
  readonly signal: Int8Array;
  /** Zero-line cross per input. */
  readonly zeroCross: Int8Array;
  /** f1 per input. */
  readonly rsiSlow: Float64Array;
  /** f2 per input. */
  readonly rsiFast: Float64Array;
  /** Cross event per input (0/1). */
  readonly event: Uint8Array;
  /** Memory size per input. */
  readonly memorySize: Float64Array;
}

/**
 * The state of an {@link MLMI}: its seven moving averages, the previous values the crosses compare, and the
 * memory (which grows by one point per price-MA cross and is never trimmed).
 *
 * @example
 * ```ts
 * const state: MLMIState = new MLMI().snapshot();
 * ```
 */
export interface MLMIState {
  /** Fast price WMA. */
  readonly fastMa: WMAState;
  /** Slow price WMA. */
  readonly slowMa: WMAState;
  /** Fast RSI. */
  readonly fastRsi: RSIState;
  /** Slow RSI. */
  readonly slowRsi: RSIState;
  /** WMA_M of the fast RSI (f2). */
  readonly fastFeature: WMAState;
  /** WMA_M of the slow RSI (f1). */
  readonly slowFeature: WMAState;
  /** WMA_P of the prediction. */
  readonly signalLine: WMAState;
  /** Previous fast price WMA. */
  readonly previousFastMa: number;
  /** Previous slow price WMA. */
  readonly previousSlowMa: number;
  /** Previous prediction. */
  readonly previousPrediction: number;
  /** Previous signal line. */
  readonly previousSignalLine: number;
  /** Whether the last output was ready. */
  readonly ready: boolean;
  /** Stored f1 per point (sentinel first). */
  readonly memorySlow: number[];
  /** Stored f2 per point. */
  readonly memoryFast: number[];
  /** Stored label per point (+1/−1; 0 for the sentinel). */
  readonly memoryLabel: number[];
  /** Price of the last stored point (0 for the sentinel). */
  readonly lastPrice: number;
}

/**
 * Machine Learning Momentum Index, after Zeiierman's TradingView script "Machine Learning Momentum Index
 * (MLMI)" (CC BY-NC-SA 4.0), implemented from the spec.
 *
 * Per input `x` (HA close in the pipeline): `maQ = WMA_5(x)`, `maS = WMA_20(x)`; features
 * `f2 = WMA_M(RSI_5(x))`, `f1 = WMA_M(RSI_20(x))`. On a cross of `maQ` and `maS`, the point
 * `(f1, f2, label)` is appended to the memory with `label = +1` if `x ≥` the previous stored price else −1
 * (memory starts with the sentinel `(0, 0)`, price 0, label 0). Then, when `f1`, `f2` are defined, the
 * prediction is the sum of the labels of every stored point within the `m`-th smallest Euclidean distance
 * (`m = min(k, points with defined features)`), so all points tied at the radius vote; otherwise it is 0.
 * `ma = WMA_20(prediction)`, computed exactly (§3.1), and `signal` is the prediction crossing `ma`.
 *
 * Warm-up (spec §4.6): ready from input `slowRsiLength + trendLength` (40; index 39), when both features
 * are defined. Before that `value` and `ma` are `NaN` (the prediction 0 the spec prescribes still feeds the
 * signal line internally) and `signal` is 0.
 *
 * Interpretation: positive values mean that past momentum configurations like the current one were mostly
 * followed by rising prices (between MA crosses), negative values falling; crosses of the signal line mark
 * changes in that vote. The range is about ±k, not 0–100.
 *
 * @see spec §4; original: Zeiierman, TradingView script `I2X9DE84`
 * @example
 * ```ts
 * const mlmi = new MLMI(); // k 200, trend length 20
 * for (const close of closes) {
 *   const { value, signal } = mlmi.update(close);
 *   if (mlmi.isReady && signal !== 0) console.log(value, signal);
 * }
 * ```
 */
export class MLMI implements Indicator<number, MLMIOutput, MLMIState> {
  /** Neighbours of the k-NN vote. */
  readonly k: number;
  /** Trend length M. */
  readonly trendLength: number;
  /** `max(slowRsiLength, fastRsiLength) + trendLength` (40 with the defaults). */
  readonly requiredInputs: number;
  private readonly fastMa: WMA;
  private readonly slowMa: WMA;
  private readonly fastRsi: RSI;
  private readonly slowRsi: RSI;
  private readonly fastFeature: WMA;
  private readonly slowFeature: WMA;
  private readonly signalLine: WMA;
  private previousFastMa = Number.NaN;
  private previousSlowMa = Number.NaN;
  private previousPrediction = Number.NaN;
  private previousSignalLine = Number.NaN;
  private ready = false;
  // The memory as parallel growable columns (capacity doubles); slot 0 is the sentinel.
  private memorySlow = new Float64Array(64);
  private memoryFast = new Float64Array(64);
  private memoryLabel = new Float64Array(64);
  private size = 1;
  private lastPrice = 0;
  // Scratch for the k-NN, reused across bars; the radius hint only speeds the search up (not state).
  private squares = new Float64Array(64);
  private labels = new Float64Array(64);
  private candidates = new Float64Array(64);
  private candidateLabels = new Float64Array(64);
  private selection = new Float64Array(64);
  private radiusHint = Number.NaN;

  /** @param options - k, trend length and the script's fixed lengths; defaults per spec Appendix A */
  constructor(options: MLMIOptions = {}) {
    this.k = requireInteger('MLMI', 'k', options.k ?? 200);
    this.trendLength = requireInteger('MLMI', 'trendLength', options.trendLength ?? 20);
    const fastMaLength = requireInteger('MLMI', 'fastMaLength', options.fastMaLength ?? 5);
    const slowMaLength = requireInteger('MLMI', 'slowMaLength', options.slowMaLength ?? 20);
    const fastRsiLength = requireInteger('MLMI', 'fastRsiLength', options.fastRsiLength ?? 5);
    const slowRsiLength = requireInteger('MLMI', 'slowRsiLength', options.slowRsiLength ?? 20);
    const signalLength = requireInteger('MLMI', 'signalLength', options.signalLength ?? 20);
    this.fastMa = new WMA(fastMaLength);
    this.slowMa = new WMA(slowMaLength);
    this.fastRsi = new RSI(fastRsiLength);
    this.slowRsi = new RSI(slowRsiLength);
    this.fastFeature = new WMA(this.trendLength);
    this.slowFeature = new WMA(this.trendLength);
    this.signalLine = new WMA(signalLength);
    this.requiredInputs = Math.max(fastRsiLength, slowRsiLength) + this.trendLength;
  }

  /**
   * MLMI columns of `values`, index-aligned (`NaN`/0 during warm-up), computed by the streaming code.
   *
   * @example
   * ```ts
   * const { value, signal } = MLMI.batch(closes, { k: 200 });
   * ```
   */
  static batch(values: ArrayLike<number>, options: MLMIOptions = {}): MLMIColumns {
    const n = values.length;
    const columns = {
      value: new Float64Array(n),
      ma: new Float64Array(n),
      signal: new Int8Array(n),
      zeroCross: new Int8Array(n),
      rsiSlow: new Float64Array(n),
      rsiFast: new Float64Array(n),
      event: new Uint8Array(n),
      memorySize: new Float64Array(n),
    };
    const mlmi = new MLMI(options);
    for (let i = 0; i < n; i++) {
      const out = mlmi.update(values[i] as number);
      columns.value[i] = out.value;
      columns.ma[i] = out.ma;
      columns.signal[i] = out.signal;
      columns.zeroCross[i] = out.zeroCross;
      columns.rsiSlow[i] = out.rsiSlow;
      columns.rsiFast[i] = out.rsiFast;
      columns.event[i] = out.event ? 1 : 0;
      columns.memorySize[i] = out.memorySize;
    }
    return columns;
  }

  /** True once both momentum features are defined. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Points in memory, the sentinel included. */
  get memorySize(): number {
    return this.size;
  }

  /** Adds one value (HA close in the pipeline) and returns the prediction, its signal line and signal. */
  update(value: number): MLMIOutput {
    const fastMa = this.fastMa.update(value);
    const slowMa = this.slowMa.update(value);
    const rsiFast = this.fastFeature.update(this.fastRsi.update(value));
    const rsiSlow = this.slowFeature.update(this.slowRsi.update(value));

    const event =
      crossover(fastMa, slowMa, this.previousFastMa, this.previousSlowMa) ||
      crossunder(fastMa, slowMa, this.previousFastMa, this.previousSlowMa);
    if (event) this.remember(rsiSlow, rsiFast, value);

    const ready = !Number.isNaN(rsiSlow) && !Number.isNaN(rsiFast);
    const prediction = ready ? this.predict(rsiSlow, rsiFast) : 0;
    const signalLine = this.signalLine.update(prediction);
    const previousPrediction = this.previousPrediction;
    const previousSignalLine = this.previousSignalLine;
    const signal = crossover(prediction, signalLine, previousPrediction, previousSignalLine)
      ? 1
      : crossunder(prediction, signalLine, previousPrediction, previousSignalLine)
        ? -1
        : 0;
    const zeroCross = crossover(prediction, 0, previousPrediction, 0)
      ? 1
      : crossunder(prediction, 0, previousPrediction, 0)
        ? -1
        : 0;

    this.previousFastMa = fastMa;
    this.previousSlowMa = slowMa;
    this.previousPrediction = prediction;
    this.previousSignalLine = signalLine;
    this.ready = ready;
    return {
      value: ready ? prediction : Number.NaN,
      ma: ready ? signalLine : Number.NaN,
      signal,
      zeroCross,
      rsiSlow,
      rsiFast,
      event,
      memorySize: this.size,
    };
  }

  /** Forgets every input and empties the memory back to the sentinel. */
  reset(): void {
    this.fastMa.reset();
    this.slowMa.reset();
    this.fastRsi.reset();
    this.slowRsi.reset();
    this.fastFeature.reset();
    this.slowFeature.reset();
    this.signalLine.reset();
    this.previousFastMa = Number.NaN;
    this.previousSlowMa = Number.NaN;
    this.previousPrediction = Number.NaN;
    this.previousSignalLine = Number.NaN;
    this.ready = false;
    this.memorySlow.fill(0);
    this.memoryFast.fill(0);
    this.memoryLabel.fill(0);
    this.size = 1;
    this.lastPrice = 0;
    this.radiusHint = Number.NaN;
  }

  /** A plain copy of the state, the whole memory included. */
  snapshot(): MLMIState {
    return {
      fastMa: this.fastMa.snapshot(),
      slowMa: this.slowMa.snapshot(),
      fastRsi: this.fastRsi.snapshot(),
      slowRsi: this.slowRsi.snapshot(),
      fastFeature: this.fastFeature.snapshot(),
      slowFeature: this.slowFeature.snapshot(),
      signalLine: this.signalLine.snapshot(),
      previousFastMa: this.previousFastMa,
      previousSlowMa: this.previousSlowMa,
      previousPrediction: this.previousPrediction,
      previousSignalLine: this.previousSignalLine,
      ready: this.ready,
      memorySlow: Array.from(this.memorySlow.subarray(0, this.size)),
      memoryFast: Array.from(this.memoryFast.subarray(0, this.size)),
      memoryLabel: Array.from(this.memoryLabel.subarray(0, this.size)),
      lastPrice: this.lastPrice,
    };
  }

  /**
   * Continues from a state taken by `snapshot()` on an MLMI with the same options. On a state that does not
   * fit, throws an `IndicatorStateError` and leaves the indicator as it was.
   */
  restore(state: MLMIState): void {
    const backup = this.snapshot();
    try {
      this.replaceState(state);
    } catch (error) {
      this.replaceState(backup);
      throw error;
    }
  }

  private replaceState(state: MLMIState): void {
    requireStateRecord('MLMI', state);
    const memorySlow = requireNumberArray('MLMI', state, 'memorySlow');
    const memoryFast = requireNumberArray('MLMI', state, 'memoryFast', memorySlow.length);
    const memoryLabel = requireNumberArray('MLMI', state, 'memoryLabel', memorySlow.length);
    if (memorySlow.length < 1) throw new IndicatorStateError('MLMI', 'a memory holding the sentinel', 'none');
    const numbers = [
      'previousFastMa',
      'previousSlowMa',
      'previousPrediction',
      'previousSignalLine',
      'lastPrice',
    ];
    for (const field of numbers) requireNumberField('MLMI', state, field);
    const ready = requireBooleanField('MLMI', state, 'ready');
    // Restore every sub-average first (each validates its own state), then the scalars and the memory.
    this.fastMa.restore(state.fastMa);
    this.slowMa.restore(state.slowMa);
    this.fastRsi.restore(state.fastRsi);
    this.slowRsi.restore(state.slowRsi);
    this.fastFeature.restore(state.fastFeature);
    this.slowFeature.restore(state.slowFeature);
    this.signalLine.restore(state.signalLine);
    this.previousFastMa = state.previousFastMa;
    this.previousSlowMa = state.previousSlowMa;
    this.previousPrediction = state.previousPrediction;
    this.previousSignalLine = state.previousSignalLine;
    this.ready = ready;
    this.size = 0;
    this.memorySlow.fill(0);
    this.memoryFast.fill(0);
    this.memoryLabel.fill(0);
    for (let j = 0; j < memorySlow.length; j++) {
      this.append(memorySlow[j] as number, memoryFast[j] as number, memoryLabel[j] as number);
    }
    this.lastPrice = state.lastPrice;
  }

  private remember(rsiSlow: number, rsiFast: number, price: number): void {
    this.append(rsiSlow, rsiFast, price >= this.lastPrice ? 1 : -1);
    this.lastPrice = price;
  }

  private append(rsiSlow: number, rsiFast: number, label: number): void {
    if (this.size === this.memorySlow.length) {
      this.memorySlow = grow(this.memorySlow);
      this.memoryFast = grow(this.memoryFast);
      this.memoryLabel = grow(this.memoryLabel);
    }
    this.memorySlow[this.size] = rsiSlow;
    this.memoryFast[this.size] = rsiFast;
    this.memoryLabel[this.size] = label;
    this.size++;
  }

  // The all-ties k-NN vote of spec §4.4. Selection runs on squared distances (sqrt is monotone, so the m-th
  // smallest distance is the root of the m-th smallest square); sqrt is only taken where rounding could make
  // a slightly larger square tie with the radius. The previous bar's radius (features move slowly) bounds a
  // small candidate set first, so the selection usually touches ~2k points instead of the whole memory;
  // the result is the same as a full sort, only cheaper.
  private predict(rsiSlow: number, rsiFast: number): number {
    const size = this.size;
    if (this.squares.length < size) {
      const capacity = this.memorySlow.length;
      this.squares = new Float64Array(capacity);
      this.labels = new Float64Array(capacity);
      this.candidates = new Float64Array(capacity);
      this.candidateLabels = new Float64Array(capacity);
      this.selection = new Float64Array(capacity);
    }
    const squares = this.squares;
    const labels = this.labels;
    const memorySlow = this.memorySlow;
    const memoryFast = this.memoryFast;
    const memoryLabel = this.memoryLabel;
    const candidates = this.candidates;
    const candidateLabels = this.candidateLabels;
    // NaN (no hint yet) compares false everywhere: no candidates, the full pool is used.
    const threshold = this.radiusHint * 2;
    let count = 0;
    let c = 0;
    for (let j = 0; j < size; j++) {
      const a = memorySlow[j] as number;
      const b = memoryFast[j] as number;
      // Points stored while a feature was ⊥ neither take nor give a neighbour slot (spec §4.4 DECISION).
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      const dx = rsiSlow - a;
      const dy = rsiFast - b;
      const square = dx * dx + dy * dy;
      const label = memoryLabel[j] as number;
      squares[count] = square;
      labels[count] = label;
      count++;
      if (square <= threshold) {
        candidates[c] = square;
        candidateLabels[c] = label;
        c++;
      }
    }
    const k = this.k;
    let sum = 0;
    if (count <= k) {
      // Every defined point is among the k nearest.
      for (let i = 0; i < count; i++) sum += labels[i] as number;
      this.radiusHint = Number.NaN;
      return sum;
    }

    let pool = squares;
    let poolLabels = labels;
    let poolSize = count;
    if (c >= k) {
      pool = candidates;
      poolLabels = candidateLabels;
      poolSize = c;
    }
    this.selection.set(pool.subarray(0, poolSize));
    const radiusSquare = kthSmallest(this.selection, poolSize, k);
    const radius = Math.sqrt(radiusSquare);
    // Squares up to this bound may still have a root equal to the radius after rounding.
    const tieBound = radiusSquare * (1 + 2 ** -48);
    if (pool !== squares && !(tieBound <= threshold)) {
      pool = squares;
      poolLabels = labels;
      poolSize = count;
    }
    for (let i = 0; i < poolSize; i++) {
      const square = pool[i] as number;
      if (square <= radiusSquare || (square <= tieBound && Math.sqrt(square) <= radius)) {
        sum += poolLabels[i] as number;
      }
    }
    this.radiusHint = radiusSquare;
    return sum;
  }
}

function grow(column: Float64Array): Float64Array<ArrayBuffer> {
  const larger = new Float64Array(column.length * 2);
  larger.set(column);
  return larger;
}
