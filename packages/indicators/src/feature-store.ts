/**
 * The Feature Store of spec §9.2: the one mutable record the IndicatorEngine writes, with every key always
 * present, and the immutable snapshots it hands out. It guards the store's promise that no NaN or Infinity
 * ever leaves it: an undefined (⊥) or non-finite value is replaced by the key's "before ready" value.
 * Internal: the engine is the only writer; users see {@link FeatureSnapshot} and {@link FeatureStoreView}.
 */
import type { FeatureSnapshot, FeatureStoreView, FeatureTrigger } from './feature-snapshot.js';
import type { FvgFeatures } from './fvg.js';
import { IndicatorStateError } from './indicators-error.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The 30-minute indicator outputs of one bar, already read from the indicators (⊥ as NaN). */
export interface ThirtyMinuteOutputs {
  readonly mlmiValue: number;
  readonly mlmiSignal: number;
  readonly mlmiReady: boolean;
  readonly nwrqkValue: number;
  readonly nwrqkSlope: number;
  readonly nwrqkSignal: number;
  readonly nwrqkReady: boolean;
  readonly lvnPrice: number;
  readonly lvnStrength: number;
  readonly lvnDistance: number;
  /** The MMD vector (16 values, NaN while ⊥); copied, never kept. */
  readonly mmd: ArrayLike<number>;
}

const MMD_WIDTH = 16;
const zeroVector: readonly number[] = Object.freeze(new Array<number>(MMD_WIDTH).fill(0));

/** `value` when it is a finite number, else the key's before-ready value. */
function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** The store record: the snapshot keys, mutable, with the three trigger keys nullable before any bar. */
type StoreState = Mutable<Omit<FeatureStoreView, 'trigger' | 'asOf' | 'timestamp'>> & {
  trigger: FeatureTrigger | null;
  asOf: number | null;
  timestamp: number | null;
};

/** The Feature Store: every §9.2 key, always present and finite; written only by the engine. */
export class FeatureStore {
  private readonly state: StoreState = FeatureStore.initial();

  private static initial(): StoreState {
    return {
      mlmi_value: 0,
      mlmi_signal: 0,
      nwrqk_value: 0,
      nwrqk_slope: 0,
      nwrqk_signal: 0,
      lvn_nearest_price: 0,
      lvn_nearest_strength: 0,
      lvn_distance_points: 0,
      fvg_bullish_active: false,
      fvg_bearish_active: false,
      fvg_nearest_level: 0,
      fvg_age: 0,
      fvg_gap_size: 0,
      fvg_gap_size_pct: 0,
      fvg_mitigation_signal: false,
      fvg_mitigation_strength: 0,
      fvg_mitigation_depth: 0,
      fvg_bullish_mitigated: false,
      fvg_bearish_mitigated: false,
      fvg_bullish_mitigated_size: 0,
      fvg_bearish_mitigated_size: 0,
      mmd_features: zeroVector,
      mlmi_minus_nwrqk: 0,
      mlmi_div_nwrqk: 1,
      current_price: 0,
      current_volume: 0,
      timestamp: null as number | null,
      trigger: null as FeatureTrigger | null,
      asOf: null as number | null,
      last_update_5min: null as number | null,
      last_update_30min: null as number | null,
      mlmi_ready: false,
      nwrqk_ready: false,
      lvn_ready: false,
      mmd_ready: false,
      fvg_ready: false,
    };
  }

