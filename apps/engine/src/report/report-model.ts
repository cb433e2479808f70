/**
 * Turns `ReportData` into the chart model the page script draws: times in UTC seconds, every series sorted
 * with unique times, every marker and line point snapped onto a candle (so the price chart's time scale holds
 * exactly the candles), and the tables pre-formatted. Pure and deterministic, so the report is testable
 * without a browser and two runs on the same data produce the same file.
 */
import type { ReportBar, ReportData, ReportPoint, ReportTrade } from './report-data.js';

/**
 * A candle in chart units.
 *
 * @example
 * ```ts
 * const candle: ChartCandle = { time: 1704205800, open: 4800, high: 4803, low: 4799.5, close: 4802 };
 * ```
 */
export interface ChartCandle {
  /** Bar start, UTC seconds. */
  readonly time: number;
  /** Open. */
  readonly open: number;
  /** High. */
  readonly high: number;
  /** Low. */
  readonly low: number;
  /** Close. */
  readonly close: number;
}

/**
 * A line point in chart units.
 *
 * @example
 * ```ts
 * const point: ChartPoint = { time: 1704205800, value: 4801.7 };
 * ```
 */
export interface ChartPoint {
  /** UTC seconds. */
  readonly time: number;
  /** Value. */
  readonly value: number;
}

/**
 * A shaded FVG zone between two candle times.
 *
 * @example
 * ```ts
 * const zone: ChartZone = { from: 1704205800, to: 1704207300, lower: 4801, upper: 4804.25, bullish: true, mitigated: true };
 * ```
 */
export interface ChartZone {
  /** First candle, UTC seconds. */
  readonly from: number;
  /** Last candle, UTC seconds. */
  readonly to: number;
  /** Lower edge. */
  readonly lower: number;
  /** Upper edge. */
  readonly upper: number;
  /** Bullish (green) or bearish (red). */
  readonly bullish: boolean;
  /** Mitigated zones are drawn fainter. */
  readonly mitigated: boolean;
}

/**
 * A marker on the candle series (lightweight-charts `SeriesMarker`).
 *
 * @example
 * ```ts
 * const marker: ChartMarker = { time: 1704205800, position: 'belowBar', shape: 'arrowUp', color: '#7b1fa2', text: 'T1', size: 2 };
 * ```
 */
export interface ChartMarker {
  /** Candle time, UTC seconds. */
  readonly time: number;
  /** Where relative to the bar or price. */
  readonly position: 'aboveBar' | 'belowBar' | 'atPriceMiddle';
  /** Shape. */
  readonly shape: 'arrowUp' | 'arrowDown' | 'circle' | 'square';
  /** CSS colour. */
  readonly color: string;
  /** Label. */
  readonly text: string;
  /** Price, for `atPriceMiddle`. */
  readonly price?: number;
  /** Size multiplier (synergies are drawn larger than trade fills). */
  readonly size?: number;
}

/**
 * A dashed segment from a trade's entry to its exit.
 *
 * @example
 * ```ts
 * const line: ChartTradeLine = { from: 1704205800, to: 1704207300, fromPrice: 4802.25, toPrice: 4810, win: true };
 * ```
 */
export interface ChartTradeLine {
  /** Entry candle, UTC seconds. */
  readonly from: number;
  /** Exit candle, UTC seconds. */
  readonly to: number;
  /** Entry price. */
  readonly fromPrice: number;
  /** Exit price. */
  readonly toPrice: number;
  /** Winning trade (green) or not (red). */
  readonly win: boolean;
}

/**
 * The page's data: everything the client script needs, already in chart units.
 *
 * @example
 * ```ts
 * const model = buildReportModel(data);
 * model.candles.length; // bars after sorting and de-duplication
 * ```
 */
