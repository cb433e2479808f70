/**
 * The Feature Store's record types (spec §9.2): the immutable `FeatureSnapshot` the IndicatorEngine emits
 * as INDICATORS_READY, and the store view `engine.snapshot()` returns before and between emissions. The
 * store itself lives in `feature-store.ts`; this module holds types only.
 */

/**
 * Which bar produced a snapshot: a 5-minute bar (FVG) or a 30-minute bar (HA, MLMI, NW-RQK, LVN, MMD).
 *
 * @example
 * ```ts
 * const trigger: FeatureTrigger = '30m';
 * ```
 */
export type FeatureTrigger = '5m' | '30m';

/**
 * The 16 MMD regime features of spec §8 in index order: 0–10 the signature words
 * `P, TP, PT, PP, TTP, TPT, TPP, PTT, PTP, PPT, PPP`, 11 `vol_20`, 12 `vol_96`, 13 `vol_ratio_20_96`,
 * 14 `mmd_48_vs_prev_48`, 15 `volume_ratio_20`. Always exactly 16 finite numbers in the store (zeros before
 * `mmd_ready`).
 *
 * @example
 * ```ts
 * const vol20 = (snapshot: FeatureSnapshot): number => snapshot.mmd_features[11] ?? 0;
 * ```
 */
export type MmdFeatureVector = readonly number[];

/**
 * One INDICATORS_READY payload: an immutable (frozen) copy of the whole Feature Store after a bar,
 * with exactly the keys of spec §9.2. Every key is always present and every number is finite; while an
 * indicator is warming up (or its value is undefined, ⊥) its keys hold the spec's "before ready" value and
 * its `*_ready` flag is false.
 *
 * Interpretation: read the `*_ready` flags before trusting a value of 0 — a 0 with `mlmi_ready: false`
 * means "no value yet", not "neutral".
 *
 * @example
 * ```ts
 * const engine = createIndicatorEngine();
 * const snapshot: FeatureSnapshot | null = engine.update(bar30m);
 * if (snapshot?.nwrqk_ready) console.log(snapshot.nwrqk_value, snapshot.nwrqk_slope);
 * ```
 * @see spec §9.2 (keys), §9.1 (when snapshots are emitted)
 */
