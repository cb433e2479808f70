/**
 * Test fixture: a complete `FeatureSnapshot` with every §9.2 key at its "before ready" value, so a test
 * states only the keys its case is about.
 */
import type { FeatureSnapshot } from '@algospace/indicators';

/** 2024-01-02 10:00 UTC, a 30-minute boundary used as the origin of hand-worked cases. */
export const T0 = Date.UTC(2024, 0, 2, 10, 0);

/** Minutes → milliseconds. */
export const minutes = (n: number): number => n * 60_000;

/**
 * A snapshot whose `asOf` is `T0 + asOfMinutes`; `timestamp` is derived from the trigger (bar start).
 * Every other key starts at its §9.2 "before ready" value and is overridden by `overrides`.
 */
export function snapshotAt(
  trigger: '5m' | '30m',
  asOfMinutes: number,
  overrides: Partial<FeatureSnapshot> = {},
): FeatureSnapshot {
  const asOf = T0 + minutes(asOfMinutes);
  const timestamp = asOf - minutes(trigger === '5m' ? 5 : 30);
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
    mmd_features: new Array<number>(16).fill(0),
    mlmi_minus_nwrqk: 0,
    mlmi_div_nwrqk: 1,
    current_price: 4800,
    current_volume: 100,
    timestamp,
    trigger,
    asOf,
    last_update_5min: trigger === '5m' ? timestamp : null,
    last_update_30min: trigger === '30m' ? timestamp : null,
    mlmi_ready: false,
    nwrqk_ready: false,
    lvn_ready: false,
    mmd_ready: false,
    fvg_ready: false,
    ...overrides,
  };
}

/** A "30m" snapshot carrying an MLMI cross of `direction` (value 50 → strength 0.25 at scale 200). */
export const mlmiAt = (asOfMinutes: number, direction: 1 | -1, extra: Partial<FeatureSnapshot> = {}) =>
  snapshotAt('30m', asOfMinutes, { mlmi_signal: direction, mlmi_value: 50 * direction, ...extra });

/** A "30m" snapshot carrying an NW-RQK turn of `direction` (slope 1 → strength 0.5 at max slope 2). */
export const nwrqkAt = (asOfMinutes: number, direction: 1 | -1, extra: Partial<FeatureSnapshot> = {}) =>
  snapshotAt('30m', asOfMinutes, {
    nwrqk_signal: direction,
    nwrqk_slope: direction,
    nwrqk_value: 4790,
    ...extra,
  });

/** A "5m" snapshot with a gap of `direction` mitigated on its bar (size 24 at 4800 → 0.5 % → strength 0.5). */
export const fvgAt = (asOfMinutes: number, direction: 1 | -1, extra: Partial<FeatureSnapshot> = {}) =>
  snapshotAt('5m', asOfMinutes, {
    fvg_mitigation_signal: true,
    fvg_bullish_mitigated: direction === 1,
    fvg_bearish_mitigated: direction === -1,
    fvg_bullish_mitigated_size: direction === 1 ? 24 : 0,
    fvg_bearish_mitigated_size: direction === -1 ? 24 : 0,
    ...extra,
  });
