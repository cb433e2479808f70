/**
 * The batch entry point: columnar ticks (`Float64Array`s) in, columnar bars out, in one call. It drives the
 * same state machine as the streaming aggregator, so its output equals `push` + `flush` exactly; the only
 * difference is the sink, which writes numbers into typed arrays instead of creating `Bar` objects.
 */
import { optionalFunction, resolveTimeBarOptions, type TimeBarOptions } from './aggregator-options.js';
import type { AggregatorStats, RejectReason } from './aggregator-stats.js';
import type { Bar, Tick } from './bar.js';
import { BarsOptionError, InvalidInputError } from './bars-error.js';
import { ACCEPTED, type BarSink, rejectReasonOf, TimeBarEngine } from './time-bar-engine.js';

/**
 * Ticks as three equally long columns: `timestamps[i]`, `prices[i]` and `sizes[i]` describe tick `i`.
 *
 * @example
 * ```ts
 * const columns: TickColumns = {
 *   timestamps: Float64Array.of(Date.UTC(2024, 0, 2, 10, 30), Date.UTC(2024, 0, 2, 10, 36)),
 *   prices: Float64Array.of(4800.25, 4801),
 *   sizes: Float64Array.of(3, 1),
 * };
 * ```
 */
export interface TickColumns {
  /** Tick times, UTC epoch ms, non-decreasing (earlier ones are rejected). */
  readonly timestamps: Float64Array;
  /** Tick prices. */
  readonly prices: Float64Array;
  /** Tick sizes. */
  readonly sizes: Float64Array;
}

/**
 * The bars of one timeframe as columns: bar `i` is `timestamp[i]`, `open[i]`, …, `synthetic[i]` (1 or 0).
 * Each column is a view of exactly `length` elements.
 *
 * @example
 * ```ts
 * function lastClose(bars: ColumnarBars): number {
 *   return bars.length === 0 ? Number.NaN : bars.close[bars.length - 1]!;
 * }
 * ```
 */
export interface ColumnarBars {
  /** The timeframe of these bars, as configured. */
  readonly timeframe: string;
  /** Number of bars. */
  readonly length: number;
  /** Bar labels (interval start, or end with `label: 'close'`), UTC epoch ms. */
  readonly timestamp: Float64Array;
  /** Opens. */
  readonly open: Float64Array;
  /** Highs. */
  readonly high: Float64Array;
  /** Lows. */
  readonly low: Float64Array;
  /** Closes. */
  readonly close: Float64Array;
  /** Volumes. */
  readonly volume: Float64Array;
  /** Accepted ticks per bar (0 for synthetic bars). */
  readonly tickCount: Float64Array;
  /** 1 for a synthetic gap-fill bar, 0 for a real one. */
  readonly synthetic: Uint8Array;
}

/**
 * Options of {@link aggregateTicks}: the shared {@link TimeBarOptions} plus batch-only ones.
 *
 * @typeParam T - the timeframe strings, so the result is keyed by exactly them
 * @example
 * ```ts
 * const options: AggregateTicksOptions<'5m' | '30m'> = { timeframes: ['5m', '30m'], gapFill: 'none' };
 * ```
 */
export interface AggregateTicksOptions<T extends string = string> extends Omit<TimeBarOptions, 'timeframes'> {
  /** The timeframes to build, e.g. `['5m', '30m']`. */
  readonly timeframes: readonly T[];
  /** Receives each rejected tick with its reason and its row index in the columns. */
  readonly onReject?: (tick: Tick, reason: RejectReason, index: number) => void;
  /** Whether to emit the bars still open after the last tick (`flush()`), default `true`. */
  readonly flush?: boolean;
}

/**
 * What {@link aggregateTicks} returns: the bars per timeframe and the aggregator's counters.
 *
 * @typeParam T - the timeframe strings
 * @example
 * ```ts
 * const { bars, stats }: AggregateTicksResult<'5m'> = aggregateTicks(columns, { timeframes: ['5m'] });
 * console.log(bars['5m'].length, stats.rejected);
 * ```
 */
