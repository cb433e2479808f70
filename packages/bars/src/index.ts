/**
 * `@algospace/bars`: tick → OHLCV bars on any set of timeframes.
 *
 * @packageDocumentation
 */

export type { BarLabel, GapFill, TimeBarOptions } from './aggregator-options.js';
export type { AggregatorStats, GapCapReport, RejectReason } from './aggregator-stats.js';
export { rejectReasons } from './aggregator-stats.js';
export type { Bar, Tick } from './bar.js';
export type { BarResampler, BarResamplerOptions } from './bar-resampler.js';
export { createBarResampler } from './bar-resampler.js';
export { BarsError, BarsOptionError, InvalidInputError, InvalidTimestampError } from './bars-error.js';
export type {
  AggregateTicksOptions,
  AggregateTicksResult,
  ColumnarBars,
  TickColumns,
} from './batch-aggregation.js';
export { aggregateTicks, columnarBarAt } from './batch-aggregation.js';
export type { SessionStart } from './interval-grid.js';
export { parseIsoTimestamp } from './iso-timestamp.js';
export type {
  QuoteBar,
  QuoteBarAggregator,
  QuoteBarAggregatorOptions,
  QuoteTick,
} from './quote-bar-aggregator.js';
export { createQuoteBarAggregator } from './quote-bar-aggregator.js';
export type {
  SessionCalendar,
  SessionCalendarOptions,
  Weekday,
  WeeklySession,
} from './session-calendar.js';
export { createSessionCalendar } from './session-calendar.js';
export type { BarAggregator, BarAggregatorOptions } from './time-bar-aggregator.js';
export { createBarAggregator } from './time-bar-aggregator.js';
export type { Timeframe } from './timeframe.js';
export { parseTimeframe } from './timeframe.js';