export interface FeatureSnapshot {
  /** MLMI k-NN prediction (integer-valued, not a 0–100 oscillator), spec §4.4; 0 before ready. */
  readonly mlmi_value: number;
  /** −1/0/+1: the prediction crossing under/over its 20-bar WMA on this bar, spec §4.5; 0 before ready. */
  readonly mlmi_signal: number;
  /** NW-RQK estimate `yhat1` (price units), spec §5.4; 0 before ready. */
  readonly nwrqk_value: number;
  /** `yhat1_t − yhat1_{t−1}` (price per 30-minute bar), spec §5.4; 0 before ready. */
  readonly nwrqk_slope: number;
  /** −1/0/+1: NW-RQK turned down / no change / turned up on this bar, spec §5.3; 0 before ready. */
  readonly nwrqk_signal: number;
  /** Price of the LVN level nearest the close, spec §7.3; 0 when not ready. */
  readonly lvn_nearest_price: number;
  /** Strength score of that level in [0, 100], spec §7.4; 0 when not ready. */
  readonly lvn_nearest_strength: number;
  /** `|close − lvn_nearest_price|` (≥ 0), spec §7.3; 0 when not ready. */
  readonly lvn_distance_points: number;
  /** Some bullish gap is active, spec §6.5. */
  readonly fvg_bullish_active: boolean;
  /** Some bearish gap is active, spec §6.5. */
  readonly fvg_bearish_active: boolean;
  /** The nearest active gap's `upper` (bullish) or `lower` (bearish) edge; 0 without active gaps, §6.5. */
  readonly fvg_nearest_level: number;
  /** Age in 5-minute bars of the nearest active gap; 0 without active gaps, §6.5. */
  readonly fvg_age: number;
  /** Size (price units) of the nearest active gap; 0 without active gaps, §6.5. */
  readonly fvg_gap_size: number;
  /** Size of the nearest active gap in percent of the close; 0 without active gaps or when close ≤ 0. */
  readonly fvg_gap_size_pct: number;
  /** Some recent gap was mitigated within the last `signalWindow` bars (this bar included), §6.5. */
  readonly fvg_mitigation_signal: boolean;
  /** Highest strength (0–1) among those recently mitigated gaps, else 0, §6.4–§6.5. */
  readonly fvg_mitigation_strength: number;
  /** Deepest penetration (fraction of the gap) among active gaps, else 0, §6.5. */
  readonly fvg_mitigation_depth: number;
  /** A bullish gap was mitigated on this bar (edge-triggered), §6.5. */
  readonly fvg_bullish_mitigated: boolean;
  /** A bearish gap was mitigated on this bar (edge-triggered), §6.5. */
  readonly fvg_bearish_mitigated: boolean;
  /** Largest size of the bullish gaps mitigated on this bar, else 0, §6.5. */
  readonly fvg_bullish_mitigated_size: number;
  /** Largest size of the bearish gaps mitigated on this bar, else 0, §6.5. */
  readonly fvg_bearish_mitigated_size: number;
  /** The 16-value MMD regime vector of spec §8 (frozen); 16 zeros before ready. */
  readonly mmd_features: MmdFeatureVector;
  /** `mlmi_value − nwrqk_value` (mixed units, kept because the original engine emitted it); 0 initially. */
  readonly mlmi_minus_nwrqk: number;
  /** `mlmi_value / nwrqk_value` when `|nwrqk_value| > 1e-8`, else `sign(mlmi_value)`; 1 initially, §9.2. */
  readonly mlmi_div_nwrqk: number;
  /** Close of the triggering bar. */
  readonly current_price: number;
  /** Volume of the triggering bar. */
  readonly current_volume: number;
  /** Start time of the triggering bar (UTC epoch ms). */
  readonly timestamp: number;
  /** The timeframe of the triggering bar. */
  readonly trigger: FeatureTrigger;
  /** End of the triggering bar's interval (`timestamp` + its timeframe): when the information exists, §9.1. */
  readonly asOf: number;
  /** Start time of the last 5-minute bar processed, or null before the first one. */
  readonly last_update_5min: number | null;
  /** Start time of the last 30-minute bar processed, or null before the first one. */
  readonly last_update_30min: number | null;
  /** MLMI's value is defined (spec §4.6). */
  readonly mlmi_ready: boolean;
  /** NW-RQK's value and slope are defined (spec §5.5: from the 28th 30-minute bar). */
  readonly nwrqk_ready: boolean;
  /** LVN produced a level on the last 30-minute bar (spec §7.5). */
  readonly lvn_ready: boolean;
  /** The MMD vector is defined (spec §8.4: from the 97th 30-minute bar). */
  readonly mmd_ready: boolean;
  /** FVG detection is possible (from the third 5-minute bar, spec §9.2). */
  readonly fvg_ready: boolean;
}

/**
 * What `engine.snapshot()` returns: the same keys as {@link FeatureSnapshot}, read at any time. Before the
 * first bar nothing has triggered yet, so `trigger`, `asOf` and `timestamp` are null (every other key holds
 * its "before ready" value).
 *
 * @example
 * ```ts
 * const view: FeatureStoreView = createIndicatorEngine().snapshot();
 * view.trigger; // null: no bar yet
 * ```
 */
export type FeatureStoreView =
  | FeatureSnapshot
  | (Omit<FeatureSnapshot, 'trigger' | 'asOf' | 'timestamp'> & {
      /** Null: no bar has been processed yet. */
      readonly trigger: null;
      /** Null: no bar has been processed yet. */
      readonly asOf: null;
      /** Null: no bar has been processed yet. */
      readonly timestamp: null;
    });
