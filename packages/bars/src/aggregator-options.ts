/**
 * The options every time-bar aggregator shares (timeframes, alignment, gaps, labels) and their validation
 * into the resolved form the state machine runs on. Entry-point-specific options (callbacks, quote sides)
 * live with their entry points.
 */
import type { GapCapReport } from './aggregator-stats.js';
import { BarsOptionError } from './bars-error.js';
import { createIntervalGrid, type IntervalGrid, type SessionStart } from './interval-grid.js';
import type { SessionCalendar } from './session-calendar.js';
import { parseTimeframe } from './timeframe.js';
import { assertTimeZone } from './zoned-time.js';

/**
 * How empty intervals are treated. `'forward-fill'` (or `true`, the spec's boolean form) emits a synthetic
 * bar per empty interval (OHLC = previous close, volume 0, `synthetic: true`), spec §1.4 step 4b; `'none'`
 * (or `false`) emits nothing for them. Default `'forward-fill'`.
 *
 * @example
 * ```ts
 * const gapFill: GapFill = 'none'; // bars only where ticks are, as vendors publish them
 * ```
 */
export type GapFill = 'forward-fill' | 'none' | boolean;

/**
 * Which instant labels a bar: `'open'` (the interval start, spec §0.4, default) or `'close'` (the interval
 * end, as some vendors label their bars).
 *
 * @example
 * ```ts
 * const label: BarLabel = 'close'; // the 10:30-10:35 bar is stamped 10:35
 * ```
 */
export type BarLabel = 'open' | 'close';

/**
 * Options shared by the tick aggregator, the batch API, the bar resampler and the quote aggregator.
 *
 * @example
 * ```ts
 * const options: TimeBarOptions = {
 *   timeframes: ['5m', '30m', '1d'],
 *   gapFill: 'forward-fill',
 *   sessionStart: { timeZone: 'America/Chicago', time: '17:00' },
 *   maxGapBars: 12,
 * };
 * ```
 */
export interface TimeBarOptions {
  /**
   * The timeframes to build, e.g. `['5m', '30m']`: a positive integer and `s`, `m`, `h` or `d`. Bars of
   * different timeframes closing together are emitted shortest first (spec §1.4), whatever the order here.
   */
  readonly timeframes: readonly string[];
  /** Gap treatment; default `'forward-fill'` (spec §1.4 `gapFill: true`). */
  readonly gapFill?: GapFill;
  /**
   * When set, an empty interval is filled only if the calendar says the market is open at its start, so
   * weekends, daily halts and holidays produce no flat bars. Default: fill every empty interval (spec §1.4).
   */
  readonly sessions?: SessionCalendar;
  /** At most this many synthetic bars per gap (per timeframe); the rest are counted and reported. Default ∞. */
  readonly maxGapBars?: number;
  /** Called once per gap that hit `maxGapBars`, with how many intervals it left empty. */
  readonly onGapCapped?: (gap: GapCapReport) => void;
  /** Label bars by interval start (`'open'`, default) or end (`'close'`). */
  readonly label?: BarLabel;
  /**
   * Drop the first bar of each timeframe when the stream started after its interval start (it would hold
   * only part of the interval's ticks). Its close still seeds gap filling. Default `false`.
   */
  readonly skipFirstPartialBar?: boolean;
  /**
   * Shifts the grid of sub-day timeframes: intervals start at `origin + k · length` (UTC epoch ms).
   * Default 0, i.e. spec §1.3 flooring. E.g. `origin: 60_000` makes 5-minute bars start at :01, :06, ….
   */
  readonly origin?: number;
  /**
   * Whether `advanceTo(time)` also emits synthetic bars for empty intervals that ended by `time` (default
   * `true`; only with gap filling on). With `false`, `advanceTo` only closes bars that hold ticks, and the
   * synthetic bars of a gap are emitted when the next tick arrives, exactly as without `advanceTo`.
   */
  readonly fillOnAdvance?: boolean;
  /**
   * Aligns timeframes of whole days to a local session start in an IANA zone, e.g. 17:00 America/Chicago;
   * such a day lasts 23 or 25 hours across DST changes. Default: days start at UTC midnight (+ `origin`).
   */
  readonly sessionStart?: SessionStart;
}

