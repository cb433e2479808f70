/**
 * FVG — Fair Value Gaps on the standard 5-minute stream (spec §6): detection (`body` or `prd` mode), the gap
 * lifecycle (penetration, mitigation by the close, expiry) and the 13 features of §6.5. The batch function
 * `fvgBatch` drives the same class, so streaming and batch agree bit for bit.
 */
import type { Indicator } from './indicator.js';
import { requireCountField, requireNumberArray, requireStateRecord } from './indicator-state.js';
import { IndicatorParameterError, IndicatorStateError } from './indicators-error.js';
import { requireFiniteAbove, requireFiniteAtLeast, requireInteger } from './parameter-validation.js';

/**
 * The candle fields FVG reads: a standard (never Heiken Ashi) OHLCV bar.
 *
 * @example
 * ```ts
 * const candle: FvgBar = { open: 100, high: 101, low: 99.5, close: 100.75, volume: 1200 };
 * ```
 */
export interface FvgBar {
  /** Open price. */
  readonly open: number;
  /** High price. */
  readonly high: number;
  /** Low price. */
  readonly low: number;
  /** Close price. */
  readonly close: number;
  /** Traded volume. */
  readonly volume: number;
}

/**
 * Weights of the mitigation strength score of spec §6.4 (they sum to 1 by default).
 *
 * @example
 * ```ts
 * const weights: FvgMitigationWeights = { penetration: 0.4, speed: 0.3, volume: 0.2, age: 0.1 };
 * ```
 */
export interface FvgMitigationWeights {
  /** Weight of `min(maxPen, 1)`; default 0.4. */
  readonly penetration: number;
  /** Weight of `max(0, 1 − s/speedHorizon)`; default 0.3. */
  readonly speed: number;
  /** Weight of `min(volRatio/2, 1)`; default 0.2. */
  readonly volume: number;
  /** Weight of `max(0, 1 − s/ageHorizon)`; default 0.1. */
  readonly age: number;
}

/**
 * FVG parameters; every field is optional and defaults to spec §6.1 / Appendix A.
 *
 * @example
 * ```ts
 * const fvg = new FVG({ detectionMode: 'prd', threshold: 0.002 });
 * ```
 */
export interface FvgOptions {
  /** `'body'` (canonical, §6.2) or `'prd'` (the PRD's rule, §6.3); default `'body'`. */
  readonly detectionMode?: 'body' | 'prd';
  /** Bodies averaged before the middle candle (§6.2); default 10. */
  readonly lookback?: number;
  /** The middle body must exceed `bodyMult` × the average body; default 1.5. */
  readonly bodyMult?: number;
  /** Floor of the average body, in price units; default 0.001. */
  readonly minAvgBody?: number;
  /** Gaps older than this many bars expire; default 50. */
  readonly maxAge?: number;
  /** A mitigation raises `fvg_mitigation_signal` on its bar and this many bars after; default 5. */
  readonly signalWindow?: number;
  /** Volumes in the volume-ratio mean (current bar included); default 20. */
  readonly volLookback?: number;
  /** How many of the most recently created gaps are remembered for the mitigation signal; default 100. */
  readonly recentCap?: number;
  /** Minimum gap as a fraction of the middle close, `'prd'` mode only; default 0.001 (0.1 %). */
  readonly threshold?: number;
  /** Mitigation strength weights; default 0.4 / 0.3 / 0.2 / 0.1. */
  readonly weights?: Partial<FvgMitigationWeights>;
  /** Bars over which the speed component decays to 0; default 20. */
  readonly speedHorizon?: number;
  /** Bars over which the age component decays to 0; default 50. */
  readonly ageHorizon?: number;
}

/**
 * The 13 FVG features of spec §6.5, named as in the Feature Store.
 *
 * Interpretation: an active bullish gap below price is potential support; `fvg_mitigation_signal` says
 * price recently closed through a gap, and its strength grades how decisively.
 *
 * @example
 * ```ts
 * const features: FvgFeatures = new FVG().update({ open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 });
 * features.fvg_bullish_active; // false: detection needs three candles
 * ```
 */
