/**
 * LVN — Low Volume Nodes on 30-minute bars (spec §7): a rolling volume profile on a price grid, its point
 * of control, the low-volume level nearest the close and that level's 0–100 strength score. `lvnBatch`
 * drives the same class, so streaming and batch agree bit for bit.
 */
import type { Indicator } from './indicator.js';
import { requireCountField, requireStateRecord } from './indicator-state.js';
import { IndicatorParameterError, IndicatorStateError } from './indicators-error.js';
import { requireFiniteAbove, requireFiniteAtLeast, requireInteger } from './parameter-validation.js';

/**
 * The bar fields LVN reads (standard bars by default, spec §7.1).
 *
 * @example
 * ```ts
 * const bar: LvnBar = { high: 101, low: 99.5, close: 100.25, volume: 1200 };
 * ```
 */
export interface LvnBar {
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
 * LVN parameters; every field is optional and defaults to spec §7.1 / Appendix A.
 *
 * @example
 * ```ts
 * const lvn = new LVN({ binSize: 0.01 }); // CL: one-cent grid
 * ```
 */
export interface LvnOptions {
  /** Price grid step (the instrument tick; NQ/ES 0.25); default 0.25. */
  readonly binSize?: number;
  /** Bars in the volume profile (current bar included); default 20. */
  readonly profileBars?: number;
  /** Bars kept for the interaction and recency components; default 100. */
  readonly historyBars?: number;
  /** A level is an LVN when its volume is below `POC × (1 − strengthThreshold)`; default 0.7. */
  readonly strengthThreshold?: number;
  /** Bars scanned for tests and rejections of the level; default 50 (also the history needed). */
  readonly interactionLookback?: number;
  /** Half-range multiplier `δ = testFraction · (H − L)` of the touch tests; default 0.5. */
  readonly testFraction?: number;
}

/**
 * LVN output for one bar; all three fields are `NaN` (⊥) while the profile is warming up, when the
 * profile has no volume, or when no level qualifies as an LVN (spec §7.5).
 *
 * Interpretation: low-volume levels are prices the market moved through quickly; price tends to move fast
 * through them again or reject them. The strength grades how thin the level is, how often it was tested and
 * rejected, how recently, and how close it is now.
 *
 * @example
 * ```ts
 * const value: LvnValue = new LVN().update({ high: 101, low: 100, close: 100.5, volume: 10 });
 * Number.isNaN(value.price); // true: needs 20 bars
 * ```
 */
export interface LvnValue {
  /** The LVN level nearest the close (`lvn_nearest_price`). */
  readonly price: number;
  /** Its strength score in [0, 100] (`lvn_nearest_strength`). */
  readonly strength: number;
  /** `|close − price|` (`lvn_distance_points`). */
  readonly distance: number;
}

/**
 * The complete internal state of an {@link LVN}, as plain data (for checkpoints).
 *
 * @example
 * ```ts
 * const state: LvnState = new LVN().snapshot();
 * state.bars.length; // 0
 * ```
 */
export interface LvnState {
  /** Bars seen in total. */
  readonly count: number;
  /** The last up-to-`historyBars` bars, oldest first, as `[high, low, close, volume]`. */
  readonly bars: readonly (readonly [number, number, number, number])[];
}

const notReady: LvnValue = Object.freeze({ price: Number.NaN, strength: Number.NaN, distance: Number.NaN });

/**
 * Low Volume Node finder with the strength score of spec §7 (the original `LVNAnalyzer` with its
 * NaN-initialised profile fixed, plus the decisions of §7.1–§7.4).
 *
 * Each update spreads every bar of the last `profileBars` uniformly over the grid levels its range covers
 * (`binSize` apart, anchored at the window low, off-grid prices snapped with halves going up), finds the
 * point of control (POC), takes as LVNs the levels below `(1 − strengthThreshold)` of the POC volume,
 * picks the one nearest the close (ties → lower price) and scores it 0–100: volume 40, interaction 30,
 * recency 20, distance 10.
 *
 * @example
 * ```ts
 * const lvn = new LVN({ profileBars: 2, interactionLookback: 2 });
 * lvn.update({ high: 101, low: 100, close: 100.5, volume: 10 }); // 2 per level on 100 … 101
 * const value = lvn.update({ high: 101, low: 100.5, close: 100.75, volume: 90 }); // 30 on 100.5 … 101
 * value.price; // 100.25: of the two levels below 30 % of the POC (100 and 100.25), the nearer one
 * ```
 * @see spec §7 (original: AlgoSpace `LVNAnalyzer`; the market-profile idea is J. Peter Steidlmayer's)
 */
export class LVN implements Indicator<LvnBar, LvnValue, LvnState> {
  /** Bars before the profile exists (Appendix B: LVN outputs from bar 19, i.e. 20 bars). */
  readonly requiredInputs: number;

