/**
 * The two records the whole pipeline speaks: a `Tick` in, a `Bar` out. Timestamps are UTC epoch
 * milliseconds everywhere; parsing text timestamps is the caller's job.
 */

/**
 * One trade (or quote) print.
 *
 * @example
 * ```ts
 * const tick: Tick = { timestamp: Date.UTC(2024, 6, 1, 23, 58, 1), price: 5509.25, size: 2 };
 * ```
 */
export interface Tick {
  /** Event time, UTC epoch milliseconds. */
  readonly timestamp: number;
  /** Trade price; must be finite and positive to be accepted. */
  readonly price: number;
  /** Traded quantity; a negative or non-finite size is accepted as 0. */
  readonly size: number;
  /** Best bid at the time of the print, for quote ticks. */
  readonly bid?: number;
  /** Best ask at the time of the print, for quote ticks. */
  readonly ask?: number;
}

/**
 * One OHLCV bar of one timeframe, labelled by the start of its interval (unless the aggregator was told to
 * label by close time).
 *
 * @example
 * ```ts
 * const bar: Bar = {
 *   timestamp: Date.UTC(2024, 0, 2, 10, 30), timeframe: '5m',
 *   open: 4800, high: 4802.5, low: 4799.75, close: 4801, volume: 1250, synthetic: false, tickCount: 84,
 * };
 * ```
 */
export interface Bar {
  /** Interval start (or end, when labelled by close time), UTC epoch milliseconds. */
  readonly timestamp: number;
  /** The timeframe the bar belongs to, as configured, e.g. `'5m'` or `'30m'`. */
  readonly timeframe: string;
  /** First accepted price of the interval. */
  readonly open: number;
  /** Highest accepted price of the interval. */
  readonly high: number;
  /** Lowest accepted price of the interval. */
  readonly low: number;
  /** Last accepted price of the interval. */
  readonly close: number;
  /** Sum of the accepted sizes of the interval. */
  readonly volume: number;
  /** True for a gap-filled bar with no ticks (OHLC = previous close, volume 0). */
  readonly synthetic: boolean;
  /** Number of accepted ticks in the interval (0 for synthetic bars). */
  readonly tickCount: number;
}
