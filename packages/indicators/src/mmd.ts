/**
 * MMD — the 16-value regime feature vector of spec §8 (NEW canonical v1): the depth-3 signature of the
 * (time, cumulative log-return) path over the last 20 returns, two volatilities and their ratio, the
 * Gaussian-kernel MMD between the latest 48 returns and the 48 before them, and a volume ratio.
 *
 * The MMD term is the one O(window²) computation of the indicator set (4,560 pairwise differences, their
 * median and as many kernel evaluations per bar); everything lives in preallocated Float64Arrays, so an
 * update allocates nothing. `mmdBatch` drives the same class, so streaming and batch agree bit for bit.
 */
import type { Indicator } from './indicator.js';
import {
  requireCountField,
  requireNumberArray,
  requireNumberField,
  requireStateRecord,
} from './indicator-state.js';
import { IndicatorParameterError, IndicatorStateError } from './indicators-error.js';
import { PairwiseDistanceMedian } from './pairwise-distance-median.js';
import { requireInteger } from './parameter-validation.js';

/**
 * What MMD reads per 30-minute bar: the Heiken Ashi close (returns, signature) and the standard volume
 * (spec §0.3, §8.1).
 *
 * @example
 * ```ts
 * const input: MmdInput = { close: 18250.5, volume: 4200 };
 * ```
 */
export interface MmdInput {
  /** The close the returns are taken from (HA close in the engine). */
  readonly close: number;
  /** The bar's volume. */
  readonly volume: number;
}

/**
 * MMD parameters; every field is optional and defaults to spec §8.1 / Appendix A.
 *
 * @example
 * ```ts
 * const mmd = new MMD({ mmdHalf: 24, longVolWindow: 48 });
 * ```
 */
export interface MmdOptions {
  /** Returns in the signature path (`W`); default 20. */
  readonly signatureWindow?: number;
  /** Signature truncation degree; only 3 is defined by the spec (11 words); default 3. */
  readonly signatureDegree?: 3;
  /** Returns in `vol_20` (`Ws`); default 20. */
  readonly shortVolWindow?: number;
  /** Returns in `vol_96` (`Wl`); default 96. */
  readonly longVolWindow?: number;
  /** Returns in each MMD half (`Wm`): latest `mmdHalf` vs the `mmdHalf` before; default 48. */
  readonly mmdHalf?: number;
  /** Bars in the volume mean of `volume_ratio_20` (`Wv`); default 20. */
  readonly volumeWindow?: number;
}

/**
 * The complete internal state of an {@link MMD}, as plain data (for checkpoints).
 *
 * @example
 * ```ts
 * const state: MmdState = new MMD().snapshot();
 * state.bars; // 0
 * ```
 */
export interface MmdState {
  /** Bars seen in total. */
  readonly bars: number;
  /** The previous bar's close (`NaN` before the first bar). */
  readonly previousClose: number;
  /** The last up-to-`history` returns, oldest first (`NaN` for a return from a non-positive close). */
  readonly returns: readonly number[];
  /** The last up-to-`volumeWindow` volumes, oldest first. */
  readonly volumes: readonly number[];
  /** Index (in bars) of the last bar whose return was ⊥, or −1. */
  readonly lastInvalidReturn: number;
}

/** Names of the 16 MMD features, in output order (spec §8.2–§8.3). */
export const MMD_FEATURE_NAMES = Object.freeze([
  'P',
  'TP',
  'PT',
  'PP',
  'TTP',
  'TPT',
  'TPP',
  'PTT',
  'PTP',
  'PPT',
  'PPP',
  'vol_20',
  'vol_96',
  'vol_ratio_20_96',
  'mmd_48_vs_prev_48',
  'volume_ratio_20',
] as const);