export interface FvgFeatures {
  /** Some bullish gap is active. */
  readonly fvg_bullish_active: boolean;
  /** Some bearish gap is active. */
  readonly fvg_bearish_active: boolean;
  /** The nearest active gap's `upper` (bullish) or `lower` (bearish) edge; 0 without active gaps. */
  readonly fvg_nearest_level: number;
  /** Bars since the nearest active gap was created; 0 without active gaps. */
  readonly fvg_age: number;
  /** Size `upper − lower` of the nearest active gap; 0 without active gaps. */
  readonly fvg_gap_size: number;
  /** `100 · size / close` of the nearest active gap; 0 without active gaps or when close ≤ 0. */
  readonly fvg_gap_size_pct: number;
  /** A remembered gap was mitigated within the last `signalWindow` bars (this bar included). */
  readonly fvg_mitigation_signal: boolean;
  /** Highest strength among those recently mitigated gaps, else 0. */
  readonly fvg_mitigation_strength: number;
  /** Deepest penetration (fraction of the gap) among active gaps, else 0. */
  readonly fvg_mitigation_depth: number;
  /** A bullish gap was mitigated on this bar. */
  readonly fvg_bullish_mitigated: boolean;
  /** A bearish gap was mitigated on this bar. */
  readonly fvg_bearish_mitigated: boolean;
  /** Largest size of the bullish gaps mitigated on this bar, else 0. */
  readonly fvg_bullish_mitigated_size: number;
  /** Largest size of the bearish gaps mitigated on this bar, else 0. */
  readonly fvg_bearish_mitigated_size: number;
}

/**
 * One gap as tracked by the lifecycle of spec §6.4 (plain data, part of {@link FvgState}).
 *
 * @example
 * ```ts
 * const gap: FvgGap = {
 *   id: 0, bullish: true, lower: 101, upper: 103, size: 2, created: 3, maxPen: 0, strength: 0, mitigatedAt: -1,
 * };
 * ```
 */
export interface FvgGap {
  /** Creation sequence number (0 for the first gap ever detected). */
  readonly id: number;
  /** True for a bullish gap (price gapped up), false for a bearish one. */
  readonly bullish: boolean;
  /** Lower edge. */
  readonly lower: number;
  /** Upper edge. */
  readonly upper: number;
  /** `upper − lower` (> 0). */
  readonly size: number;
  /** Bar counter `b` at creation (1 for the first bar fed). */
  readonly created: number;
  /** Deepest penetration by a close, as a fraction of the size (can exceed 1 on the mitigation bar). */
  maxPen: number;
  /** Mitigation strength in [0, 1]; 0 until mitigated. */
  strength: number;
  /** Bar counter at mitigation, or −1 while not mitigated. */
  mitigatedAt: number;
}

/**
 * The complete internal state of an {@link FVG}, as plain data (for checkpoints).
 *
 * @example
 * ```ts
 * const state: FvgState = new FVG().snapshot();
 * state.bars; // 0
 * ```
 */
export interface FvgState {
  /** Bars seen (`b`). */
  readonly bars: number;
  /** Gaps created so far (the next gap's id). */
  readonly gapsCreated: number;
  /** The last up-to-`lookback + 2` candles, oldest first: open, high, low, close. */
  readonly candles: readonly (readonly [number, number, number, number])[];
  /** The last up-to-`volLookback` volumes, oldest first. */
  readonly volumes: readonly number[];
  /** Every gap still referenced (active or recent), in creation order. */
  readonly gaps: readonly FvgGap[];
  /** Ids of the active gaps, in creation order. */
  readonly activeIds: readonly number[];
  /** Ids of the remembered recent gaps, in creation order. */
  readonly recentIds: readonly number[];
}

const gapNumberFields = [
  'id',
  'lower',
  'upper',
  'size',
  'created',
  'maxPen',
  'strength',
  'mitigatedAt',
] as const;

const defaultWeights: FvgMitigationWeights = { penetration: 0.4, speed: 0.3, volume: 0.2, age: 0.1 };

/**
 * Fair Value Gap detector and tracker on standard 5-minute candles (spec §6, canonical = the original
 * `FVGDetector` with the fixes of §6.7).
 *
 * Each update detects a new gap among the last three candles, updates every active gap's penetration
 * with the close, mitigates gaps the close has crossed, expires gaps older than `maxAge`, and returns the
 * 13 features of §6.5. Features are defined from the first bar; detection starts with the third, which
 * is when `isReady` becomes true.
 *
 * Interpretation: a bullish gap is a price range the market skipped on the way up (low of candle t above
 * the high of candle t−2, with a large middle body); when a later close comes back through it, the gap is
 * "mitigated", and the strength score grades how deep, fast and heavy-volume that return was.
 *
 * @example
 * ```ts
 * const fvg = new FVG();
 * fvg.update({ open: 100, high: 101, low: 99, close: 100.5, volume: 10 });
 * fvg.update({ open: 100.5, high: 106, low: 100.5, close: 105.5, volume: 30 });
 * const features = fvg.update({ open: 105.5, high: 107, low: 103, close: 106, volume: 20 });
 * features.fvg_bullish_active; // true: low 103 > high 101 two candles back, and a 5-point middle body
 * ```
 * @see spec §6 (original concept: the ICT "fair value gap"; the AlgoSpace `FVGDetector`)
 */
