/**
 * The one state machine behind every entry point (streaming ticks, batch columns, bars from bars, quote
 * sides): spec §1.2 validation and the §1.4 per-timeframe state machine, generalised with gap caps,
 * session calendars, labels, partial-bar skipping and clock-driven closing. It emits bars as plain numbers
 * into a {@link BarSink}, so the batch path writes columns without creating an object per tick or per bar.
 * Not exported from the package.
 */
import type { ResolvedOptions } from './aggregator-options.js';
import type { AggregatorStats, RejectReason } from './aggregator-stats.js';
import { rejectReasons } from './aggregator-stats.js';
import { InvalidInputError } from './bars-error.js';
import type { IntervalGrid } from './interval-grid.js';

/**
 * Receives every emitted bar as numbers; `frame` indexes the engine's frames (shortest timeframe first).
 * @internal
 */
export interface BarSink {
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
  ): void;
}

/** Reject codes returned by the offer methods: 0 = accepted, else 1 + index into `rejectReasons`. @internal */
export const ACCEPTED = 0;
const PRICE_NOT_FINITE = 1;
const PRICE_NOT_POSITIVE = 2;
const TIMESTAMP_NOT_FINITE = 3;
const TIMESTAMP_BEFORE_LAST = 4;
const TIMESTAMP_IN_CLOSED_BAR = 5;
const BAR_INCONSISTENT = 6;
const BAR_STRADDLES = 7;

/** The reason name of a non-zero reject code. @internal */
export function rejectReasonOf(code: number): RejectReason {
  return rejectReasons[code - 1]!;
}

/** State of one timeframe: the open bar (if any) and what gap filling needs. */
class Frame {
  readonly index: number;
  readonly timeframe: string;
  readonly grid: IntervalGrid;
  /** End of the open bar, or -Infinity when no bar is open: the per-tick test is `time < end`. */
  end = Number.NEGATIVE_INFINITY;
  start = Number.NaN;
  barEnd = Number.NaN;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  volume = 0;
  count = 0;
  hasBar = false;
  /** Start of the first interval not yet emitted or accounted for; NaN before the first bar. */
  nextStart = Number.NaN;
  lastClose = Number.NaN;
  /** Synthetic bars emitted since the last real bar opened (the per-gap cap counts these). */
  gapRun = 0;
  seenFirst = false;
  skipPending = false;

  constructor(index: number, timeframe: string, grid: IntervalGrid) {
    this.index = index;
    this.timeframe = timeframe;
    this.grid = grid;
  }
}

/** @internal */
export class TimeBarEngine {
  readonly frames: Frame[];
  readonly options: ResolvedOptions;
  sink: BarSink;
  /** Inputs earlier than this are rejected: max(last accepted time, closed watermark). */
  private minTime = Number.NEGATIVE_INFINITY;
  private lastTime = Number.NEGATIVE_INFINITY;
  private watermark = Number.NEGATIVE_INFINITY;
  private accepted = 0;
  private readonly rejected = new Float64Array(rejectReasons.length);
  private sizesZeroed = 0;
  private bars = 0;
  private syntheticBars = 0;
  private partialBarsSkipped = 0;
  private gapIntervalsMarketClosed = 0;
  private gapIntervalsOverCap = 0;

  constructor(options: ResolvedOptions, sink: BarSink) {
    this.options = options;
    this.sink = sink;
    this.frames = options.frames.map((f, i) => new Frame(i, f.timeframe, f.grid));
  }

