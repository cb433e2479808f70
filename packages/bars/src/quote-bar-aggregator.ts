/**
 * Quote bars: bid and ask ticks aggregated into separate bid and ask OHLC bars (and mid bars on request)
 * on the same interval grid, emitted together as one {@link QuoteBar} per timeframe and interval.
 */
import { optionalFunction, resolveTimeBarOptions, type TimeBarOptions } from './aggregator-options.js';
import type { AggregatorStats, RejectReason } from './aggregator-stats.js';
import type { Bar } from './bar.js';
import { BarsOptionError } from './bars-error.js';
import { ACCEPTED, type BarSink, rejectReasonOf, TimeBarEngine } from './time-bar-engine.js';

/**
 * One top-of-book quote.
 *
 * @example
 * ```ts
 * const quote: QuoteTick = { timestamp: Date.parse('2014-05-01T00:00:00.292Z'), bid: 1.38676, ask: 1.38686 };
 * ```
 */
export interface QuoteTick {
  /** Quote time, UTC epoch ms. */
  readonly timestamp: number;
  /** Best bid price. */
  readonly bid: number;
  /** Best ask price. */
  readonly ask: number;
  /** Size at the bid; summed into the bid bar's volume (0 when absent). */
  readonly bidSize?: number;
  /** Size at the ask; summed into the ask bar's volume (0 when absent). */
  readonly askSize?: number;
}

/**
 * The bid, ask (and optionally mid) bars of one timeframe and interval. The three share timestamp,
 * timeframe, synthetic flag and tick count.
 *
 * @example
 * ```ts
 * const spreadAtClose = (bar: QuoteBar) => bar.ask.close - bar.bid.close;
 * ```
 */
export interface QuoteBar {
  /** Interval start (or end with `label: 'close'`), UTC epoch ms. */
  readonly timestamp: number;
  /** The timeframe, as configured. */
  readonly timeframe: string;
  /** True for a gap-fill bar (all sides flat at their previous close). */
  readonly synthetic: boolean;
  /** Accepted quotes in the interval. */
  readonly tickCount: number;
  /** OHLC of the bid; volume = sum of `bidSize`. */
  readonly bid: Bar;
  /** OHLC of the ask; volume = sum of `askSize`. */
  readonly ask: Bar;
  /** OHLC of (bid + ask) / 2, present when `mid: true`; volume 0. */
  readonly mid?: Bar;
}

/**
 * Options of {@link createQuoteBarAggregator}.
 *
 * @example
 * ```ts
 * const options: QuoteBarAggregatorOptions = { timeframes: ['1m'], gapFill: 'none', mid: true, onBar: console.log };
 * ```
 */
export interface QuoteBarAggregatorOptions extends TimeBarOptions {
  /** Receives every quote bar in emission order (shortest timeframe first, as for trades). */
  readonly onBar: (bar: QuoteBar) => void;
  /** Receives every rejected quote with the reason (a bad bid or ask gives the price reasons). */
  readonly onReject?: (quote: QuoteTick, reason: RejectReason) => void;
  /** Also build mid-price bars, default `false`. */
  readonly mid?: boolean;
}

/**
 * A streaming quote → bid/ask bar aggregator.
 *
 * @example
 * ```ts
 * const quotes: QuoteBarAggregator = createQuoteBarAggregator({ timeframes: ['1m'], onBar: console.log });
 * ```
 */
export interface QuoteBarAggregator {
  /** The configured timeframes, shortest first. */
  readonly timeframes: readonly string[];
  /** Validates one quote (bid checked, then ask, then time) and aggregates it; `true` when accepted. */
  push(quote: QuoteTick): boolean;
  /** As the trade aggregator's `advanceTo`. */
  advanceTo(time: number): void;
  /** As the trade aggregator's `flush`. */
  flush(): void;
  /** Counters of accepted and rejected quotes and emitted quote bars. */
  stats(): AggregatorStats;
}

class QueueSink implements BarSink {
  readonly queue: Bar[] = [];
  readonly timeframes: readonly string[];

  constructor(timeframes: readonly string[]) {
    this.timeframes = timeframes;
  }

  bar(
    frame: number,
    timestamp: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    tickCount: number,
    synthetic: boolean,
  ): void {
    const timeframe = this.timeframes[frame]!;
    this.queue.push({ timestamp, timeframe, open, high, low, close, volume, synthetic, tickCount });
  }
}

function sizeOrZero(size: number | undefined): number {
  return size === undefined ? 0 : size;
}