  /**
   * Replaces the store with a view taken by {@link FeatureStore.view} (possibly structured-cloned): every key
   * must be present with its type, and every number finite.
   */
  restore(view: FeatureStoreView): void {
    const source = view as unknown as Record<string, unknown>;
    if (typeof view !== 'object' || view === null) {
      throw new IndicatorStateError('FeatureStore', 'a store view from snapshot()', String(view));
    }
    const next = FeatureStore.initial();
    const target = next as unknown as Record<string, unknown>;
    for (const key of Object.keys(next)) {
      const value = source[key];
      const initial = target[key];
      const nullable =
        key === 'timestamp' || key === 'trigger' || key === 'asOf' || key.startsWith('last_update');
      const fits =
        key === 'mmd_features'
          ? Array.isArray(value) && value.length === MMD_WIDTH && value.every(Number.isFinite)
          : key === 'trigger'
            ? value === null || value === '5m' || value === '30m'
            : (nullable && value === null) ||
              (typeof value === typeof (initial ?? 0) &&
                (typeof value !== 'number' || Number.isFinite(value)));
      if (!fits)
        throw new IndicatorStateError(
          'FeatureStore',
          `a valid "${key}"`,
          JSON.stringify(value) ?? 'undefined',
        );
      target[key] = key === 'mmd_features' ? Object.freeze([...(value as number[])]) : value;
    }
    Object.assign(this.state, next);
  }

  /** Back to the empty store. */
  reset(): void {
    Object.assign(this.state, FeatureStore.initial());
  }

  /** True once a 30-minute bar has been applied (§9.1: 5-minute snapshots are emitted only after that). */
  get hasThirtyMinuteUpdate(): boolean {
    return this.state.last_update_30min !== null;
  }

  /** Writes the 5-minute keys of one bar. Every value is computed before this call, so the write is atomic. */
  applyFiveMinute(
    features: FvgFeatures,
    fvgReady: boolean,
    close: number,
    volume: number,
    timestamp: number,
    asOf: number,
  ): void {
    const s = this.state;
    s.fvg_bullish_active = features.fvg_bullish_active;
    s.fvg_bearish_active = features.fvg_bearish_active;
    s.fvg_nearest_level = finiteOr(features.fvg_nearest_level, 0);
    s.fvg_age = finiteOr(features.fvg_age, 0);
    s.fvg_gap_size = finiteOr(features.fvg_gap_size, 0);
    s.fvg_gap_size_pct = finiteOr(features.fvg_gap_size_pct, 0);
    s.fvg_mitigation_signal = features.fvg_mitigation_signal;
    s.fvg_mitigation_strength = finiteOr(features.fvg_mitigation_strength, 0);
    s.fvg_mitigation_depth = finiteOr(features.fvg_mitigation_depth, 0);
    s.fvg_bullish_mitigated = features.fvg_bullish_mitigated;
    s.fvg_bearish_mitigated = features.fvg_bearish_mitigated;
    s.fvg_bullish_mitigated_size = finiteOr(features.fvg_bullish_mitigated_size, 0);
    s.fvg_bearish_mitigated_size = finiteOr(features.fvg_bearish_mitigated_size, 0);
    s.fvg_ready = fvgReady;
    this.applyBar('5m', close, volume, timestamp, asOf);
    s.last_update_5min = timestamp;
  }

  /** Writes the 30-minute keys of one bar and the two interaction keys. */
  applyThirtyMinute(
    outputs: ThirtyMinuteOutputs,
    close: number,
    volume: number,
    timestamp: number,
    asOf: number,
  ): void {
    const s = this.state;
    s.mlmi_value = finiteOr(outputs.mlmiValue, 0);
    s.mlmi_signal = finiteOr(outputs.mlmiSignal, 0);
    s.mlmi_ready = outputs.mlmiReady && Number.isFinite(outputs.mlmiValue);
    s.nwrqk_value = finiteOr(outputs.nwrqkValue, 0);
    s.nwrqk_slope = finiteOr(outputs.nwrqkSlope, 0);
    s.nwrqk_signal = finiteOr(outputs.nwrqkSignal, 0);
    s.nwrqk_ready = outputs.nwrqkReady && Number.isFinite(outputs.nwrqkValue);
    const lvnReady =
      Number.isFinite(outputs.lvnPrice) &&
      Number.isFinite(outputs.lvnStrength) &&
      Number.isFinite(outputs.lvnDistance);
    s.lvn_nearest_price = lvnReady ? outputs.lvnPrice : 0;
    s.lvn_nearest_strength = lvnReady ? outputs.lvnStrength : 0;
    s.lvn_distance_points = lvnReady ? outputs.lvnDistance : 0;
    s.lvn_ready = lvnReady;
    let mmdReady = outputs.mmd.length === MMD_WIDTH;
    for (let i = 0; mmdReady && i < MMD_WIDTH; i++) mmdReady = Number.isFinite(outputs.mmd[i] as number);
    // A fresh frozen array per 30-minute bar: snapshots share it safely because nobody can mutate it.
    s.mmd_features = mmdReady ? Object.freeze(Array.from(outputs.mmd)) : zeroVector;
    s.mmd_ready = mmdReady;
    s.mlmi_minus_nwrqk = s.mlmi_value - s.nwrqk_value;
    s.mlmi_div_nwrqk =
      Math.abs(s.nwrqk_value) > 1e-8 ? finiteOr(s.mlmi_value / s.nwrqk_value, 0) : Math.sign(s.mlmi_value);
    this.applyBar('30m', close, volume, timestamp, asOf);
    s.last_update_30min = timestamp;
  }