  /**
   * LVN over a whole series, index-aligned with the input; it drives the streaming class, so each element
   * is exactly what `update` returns for that input.
   *
   * @example
   * ```ts
   * const { price } = LVN.batch(
   *   { high: [101, 101], low: [100, 100.5], close: [100.5, 100.75], volume: [10, 90] },
   *   { profileBars: 2, interactionLookback: 2 },
   * );
   * price[1]; // 100.25
   * ```
   */
  static batch(columns: HlcvColumns, options: LvnOptions = {}): LvnColumns {
    return lvnBatch(columns, options);
  }

  private readonly binSize: number;
  private readonly profileBars: number;
  private readonly historyBars: number;
  private readonly strengthThreshold: number;
  private readonly interactionLookback: number;
  private readonly testFraction: number;
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;
  private readonly closes: Float64Array;
  private readonly volumes: Float64Array;
  // Grown on demand (rarely: only when a window's range exceeds every earlier one), so updates normally
  // allocate nothing but their result.
  private profile = new Float64Array(256);
  private count = 0;

  /** @param options - parameters; defaults are spec §7.1 */
  constructor(options: LvnOptions = {}) {
    this.binSize = requireFiniteAbove('LVN', 'binSize', options.binSize ?? 0.25);
    this.profileBars = requireInteger('LVN', 'profileBars', options.profileBars ?? 20);
    this.interactionLookback = requireInteger(
      'LVN',
      'interactionLookback',
      options.interactionLookback ?? 50,
    );
    this.historyBars = requireInteger(
      'LVN',
      'historyBars',
      options.historyBars ?? 100,
      Math.max(this.profileBars, this.interactionLookback),
    );
    this.strengthThreshold = requireUnitInterval('strengthThreshold', options.strengthThreshold ?? 0.7);
    this.testFraction = requireFiniteAtLeast('LVN', 'testFraction', options.testFraction ?? 0.5, 0);
    this.requiredInputs = this.profileBars;
    this.highs = new Float64Array(this.historyBars);
    this.lows = new Float64Array(this.historyBars);
    this.closes = new Float64Array(this.historyBars);
    this.volumes = new Float64Array(this.historyBars);
  }

  /** True once `profileBars` bars have been seen (the value can still be ⊥ for a volume-less profile). */
  get isReady(): boolean {
    return this.count >= this.profileBars;
  }

  /** Adds one bar and returns the nearest LVN, its strength and distance, or `NaN`s when undefined. */
  update(bar: LvnBar): LvnValue {
    const slot = this.count % this.historyBars;
    this.highs[slot] = bar.high;
    this.lows[slot] = bar.low;
    this.closes[slot] = bar.close;
    this.volumes[slot] = bar.volume;
    this.count++;
    if (this.count < this.profileBars) return notReady;
    return this.evaluate(bar.high, bar.low, bar.close);
  }

  /** Forgets every bar. */
  reset(): void {
    this.count = 0;
    this.highs.fill(0);
    this.lows.fill(0);
    this.closes.fill(0);
    this.volumes.fill(0);
  }

  /** A plain-data copy of the state (the last `historyBars` bars). */
  snapshot(): LvnState {
    const bars: [number, number, number, number][] = [];
    const n = Math.min(this.count, this.historyBars);
    for (let t = this.count - n; t < this.count; t++) {
      const slot = t % this.historyBars;
      bars.push([
        this.highs[slot] as number,
        this.lows[slot] as number,
        this.closes[slot] as number,
        this.volumes[slot] as number,
      ]);
    }
    return { count: this.count, bars };
  }

