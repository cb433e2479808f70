/**
 * `@algospace/indicators`: streaming indicators identical to their batch form.
 *
 * @packageDocumentation
 */

export type {
  FeatureSnapshot,
  FeatureStoreView,
  FeatureTrigger,
  MmdFeatureVector,
} from './feature-snapshot.js';
export type { Indicator } from './indicator.js';
export { IndicatorParameterError, IndicatorStateError, IndicatorsError } from './indicators-error.js';
export { SMA } from './sma.js';
