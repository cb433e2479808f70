/**
 * Collects what the report shows while the engine runs: 5-minute bars, the NW-RQK estimate after each
 * 30-minute bar, fair value gap zones, synergies, closed trades and the equity they add up to. It is a kernel
 * component on the engine's bus, registered last so it observes everything; `reportData()` turns what it saw
 * into `ReportData` for `writeReport`.
 */
import type { Bar } from '@algospace/bars';
import type { EventBus } from '@algospace/event-bus';
import type { FeatureSnapshot, FvgOptions } from '@algospace/indicators';
import { FVG } from '@algospace/indicators';
import type { ComponentHealth } from '@algospace/kernel';
import type { SignalsContext } from '../components/signals-component.js';
import type { SynergyEvent } from '../components/synergy-detector.js';
import type {
  ReportBar,
  ReportData,
  ReportFvgZone,
  ReportPoint,
  ReportSynergy,
  ReportTrade,
} from './report-data.js';

/**
 * The topics the collector reads. The engine's `EngineEvents` contains them (its `ClosedTrade` has every
 * field of {@link ReportTrade}).
 *
 * @example
 * ```ts
 * const bus = createEventBus<ReportEvents>();
 * ```
 */
export interface ReportEvents {
  /** A closed 5-minute bar: a candle, and an input of the collector's FVG zone tracker. */
  NEW_5MIN_BAR: Bar;
  /** Feature snapshots: the NW-RQK estimate is taken from `"30m"` ones once `nwrqk_ready`. */
  INDICATORS_READY: FeatureSnapshot;
  /** A synergy marker. */
  SYNERGY_DETECTED: SynergyEvent;
  /** A closed trade: markers, the trade table and the equity curve. */
  TRADE_CLOSED: ReportTrade;
}

/**
 * Options of {@link createReportCollector}.
 *
 * @example
 * ```ts
 * createReportCollector({ initialEquity: 100_000, fvg: config.indicators.fvg });
 * ```
 */
export interface ReportCollectorOptions {
  /** Starting account equity; the curve starts here at the first bar (default 0: the curve is cumulative PnL). */
  readonly initialEquity?: number;
  /** FVG parameters; pass the IndicatorEngine's so the zones are the gaps the engine tracked (spec §6.1). */
  readonly fvg?: FvgOptions;
  /** Component name (default `'report-collector'`). */
  readonly name?: string;
  /** Components that must be initialised first. */
  readonly dependsOn?: readonly string[];
}

/**
 * What `reportData` needs besides what the collector saw.
 *
 * @example
 * ```ts
 * collector.reportData({ title: 'SPY trades', simulated: false, summary: [{ label: 'Trades', value: 4 }] });
 * ```
 */
export interface ReportHeader {
  /** Headline. */
  readonly title: string;
  /** True for simulator data. */
  readonly simulated: boolean;
  /** Line under the title. */
  readonly subtitle?: string;
  /** Summary rows. */
  readonly summary?: ReportData['summary'];
}

/**
 * A report collector: a kernel component plus `reportData()`.
 *
 * @example
 * ```ts
 * const collector = createReportCollector();
 * kernel.register(collector);
 * // … run …
 * await writeReport(join(out, 'report.html'), collector.reportData({ title: file, simulated: false }));
 * ```
 */
export interface ReportCollector {
  /** Component name. */
  readonly name: string;
  /** Components initialised first. */
  readonly dependsOn: readonly string[];
  /** Subscribes on the context's bus. */
  init(context: SignalsContext): void;
  /** Unsubscribes. */
  stop(): void;
  /** Counts of what was collected. */
  health(): ComponentHealth;
  /** Everything collected, as report input. FVG zones still active have `end: null`. */
  reportData(header: ReportHeader): ReportData;
}

interface OpenZone {
  readonly bullish: boolean;
  readonly lower: number;
  readonly upper: number;
  readonly start: number;
}

