/**
 * What the HTML report shows, as plain data: the engine (or a test) collects it during a run and hands it
 * to `writeReport`. Times are UTC epoch milliseconds throughout; the report converts them for the chart.
 * Nothing here depends on the bus or the kernel, so any producer (a backtest, a notebook export) can fill it.
 */
import type { SynergyType } from '../components/synergy-detector.js';

/**
 * One candle of the price chart (the engine passes its 5-minute bars).
 *
 * @example
 * ```ts
 * const bar: ReportBar = { timestamp: Date.UTC(2024, 0, 2, 14, 30), open: 4800, high: 4803, low: 4799.5, close: 4802 };
 * ```
 */
export interface ReportBar {
  /** Bar start, UTC epoch ms. */
  readonly timestamp: number;
  /** Open price. */
  readonly open: number;
  /** High price. */
  readonly high: number;
  /** Low price. */
  readonly low: number;
  /** Close price. */
  readonly close: number;
}

/**
 * One point of a line series (NW-RQK estimate, equity).
 *
 * @example
 * ```ts
 * const point: ReportPoint = { timestamp: Date.UTC(2024, 0, 2, 15), value: 4801.7 };
 * ```
 */
export interface ReportPoint {
  /** When the value became known, UTC epoch ms; drawn on the candle containing this time. */
  readonly timestamp: number;
  /** The value. */
  readonly value: number;
}

/**
 * A fair value gap drawn as a shaded zone from the bar that created it to the bar that mitigated or
 * expired it (or the last bar, while still active).
 *
 * @example
 * ```ts
 * const zone: ReportFvgZone = {
 *   bullish: true, lower: 4801, upper: 4804.25, start: Date.UTC(2024, 0, 2, 14, 35), end: null, mitigated: false,
 * };
 * ```
 */
export interface ReportFvgZone {
  /** True for a bullish gap (shaded green), false for a bearish one (red). */
  readonly bullish: boolean;
  /** Lower edge, price. */
  readonly lower: number;
  /** Upper edge, price. */
  readonly upper: number;
  /** Start of the bar that created the gap, UTC epoch ms. */
  readonly start: number;
  /** Start of the bar that mitigated or expired it; null while active at the end of the run. */
  readonly end: number | null;
  /** True when a close crossed the gap (spec §6.4), false when it expired or is still active. */
  readonly mitigated: boolean;
}

/**
 * A synergy marker. A `SynergyEvent` (spec §10.5) is one as it is.
 *
 * @example
 * ```ts
 * const synergies: ReportSynergy[] = results.synergies; // SynergyEvent[]
 * ```
 */
export interface ReportSynergy {
  /** The pattern. */
  readonly synergy_type: SynergyType;
  /** +1 long, −1 short. */
  readonly direction: 1 | -1;
  /** When the third signal arrived (its snapshot's `asOf`, the end of the completing bar), UTC epoch ms. */
  readonly timestamp: number;
  /** Optional quality, shown in the synergy table. */
  readonly metadata?: { readonly pattern_quality: number; readonly bars_to_complete?: number };
}

/**
 * A round-trip trade. Unfilled orders (no entry) are listed in the table but not drawn.
 *
 * @example
 * ```ts
 * const trade: ReportTrade = {
 *   direction: 1, size: 2, entryTime: t0, entryPrice: 4802.25, exitTime: t1, exitPrice: 4810, pnl: 755, exitReason: 'target',
 * };
 * ```
 */
export interface ReportTrade {
  /** +1 long, −1 short. */
  readonly direction: 1 | -1;
  /** Contracts or units. */
  readonly size: number;
  /** Entry fill time, UTC epoch ms; null for an order that never filled. */
  readonly entryTime: number | null;
  /** Entry fill price. */
  readonly entryPrice: number;
  /** Exit time, UTC epoch ms. */
  readonly exitTime: number;
  /** Exit price. */
  readonly exitPrice: number;
  /** Net PnL, currency. */
  readonly pnl: number;
  /** Why it closed (stop, target, …). */
  readonly exitReason?: string;
  /** The synergy that triggered it. */
  readonly synergyType?: SynergyType;
}

/**
 * Everything `writeReport` renders.
 *
 * @example
 * ```ts
 * const data: ReportData = {
 *   title: 'ES trades 2023-12-25', simulated: false, bars, nwrqk, fvgZones, synergies, trades, equity,
 *   summary: [{ label: 'Trades', value: 12 }, { label: 'PnL', value: '1,250.00' }],
 * };
 * await writeReport('out/report.html', data);
 * ```
 */
export interface ReportData {
  /** Headline, e.g. the input file name. */
  readonly title: string;
  /** True when the data came from the built-in simulator: the report says so prominently. */
  readonly simulated: boolean;
  /** A line under the title (data source, config), optional. */
  readonly subtitle?: string;
  /** Candles, ideally in time order (they are sorted; duplicates keep the last). */
  readonly bars: readonly ReportBar[];
  /** NW-RQK estimate points (spec §5.4). */
  readonly nwrqk: readonly ReportPoint[];
  /** Fair value gap zones. */
  readonly fvgZones: readonly ReportFvgZone[];
  /** Synergies (spec §10.5 payloads or their subset). */
  readonly synergies: readonly ReportSynergy[];
  /** Closed trades. */
  readonly trades: readonly ReportTrade[];
  /** Account equity over time. */
  readonly equity: readonly ReportPoint[];
  /** Summary rows shown above the charts. */
  readonly summary?: readonly { readonly label: string; readonly value: string | number }[];
}