  /** Replaces the state with one taken by {@link LVN.snapshot} from an LVN with the same options. */
  restore(state: LvnState): void {
    requireStateRecord('LVN', state);
    requireCountField('LVN', state, 'count', 0, Number.MAX_SAFE_INTEGER);
    if (
      !Array.isArray(state.bars) ||
      !state.bars.every((b) => Array.isArray(b) && b.length === 4 && b.every((v) => typeof v === 'number'))
    ) {
      throw new IndicatorStateError(
        'LVN',
        'bars as [high, low, close, volume] number tuples',
        'something else',
      );
    }
    if (state.bars.length !== Math.min(state.count, this.historyBars)) {
      throw new IndicatorStateError(
        'LVN',
        `min(count, ${this.historyBars}) bars`,
        `${state.bars.length} bars for count ${state.count}`,
      );
    }
    this.reset();
    this.count = state.count;
    const first = state.count - state.bars.length;
    state.bars.forEach(([high, low, close, volume], i) => {
      const slot = (first + i) % this.historyBars;
      this.highs[slot] = high;
      this.lows[slot] = low;
      this.closes[slot] = close;
      this.volumes[slot] = volume;
    });
  }

  /** Index into the ring of the bar `back` bars before the newest (0 = newest). */
  private slot(back: number): number {
    return (this.count - 1 - back) % this.historyBars;
  }

  private evaluate(high: number, low: number, close: number): LvnValue {
    const binSize = this.binSize;
    // §7.2 profile over the last profileBars bars.
    let pmin = Number.POSITIVE_INFINITY;
    let pmax = Number.NEGATIVE_INFINITY;
    for (let back = 0; back < this.profileBars; back++) {
      const s = this.slot(back);
      if ((this.lows[s] as number) < pmin) pmin = this.lows[s] as number;
      if ((this.highs[s] as number) > pmax) pmax = this.highs[s] as number;
    }
    const levels = Math.floor((pmax - pmin) / binSize + 0.5) + 1;
    if (!(levels >= 1)) return notReady;
    if (levels > this.profile.length) {
      this.profile = new Float64Array(Math.max(levels, 2 * this.profile.length));
    }
    const profile = this.profile;
    profile.fill(0, 0, levels);
    for (let back = this.profileBars - 1; back >= 0; back--) {
      const s = this.slot(back);
      const kLo = Math.floor(((this.lows[s] as number) - pmin) / binSize + 0.5);
      const kHi = Math.min(Math.floor(((this.highs[s] as number) - pmin) / binSize + 0.5), levels - 1);
      const share = (this.volumes[s] as number) / (kHi - kLo + 1);
      for (let k = kLo; k <= kHi; k++) profile[k] = (profile[k] as number) + share;
    }
    let pocVolume = 0;
    for (let k = 0; k < levels; k++) if ((profile[k] as number) > pocVolume) pocVolume = profile[k] as number;
    if (!(pocVolume > 0)) return notReady;

    // §7.3 nearest LVN (ties → the lower price: scan upwards, replace only on a strictly smaller distance).
    const cutoff = pocVolume * (1 - this.strengthThreshold);
    let nearest = -1;
    let nearestDistance = Number.POSITIVE_INFINITY;
    for (let k = 0; k < levels; k++) {
      if ((profile[k] as number) < cutoff) {
        const distance = Math.abs(pmin + k * binSize - close);
        if (distance < nearestDistance) {
          nearestDistance = distance;
          nearest = k;
        }
      }
    }
    if (nearest < 0) return notReady;
    const level = pmin + nearest * binSize;

    const strength =
      40 * (1 - (profile[nearest] as number) / pocVolume) +
      this.interactionScore(level) +
      this.recencyScore(level, high, low) +
      distanceScore(level, high, low, close);
    return {
      price: level,
      strength: Math.min(Math.max(strength, 0), 100),
      distance: Math.abs(close - level),
    };
  }

