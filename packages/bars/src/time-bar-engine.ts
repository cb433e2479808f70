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

/**
 * The per-tick fields of every frame live in one `Float64Array`, `STRIDE` slots per frame: unboxed doubles
 * the hot loops read and write in place (object fields holding doubles would each be a boxed number).
 */
const END = 0; // end of the open bar, or -Infinity when none is open: the per-tick test is `time < end`
const HIGH = 1;
const LOW = 2;
const CLOSE = 3;
const VOLUME = 4;
const COUNT = 5;
const STRIDE = 8;
const MIN_TIME = 0;
const LAST_TIME = 1;

/** The colder state of one timeframe: grid, open bar's start and open, what gap filling needs. */
class Frame {
  readonly index: number;
  /** Offset of this frame's per-tick fields in the engine's state array. */
  readonly base: number;
  readonly timeframe: string;
  readonly grid: IntervalGrid;
  start = Number.NaN;
  barEnd = Number.NaN;
  open = 0;
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
    this.base = index * STRIDE;
    this.timeframe = timeframe;
    this.grid = grid;
  }
}

/** @internal */
export class TimeBarEngine {
  readonly frames: Frame[];
  readonly options: ResolvedOptions;
  private readonly state: Float64Array;
  sink: BarSink;
  /**
   * `[MIN_TIME]`: inputs earlier than this are rejected, max(last accepted time, closed watermark);
   * `[LAST_TIME]`: the last accepted time. Typed slots, so the per-tick stores write unboxed doubles.
   */
  private readonly clock = Float64Array.of(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY);
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
    this.state = new Float64Array(this.frames.length * STRIDE);
    for (const f of this.frames) this.state[f.base + END] = Number.NEGATIVE_INFINITY;
  }

  /** Validates and applies one tick; returns {@link ACCEPTED} or a reject code. */
  offerTick(time: number, price: number, size: number): number {
    if (!(price > 0 && price < Number.POSITIVE_INFINITY)) {
      return this.reject(Number.isFinite(price) ? PRICE_NOT_POSITIVE : PRICE_NOT_FINITE);
    }
    if (!(time >= this.clock[MIN_TIME]! && time < Number.POSITIVE_INFINITY)) return this.rejectTime(time);
    if (!(size >= 0 && size < Number.POSITIVE_INFINITY)) {
      size = 0;
      this.sizesZeroed++;
    }
    this.accepted++;
    this.clock[MIN_TIME] = time;
    this.clock[LAST_TIME] = time;
    const s = this.state;
    for (let b = 0; b < s.length; b += STRIDE) {
      if (time < s[b]!) {
        // high >= low always holds, so a new high cannot also be a new low.
        if (price > s[b + HIGH]!) s[b + HIGH] = price;
        else if (price < s[b + LOW]!) s[b + LOW] = price;
        s[b + CLOSE] = price;
        s[b + VOLUME]! += size;
        s[b + COUNT]!++;
      } else {
        this.roll(this.frames[b / STRIDE]!, time, time, price, price, price, price, size, 1);
      }
    }
    return ACCEPTED;
  }

  /**
   * Applies rows `from` to `to` (exclusive) of columnar ticks, stopping early at the first row that fails
   * validation; returns the index it stopped at. The caller passes a failing row to {@link offerTick}, which
   * classifies and counts it, and resumes after it. This is `offerTick`'s loop with the clock and counters
   * in locals: the batch path's speed is this loop's speed. Callers pass chunks of a few thousand rows so the
   * function is optimised as a whole, with feedback for its exit, instead of only on-stack mid-loop.
   */
  offerColumns(
    timestamps: Float64Array,
    prices: Float64Array,
    sizes: Float64Array,
    from: number,
    to: number,
  ): number {
    const s = this.state;
    const width = s.length;
    const frames = this.frames;
    let minTime = this.clock[MIN_TIME]!;
    let zeroed = 0;
    let i = from;
    for (; i < to; i++) {
      const time = timestamps[i]!;
      const price = prices[i]!;
      let size = sizes[i]!;
      if (
        !(price > 0 && price < Number.POSITIVE_INFINITY && time >= minTime && time < Number.POSITIVE_INFINITY)
      ) {
        break;
      }
      if (!(size >= 0 && size < Number.POSITIVE_INFINITY)) {
        size = 0;
        zeroed++;
      }
      minTime = time;
      for (let b = 0; b < width; b += STRIDE) {
        if (time < s[b]!) {
          if (price > s[b + HIGH]!) s[b + HIGH] = price;
          else if (price < s[b + LOW]!) s[b + LOW] = price;
          s[b + CLOSE] = price;
          s[b + VOLUME]! += size;
          s[b + COUNT]!++;
        } else {
          this.roll(frames[b / STRIDE]!, time, time, price, price, price, price, size, 1);
        }
      }
    }
    this.accepted += i - from;
    this.sizesZeroed += zeroed;
    this.clock[MIN_TIME] = minTime;
    if (i > from) this.clock[LAST_TIME] = minTime;
    return i;
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
    for (const price of [open, high, low, close]) {
      if (!(price > 0 && price < Number.POSITIVE_INFINITY)) {
        return this.reject(Number.isFinite(price) ? PRICE_NOT_POSITIVE : PRICE_NOT_FINITE);
      }
    }
    if (!(time >= this.clock[MIN_TIME]! && time < Number.POSITIVE_INFINITY)) return this.rejectTime(time);
    if (high < open || high < close || low > open || low > close) return this.reject(BAR_INCONSISTENT);
    const s = this.state;
    for (const f of this.frames) {
      const openEnd = s[f.base + END]!;
      const frameEnd = time < openEnd ? openEnd : f.grid.nextStart(f.grid.bucketStart(time));
      if (end > frameEnd) return this.reject(BAR_STRADDLES);
    }
    if (!(volume >= 0 && volume < Number.POSITIVE_INFINITY)) {
      volume = 0;
      this.sizesZeroed++;
    }
    this.accepted++;
    this.clock[MIN_TIME] = time;
    this.clock[LAST_TIME] = time;
    for (const f of this.frames) {
      const b = f.base;
      if (time < s[b + END]!) {
        if (high > s[b + HIGH]!) s[b + HIGH] = high;
        if (low < s[b + LOW]!) s[b + LOW] = low;
        s[b + CLOSE] = close;
        s[b + VOLUME]! += volume;
        s[b + COUNT]! += tickCount;
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
    return this.reject(time < this.clock[LAST_TIME]! ? TIMESTAMP_BEFORE_LAST : TIMESTAMP_IN_CLOSED_BAR);
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
    f.open = open;
    f.hasBar = true;
    const s = this.state;
    const b = f.base;
    s[b + END] = f.barEnd;
    s[b + HIGH] = high;
    s[b + LOW] = low;
    s[b + CLOSE] = close;
    s[b + VOLUME] = volume;
    s[b + COUNT] = count;
    f.gapRun = 0;
    if (!f.seenFirst) {
      f.seenFirst = true;
      f.skipPending = this.options.skipFirstPartialBar && firstTime > start;
    }
  }

  private closeBar(f: Frame): void {
    const s = this.state;
    const b = f.base;
    f.hasBar = false;
    s[b + END] = Number.NEGATIVE_INFINITY;
    f.nextStart = f.barEnd;
    f.lastClose = s[b + CLOSE]!;
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
      s[b + HIGH]!,
      s[b + LOW]!,
      s[b + CLOSE]!,
      s[b + VOLUME]!,
      s[b + COUNT]!,
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
    if (this.watermark > this.clock[MIN_TIME]!) this.clock[MIN_TIME] = this.watermark;
  }

  /** Emits every open bar (never synthetic ones); later inputs inside those intervals are rejected. */
  flush(): void {
    for (const f of this.frames) {
      if (!f.hasBar) continue;
      this.closeBar(f);
      if (f.nextStart > this.watermark) this.watermark = f.nextStart;
    }
    if (this.watermark > this.clock[MIN_TIME]!) this.clock[MIN_TIME] = this.watermark;
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
      lastTimestamp: this.accepted === 0 ? null : this.clock[LAST_TIME]!,
    };
  }
}