export interface ReportModel {
  /** Headline. */
  readonly title: string;
  /** Sub-headline. */
  readonly subtitle: string;
  /** Simulated-data banner. */
  readonly simulated: boolean;
  /** Palette shared by the page script and the legend. */
  readonly colors: typeof REPORT_COLORS;
  /** Candles, ascending unique times. */
  readonly candles: readonly ChartCandle[];
  /** NW-RQK line, on candle times. */
  readonly nwrqk: readonly ChartPoint[];
  /** FVG zones. */
  readonly zones: readonly ChartZone[];
  /** Synergy and trade markers, ascending times. */
  readonly markers: readonly ChartMarker[];
  /** Entry → exit segments. */
  readonly tradeLines: readonly ChartTradeLine[];
  /** Equity line, ascending unique times. */
  readonly equity: readonly ChartPoint[];
  /** Summary rows. */
  readonly summary: readonly (readonly [string, string])[];
  /** Synergy table rows: time, type, direction, quality. */
  readonly synergyRows: readonly (readonly string[])[];
  /** Per synergy row, the candle time (UTC seconds) a click on it shows, or null when off the chart. */
  readonly synergyFocus: readonly (number | null)[];
  /** Trade table rows: entry, exit, side, size, entry price, exit price, PnL, reason, synergy. */
  readonly tradeRows: readonly (readonly string[])[];
  /** Per trade row, the entry candle time a click on it shows, or null. */
  readonly tradeFocus: readonly (number | null)[];
  /** What was left out of the charts and why (shown under them; nothing is dropped silently). */
  readonly notes: readonly string[];
}

/**
 * Colours shared by markers, zones, the page script and the legend (6-digit hex: the script appends alpha).
 *
 * @example
 * ```ts
 * REPORT_COLORS.nwrqk; // '#2962ff'
 * ```
 */
export const REPORT_COLORS = Object.freeze({
  up: '#26a69a',
  down: '#ef5350',
  nwrqk: '#2962ff',
  synergyLong: '#7b1fa2',
  synergyShort: '#ff6d00',
  entry: '#1565c0',
  equity: '#455a64',
});

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * UTC time as `2024-01-02 14:35` (minutes precision), as the report's tables show it.
 *
 * @example
 * ```ts
 * formatUtc(Date.UTC(2024, 0, 2, 14, 35)); // '2024-01-02 14:35'
 * ```
 */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function sortedUniqueBars(bars: readonly ReportBar[]): { candles: ChartCandle[]; dropped: number } {
  const valid = bars.filter(
    (b) =>
      Number.isFinite(b.timestamp) &&
      Number.isFinite(b.open) &&
      Number.isFinite(b.high) &&
      Number.isFinite(b.low) &&
      Number.isFinite(b.close),
  );
  const sorted = valid.slice().sort((a, b) => a.timestamp - b.timestamp);
  const candles: ChartCandle[] = [];
  let duplicates = 0;
  for (const b of sorted) {
    const candle = { time: seconds(b.timestamp), open: b.open, high: b.high, low: b.low, close: b.close };
    const last = candles[candles.length - 1];
    if (last !== undefined && last.time === candle.time) {
      candles[candles.length - 1] = candle;
      duplicates++;
    } else {
      candles.push(candle);
    }
  }
  return { candles, dropped: bars.length - valid.length + duplicates };
}

/**
 * The candle containing `ms`: the last candle whose start is ≤ `ms` (binary search), or undefined before
 * the first candle or more than `reachMs` after the last candle's start (default: one candle interval).
 */
function candleAt(candles: readonly ChartCandle[], ms: number, reachMs?: number): number | undefined {
  const t = ms / 1000;
  let lo = 0;
  let hi = candles.length - 1;
  if (hi < 0 || t < candles[0]!.time) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (candles[mid]!.time <= t) lo = mid;
    else hi = mid - 1;
  }
  // Past the last candle by more than its reach: the event lies outside the charted range.
  const last = candles[candles.length - 1]!;
  const reach =
    reachMs === undefined
      ? candles.length > 1
        ? last.time - candles[candles.length - 2]!.time
        : 300
      : reachMs / 1000;
  if (lo === candles.length - 1 && t >= last.time + reach) return undefined;
  return candles[lo]!.time;
}

