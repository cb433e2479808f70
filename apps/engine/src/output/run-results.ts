/**
 * `results.json`: the run's deterministic outcome (input counts, bars, snapshots, every synergy and trade,
 * performance) plus one clearly separated `timing` section holding everything that depends on the wall
 * clock. Two runs on the same input and config produce byte-identical files once `timing` is removed.
 */
import type { AggregatorStats } from '@algospace/bars';
import type { DataHandlerReport } from '../components/data-handler.js';
import type { DecisionRecord } from '../components/decision-core.js';
import type { ClosedTrade } from '../components/execution-handler.js';
import type { RiskState } from '../components/risk-manager.js';
import type { SynergyEvent } from '../components/synergy-detector.js';
import type { RunRecord } from './run-recorder.js';

/**
 * Performance figures of the closed trades.
 *
 * @example
 * ```ts
 * const { win_rate, pnl, max_drawdown } = performanceOf(trades, 100_000);
 * ```
 */
export interface Performance {
  /** Closed trades, unfilled orders included. */
  readonly trades: number;
  /** Trades with an entry fill. */
  readonly filled: number;
  /** Filled trades with net PnL > 0. */
  readonly wins: number;
  /** Filled trades with net PnL ≤ 0. */
  readonly losses: number;
  /** wins / filled (0 without filled trades). */
  readonly win_rate: number;
  /** Net PnL, currency. */
  readonly pnl: number;
  /** PnL before commissions. */
  readonly gross_pnl: number;
  /** Commissions paid. */
  readonly commission: number;
  /** Largest peak-to-trough fall of the closed-trade equity curve, currency. */
  readonly max_drawdown: number;
  /** The same as a fraction of the peak. */
  readonly max_drawdown_pct: number;
  /** Starting equity + net PnL. */
  readonly final_equity: number;
}

/**
 * Computes {@link Performance} from closed trades in order.
 *
 * @example
 * ```ts
 * performanceOf([], 100_000).final_equity; // 100000
 * ```
 */
export function performanceOf(trades: readonly ClosedTrade[], startingEquity: number): Performance {
  let filled = 0;
  let wins = 0;
  let pnl = 0;
  let gross = 0;
  let commission = 0;
  let equity = startingEquity;
  let peak = startingEquity;
  let maxDrawdown = 0;
  let maxDrawdownPct = 0;
  for (const trade of trades) {
    if (trade.entryTime === null) continue;
    filled++;
    if (trade.pnl > 0) wins++;
    pnl += trade.pnl;
    gross += trade.grossPnl;
    commission += trade.commission;
    equity += trade.pnl;
    if (equity > peak) peak = equity;
    const drawdown = peak - equity;
    if (drawdown > maxDrawdown) maxDrawdown = drawdown;
    if (peak > 0 && drawdown / peak > maxDrawdownPct) maxDrawdownPct = drawdown / peak;
  }
  return {
    trades: trades.length,
    filled,
    wins,
    losses: filled - wins,
    win_rate: filled === 0 ? 0 : wins / filled,
    pnl,
    gross_pnl: gross,
    commission,
    max_drawdown: maxDrawdown,
    max_drawdown_pct: maxDrawdownPct,
    final_equity: equity,
  };
}

/**
 * Wall-clock figures of a run: the only non-deterministic part of results.json.
 *
 * @example
 * ```ts
 * const timing: RunTiming = { started_at: new Date().toISOString(), wall_ms: 1234, records_per_second: 1.5e6 };
 * ```
 */
export interface RunTiming {
  /** ISO-8601 start time. */
  readonly started_at: string;
  /** Wall time of the run, ms. */
  readonly wall_ms: number;
  /** Input records per wall second. */
  readonly records_per_second: number;
  /** Feed gaps (paper mode) with their downtime. */
  readonly feed_downtime_ms?: number;
}

/**
 * Inputs of {@link buildResults}.
 *
 * @example
 * ```ts
 * const results = buildResults({ mode: 'backtest', role: 'all', data, barStats, record, decisions, risk, startingEquity, timing });
 * ```
 */
export interface ResultsInput {
  /** Run mode. */
  readonly mode: string;
  /** Process role. */
  readonly role: string;
  /** Instrument label from the config. */
  readonly symbol: string;
  /** The DataHandler's report (absent in the strategy role). */
  readonly data?: DataHandlerReport;
  /** The BarGenerator's counters (absent in the strategy role). */
  readonly barStats?: AggregatorStats;
  /** What the recorder saw. */
  readonly record: RunRecord;
  /** The DecisionCore's decisions. */
  readonly decisions: readonly DecisionRecord[];
  /** The RiskManager's state. */
  readonly risk?: RiskState;
  /** Equity before the first trade. */
  readonly startingEquity: number;
  /** The SynergyDetector's counters (signals per type, discarded patterns). */
  readonly synergyStats?: object;
  /** Wall-clock figures. */
  readonly timing: RunTiming;
}

/**
 * The results.json document.
 *
 * @example
 * ```ts
 * const results: RunResults = JSON.parse(readFileSync('out/results.json', 'utf8'));
 * console.log(results.ticks.accepted, results.bars['5m'], results.trades.length);
 * ```
 */
