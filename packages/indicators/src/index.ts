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
  FVG,
  type FvgBar,
  type FvgFeatures,
  type FvgGap,
  type FvgMitigationWeights,
  type FvgOptions,
  type FvgState,
  type OhlcvColumns,
} from './fvg.js';
export {
  HeikinAshi,
  type HeikinAshiCandle,
  type HeikinAshiColumns,
  type HeikinAshiState,
  type OHLCVInput,
} from './heikin-ashi.js';
export type { Indicator } from './indicator.js';
export {
  createIndicatorEngine,
  type IndicatorEngine,
  type IndicatorEngineCheckpoint,
  type IndicatorEngineOptions,
  type IndicatorEngineStats,
  type LvnEngineOptions,
} from './indicator-engine.js';
export { IndicatorParameterError, IndicatorStateError, IndicatorsError } from './indicators-error.js';
export {
  type HlcvColumns,
  LVN,
  type LvnBar,
  type LvnColumns,
  type LvnOptions,
  type LvnState,
  type LvnValue,
} from './lvn.js';
export { MLMI, type MLMIColumns, type MLMIOptions, type MLMIOutput, type MLMIState } from './mlmi.js';
export { MMD, MMD_FEATURE_NAMES, type MmdInput, type MmdOptions, type MmdState } from './mmd.js';
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
