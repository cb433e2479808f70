/**
 * `@algospace/indicators`: streaming indicators identical to their batch form.
 *
 * @packageDocumentation
 */

export { ATR, type ATRState, type HighLowClose } from './atr.js';
export { crossover, crossunder } from './cross.js';
export { EMA, type EMAState } from './ema.js';
export type {
  FeatureSnapshot,
  FeatureStoreView,
  FeatureTrigger,
  MmdFeatureVector,
} from './feature-snapshot.js';
export {
  HeikinAshi,
  type HeikinAshiCandle,
  type HeikinAshiColumns,
  type HeikinAshiState,
  type OHLCVInput,
} from './heikin-ashi.js';
export type { Indicator } from './indicator.js';
export { IndicatorParameterError, IndicatorStateError, IndicatorsError } from './indicators-error.js';
export { MLMI, type MLMIColumns, type MLMIOptions, type MLMIOutput, type MLMIState } from './mlmi.js';
export {
  NWRQK,
  type NWRQKColumns,
  type NWRQKOptions,
  type NWRQKOutput,
  type NWRQKState,
  rationalQuadraticWeight,
} from './nwrqk.js';
export { RMA, type RMAState } from './rma.js';
export { Highest, Lowest, type RollingExtremeState } from './rolling-extremes.js';
export { RSI, type RSIState } from './rsi.js';
export { SMA, type SMAState } from './sma.js';
export { StdDev, type StdDevOptions, type StdDevState } from './standard-deviation.js';
export { WMA, type WMAState } from './wma.js';