export interface RunResults {
  /** Run mode and role, and the simulated label when applicable. */
  readonly run: {
    readonly mode: string;
    readonly role: string;
    readonly symbol: string;
    readonly simulated: boolean;
  };
  /** Where the data came from. */
  readonly source: Record<string, unknown>;
  /** Input records accepted into bars and rejected (file rows and pipeline validation together). */
  readonly ticks: {
    readonly accepted: number;
    readonly rejected: number;
    readonly rejected_by_reason: Record<string, number>;
    readonly rejected_examples: readonly { line: number; reason: string; text: string }[];
    readonly filtered: number;
    readonly unit: 'ticks' | 'source bars';
  };
  /** Bars per timeframe (real + synthetic). */
  readonly bars: Record<string, number>;
  /** Synthetic bars per timeframe and the input records counted into real bars. */
  readonly bar_details: {
    readonly synthetic: Record<string, number>;
    readonly inputs_in_bars: Record<string, number>;
  };
  /** Snapshot counts, non-finite value count and readiness. */
  readonly snapshots: Record<string, unknown>;
  /** Synergy counts per type. */
  readonly synergies_by_type: Record<string, number>;
  /** Every synergy (spec §10.5 payloads). */
  readonly synergies: readonly SynergyEvent[];
  /** Regime calls and matrix-ready counts. */
  readonly signals: Record<string, unknown>;
  /** Decisions taken and passed, with reasons. */
  readonly decisions: Record<string, unknown>;
  /** Every closed trade. */
  readonly trades: readonly ClosedTrade[];
  /** Trade performance. */
  readonly performance: Performance & { readonly win_rate: number };
  /** Wall-clock figures (the only non-deterministic section). */
  readonly timing: RunTiming;
}

/**
 * Assembles results.json.
 *
 * @example
 * ```ts
 * writeFileSync('out/results.json', `${JSON.stringify(buildResults(input), null, 2)}\n`);
 * ```
 */
export function buildResults(input: ResultsInput): RunResults {
  const { data, record, barStats } = input;
  const file = data?.file;
  const resampler = data?.resampler;
  const rejectedByReason: Record<string, number> = {};
  const add = (key: string, count: number): void => {
    if (count > 0) rejectedByReason[key] = (rejectedByReason[key] ?? 0) + count;
  };
  for (const [reason, count] of Object.entries(file?.rejectedByReason ?? {})) add(`row:${reason}`, count);
  const pipelineStats = resampler ?? barStats;
  for (const [reason, count] of Object.entries(pipelineStats?.rejectedByReason ?? {}))
    add(`bars:${reason}`, count);
  const rejected = Object.values(rejectedByReason).reduce((sum, count) => sum + count, 0);
  const synergiesByType: Record<string, number> = { TYPE_1: 0, TYPE_2: 0, TYPE_3: 0, TYPE_4: 0 };
  for (const synergy of record.synergies)
    synergiesByType[synergy.synergy_type] = (synergiesByType[synergy.synergy_type] ?? 0) + 1;
  const passReasons: Record<string, number> = {};
  for (const decision of input.decisions) {
    if (decision.taken) continue;
    const key = decision.reason.replace(/[0-9.]+/g, '#');
    passReasons[key] = (passReasons[key] ?? 0) + 1;
  }
  const simulated = data?.source === 'simulator';
  return {
    run: { mode: input.mode, role: input.role, symbol: input.symbol, simulated },
    source: {
      type: data?.source ?? 'bus',
      label: simulated ? `SIMULATED: ${data?.label}` : (data?.label ?? 'upstream process'),
      kind: data?.kind ?? 'bars',
      end_reason: data?.endReason ?? null,
      ...(file === undefined
        ? {}
        : {
            rows: file.rows,
            format: file.layout.format,
            timestamp_format: file.timestampFormat,
            columns: Object.fromEntries(
              Object.entries(file.layout.format === 'csv' ? file.layout.indices : file.layout.keys).map(
                ([role, ref]) => [role, typeof ref === 'number' ? (file.layout.names[ref] ?? ref) : ref],
              ),
            ),
          }),
      ...(data?.feed === undefined
        ? {}
        : {
            feed: {
              ticks: data.feed.ticks,
              last_seq: data.feed.lastSeq,
              connections: data.feed.connections,
              reconnects: data.feed.reconnects,
              ended: data.feed.ended,
              gaps: data.feed.gaps.map((gap) => ({
                kind: gap.kind,
                after_seq: gap.afterSeq,
                missed_ticks: gap.missedTicks,
              })),
            },
          }),
    },
    ticks: {
      accepted: pipelineStats?.accepted ?? 0,
      rejected,
      rejected_by_reason: rejectedByReason,
      rejected_examples: (file?.examples ?? []).map((example) => ({ ...example })),
      filtered: file?.filtered ?? 0,
      unit: data?.kind === 'bars' ? 'source bars' : 'ticks',
    },
    bars: { ...record.bars },
    bar_details: { synthetic: { ...record.syntheticBars }, inputs_in_bars: { ...record.inputsInBars } },
    snapshots: {
      total: record.snapshots.total,
      '5m': record.snapshots['5m'],
      '30m': record.snapshots['30m'],
      non_finite_values: record.nonFinite.count,
      first_non_finite_key: record.nonFinite.firstKey,
      ready: { ...record.ready },
    },
    synergies_by_type: synergiesByType,
    synergies: record.synergies,
    signals: {
      ...(input.synergyStats === undefined ? {} : { synergy_detector: input.synergyStats }),
      regimes: { ...record.regimes },
      matrix_ready: { ...record.matrices },
    },
    decisions: {
      synergies: input.decisions.length,
      taken: input.decisions.filter((decision) => decision.taken).length,
      passed: input.decisions.filter((decision) => !decision.taken).length,
      pass_reasons: passReasons,
      risk_refusals: input.risk?.refusals ?? {},
    },
    trades: record.trades,
    performance: performanceOf(record.trades, input.startingEquity),
    timing: input.timing,
  };
}