  /** Validates and applies one tick; returns {@link ACCEPTED} or a reject code. */
  offerTick(time: number, price: number, size: number): number {
    if (!(price > 0 && price < Number.POSITIVE_INFINITY)) {
      return this.reject(Number.isFinite(price) ? PRICE_NOT_POSITIVE : PRICE_NOT_FINITE);
    }
    if (!(time >= this.minTime && time < Number.POSITIVE_INFINITY)) return this.rejectTime(time);
    if (!(size >= 0 && size < Number.POSITIVE_INFINITY)) {
      size = 0;
      this.sizesZeroed++;
    }
    this.accepted++;
    this.minTime = time;
    this.lastTime = time;
    const frames = this.frames;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!;
      if (time < f.end) {
        // high >= low always holds, so a new high cannot also be a new low.
        if (price > f.high) f.high = price;
        else if (price < f.low) f.low = price;
        f.close = price;
        f.volume += size;
        f.count++;
      } else {
        this.roll(f, time, time, price, price, price, price, size, 1);
      }
    }
    return ACCEPTED;
  }

  /**
   * Validates and applies one finer bar starting at `time` and ending at `end` (exclusive); returns
   * {@link ACCEPTED} or a reject code.
   */
  offerBar(
    time: number,
    end: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    tickCount: number,
  ): number {
    const prices = [open, high, low, close];
    for (const price of prices) {
      if (!(price > 0 && price < Number.POSITIVE_INFINITY)) {
        return this.reject(Number.isFinite(price) ? PRICE_NOT_POSITIVE : PRICE_NOT_FINITE);
      }
    }
    if (!(time >= this.minTime && time < Number.POSITIVE_INFINITY)) return this.rejectTime(time);
    if (high < open || high < close || low > open || low > close) return this.reject(BAR_INCONSISTENT);
    for (const f of this.frames) {
      const frameEnd = time < f.end ? f.end : f.grid.nextStart(f.grid.bucketStart(time));
      if (end > frameEnd) return this.reject(BAR_STRADDLES);
    }
    if (!(volume >= 0 && volume < Number.POSITIVE_INFINITY)) {
      volume = 0;
      this.sizesZeroed++;
    }
    this.accepted++;
    this.minTime = time;
    this.lastTime = time;
    for (const f of this.frames) {
      if (time < f.end) {
        if (high > f.high) f.high = high;
        if (low < f.low) f.low = low;
        f.close = close;
        f.volume += volume;
        f.count += tickCount;
      } else {
        this.roll(f, time, time, open, high, low, close, volume, tickCount);
      }
    }
    return ACCEPTED;
  }

  private reject(code: number): number {
    this.rejected[code - 1]!++;
    return code;
  }

  private rejectTime(time: number): number {
    if (!Number.isFinite(time)) return this.reject(TIMESTAMP_NOT_FINITE);
    return this.reject(time < this.lastTime ? TIMESTAMP_BEFORE_LAST : TIMESTAMP_IN_CLOSED_BAR);
  }

  /** The input at `time` falls outside the open bar: close it, fill the gap, open the next bar. */
  private roll(
    f: Frame,
    time: number,
    firstTime: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    count: number,
  ): void {
    const start = f.grid.bucketStart(time);
    if (f.hasBar) this.closeBar(f);
    if (f.nextStart < start) this.fillGap(f, start);
    f.start = start;
    f.barEnd = f.grid.nextStart(start);
    f.end = f.barEnd;
    f.open = open;
    f.high = high;
    f.low = low;
    f.close = close;
    f.volume = volume;
    f.count = count;
    f.hasBar = true;
    f.gapRun = 0;
    if (!f.seenFirst) {
      f.seenFirst = true;
      f.skipPending = this.options.skipFirstPartialBar && firstTime > start;
    }
  }

  private closeBar(f: Frame): void {
    f.hasBar = false;
    f.end = Number.NEGATIVE_INFINITY;
    f.nextStart = f.barEnd;
    f.lastClose = f.close;
    if (f.skipPending) {
      f.skipPending = false;
      this.partialBarsSkipped++;
      return;
    }
    this.bars++;
    this.sink.bar(
      f.index,
      this.options.labelClose ? f.barEnd : f.start,
      f.open,
      f.high,
      f.low,
      f.close,
      f.volume,
      f.count,
      false,
    );
  }

  /** Accounts for every empty interval from `f.nextStart` up to (excluding) `to`. */
  private fillGap(f: Frame, to: number): void {
    const from = f.nextStart;
    f.nextStart = to;
    if (!this.options.gapFill) return;
    const { sessions, maxGapBars, labelClose } = this.options;
    const grid = f.grid;
    const price = f.lastClose;
    let filled = 0;
    let omitted = 0;
    let start = from;
    while (start < to) {
      const next = grid.nextStart(start);
      if (sessions !== undefined && !sessions.isOpen(start)) {
        this.gapIntervalsMarketClosed++;
      } else if (f.gapRun >= maxGapBars) {
        if (sessions === undefined && grid.fixedMs > 0) {
          // Nothing left to ask per interval: count the rest instead of walking a possibly huge gap.
          omitted += Math.round((to - start) / grid.fixedMs);
          break;
        }
        omitted++;
      } else {
        f.gapRun++;
        filled++;
        this.syntheticBars++;
        this.sink.bar(f.index, labelClose ? next : start, price, price, price, price, 0, 0, true);
      }
      start = next;
    }
    if (omitted > 0) {
      this.gapIntervalsOverCap += omitted;
      this.options.onGapCapped?.({ timeframe: f.timeframe, from, to, filled, omitted });
    }
  }

  /** Closes every bar whose interval ended by `time`; fills elapsed empty intervals when configured. */
  advanceTo(time: number): void {
    if (typeof time !== 'number' || !Number.isFinite(time)) {
      throw new InvalidInputError(`advanceTo: expected a finite UTC epoch-ms time, got ${String(time)}`);
    }
    const fill = this.options.fillOnAdvance;
    for (const f of this.frames) {
      if (f.hasBar && f.barEnd <= time) this.closeBar(f);
      const current = f.grid.bucketStart(time);
      if (fill && !f.hasBar && f.nextStart < current) this.fillGap(f, current);
      if (current > this.watermark) this.watermark = current;
    }
    if (this.watermark > this.minTime) this.minTime = this.watermark;
  }

  /** Emits every open bar (never synthetic ones); later inputs inside those intervals are rejected. */
  flush(): void {
    for (const f of this.frames) {
      if (!f.hasBar) continue;
      this.closeBar(f);
      if (f.nextStart > this.watermark) this.watermark = f.nextStart;
    }
    if (this.watermark > this.minTime) this.minTime = this.watermark;
  }

  stats(): AggregatorStats {
    const rejectedByReason = {} as Record<RejectReason, number>;
    let rejected = 0;
    rejectReasons.forEach((reason, i) => {
      rejectedByReason[reason] = this.rejected[i]!;
      rejected += this.rejected[i]!;
    });
    return {
      accepted: this.accepted,
      rejected,
      rejectedByReason,
      sizesZeroed: this.sizesZeroed,
      bars: this.bars,
      syntheticBars: this.syntheticBars,
      partialBarsSkipped: this.partialBarsSkipped,
      gapIntervalsMarketClosed: this.gapIntervalsMarketClosed,
      gapIntervalsOverCap: this.gapIntervalsOverCap,
      lastTimestamp: this.accepted === 0 ? null : this.lastTime,
    };
  }
}