/**
 * The MMD regime feature vector of spec §8: 16 numbers per 30-minute bar, defined from the 97th bar.
 *
 * Indices 0–10 are the signature words `P, TP, PT, PP, TTP, TPT, TPP, PTT, PTP, PPT, PPP` of the path
 * `(j/W, cumulative log return)` over the last `W = 20` returns, computed with Chen's identity; 11–12 the
 * sample standard deviations of the last 20 and 96 returns; 13 their ratio; 14 the unbiased Gaussian-kernel
 * MMD (median-heuristic bandwidth on the pooled standardised returns) between the latest 48 returns and the
 * 48 before them; 15 the volume over its 20-bar mean.
 *
 * Interpretation: the signature summarises the shape of the recent path (drift, and the order in which moves
 * happened), the volatilities its scale, and the MMD how different the last day of returns is from the day
 * before — a regime-change detector. The vector is meant as model input, not as a signal by itself.
 *
 * `update` returns one Float64Array that the next update overwrites (so updates allocate nothing): copy it
 * to keep it. It holds `NaN`s while the vector is ⊥.
 *
 * @example
 * ```ts
 * const mmd = new MMD();
 * let vector = mmd.update({ close: 100, volume: 10 });
 * for (let t = 1; t <= 96; t++) vector = mmd.update({ close: 100 + Math.sin(t), volume: 10 });
 * mmd.isReady; // true: 97 closes give 96 returns
 * const kept = Array.from(vector);
 * ```
 * @see spec §8 (defined for this port; MMD after Gretton et al., "A Kernel Two-Sample Test", JMLR 2012;
 *   path signatures after Lyons, "Rough paths, signatures and the modelling of functions on streams", 2014)
 */
export class MMD implements Indicator<MmdInput, Float64Array, MmdState> {
  /** Bars before the vector is defined: `history + 1` closes (97 by default, Appendix B: from bar 96). */
  readonly requiredInputs: number;

  /**
   * MMD over a whole series, index-aligned with the input; it drives the streaming class, so each element
   * is exactly what `update` returns for that input.
   *
   * @example
   * ```ts
   * const closes = Array.from({ length: 200 }, (_, t) => 100 + Math.sin(t / 3));
   * const columns = MMD.batch(closes, new Array<number>(200).fill(1));
   * columns[14]?.[150]; // mmd_48_vs_prev_48 at bar 150
   * ```
   */
  static batch(
    closes: ArrayLike<number>,
    volumes: ArrayLike<number>,
    options: MmdOptions = {},
  ): Float64Array[] {
    return mmdBatch(closes, volumes, options);
  }

  private readonly signatureWindow: number;
  private readonly shortVolWindow: number;
  private readonly longVolWindow: number;
  private readonly mmdHalf: number;
  private readonly volumeWindow: number;
  /** Returns kept: the longest window any feature reads. */
  private readonly history: number;
  private readonly returns: Float64Array;
  private readonly volumes: Float64Array;
  private readonly pooled: Float64Array;
  private readonly bandwidth: PairwiseDistanceMedian;
  private readonly output = new Float64Array(16);
  private bars = 0;
  private previousClose = Number.NaN;
  private lastInvalidReturn = -1;

  /** @param options - parameters; defaults are spec §8.1 */
  constructor(options: MmdOptions = {}) {
    if (options.signatureDegree !== undefined && options.signatureDegree !== 3) {
      throw new IndicatorParameterError('MMD', 'signatureDegree', '3', options.signatureDegree);
    }
    this.signatureWindow = requireInteger('MMD', 'signatureWindow', options.signatureWindow ?? 20);
    this.shortVolWindow = requireInteger('MMD', 'shortVolWindow', options.shortVolWindow ?? 20, 2);
    this.longVolWindow = requireInteger('MMD', 'longVolWindow', options.longVolWindow ?? 96, 2);
    this.mmdHalf = requireInteger('MMD', 'mmdHalf', options.mmdHalf ?? 48, 2);
    this.volumeWindow = requireInteger('MMD', 'volumeWindow', options.volumeWindow ?? 20);
    this.history = Math.max(this.signatureWindow, this.shortVolWindow, this.longVolWindow, 2 * this.mmdHalf);
    this.requiredInputs = Math.max(this.history + 1, this.volumeWindow);
    this.returns = new Float64Array(this.history);
    this.volumes = new Float64Array(this.volumeWindow);
    const m = 2 * this.mmdHalf;
    this.pooled = new Float64Array(m);
    this.bandwidth = new PairwiseDistanceMedian(m);
    this.output.fill(Number.NaN);
  }

  /** True once the vector is defined: enough bars, and no ⊥ return inside the windows. */
  get isReady(): boolean {
    return this.bars >= this.requiredInputs && this.bars - 1 - this.lastInvalidReturn >= this.history;
  }

  /**
   * Adds one bar and returns the 16-value vector (`NaN`s while ⊥). The array is reused by the next update.
   */
  update(input: MmdInput): Float64Array {
    const t = this.bars++;
    if (t > 0) {
      const previous = this.previousClose;
      const close = input.close;
      // ⊥ for a non-positive (or NaN) close on either side; the comparisons are false for NaN.
      const value = previous > 0 && close > 0 ? Math.log(close / previous) : Number.NaN;
      if (Number.isNaN(value)) this.lastInvalidReturn = t;
      this.returns[(t - 1) % this.history] = value;
    }
    this.previousClose = input.close;
    this.volumes[t % this.volumeWindow] = input.volume;
    if (this.isReady) this.compute();
    else this.output.fill(Number.NaN);
    return this.output;
  }