  /** §7.4 part 2: tests and rejections of `level` over the last `interactionLookback` bar pairs. */
  private interactionScore(level: number): number {
    const n = Math.min(this.count, this.historyBars);
    if (n < this.interactionLookback) return 0;
    let tests = 0;
    let rejections = 0;
    let rejectionSum = 0;
    // Hbuf index i (0 = oldest kept) is `n − 1 − i` bars back from the newest.
    for (let i = Math.max(1, n - this.interactionLookback); i <= n - 1; i++) {
      const s = this.slot(n - 1 - i);
      const previousClose = this.closes[this.slot(n - i)] as number;
      const h = this.highs[s] as number;
      const l = this.lows[s] as number;
      const c = this.closes[s] as number;
      const delta = this.testFraction * (h - l);
      if (previousClose < level && h >= level - delta) {
        tests++;
        if (c < level) {
          rejections++;
          rejectionSum += (h - c) / (h - l + 0.0001);
        }
      } else if (previousClose > level && l <= level + delta) {
        tests++;
        if (c > level) {
          rejections++;
          rejectionSum += (c - l) / (h - l + 0.0001);
        }
      }
    }
    return Math.min(3 * tests, 15) + (rejections > 0 ? (15 * rejectionSum) / rejections : 0);
  }

  /** §7.4 part 3: how recently a bar's range (widened by the current bar's δ) touched `level`. */
  private recencyScore(level: number, high: number, low: number): number {
    const n = Math.min(this.count, this.historyBars);
    const delta = this.testFraction * (high - low);
    for (let back = 0; back < n; back++) {
      const s = this.slot(back);
      if ((this.lows[s] as number) <= level + delta && (this.highs[s] as number) >= level - delta) {
        // back = n − 1 − i in the spec's indexing.
        return 20 * (1 - back / n);
      }
    }
    return 0;
  }
}

/** §7.4 part 4, with the flat-bar DECISION: 10 when the close sits on the level, else 0. */
function distanceScore(level: number, high: number, low: number, close: number): number {
  const range = high - low;
  if (range > 0) return 10 * (1 - Math.min(Math.abs(close - level) / range, 1));
  return close === level ? 10 : 0;
}

function requireUnitInterval(parameter: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new IndicatorParameterError('LVN', parameter, 'a number in [0, 1)', value);
  }
  return value;
}

/**
 * Column-wise input of {@link LVN.batch}: four index-aligned arrays of equal length.
 *
 * @example
 * ```ts
 * const columns: HlcvColumns = { high: [101], low: [100], close: [100.5], volume: [10] };
 * ```
 */
export interface HlcvColumns {
  /** Highs. */
  readonly high: ArrayLike<number>;
  /** Lows. */
  readonly low: ArrayLike<number>;
  /** Closes. */
  readonly close: ArrayLike<number>;
  /** Volumes. */
  readonly volume: ArrayLike<number>;
}

/**
 * Index-aligned LVN outputs of {@link LVN.batch}: `NaN` where the value is ⊥.
 *
 * @example
 * ```ts
 * const { price }: LvnColumns = lvnBatch({ high: [1], low: [0], close: [0.5], volume: [1] });
 * ```
 */
export interface LvnColumns {
  /** `lvn_nearest_price` per bar. */
  readonly price: Float64Array;
  /** `lvn_nearest_strength` per bar. */
  readonly strength: Float64Array;
  /** `lvn_distance_points` per bar. */
  readonly distance: Float64Array;
}

/** The batch form of {@link LVN}: drives one streaming instance over the whole series. */
function lvnBatch(columns: HlcvColumns, options: LvnOptions = {}): LvnColumns {
  const lvn = new LVN(options);
  const n = columns.close.length;
  const price = new Float64Array(n);
  const strength = new Float64Array(n);
  const distance = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const value = lvn.update({
      high: columns.high[t] as number,
      low: columns.low[t] as number,
      close: columns.close[t] as number,
      volume: columns.volume[t] as number,
    });
    price[t] = value.price;
    strength[t] = value.strength;
    distance[t] = value.distance;
  }
  return { price, strength, distance };
}
