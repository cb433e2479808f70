/**
 * What every aggregator reports about its input and output: accepted and rejected input counted by reason,
 * bars emitted, and gap intervals left unfilled (closed market, fill cap).
 */

/**
 * Why an input was rejected. Ticks are checked in the order of spec §1.2: price first, then time.
 *
 * - `price-not-finite`, `price-not-positive`: the price (for quote ticks, the bid or the ask) is NaN or
 *   ±Infinity, or zero/negative.
 * - `timestamp-not-finite`: the timestamp is NaN or ±Infinity.
 * - `timestamp-before-last-tick`: earlier than the last accepted input ("timestamp in past"; equal is fine).
 * - `timestamp-in-closed-bar`: at or after the last accepted input, but inside an interval that
 *   `advanceTo` or `flush` already closed.
 * - `bar-inconsistent` (bar input only): high below open/close/low, or low above open/close.
 * - `bar-straddles-interval` (bar input only): the input bar does not fit inside one target interval.
 *
 * @example
 * ```ts
 * const reason: RejectReason = 'timestamp-before-last-tick';
 * ```
 */
export type RejectReason =
  | 'price-not-finite'
  | 'price-not-positive'
  | 'timestamp-not-finite'
  | 'timestamp-before-last-tick'
  | 'timestamp-in-closed-bar'
  | 'bar-inconsistent'
  | 'bar-straddles-interval';

/**
 * Every {@link RejectReason}, in the order the checks run.
 *
 * @example
 * ```ts
 * for (const reason of rejectReasons) console.log(reason, aggregator.stats().rejectedByReason[reason]);
 * ```
 */
export const rejectReasons: readonly RejectReason[] = [
  'price-not-finite',
  'price-not-positive',
  'timestamp-not-finite',
  'timestamp-before-last-tick',
  'timestamp-in-closed-bar',
  'bar-inconsistent',
  'bar-straddles-interval',
];

/**
 * Counters of one aggregator since it was created. Constant memory: numbers only.
 *
 * @example
 * ```ts
 * const { accepted, rejected, rejectedByReason } = aggregator.stats();
 * console.log(`${accepted} accepted, ${rejected} rejected (${rejectedByReason['price-not-positive']} bad prices)`);
 * ```
 */
export interface AggregatorStats {
  /** Inputs (ticks or bars) accepted into bars. */
  readonly accepted: number;
  /** Inputs rejected, all reasons together. */
  readonly rejected: number;
  /** Inputs rejected, per reason. */
  readonly rejectedByReason: Readonly<Record<RejectReason, number>>;
  /** Accepted inputs whose size was negative or not finite and counted as 0 (spec §1.2 step 3). */
  readonly sizesZeroed: number;
  /** Real (non-synthetic) bars emitted, all timeframes together. */
  readonly bars: number;
  /** Synthetic gap-fill bars emitted, all timeframes together. */
  readonly syntheticBars: number;
  /** First bars dropped because they were partial (`skipFirstPartialBar`). */
  readonly partialBarsSkipped: number;
  /** Empty intervals not filled because the session calendar says the market was closed. */
  readonly gapIntervalsMarketClosed: number;
  /** Empty intervals not filled because their gap already had `maxGapBars` synthetic bars. */
  readonly gapIntervalsOverCap: number;
  /** Timestamp of the last accepted input, or `null` before the first. */
  readonly lastTimestamp: number | null;
}

/**
 * A gap that had more empty intervals than `maxGapBars` allows; reported once per gap (per `advanceTo` call
 * when the gap is filled by the clock).
 *
 * @example
 * ```ts
 * const onGapCapped = (gap: GapCapReport) =>
 *   console.warn(`${gap.timeframe}: ${gap.omitted} empty intervals not filled before ${new Date(gap.to).toISOString()}`);
 * ```
 */
export interface GapCapReport {
  /** The timeframe of the gap. */
  readonly timeframe: string;
  /** Start of the first empty interval of the gap (UTC epoch ms). */
  readonly from: number;
  /** Start of the interval that ended the gap (exclusive end of the gap). */
  readonly to: number;
  /** Synthetic bars emitted for this gap (so far). */
  readonly filled: number;
  /** Empty intervals of this gap left without a bar because of the cap. */
  readonly omitted: number;
}