/**
 * Creates a report collector. The zones come from a private {@link FVG} fed the same 5-minute bars as the
 * IndicatorEngine's (the Feature Store holds only the nearest gap, not every zone); with the same options
 * it tracks exactly the engine's gaps.
 *
 * @example
 * ```ts
 * const collector = createReportCollector({ initialEquity: 100_000 });
 * collector.init({ bus });
 * ```
 */
export function createReportCollector(options: ReportCollectorOptions = {}): ReportCollector {
  const initialEquity = options.initialEquity ?? 0;
  const fvg = new FVG(options.fvg ?? {});
  const bars: ReportBar[] = [];
  const nwrqk: ReportPoint[] = [];
  const synergies: ReportSynergy[] = [];
  const trades: ReportTrade[] = [];
  const zones: ReportFvgZone[] = [];
  const open = new Map<number, OpenZone>();
  let nextGapId = 0;
  let unsubscribers: (() => void)[] = [];

  const onBar = (bar: Bar): void => {
    bars.push({ timestamp: bar.timestamp, open: bar.open, high: bar.high, low: bar.low, close: bar.close });
    fvg.update(bar);
    const state = fvg.snapshot();
    const active = new Set(state.activeIds);
    for (const gap of state.gaps) {
      if (gap.id >= nextGapId) {
        const start = bars[gap.created - 1]?.timestamp ?? bar.timestamp;
        open.set(gap.id, { bullish: gap.bullish, lower: gap.lower, upper: gap.upper, start });
      }
    }
    nextGapId = state.gapsCreated;
    for (const [id, zone] of open) {
      if (active.has(id)) continue;
      const gap = state.gaps.find((g) => g.id === id);
      const mitigated = gap !== undefined && gap.mitigatedAt >= 0;
      const end = mitigated ? (bars[gap.mitigatedAt - 1]?.timestamp ?? bar.timestamp) : bar.timestamp;
      zones.push({ ...zone, end, mitigated });
      open.delete(id);
    }
  };

  return {
    name: options.name ?? 'report-collector',
    dependsOn: options.dependsOn ?? [],
    init(context: SignalsContext) {
      const bus = context.bus as EventBus<ReportEvents>;
      unsubscribers = [
        bus.subscribe('NEW_5MIN_BAR', onBar),
        bus.subscribe('INDICATORS_READY', (s) => {
          if (s.trigger === '30m' && s.nwrqk_ready) nwrqk.push({ timestamp: s.asOf, value: s.nwrqk_value });
        }),
        bus.subscribe('SYNERGY_DETECTED', (s) => {
          synergies.push(s);
        }),
        bus.subscribe('TRADE_CLOSED', (t) => {
          trades.push(t);
        }),
      ];
    },
    stop() {
      for (const off of unsubscribers) off();
      unsubscribers = [];
    },
    health() {
      return {
        status: 'ok',
        detail: `${bars.length} bars, ${zones.length + open.size} FVG zones, ${synergies.length} synergies, ${trades.length} trades collected`,
      };
    },
    reportData(header: ReportHeader): ReportData {
      const equity: ReportPoint[] = [];
      const first = bars[0];
      if (first !== undefined) equity.push({ timestamp: first.timestamp, value: initialEquity });
      let running = initialEquity;
      for (const t of trades.slice().sort((a, b) => a.exitTime - b.exitTime)) {
        if (!Number.isFinite(t.pnl)) continue;
        running += t.pnl;
        equity.push({ timestamp: t.exitTime, value: running });
      }
      const stillOpen = [...open.values()].map((z) => ({ ...z, end: null, mitigated: false }));
      return {
        title: header.title,
        simulated: header.simulated,
        ...(header.subtitle === undefined ? {} : { subtitle: header.subtitle }),
        ...(header.summary === undefined ? {} : { summary: header.summary }),
        bars: bars.slice(),
        nwrqk: nwrqk.slice(),
        fvgZones: [...zones, ...stillOpen],
        synergies: synergies.slice(),
        trades: trades.slice(),
        equity,
      };
    },
  };
}