export class FVG implements Indicator<FvgBar, FvgFeatures, FvgState> {
  /** Bars before `isReady`: detection needs three candles (Appendix B: FVG detection from bar 2). */
  readonly requiredInputs = 3;

  /**
   * FVG over a whole series, index-aligned with the input; it drives the streaming class, so each element
   * is exactly what `update` returns for that input.
   *
   * @example
   * ```ts
   * const features = FVG.batch({
   *   open: [100, 100.5, 105.5], high: [101, 106, 107], low: [99, 100.5, 103], close: [100.5, 105.5, 106],
   *   volume: [10, 30, 20],
   * });
   * features[2]?.fvg_bullish_active; // true
   * ```
   */
  static batch(columns: OhlcvColumns, options: FvgOptions = {}): FvgFeatures[] {
    return fvgBatch(columns, options);
  }

  private readonly mode: 'body' | 'prd';
  private readonly lookback: number;
  private readonly bodyMult: number;
  private readonly minAvgBody: number;
  private readonly maxAge: number;
  private readonly signalWindow: number;
  private readonly volLookback: number;
  private readonly recentCap: number;
  private readonly threshold: number;
  private readonly weights: FvgMitigationWeights;
  private readonly speedHorizon: number;
  private readonly ageHorizon: number;
  // Candle ring of lookback + 2 slots: enough for the body average and the three candles of a pattern.
  private readonly candleSlots: number;
  private readonly opens: Float64Array;
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;
  private readonly closes: Float64Array;
  private readonly volumes: Float64Array;
  private bars = 0;
  private gapsCreated = 0;
  private active: FvgGap[] = [];
  private recent: FvgGap[] = [];

  /** @param options - parameters; defaults are spec §6.1 */
  constructor(options: FvgOptions = {}) {
    const mode = options.detectionMode ?? 'body';
    if (mode !== 'body' && mode !== 'prd') {
      throw new IndicatorParameterError('FVG', 'detectionMode', "'body' or 'prd'", mode);
    }
    this.mode = mode;
    this.lookback = requireInteger('FVG', 'lookback', options.lookback ?? 10);
    this.bodyMult = requireFiniteAtLeast('FVG', 'bodyMult', options.bodyMult ?? 1.5, 0);
    this.minAvgBody = requireFiniteAtLeast('FVG', 'minAvgBody', options.minAvgBody ?? 0.001, 0);
    this.maxAge = requireInteger('FVG', 'maxAge', options.maxAge ?? 50);
    this.signalWindow = requireInteger('FVG', 'signalWindow', options.signalWindow ?? 5, 0);
    this.volLookback = requireInteger('FVG', 'volLookback', options.volLookback ?? 20);
    this.recentCap = requireInteger('FVG', 'recentCap', options.recentCap ?? 100);
    this.threshold = requireFiniteAtLeast('FVG', 'threshold', options.threshold ?? 0.001, 0);
    const weights = { ...defaultWeights, ...options.weights };
    this.weights = {
      penetration: requireFiniteAtLeast('FVG', 'weights.penetration', weights.penetration, 0),
      speed: requireFiniteAtLeast('FVG', 'weights.speed', weights.speed, 0),
      volume: requireFiniteAtLeast('FVG', 'weights.volume', weights.volume, 0),
      age: requireFiniteAtLeast('FVG', 'weights.age', weights.age, 0),
    };
    this.speedHorizon = requireFiniteAbove('FVG', 'speedHorizon', options.speedHorizon ?? 20);
    this.ageHorizon = requireFiniteAbove('FVG', 'ageHorizon', options.ageHorizon ?? 50);
    this.candleSlots = this.lookback + 2;
    this.opens = new Float64Array(this.candleSlots);
    this.highs = new Float64Array(this.candleSlots);
    this.lows = new Float64Array(this.candleSlots);
    this.closes = new Float64Array(this.candleSlots);
    this.volumes = new Float64Array(this.volLookback);
  }