export interface AggregateTicksResult<T extends string = string> {
  /** The bars of each configured timeframe. */
  readonly bars: Readonly<Record<T, ColumnarBars>>;
  /** Counters, as `stats()` of the streaming aggregator would report them. */
  readonly stats: AggregatorStats;
}

const maxInitialCapacity = 1 << 20;
const chunkRows = 4096;

/** Growable typed-array columns of one timeframe; allocation happens only when a bar overflows them. */
class BarColumns {
  length = 0;
  timestamp: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  tickCount: Float64Array;
  synthetic: Uint8Array;

  constructor(capacity: number) {
    this.timestamp = new Float64Array(capacity);
    this.open = new Float64Array(capacity);
    this.high = new Float64Array(capacity);
    this.low = new Float64Array(capacity);
    this.close = new Float64Array(capacity);
    this.volume = new Float64Array(capacity);
    this.tickCount = new Float64Array(capacity);
    this.synthetic = new Uint8Array(capacity);
  }

  grow(): void {
    const capacity = Math.max(16, this.timestamp.length * 2);
    const widen = <A extends Float64Array | Uint8Array>(old: A, make: (n: number) => A): A => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    const f64 = (n: number) => new Float64Array(n);
    this.timestamp = widen(this.timestamp, f64);
    this.open = widen(this.open, f64);
    this.high = widen(this.high, f64);
    this.low = widen(this.low, f64);
    this.close = widen(this.close, f64);
    this.volume = widen(this.volume, f64);
    this.tickCount = widen(this.tickCount, f64);
    this.synthetic = widen(this.synthetic, (n) => new Uint8Array(n));
  }

  view(timeframe: string): ColumnarBars {
    const n = this.length;
    return {
      timeframe,
      length: n,
      timestamp: this.timestamp.subarray(0, n),
      open: this.open.subarray(0, n),
      high: this.high.subarray(0, n),
      low: this.low.subarray(0, n),
      close: this.close.subarray(0, n),
      volume: this.volume.subarray(0, n),
      tickCount: this.tickCount.subarray(0, n),
      synthetic: this.synthetic.subarray(0, n),
    };
  }
}

class ColumnarSink implements BarSink {
  readonly columns: BarColumns[];

  constructor(columns: BarColumns[]) {
    this.columns = columns;
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
    const c = this.columns[frame]!;
    if (c.length === c.timestamp.length) c.grow();
    const i = c.length++;
    c.timestamp[i] = timestamp;
    c.open[i] = open;
    c.high[i] = high;
    c.low[i] = low;
    c.close[i] = close;
    c.volume[i] = volume;
    c.tickCount[i] = tickCount;
    c.synthetic[i] = synthetic ? 1 : 0;
  }
}

/** Capacity guess from the time span, so a typical run never grows its columns. */
function initialCapacity(span: number, intervalMs: number, ticks: number, gapFill: boolean): number {
  const spanned = Number.isFinite(span) && span >= 0 ? Math.ceil(span / intervalMs) + 2 : 16;
  const bound = gapFill ? spanned : Math.min(spanned, ticks + 1);
  return Math.max(16, Math.min(bound, maxInitialCapacity));
}

/**
 * Aggregates columnar ticks into columnar bars on several timeframes in one call. Same semantics and options
 * as {@link createBarAggregator} (it runs the same state machine), followed by a `flush()` unless
 * `flush: false`; a property test holds the two equal bar for bar. The per-tick loop allocates nothing:
 * columns are sized from the time span up front and only grow (by doubling) if that guess was short.
 *
 * @throws {@link InvalidInputError} when the columns are not `Float64Array`s of one length.
 * @throws {@link BarsOptionError} naming the option when an option is invalid.
 * @see spec `indicators.md` §0.1 (streaming/batch equivalence), §1
 * @example
 * ```ts
 * const { bars } = aggregateTicks(
 *   { timestamps: Float64Array.of(0, 61_000, 190_000), prices: Float64Array.of(10, 11, 9), sizes: Float64Array.of(1, 2, 3) },
 *   { timeframes: ['1m', '5m'] },
 * );
 * bars['1m'].close; // Float64Array [10, 11, 11, 9] (the 00:02 bar is synthetic)
 * bars['5m'].volume; // Float64Array [6]
 * ```
 */