  /** Forgets every bar. */
  reset(): void {
    this.bars = 0;
    this.previousClose = Number.NaN;
    this.lastInvalidReturn = -1;
    this.returns.fill(0);
    this.volumes.fill(0);
    this.output.fill(Number.NaN);
  }

  /** A plain-data copy of the state. */
  snapshot(): MmdState {
    const returnCount = Math.max(0, this.bars - 1);
    const keptReturns = Math.min(returnCount, this.history);
    const returns: number[] = [];
    for (let i = returnCount - keptReturns; i < returnCount; i++)
      returns.push(this.returns[i % this.history] as number);
    const keptVolumes = Math.min(this.bars, this.volumeWindow);
    const volumes: number[] = [];
    for (let t = this.bars - keptVolumes; t < this.bars; t++)
      volumes.push(this.volumes[t % this.volumeWindow] as number);
    return {
      bars: this.bars,
      previousClose: this.previousClose,
      returns,
      volumes,
      lastInvalidReturn: this.lastInvalidReturn,
    };
  }

  /** Replaces the state with one taken by {@link MMD.snapshot} from an MMD with the same options. */
  restore(state: MmdState): void {
    requireStateRecord('MMD', state);
    const bars = requireCountField('MMD', state, 'bars', 0, Number.MAX_SAFE_INTEGER);
    requireNumberField('MMD', state, 'previousClose');
    requireCountField('MMD', state, 'lastInvalidReturn', -1, Math.max(bars - 1, -1));
    requireNumberArray('MMD', state, 'returns');
    requireNumberArray('MMD', state, 'volumes');
    const returnCount = Math.max(0, bars - 1);
    if (
      state.returns.length !== Math.min(returnCount, this.history) ||
      state.volumes.length !== Math.min(state.bars, this.volumeWindow)
    ) {
      throw new IndicatorStateError(
        'MMD',
        `min(bars − 1, ${this.history}) returns and min(bars, ${this.volumeWindow}) volumes`,
        `${state.returns.length} returns and ${state.volumes.length} volumes for ${state.bars} bars`,
      );
    }
    this.reset();
    this.bars = state.bars;
    this.previousClose = state.previousClose;
    this.lastInvalidReturn = state.lastInvalidReturn;
    const firstReturn = returnCount - state.returns.length;
    state.returns.forEach((value, i) => {
      this.returns[(firstReturn + i) % this.history] = value;
    });
    const firstVolume = state.bars - state.volumes.length;
    state.volumes.forEach((value, i) => {
      this.volumes[(firstVolume + i) % this.volumeWindow] = value;
    });
    if (this.isReady) this.compute();
  }

  /** The return `back` returns before the newest (0 = newest). */
  private returnAt(back: number): number {
    return this.returns[(this.bars - 2 - back) % this.history] as number;
  }

  private compute(): void {
    const out = this.output;
    this.signature(out);
    const vol20 = this.sampleStd(this.shortVolWindow);
    const vol96 = this.sampleStd(this.longVolWindow);
    out[11] = vol20;
    out[12] = vol96;
    out[13] = vol96 === 0 ? 1 : vol20 / vol96;
    out[14] = this.mmd();
    let volumeSum = 0;
    for (let i = 0; i < this.volumeWindow; i++) volumeSum += this.volumes[i] as number;
    const volumeMean = volumeSum / this.volumeWindow;
    const volume = this.volumes[(this.bars - 1) % this.volumeWindow] as number;
    out[15] = volumeMean === 0 ? 1 : volume / volumeMean;
  }

