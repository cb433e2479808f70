/**
 * Records what a run produced, from the bus: bar and snapshot counts, every synergy and trade, regime
 * calls, the equity curve, and the series the HTML report draws. Everything here is derived from events
 * only (never from wall-clock time), so two runs on the same input record identical values.
 */
import type { Bar } from '@algospace/bars';
import type { EventBus } from '@algospace/event-bus';
import { type FeatureSnapshot, FVG, type FvgOptions } from '@algospace/indicators';
import type { ClosedTrade } from '../components/execution-handler.js';
import type { SynergyEvent } from '../components/synergy-detector.js';
import type { EngineEvents } from '../events.js';
import type { ReportBar, ReportFvgZone, ReportPoint } from '../report/report-data.js';

/**
 * Counters and lists of one run.
 *
 * @example
 * ```ts
 * const recorder = createRunRecorder(kernel.bus, { startingEquity: 100_000 });
 * // … run …
 * console.log(recorder.snapshot().synergies.length);
 * ```
 */
export interface RunRecord {
  /** Bars per timeframe (real + synthetic). */
  readonly bars: Record<string, number>;
  /** Synthetic (gap-filled) bars per timeframe. */
  readonly syntheticBars: Record<string, number>;
  /** Sum of `tickCount` over the real bars per timeframe (every accepted input is in exactly one). */
  readonly inputsInBars: Record<string, number>;
  /** INDICATORS_READY snapshots by trigger. */
  readonly snapshots: { total: number; '5m': number; '30m': number };
  /** Snapshot number fields that were not finite (must stay 0), with the first offending key. */
  readonly nonFinite: { count: number; firstKey: string | null };
  /** Snapshots with each indicator ready. */
  readonly ready: Record<string, number>;
  /** Every synergy, in order. */
  readonly synergies: SynergyEvent[];
  /** Every closed trade, in order. */
  readonly trades: ClosedTrade[];
  /** Regime calls per regime. */
  readonly regimes: Record<string, number>;
  /** MATRIX_READY events per assembler. */
  readonly matrices: Record<string, number>;
  /** Equity after each closed trade, starting with the initial equity at the first bar. */
  readonly equity: ReportPoint[];
  /** Candles for the report (5-minute, or 30-minute when the input has no 5-minute bars). */
  readonly candles5m: ReportBar[];
  /** 30-minute candles for the report. */
  readonly candles30m: ReportBar[];
  /** NW-RQK estimate on 30-minute snapshots once ready. */
  readonly nwrqk: ReportPoint[];
  /** FVG zones from an FVG tracker run beside the engine on the same 5-minute bars. */
  readonly fvgZones: ReportFvgZone[];
}

/**
 * Options of {@link createRunRecorder}.
 *
 * @example
 * ```ts
 * const options: RunRecorderOptions = { startingEquity: 100_000 };
 * ```
 */
export interface RunRecorderOptions {
  /** Equity before the first trade. */
  readonly startingEquity: number;
  /** FVG options (must match the engine's so the zones match its signals). */
  readonly fvg?: FvgOptions;
  /** Keep report series (candles, NW-RQK, zones). Default true. */
  readonly reportSeries?: boolean;
}

/**
 * A recorder subscribed to a bus.
 *
 * @example
 * ```ts
 * const recorder = createRunRecorder(bus, { startingEquity: 100_000 });
 * recorder.close();
 * ```
 */
export interface RunRecorder {
  /** The record so far (live object; do not mutate). */
  record(): RunRecord;
  /** Unsubscribes. */
  close(): void;
}

const SNAPSHOT_NUMBER_KEYS_SKIP = new Set(['last_update_5min', 'last_update_30min']);

/**
 * Subscribes a recorder to the engine bus.
 *
 * @example
 * ```ts
 * const recorder = createRunRecorder(kernel.bus, { startingEquity: config.risk_management.account_equity });
 * ```
 */