export function aggregateTicks<const T extends string>(
  columns: TickColumns,
  options: AggregateTicksOptions<T>,
): AggregateTicksResult<T> {
  const { timestamps, prices, sizes } = columns ?? ({} as TickColumns);
  if (
    !(timestamps instanceof Float64Array) ||
    !(prices instanceof Float64Array) ||
    !(sizes instanceof Float64Array)
  ) {
    throw new InvalidInputError(
      'aggregateTicks: expected { timestamps, prices, sizes } as Float64Arrays, got ' +
        `${[timestamps, prices, sizes].map((c) => (c instanceof Float64Array ? 'Float64Array' : typeof c)).join(', ')}`,
    );
  }
  const n = timestamps.length;
  if (prices.length !== n || sizes.length !== n) {
    throw new InvalidInputError(
      `aggregateTicks: expected columns of one length, got timestamps ${n}, prices ${prices.length}, sizes ${sizes.length}`,
    );
  }
  const resolved = resolveTimeBarOptions(options);
  const onReject = optionalFunction<(tick: Tick, reason: RejectReason, index: number) => void>(
    options.onReject,
    'onReject',
  );
  const flush = options.flush ?? true;
  if (typeof flush !== 'boolean') throw new BarsOptionError('flush', 'true or false', flush);
  const span = n === 0 ? 0 : timestamps[n - 1]! - timestamps[0]!;
  const store = resolved.frames.map(
    (f) => new BarColumns(initialCapacity(span, f.grid.fixedMs || 82_800_000, n, resolved.gapFill)),
  );
  const engine = new TimeBarEngine(resolved, new ColumnarSink(store));
  let i = 0;
  while (i < n) {
    const to = Math.min(n, i + chunkRows);
    i = engine.offerColumns(timestamps, prices, sizes, i, to);
    if (i === to) continue;
    // offerColumns stops early only at a row that fails validation: offerTick classifies and counts it.
    const code = engine.offerTick(timestamps[i]!, prices[i]!, sizes[i]!);
    if (code !== ACCEPTED) {
      onReject?.({ timestamp: timestamps[i]!, price: prices[i]!, size: sizes[i]! }, rejectReasonOf(code), i);
    }
    i++;
  }
  if (flush) engine.flush();
  const bars = {} as Record<T, ColumnarBars>;
  resolved.frames.forEach((f, i) => {
    bars[f.timeframe as T] = store[i]!.view(f.timeframe);
  });
  return { bars, stats: engine.stats() };
}

/**
 * Bar `index` of columnar bars as a {@link Bar} object (for inspection and tests; the columns are the fast
 * form).
 *
 * @throws {@link InvalidInputError} when `index` is out of range.
 * @example
 * ```ts
 * const { bars } = aggregateTicks(columns, { timeframes: ['5m'] });
 * const first = columnarBarAt(bars['5m'], 0);
 * ```
 */
export function columnarBarAt(bars: ColumnarBars, index: number): Bar {
  if (!Number.isInteger(index) || index < 0 || index >= bars.length) {
    throw new InvalidInputError(`columnarBarAt: expected an index in [0, ${bars.length}), got ${index}`);
  }
  return {
    timestamp: bars.timestamp[index]!,
    timeframe: bars.timeframe,
    open: bars.open[index]!,
    high: bars.high[index]!,
    low: bars.low[index]!,
    close: bars.close[index]!,
    volume: bars.volume[index]!,
    synthetic: bars.synthetic[index] === 1,
    tickCount: bars.tickCount[index]!,
  };
}