  /** §8.2: Chen's identity over the increments (1/W, r), oldest first; the right-hand sides use old values. */
  private signature(out: Float64Array): void {
    const w = this.signatureWindow;
    const dt = 1 / w;
    let t = 0; // S¹[T]
    let p = 0; // S¹[P]
    let tt = 0;
    let tp = 0;
    let pt = 0;
    let pp = 0;
    let ttp = 0;
    let tpt = 0;
    let tpp = 0;
    let ptt = 0;
    let ptp = 0;
    let ppt = 0;
    let ppp = 0;
    for (let back = w - 1; back >= 0; back--) {
      const dp = this.returnAt(back);
      // Degree 3 first (it reads the old degree-1 and degree-2 terms), then degree 2, then degree 1.
      ttp += tt * dp + (t * dt * dp) / 2 + (dt * dt * dp) / 6;
      tpt += tp * dt + (t * dp * dt) / 2 + (dt * dp * dt) / 6;
      tpp += tp * dp + (t * dp * dp) / 2 + (dt * dp * dp) / 6;
      ptt += pt * dt + (p * dt * dt) / 2 + (dp * dt * dt) / 6;
      ptp += pt * dp + (p * dt * dp) / 2 + (dp * dt * dp) / 6;
      ppt += pp * dt + (p * dp * dt) / 2 + (dp * dp * dt) / 6;
      ppp += pp * dp + (p * dp * dp) / 2 + (dp * dp * dp) / 6;
      tt += t * dt + (dt * dt) / 2;
      tp += t * dp + (dt * dp) / 2;
      pt += p * dt + (dp * dt) / 2;
      pp += p * dp + (dp * dp) / 2;
      t += dt;
      p += dp;
    }
    out[0] = p;
    out[1] = tp;
    out[2] = pt;
    out[3] = pp;
    out[4] = ttp;
    out[5] = tpt;
    out[6] = tpp;
    out[7] = ptt;
    out[8] = ptp;
    out[9] = ppt;
    out[10] = ppp;
  }

  /** Sample standard deviation (divide by n − 1) of the last `n` returns, two-pass. */
  private sampleStd(n: number): number {
    let sum = 0;
    for (let back = 0; back < n; back++) sum += this.returnAt(back);
    const mean = sum / n;
    let squares = 0;
    for (let back = 0; back < n; back++) {
      const d = this.returnAt(back) - mean;
      squares += d * d;
    }
    return Math.sqrt(squares / (n - 1));
  }

  /** §8.3 index 14: unbiased Gaussian-kernel MMD of the latest `mmdHalf` returns vs the `mmdHalf` before. */
  private mmd(): number {
    const h = this.mmdHalf;
    const m = 2 * h;
    const z = this.pooled;
    // z[0 … h−1] = B (older half), z[h … m−1] = A (latest half), oldest first.
    let sum = 0;
    for (let i = 0; i < m; i++) {
      const value = this.returnAt(m - 1 - i);
      z[i] = value;
      sum += value;
    }
    const mean = sum / m;
    let squares = 0;
    for (let i = 0; i < m; i++) {
      const d = (z[i] as number) - mean;
      squares += d * d;
    }
    const std = Math.sqrt(squares / m);
    if (std === 0) return 0;
    for (let i = 0; i < m; i++) z[i] = ((z[i] as number) - mean) / std;

    this.bandwidth.compute(z, m);
    const gamma = (this.bandwidth.picked[2] as number) || 1;
    const scale = -1 / (2 * gamma * gamma);
    const sumBB = kernelSumWithin(z, 0, h, scale);
    const sumAA = kernelSumWithin(z, h, m, scale);
    let sumAB = 0;
    for (let i = h; i < m; i++) {
      const a = z[i] as number;
      for (let j = 0; j < h; j++) {
        const d = a - (z[j] as number);
        sumAB += Math.exp(d * d * scale);
      }
    }
    // Σ_{i≠j} counts each unordered pair twice.
    const within = h * (h - 1);
    const mmd2 = (2 * sumAA) / within + (2 * sumBB) / within - (2 * sumAB) / (h * h);
    return Math.sqrt(Math.max(mmd2, 0));
  }
}

/** Σ_{from ≤ i < j < to} exp(scale · (z_i − z_j)²). */
function kernelSumWithin(z: Float64Array, from: number, to: number, scale: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) {
    const a = z[i] as number;
    for (let j = i + 1; j < to; j++) {
      const d = a - (z[j] as number);
      sum += Math.exp(d * d * scale);
    }
  }
  return sum;
}

/** The batch form of {@link MMD}: drives one streaming instance over the whole series. */
function mmdBatch(
  closes: ArrayLike<number>,
  volumes: ArrayLike<number>,
  options: MmdOptions = {},
): Float64Array[] {
  const mmd = new MMD(options);
  const n = closes.length;
  const columns = Array.from({ length: 16 }, () => new Float64Array(n));
  for (let t = 0; t < n; t++) {
    const vector = mmd.update({ close: closes[t] as number, volume: volumes[t] as number });
    for (let f = 0; f < 16; f++) (columns[f] as Float64Array)[t] = vector[f] as number;
  }
  return columns;
}