function snappedLine(
  candles: readonly ChartCandle[],
  points: readonly ReportPoint[],
  offsetMs: number,
  reachMs: number,
): { line: ChartPoint[]; outside: number } {
  const line: ChartPoint[] = [];
  let outside = 0;
  const sorted = points.filter((p) => Number.isFinite(p.value)).sort((a, b) => a.timestamp - b.timestamp);
  for (const p of sorted) {
    const time = candleAt(candles, p.timestamp + offsetMs, reachMs);
    if (time === undefined) {
      outside++;
      continue;
    }
    const last = line[line.length - 1];
    if (last !== undefined && last.time === time) line[line.length - 1] = { time, value: p.value };
    else line.push({ time, value: p.value });
  }
  return { line, outside: outside + (points.length - sorted.length) };
}

function equityLine(points: readonly ReportPoint[], lastCandle: number | undefined): ChartPoint[] {
  const line: ChartPoint[] = [];
  const sorted = points.filter((p) => Number.isFinite(p.value)).sort((a, b) => a.timestamp - b.timestamp);
  for (const p of sorted) {
    const time = seconds(p.timestamp);
    const last = line[line.length - 1];
    if (last !== undefined && last.time === time) line[line.length - 1] = { time, value: p.value };
    else line.push({ time, value: p.value });
  }
  // Equity is unchanged after the last closed trade: draw it flat to the end of the run.
  const last = line[line.length - 1];
  if (last !== undefined && lastCandle !== undefined && lastCandle > last.time) {
    line.push({ time: lastCandle, value: last.value });
  }
  return line;
}

const money = (x: number): string =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : '—';
const price = (x: number): string => (Number.isFinite(x) ? String(Number(x.toFixed(6))) : '—');

function tradeRow(t: ReportTrade): string[] {
  return [
    t.entryTime === null ? 'not filled' : formatUtc(t.entryTime),
    formatUtc(t.exitTime),
    t.direction === 1 ? 'long' : 'short',
    String(t.size),
    price(t.entryPrice),
    price(t.exitPrice),
    money(t.pnl),
    t.exitReason ?? '',
    t.synergyType ?? '',
  ];
}

/**
 * Builds the chart model from report data.
 *
 * - Candles: invalid bars (non-finite fields) are dropped, the rest sorted; a repeated start keeps the last.
 * - NW-RQK points are drawn on the candle containing `timestamp − 1 ms` (the bar whose close produced
 *   them when `timestamp` is the 30-minute bar's end), synergies on the candle ending at their `asOf`,
 *   trade entries and exits on the candle containing the fill time.
 * - The equity line is extended flat to the last candle (equity does not change without a trade).
 * - Anything outside the charted range is counted in `notes`.
 *
 * @example
 * ```ts
 * const model = buildReportModel({ title: 'demo', simulated: true, bars, nwrqk: [], fvgZones: [], synergies: [], trades: [], equity: [] });
 * ```
 */