/** @internal */
export interface ResolvedFrame {
  readonly timeframe: string;
  readonly grid: IntervalGrid;
}

/** @internal */
export interface ResolvedOptions {
  /** Frames sorted shortest first. */
  readonly frames: readonly ResolvedFrame[];
  readonly gapFill: boolean;
  readonly sessions: SessionCalendar | undefined;
  readonly maxGapBars: number;
  readonly onGapCapped: ((gap: GapCapReport) => void) | undefined;
  readonly labelClose: boolean;
  readonly skipFirstPartialBar: boolean;
  readonly fillOnAdvance: boolean;
}

/** @internal */
export function optionalFunction<F>(value: unknown, path: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new BarsOptionError(path, 'a function', value);
  return value as F;
}

function optionalBoolean(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new BarsOptionError(path, 'true or false', value);
  return value;
}

/** @internal */
export function resolveGapFill(value: unknown): boolean {
  if (value === undefined || value === true || value === 'forward-fill') return true;
  if (value === false || value === 'none') return false;
  throw new BarsOptionError('gapFill', "'forward-fill', 'none', true or false", value);
}

/**
 * Validates the shared options, naming the failing option path in the error.
 * @internal
 */
export function resolveTimeBarOptions(options: TimeBarOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new BarsOptionError('options', 'an options object', options);
  }
  const { timeframes } = options;
  if (!Array.isArray(timeframes) || timeframes.length === 0) {
    throw new BarsOptionError(
      'timeframes',
      "a non-empty array of timeframes such as ['5m', '30m']",
      timeframes,
    );
  }
  const origin = options.origin ?? 0;
  if (typeof origin !== 'number' || !Number.isFinite(origin)) {
    throw new BarsOptionError('origin', 'a finite number of milliseconds', origin);
  }
  const sessionStart = options.sessionStart;
  if (sessionStart !== undefined) {
    if (typeof sessionStart !== 'object' || sessionStart === null) {
      throw new BarsOptionError(
        'sessionStart',
        "{ timeZone: 'America/Chicago', time: '17:00' }",
        sessionStart,
      );
    }
    assertTimeZone(sessionStart.timeZone, 'sessionStart.timeZone');
  }
  const seen = new Set<string>();
  const frames = timeframes.map((timeframe: unknown, i) => {
    const path = `timeframes[${i}]`;
    if (typeof timeframe !== 'string') {
      throw new BarsOptionError(path, "a timeframe string such as '5m'", timeframe);
    }
    if (seen.has(timeframe)) throw new BarsOptionError(path, 'each timeframe once', timeframe);
    seen.add(timeframe);
    return { timeframe, grid: createIntervalGrid(timeframe, origin, sessionStart, path) };
  });
  // Stable sort: equal lengths ('60m', '1h') keep the caller's order.
  frames.sort((a, b) => parseTimeframe(a.timeframe) - parseTimeframe(b.timeframe));
  const maxGapBars = options.maxGapBars ?? Number.POSITIVE_INFINITY;
  if (
    typeof maxGapBars !== 'number' ||
    !(maxGapBars >= 0) ||
    !(Number.isInteger(maxGapBars) || maxGapBars === Infinity)
  ) {
    throw new BarsOptionError('maxGapBars', 'a non-negative integer (or Infinity)', maxGapBars);
  }
  const label = options.label ?? 'open';
  if (label !== 'open' && label !== 'close') throw new BarsOptionError('label', "'open' or 'close'", label);
  if (options.sessions !== undefined && typeof options.sessions?.isOpen !== 'function') {
    throw new BarsOptionError(
      'sessions',
      'a SessionCalendar (an object with isOpen(time))',
      options.sessions,
    );
  }
  return {
    frames,
    gapFill: resolveGapFill(options.gapFill),
    sessions: options.sessions,
    maxGapBars,
    onGapCapped: optionalFunction(options.onGapCapped, 'onGapCapped'),
    labelClose: label === 'close',
    skipFirstPartialBar: optionalBoolean(options.skipFirstPartialBar, 'skipFirstPartialBar', false),
    fillOnAdvance: optionalBoolean(options.fillOnAdvance, 'fillOnAdvance', true),
  };
}