  /** True from the third candle on, when a gap can first be detected. */
  get isReady(): boolean {
    return this.bars >= this.requiredInputs;
  }

  /** Processes one standard candle (steps 1–6 of spec §6.4) and returns the §6.5 features. */
  update(bar: FvgBar): FvgFeatures {
    // Step 1: b ← b + 1; store the candle and its volume.
    const b = ++this.bars;
    const t = b - 1;
    const slot = t % this.candleSlots;
    this.opens[slot] = bar.open;
    this.highs[slot] = bar.high;
    this.lows[slot] = bar.low;
    this.closes[slot] = bar.close;
    this.volumes[t % this.volLookback] = bar.volume;

    // Step 2: detection.
    if (t >= 2) this.detect(t, b);

    // Step 3: volume ratio against the mean of the stored volumes (current bar included).
    const stored = Math.min(b, this.volLookback);
    let volumeSum = 0;
    for (let i = 0; i < stored; i++) volumeSum += this.volumes[i] as number;
    const volumeMean = volumeSum / stored;
    const volRatio = stored >= 2 && volumeMean > 0 ? bar.volume / volumeMean : 1;

    // Steps 4–5: penetration and mitigation by the close; mitigated gaps leave the active list.
    const close = bar.close;
    let bullishMitigated = false;
    let bearishMitigated = false;
    let bullishMitigatedSize = 0;
    let bearishMitigatedSize = 0;
    let kept = 0;
    for (let i = 0; i < this.active.length; i++) {
      const gap = this.active[i] as FvgGap;
      let mitigated = false;
      if (gap.bullish) {
        if (close < gap.upper) {
          gap.maxPen = Math.max(gap.maxPen, (gap.upper - close) / gap.size);
          mitigated = close <= gap.lower;
        }
      } else if (close > gap.lower) {
        gap.maxPen = Math.max(gap.maxPen, (close - gap.lower) / gap.size);
        mitigated = close >= gap.upper;
      }
      if (mitigated) {
        gap.mitigatedAt = b;
        gap.strength = this.strength(gap, b, volRatio);
        if (gap.bullish) {
          bullishMitigated = true;
          bullishMitigatedSize = Math.max(bullishMitigatedSize, gap.size);
        } else {
          bearishMitigated = true;
          bearishMitigatedSize = Math.max(bearishMitigatedSize, gap.size);
        }
      } else {
        this.active[kept++] = gap;
      }
    }
    this.active.length = kept;

    // Step 6: expiry (a gap is active up to age maxAge, and can still be mitigated at maxAge + 1 above).
    kept = 0;
    for (let i = 0; i < this.active.length; i++) {
      const gap = this.active[i] as FvgGap;
      if (b - gap.created <= this.maxAge) this.active[kept++] = gap;
    }
    this.active.length = kept;

    return this.features(
      b,
      close,
      bullishMitigated,
      bearishMitigated,
      bullishMitigatedSize,
      bearishMitigatedSize,
    );
  }

  /** Forgets every candle and gap. */
  reset(): void {
    this.bars = 0;
    this.gapsCreated = 0;
    this.active = [];
    this.recent = [];
    this.opens.fill(0);
    this.highs.fill(0);
    this.lows.fill(0);
    this.closes.fill(0);
    this.volumes.fill(0);
  }

  /** A plain-data copy of the state (candles, volumes and every referenced gap). */
  snapshot(): FvgState {
    const candles: [number, number, number, number][] = [];
    const storedCandles = Math.min(this.bars, this.candleSlots);
    for (let t = this.bars - storedCandles; t < this.bars; t++) {
      const slot = t % this.candleSlots;
      candles.push([
        this.opens[slot] as number,
        this.highs[slot] as number,
        this.lows[slot] as number,
        this.closes[slot] as number,
      ]);
    }
    const volumes: number[] = [];
    const storedVolumes = Math.min(this.bars, this.volLookback);
    for (let t = this.bars - storedVolumes; t < this.bars; t++) {
      volumes.push(this.volumes[t % this.volLookback] as number);
    }
    const byId = new Map<number, FvgGap>();
    for (const gap of [...this.recent, ...this.active]) byId.set(gap.id, { ...gap });
    return {
      bars: this.bars,
      gapsCreated: this.gapsCreated,
      candles,
      volumes,
      gaps: [...byId.values()].sort((a, b) => a.id - b.id),
      activeIds: this.active.map((gap) => gap.id),
      recentIds: this.recent.map((gap) => gap.id),
    };
  }

