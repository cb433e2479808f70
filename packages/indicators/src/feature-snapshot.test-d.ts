import { expectTypeOf, test } from 'vitest';
import type { FeatureSnapshot, FeatureStoreView, FeatureTrigger } from './feature-snapshot.js';
import type { IndicatorEngine } from './indicator-engine.js';

/** The keys of spec §9.2, spelled out from its table (13 fvg_* keys of §6.5). */
type SpecKeys =
  | 'mlmi_value'
  | 'mlmi_signal'
  | 'nwrqk_value'
  | 'nwrqk_slope'
  | 'nwrqk_signal'
  | 'lvn_nearest_price'
  | 'lvn_nearest_strength'
  | 'lvn_distance_points'
  | 'fvg_bullish_active'
  | 'fvg_bearish_active'
  | 'fvg_nearest_level'
  | 'fvg_age'
  | 'fvg_gap_size'
  | 'fvg_gap_size_pct'
  | 'fvg_mitigation_signal'
  | 'fvg_mitigation_strength'
  | 'fvg_mitigation_depth'
  | 'fvg_bullish_mitigated'
  | 'fvg_bearish_mitigated'
  | 'fvg_bullish_mitigated_size'
  | 'fvg_bearish_mitigated_size'
  | 'mmd_features'
  | 'mlmi_minus_nwrqk'
  | 'mlmi_div_nwrqk'
  | 'current_price'
  | 'current_volume'
  | 'timestamp'
  | 'trigger'
  | 'asOf'
  | 'last_update_5min'
  | 'last_update_30min'
  | 'mlmi_ready'
  | 'nwrqk_ready'
  | 'lvn_ready'
  | 'mmd_ready'
  | 'fvg_ready';

test('FeatureSnapshot has exactly the keys of spec §9.2', () => {
  expectTypeOf<keyof FeatureSnapshot>().toEqualTypeOf<SpecKeys>();
  expectTypeOf<FeatureSnapshot['trigger']>().toEqualTypeOf<FeatureTrigger>();
  expectTypeOf<FeatureSnapshot['last_update_30min']>().toEqualTypeOf<number | null>();
  expectTypeOf<FeatureSnapshot['mmd_features']>().toEqualTypeOf<readonly number[]>();
});

test('the store view has the same keys, and update returns a snapshot or null', () => {
  expectTypeOf<keyof FeatureStoreView>().toEqualTypeOf<SpecKeys>();
  expectTypeOf<ReturnType<IndicatorEngine['update']>>().toEqualTypeOf<FeatureSnapshot | null>();
});