/**
 * Creates an aggregator of quote ticks into bid and ask bars (plus mid bars with `mid: true`), with every
 * option of the trade aggregator. Each side runs the spec §1 state machine on its own prices; a quote is
 * accepted or rejected as a whole, so the sides always share their intervals, and each emitted
 * {@link QuoteBar} carries one bar per side. Crossed quotes (bid above ask) are accepted as they come.
 *
 * @throws {@link BarsOptionError} naming the option when an option is invalid.
 * @example
 * ```ts
 * const bars: QuoteBar[] = [];
 * const quotes = createQuoteBarAggregator({ timeframes: ['1m'], gapFill: 'none', onBar: (b) => bars.push(b) });
 * quotes.push({ timestamp: Date.parse('2014-05-01T00:00:00.292Z'), bid: 1.38676, ask: 1.38686 });
 * quotes.push({ timestamp: Date.parse('2014-05-01T00:00:00.920Z'), bid: 1.38676, ask: 1.38687 });
 * quotes.flush();
 * // bars[0].bid.close === 1.38676, bars[0].ask.high === 1.38687
 * ```
 */
export function createQuoteBarAggregator(options: QuoteBarAggregatorOptions): QuoteBarAggregator {
  const resolved = resolveTimeBarOptions(options);
  const onBar = options.onBar;
  if (typeof onBar !== 'function')
    throw new BarsOptionError('onBar', 'a function receiving each quote bar', onBar);
  const onReject = optionalFunction<(quote: QuoteTick, reason: RejectReason) => void>(
    options.onReject,
    'onReject',
  );
  const withMid = options.mid ?? false;
  if (typeof withMid !== 'boolean') throw new BarsOptionError('mid', 'true or false', withMid);
  const timeframes = resolved.frames.map((f) => f.timeframe);
  const bidSink = new QueueSink(timeframes);
  const askSink = new QueueSink(timeframes);
  const midSink = new QueueSink(timeframes);
  const bid = new TimeBarEngine(resolved, bidSink);
  // Gaps are the same on every side: report a capped gap once, from the bid engine.
  const quiet = { ...resolved, onGapCapped: undefined };
  const ask = new TimeBarEngine(quiet, askSink);
  const mid = withMid ? new TimeBarEngine(quiet, midSink) : undefined;

  // All engines see the same accepted quotes, so their queues hold the same intervals in the same order.
  let head = 0;
  const deliver = () => {
    const bids = bidSink.queue;
    while (head < bids.length) {
      const k = head++; // advanced first: a bar whose callback threw counts as delivered
      const m = mid === undefined ? undefined : midSink.queue[k];
      const b = bids[k]!;
      onBar({
        timestamp: b.timestamp,
        timeframe: b.timeframe,
        synthetic: b.synthetic,
        tickCount: b.tickCount,
        bid: b,
        ask: askSink.queue[k]!,
        ...(m === undefined ? {} : { mid: m }),
      });
    }
    head = 0;
    bids.length = 0;
    askSink.queue.length = 0;
    midSink.queue.length = 0;
  };

  return {
    timeframes,
    push(quote: QuoteTick): boolean {
      deliver();
      const { timestamp, bid: bidPrice, ask: askPrice } = quote;
      // The bid engine validates the whole quote and keeps the counts: handed the ask when the bid is fine
      // but the ask is not, it rejects with the ask's reason; the other engines then cannot disagree.
      const bidValid = bidPrice > 0 && bidPrice < Number.POSITIVE_INFINITY;
      const askValid = askPrice > 0 && askPrice < Number.POSITIVE_INFINITY;
      const probe = bidValid && !askValid ? askPrice : bidPrice;
      const code = bid.offerTick(timestamp, probe, sizeOrZero(quote.bidSize));
      if (code !== ACCEPTED) {
        onReject?.(quote, rejectReasonOf(code));
        return false;
      }
      ask.offerTick(timestamp, askPrice, sizeOrZero(quote.askSize));
      mid?.offerTick(timestamp, (bidPrice + askPrice) / 2, 0);
      deliver();
      return true;
    },
    advanceTo(time: number): void {
      deliver();
      bid.advanceTo(time);
      ask.advanceTo(time);
      mid?.advanceTo(time);
      deliver();
    },
    flush(): void {
      deliver();
      bid.flush();
      ask.flush();
      mid?.flush();
      deliver();
    },
    stats: () => bid.stats(),
  };
}