  /** Replaces the state with one taken by {@link FVG.snapshot} from an FVG with the same options. */
  restore(state: FvgState): void {
    requireStateRecord('FVG', state);
    requireCountField('FVG', state, 'bars', 0, Number.MAX_SAFE_INTEGER);
    requireCountField('FVG', state, 'gapsCreated', 0, Number.MAX_SAFE_INTEGER);
    requireNumberArray('FVG', state, 'volumes');
    requireNumberArray('FVG', state, 'activeIds');
    requireNumberArray('FVG', state, 'recentIds');
    const tuples = (value: unknown) =>
      Array.isArray(value) &&
      value.every((c) => Array.isArray(c) && c.length === 4 && c.every((v) => typeof v === 'number'));
    if (!tuples(state.candles) || !Array.isArray(state.gaps)) {
      throw new IndicatorStateError(
        'FVG',
        'candles as [open, high, low, close] tuples and a gaps array',
        'something else',
      );
    }
    if (state.candles.length > this.candleSlots || state.volumes.length > this.volLookback) {
      throw new IndicatorStateError(
        'FVG',
        `at most ${this.candleSlots} candles and ${this.volLookback} volumes`,
        `${state.candles.length} candles and ${state.volumes.length} volumes`,
      );
    }
    const byId = new Map<number, FvgGap>();
    for (const gap of state.gaps) {
      if (
        typeof gap !== 'object' ||
        gap === null ||
        typeof gap.bullish !== 'boolean' ||
        gapNumberFields.some((k) => typeof gap[k] !== 'number')
      ) {
        throw new IndicatorStateError(
          'FVG',
          'gaps with the fields of FvgGap',
          JSON.stringify(gap) ?? 'undefined',
        );
      }
      byId.set(gap.id, { ...gap });
    }
    const lookup = (id: number): FvgGap => {
      const gap = byId.get(id);
      if (gap === undefined)
        throw new IndicatorStateError('FVG', 'gap ids listed in gaps', `unknown gap id ${id}`);
      return gap;
    };
    // Resolved before anything changes, so a state with a bad gap leaves this FVG untouched.
    const active = state.activeIds.map(lookup);
    const recent = state.recentIds.map(lookup);
    this.reset();
    this.bars = state.bars;
    this.gapsCreated = state.gapsCreated;
    const firstCandle = state.bars - state.candles.length;
    state.candles.forEach(([open, high, low, close], i) => {
      const slot = (firstCandle + i) % this.candleSlots;
      this.opens[slot] = open;
      this.highs[slot] = high;
      this.lows[slot] = low;
      this.closes[slot] = close;
    });
    const firstVolume = state.bars - state.volumes.length;
    state.volumes.forEach((volume, i) => {
      this.volumes[(firstVolume + i) % this.volLookback] = volume;
    });
    this.active = active;
    this.recent = recent;
  }

  private detect(t: number, b: number): void {
    const s = this.candleSlots;
    const first = (t - 2) % s;
    const middle = (t - 1) % s;
    const last = t % s;
    const high2 = this.highs[first] as number;
    const low2 = this.lows[first] as number;
    const low0 = this.lows[last] as number;
    const high0 = this.highs[last] as number;
    const middleClose = this.closes[middle] as number;
    let bullish: boolean;
    let bearish: boolean;
    if (this.mode === 'body') {
      // Average body of the up-to-`lookback` candles before the middle one: j = max(0, t−lookback−1) … t−2.
      const from = Math.max(0, t - this.lookback - 1);
      let bodySum = 0;
      for (let j = from; j <= t - 2; j++) {
        bodySum += Math.abs((this.closes[j % s] as number) - (this.opens[j % s] as number));
      }
      const avgBody = Math.max(bodySum / (t - 1 - from), this.minAvgBody);
      const midBody = Math.abs(middleClose - (this.opens[middle] as number));
      const filter = midBody > this.bodyMult * avgBody;
      bullish = filter && low0 > high2;
      bearish = filter && high0 < low2;
    } else {
      bullish = low0 > high2 && middleClose > high2 && middleClose > 0;
      bearish = high0 < low2 && middleClose < low2 && middleClose > 0;
      if (bullish) bullish = (low0 - high2) / middleClose > this.threshold;
      if (bearish) bearish = (low2 - high0) / middleClose > this.threshold;
    }
    if (!bullish && !bearish) return;
    const lower = bullish ? high2 : high0;
    const upper = bullish ? low0 : low2;
    const gap: FvgGap = {
      id: this.gapsCreated++,
      bullish,
      lower,
      upper,
      size: upper - lower,
      created: b,
      maxPen: 0,
      strength: 0,
      mitigatedAt: -1,
    };
    this.active.push(gap);
    this.recent.push(gap);
    if (this.recent.length > this.recentCap) this.recent.shift();
  }