  private applyBar(
    trigger: FeatureTrigger,
    close: number,
    volume: number,
    timestamp: number,
    asOf: number,
  ): void {
    const s = this.state;
    s.current_price = finiteOr(close, 0);
    s.current_volume = finiteOr(volume, 0);
    s.timestamp = timestamp;
    s.trigger = trigger;
    s.asOf = asOf;
  }

  /** An immutable copy of the whole store. */
  view(): FeatureStoreView {
    return this.frozenCopy() as FeatureStoreView;
  }

  /** An immutable copy of the store as an INDICATORS_READY payload (only valid after a bar was applied). */
  emit(): FeatureSnapshot {
    return this.frozenCopy() as FeatureSnapshot;
  }

  private frozenCopy(): Readonly<StoreState> {
    const s = this.state;
    // Every key spelled out: a literal of fixed shape freezes ~20× faster than a frozen spread copy, which
    // V8 builds with a fresh map per object (measured in bench/engine.bench.ts's 5-minute case).
    return Object.freeze({
      mlmi_value: s.mlmi_value,
      mlmi_signal: s.mlmi_signal,
      nwrqk_value: s.nwrqk_value,
      nwrqk_slope: s.nwrqk_slope,
      nwrqk_signal: s.nwrqk_signal,
      lvn_nearest_price: s.lvn_nearest_price,
      lvn_nearest_strength: s.lvn_nearest_strength,
      lvn_distance_points: s.lvn_distance_points,
      fvg_bullish_active: s.fvg_bullish_active,
      fvg_bearish_active: s.fvg_bearish_active,
      fvg_nearest_level: s.fvg_nearest_level,
      fvg_age: s.fvg_age,
      fvg_gap_size: s.fvg_gap_size,
      fvg_gap_size_pct: s.fvg_gap_size_pct,
      fvg_mitigation_signal: s.fvg_mitigation_signal,
      fvg_mitigation_strength: s.fvg_mitigation_strength,
      fvg_mitigation_depth: s.fvg_mitigation_depth,
      fvg_bullish_mitigated: s.fvg_bullish_mitigated,
      fvg_bearish_mitigated: s.fvg_bearish_mitigated,
      fvg_bullish_mitigated_size: s.fvg_bullish_mitigated_size,
      fvg_bearish_mitigated_size: s.fvg_bearish_mitigated_size,
      mmd_features: s.mmd_features,
      mlmi_minus_nwrqk: s.mlmi_minus_nwrqk,
      mlmi_div_nwrqk: s.mlmi_div_nwrqk,
      current_price: s.current_price,
      current_volume: s.current_volume,
      timestamp: s.timestamp,
      trigger: s.trigger,
      asOf: s.asOf,
      last_update_5min: s.last_update_5min,
      last_update_30min: s.last_update_30min,
      mlmi_ready: s.mlmi_ready,
      nwrqk_ready: s.nwrqk_ready,
      lvn_ready: s.lvn_ready,
      mmd_ready: s.mmd_ready,
      fvg_ready: s.fvg_ready,
    });
  }
}