export function createRunRecorder(bus: EventBus<EngineEvents>, options: RunRecorderOptions): RunRecorder {
  const keepSeries = options.reportSeries ?? true;
  const record: RunRecord = {
    bars: { '5m': 0, '30m': 0 },
    syntheticBars: { '5m': 0, '30m': 0 },
    inputsInBars: { '5m': 0, '30m': 0 },
    snapshots: { total: 0, '5m': 0, '30m': 0 },
    nonFinite: { count: 0, firstKey: null },
    ready: { mlmi: 0, nwrqk: 0, fvg: 0, lvn: 0, mmd: 0 },
    synergies: [],
    trades: [],
    regimes: {},
    matrices: {},
    equity: [],
    candles5m: [],
    candles30m: [],
    nwrqk: [],
    fvgZones: [],
  };
  let equity = options.startingEquity;
  const fvg = new FVG(options.fvg);
  const openZones = new Map<number, { zone: Omit<ReportFvgZone, 'end' | 'mitigated'>; index: number }>();
  let knownGaps = 0;

  const trackZones = (bar: Bar): void => {
    fvg.update(bar);
    const state = fvg.snapshot();
    const active = new Set(state.activeIds);
    for (const gap of state.gaps) {
      if (gap.id >= knownGaps && active.has(gap.id)) {
        const zone = { bullish: gap.bullish, lower: gap.lower, upper: gap.upper, start: bar.timestamp };
        record.fvgZones.push({ ...zone, end: null, mitigated: false });
        openZones.set(gap.id, { zone, index: record.fvgZones.length - 1 });
      }
    }
    knownGaps = state.gapsCreated;
    for (const [id, open] of openZones) {
      if (active.has(id)) continue;
      const gap = state.gaps.find((candidate) => candidate.id === id);
      record.fvgZones[open.index] = {
        ...open.zone,
        end: bar.timestamp,
        mitigated: gap !== undefined && gap.mitigatedAt >= 0,
      };
      openZones.delete(id);
    }
  };

  const onBar = (bar: Bar): void => {
    const timeframe = bar.timeframe;
    record.bars[timeframe] = (record.bars[timeframe] ?? 0) + 1;
    if (bar.synthetic) record.syntheticBars[timeframe] = (record.syntheticBars[timeframe] ?? 0) + 1;
    else record.inputsInBars[timeframe] = (record.inputsInBars[timeframe] ?? 0) + bar.tickCount;
    if (record.equity.length === 0) record.equity.push({ timestamp: bar.timestamp, value: equity });
    if (!keepSeries) return;
    const candle = {
      timestamp: bar.timestamp,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
    };
    if (timeframe === '5m') {
      record.candles5m.push(candle);
      trackZones(bar);
    } else record.candles30m.push(candle);
  };

  const onSnapshot = (snapshot: FeatureSnapshot): void => {
    record.snapshots.total++;
    record.snapshots[snapshot.trigger]++;
    for (const [key, value] of Object.entries(snapshot)) {
      if (SNAPSHOT_NUMBER_KEYS_SKIP.has(key)) continue;
      if (typeof value === 'number' && !Number.isFinite(value)) {
        record.nonFinite.count++;
        record.nonFinite.firstKey ??= key;
      } else if (Array.isArray(value)) {
        for (const item of value as readonly number[]) {
          if (!Number.isFinite(item)) {
            record.nonFinite.count++;
            record.nonFinite.firstKey ??= key;
          }
        }
      }
    }
    if (snapshot.mlmi_ready) record.ready.mlmi!++;
    if (snapshot.nwrqk_ready) record.ready.nwrqk!++;
    if (snapshot.fvg_ready) record.ready.fvg!++;
    if (snapshot.lvn_ready) record.ready.lvn!++;
    if (snapshot.mmd_ready) record.ready.mmd!++;
    if (keepSeries && snapshot.trigger === '30m' && snapshot.nwrqk_ready) {
      record.nwrqk.push({ timestamp: snapshot.asOf, value: snapshot.nwrqk_value });
    }
  };

  const unsubscribe = [
    bus.subscribe('NEW_5MIN_BAR', onBar),
    bus.subscribe('NEW_30MIN_BAR', onBar),
    bus.subscribe('INDICATORS_READY', onSnapshot),
    bus.subscribe('SYNERGY_DETECTED', (synergy) => {
      record.synergies.push(synergy);
    }),
    bus.subscribe('TRADE_CLOSED', (trade) => {
      record.trades.push(trade);
      if (trade.entryTime === null) return;
      equity += trade.pnl;
      record.equity.push({ timestamp: trade.exitTime, value: equity });
    }),
    bus.subscribe('REGIME_UPDATED', (assessment) => {
      record.regimes[assessment.regime] = (record.regimes[assessment.regime] ?? 0) + 1;
    }),
    bus.subscribe('MATRIX_READY', (event) => {
      record.matrices[event.assembler] = (record.matrices[event.assembler] ?? 0) + 1;
    }),
  ];

  return {
    record: () => record,
    close() {
      for (const off of unsubscribe) off();
    },
  };
}