  private strength(gap: FvgGap, b: number, volRatio: number): number {
    const s = b - gap.created;
    const w = this.weights;
    const score =
      w.penetration * Math.min(gap.maxPen, 1) +
      w.speed * Math.max(0, 1 - s / this.speedHorizon) +
      w.volume * Math.min(volRatio / 2, 1) +
      w.age * Math.max(0, 1 - s / this.ageHorizon);
    return Math.min(score, 1);
  }

  private features(
    b: number,
    close: number,
    bullishMitigated: boolean,
    bearishMitigated: boolean,
    bullishMitigatedSize: number,
    bearishMitigatedSize: number,
  ): FvgFeatures {
    let bullishActive = false;
    let bearishActive = false;
    let nearest: FvgGap | undefined;
    let nearestDistance = Number.POSITIVE_INFINITY;
    let depth = 0;
    for (const gap of this.active) {
      if (gap.bullish) bullishActive = true;
      else bearishActive = true;
      // §6.5 quirk, kept: the distance is measured to the far edge, while the level reported is the near one.
      const distance = Math.abs(close - (gap.bullish ? gap.lower : gap.upper));
      if (distance < nearestDistance) {
        nearestDistance = distance;
        nearest = gap;
      }
      if (gap.maxPen > depth) depth = gap.maxPen;
    }
    let signal = false;
    let signalStrength = 0;
    for (const gap of this.recent) {
      if (gap.mitigatedAt >= 0 && b - gap.mitigatedAt <= this.signalWindow) {
        signal = true;
        if (gap.strength > signalStrength) signalStrength = gap.strength;
      }
    }
    return {
      fvg_bullish_active: bullishActive,
      fvg_bearish_active: bearishActive,
      fvg_nearest_level: nearest === undefined ? 0 : nearest.bullish ? nearest.upper : nearest.lower,
      fvg_age: nearest === undefined ? 0 : b - nearest.created,
      fvg_gap_size: nearest === undefined ? 0 : nearest.size,
      fvg_gap_size_pct: nearest === undefined || !(close > 0) ? 0 : (100 * nearest.size) / close,
      fvg_mitigation_signal: signal,
      fvg_mitigation_strength: signalStrength,
      fvg_mitigation_depth: depth,
      fvg_bullish_mitigated: bullishMitigated,
      fvg_bearish_mitigated: bearishMitigated,
      fvg_bullish_mitigated_size: bullishMitigatedSize,
      fvg_bearish_mitigated_size: bearishMitigatedSize,
    };
  }
}

/**
 * Column-wise OHLCV input of the batch functions: five index-aligned arrays of equal length.
 *
 * @example
 * ```ts
 * const columns: OhlcvColumns = { open: [1], high: [2], low: [0.5], close: [1.5], volume: [10] };
 * ```
 */
export interface OhlcvColumns {
  /** Opens. */
  readonly open: ArrayLike<number>;
  /** Highs. */
  readonly high: ArrayLike<number>;
  /** Lows. */
  readonly low: ArrayLike<number>;
  /** Closes. */
  readonly close: ArrayLike<number>;
  /** Volumes. */
  readonly volume: ArrayLike<number>;
}

/** The batch form of {@link FVG}: drives one streaming instance over the whole series. */
function fvgBatch(columns: OhlcvColumns, options: FvgOptions = {}): FvgFeatures[] {
  const fvg = new FVG(options);
  const out: FvgFeatures[] = [];
  const n = columns.close.length;
  for (let t = 0; t < n; t++) {
    out.push(
      fvg.update({
        open: columns.open[t] as number,
        high: columns.high[t] as number,
        low: columns.low[t] as number,
        close: columns.close[t] as number,
        volume: columns.volume[t] as number,
      }),
    );
  }
  return out;
}