export function buildReportModel(data: ReportData): ReportModel {
  const notes: string[] = [];
  const { candles, dropped } = sortedUniqueBars(data.bars);
  if (dropped > 0)
    notes.push(`${dropped} bars with non-finite fields or repeated start times were not charted.`);

  // A 30-minute value closed by an end-of-stream flush ends after the last 5-minute candle: it still belongs
  // on that candle, the last one of its bar, so NW-RQK points reach up to 30 minutes past a candle's start.
  const { line: nwrqk, outside: nwrqkOutside } = snappedLine(candles, data.nwrqk, -1, 30 * 60_000);
  if (nwrqkOutside > 0) notes.push(`${nwrqkOutside} NW-RQK points fall outside the charted bars.`);

  const lastTime = candles[candles.length - 1]?.time;
  const zones: ChartZone[] = [];
  let zonesOutside = 0;
  for (const z of data.fvgZones) {
    const from = candleAt(candles, z.start);
    const to = z.end === null ? lastTime : candleAt(candles, z.end);
    if (from === undefined || to === undefined || !(z.upper > z.lower)) {
      zonesOutside++;
      continue;
    }
    zones.push({ from, to, lower: z.lower, upper: z.upper, bullish: z.bullish, mitigated: z.mitigated });
  }
  zones.sort((a, b) => a.from - b.from || a.lower - b.lower);
  if (zonesOutside > 0) notes.push(`${zonesOutside} FVG zones fall outside the charted bars.`);

  const markers: ChartMarker[] = [];
  let synergiesOutside = 0;
  for (const s of data.synergies) {
    const time = candleAt(candles, s.timestamp - 1);
    if (time === undefined) {
      synergiesOutside++;
      continue;
    }
    const long = s.direction === 1;
    markers.push({
      time,
      position: long ? 'belowBar' : 'aboveBar',
      shape: long ? 'arrowUp' : 'arrowDown',
      color: long ? REPORT_COLORS.synergyLong : REPORT_COLORS.synergyShort,
      text: s.synergy_type.replace('TYPE_', 'T'),
      size: 2,
    });
  }
  if (synergiesOutside > 0) notes.push(`${synergiesOutside} synergies fall outside the charted bars.`);

  const tradeLines: ChartTradeLine[] = [];
  let tradesNotDrawn = 0;
  for (const t of data.trades) {
    const entry = t.entryTime === null ? undefined : candleAt(candles, t.entryTime);
    const exit = candleAt(candles, t.exitTime);
    if (
      entry === undefined ||
      exit === undefined ||
      !Number.isFinite(t.entryPrice) ||
      !Number.isFinite(t.exitPrice)
    ) {
      tradesNotDrawn++;
      continue;
    }
    const win = t.pnl > 0;
    markers.push({
      time: entry,
      position: 'atPriceMiddle',
      price: t.entryPrice,
      shape: 'circle',
      color: REPORT_COLORS.entry,
      text: t.direction === 1 ? 'L' : 'S',
    });
    markers.push({
      time: exit,
      position: 'atPriceMiddle',
      price: t.exitPrice,
      shape: 'square',
      color: win ? REPORT_COLORS.up : REPORT_COLORS.down,
      text: 'x',
    });
    tradeLines.push({ from: entry, to: exit, fromPrice: t.entryPrice, toPrice: t.exitPrice, win });
  }
  if (tradesNotDrawn > 0)
    notes.push(`${tradesNotDrawn} trades (unfilled or outside the charted bars) are not drawn.`);
  // The markers plugin expects ascending times; a stable sort keeps synergy-before-trade order per candle.
  markers.sort((a, b) => a.time - b.time);

  const sortedSynergies = data.synergies.slice().sort((a, b) => a.timestamp - b.timestamp);
  const synergyRows = sortedSynergies.map((s) => [
    formatUtc(s.timestamp),
    s.synergy_type,
    s.direction === 1 ? 'long' : 'short',
    s.metadata === undefined ? '' : s.metadata.pattern_quality.toFixed(3),
  ]);
  const synergyFocus = sortedSynergies.map((s) => candleAt(candles, s.timestamp - 1) ?? null);
  const tradeFocus = data.trades.map((t) =>
    t.entryTime === null ? null : (candleAt(candles, t.entryTime) ?? null),
  );

  return {
    title: data.title,
    subtitle: data.subtitle ?? '',
    simulated: data.simulated,
    colors: REPORT_COLORS,
    candles,
    nwrqk,
    zones,
    markers,
    tradeLines,
    equity: equityLine(data.equity, lastTime),
    summary: (data.summary ?? []).map((row) => [row.label, String(row.value)] as const),
    synergyRows,
    synergyFocus,
    tradeRows: data.trades.map(tradeRow),
    tradeFocus,
    notes,
  };
}
