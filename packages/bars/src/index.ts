/**
 * `@algospace/bars`: tick → OHLCV bars on any set of timeframes.
 *
 * @packageDocumentation
 */
export type { Bar, Tick } from './bar.js';
export { BarsError } from './bars-error.js';
export type { Timeframe } from './timeframe.js';
export { parseTimeframe } from './timeframe.js';
