/**
 * The whole IndicatorEngine over every bar file of the shared market data: 1-minute files are resampled to
 * 5 and 30 minutes with @algospace/bars (5m bars before 30m bars on a shared boundary, as the bar generator
 * emits them), the AlgoSpace 30-minute NQ/CL exports feed the 30-minute path directly. Every emitted
 * snapshot must be finite and in range; every `*_ready` flag must come up where the data allows it.
 */
import { type Bar, createBarResampler, parseIsoTimestamp } from '@algospace/bars';
import { describe, expect, it } from 'vitest';
import { describeWithMarketData, readMarketDataLines } from '../../../test-support/market-data.js';
import { CL_30_MINUTE_FILE, NQ_30_MINUTE_FILE, readAlgoSpaceBars } from './algospace-bar-csv.js';
import type { FeatureSnapshot } from './feature-snapshot.js';
import { HeikinAshi } from './heikin-ashi.js';
import { createIndicatorEngine } from './indicator-engine.js';
import { RSI } from './rsi.js';

type ReadyKey = 'mlmi_ready' | 'nwrqk_ready' | 'lvn_ready' | 'mmd_ready' | 'fvg_ready';
const READY_KEYS: readonly ReadyKey[] = ['mlmi_ready', 'nwrqk_ready', 'lvn_ready', 'mmd_ready', 'fvg_ready'];

interface Source {
  readonly file: string;
  /** What the series is, for the test name. */
  readonly title: string;
  /** The instrument's tick, used as the LVN bin. */
  readonly binSize: number;
  /** Bars in stream order: 1-minute bars to resample, or 30-minute bars fed directly. */
  readonly load: () => Bar[];
  /** 1-minute bars labelled by their close time (the 6E file). */
  readonly closeLabelled?: boolean;
  /** `*_ready` flags that cannot come up on this data, with the reason. */
  readonly neverReady?: Partial<Record<ReadyKey, string>>;
}

function minuteBar(timestamp: number, fields: readonly string[], at = 1, volume?: number): Bar {
  const [open, high, low, close, vol] = fields.slice(at, at + 5).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    timestamp,
    timeframe: '1m',
    open,
    high,
    low,
    close,
    volume: volume ?? vol,
    synthetic: false,
    tickCount: 1,
  };
}

/** Rows of a CSV (header skipped), optionally only those whose last column is `contract`. */
function rows(file: string, contract?: string): string[][] {
  const out: string[][] = [];
  const lines = readMarketDataLines(file);
  for (let i = 1; i < lines.length; i++) {
    const fields = (lines[i] as string).trim().split(',');
    if (contract === undefined || fields[fields.length - 1] === contract) out.push(fields);
  }
  return out;
}

const spaceSeparatedUtc = (text: string) => parseIsoTimestamp(`${text.replace(' ', 'T')}Z`);

const thirtyMinuteOnly = {
  fvg_ready: 'only 30-minute bars exist for this series, so the 5-minute path (FVG) never runs',
} as const;

const SOURCES: readonly Source[] = [
  {
    file: 'spy_1min_lean_20131004-20131011_20230803.csv',
    title: 'SPY 1-minute (Lean)',
    binSize: 0.01,
    load: () =>
      rows('spy_1min_lean_20131004-20131011_20230803.csv').map((f) =>
        minuteBar(parseIsoTimestamp(f[0] as string), f),
      ),
  },
  {
    file: 'gc_1min_lean_20131007-20131011_2020.csv',
    title: 'GC front month GCZ13 1-minute (Lean)',
    binSize: 0.1,
    load: () =>
      rows('gc_1min_lean_20131007-20131011_2020.csv', 'GCZ13').map((f) =>
        minuteBar(parseIsoTimestamp(f[0] as string), f),
      ),
  },
  {
    file: 'es_1min_lean_2013-2020_sample_days.csv',
    title: 'ES front month ESZ13 1-minute (Lean)',
    binSize: 0.25,
    load: () =>
      rows('es_1min_lean_2013-2020_sample_days.csv', 'ESZ13').map((f) =>
        minuteBar(parseIsoTimestamp(f[0] as string), f),
      ),
  },
  {
    file: 'es_nq_1min_databento_20240701_2340-0010UTC.csv',
    title: 'NQU4 1-minute, 30 minutes of it (Databento)',
    binSize: 0.25,
    load: () =>
      rows('es_nq_1min_databento_20240701_2340-0010UTC.csv', 'NQU4').map((f) =>
        minuteBar(parseIsoTimestamp(f[0] as string), f),
      ),
    neverReady: {
      mlmi_ready: 'the file spans 30 minutes: 2 bars of 30 minutes',
      nwrqk_ready: 'the file spans 30 minutes',
      lvn_ready: 'the file spans 30 minutes',
      mmd_ready: 'the file spans 30 minutes',
    },
  },
  {
    file: '6EH4_1min_nautilus_databento_202401.csv.gz',
    title: '6EH4 1-minute, close-labelled (Databento)',
    binSize: 0.00005,
    closeLabelled: true,
    load: () =>
      rows('6EH4_1min_nautilus_databento_202401.csv.gz').map((f) =>
        minuteBar(spaceSeparatedUtc(f[0] as string), f),
      ),
  },
  {
    file: 'btcperp_1min_nautilus_20211231-20220201.csv',
    title: 'BTC-PERP 1-minute (time zone unknown, read as UTC)',
    binSize: 1,
    load: () =>
      rows('btcperp_1min_nautilus_20211231-20220201.csv').map((f) =>
        minuteBar(spaceSeparatedUtc(f[0] as string), f),
      ),
  },
  {
    file: 'eurusd_1min_quotebars_lean_oanda_20140501-20140515.csv',
    title: 'EUR/USD 1-minute bid bars (Oanda, no volume)',
    binSize: 0.00001,
    load: () =>
      rows('eurusd_1min_quotebars_lean_oanda_20140501-20140515.csv').map((f) =>
        minuteBar(parseIsoTimestamp(f[0] as string), f, 1, 0),
      ),
    neverReady: { lvn_ready: 'quote bars carry no volume: the profile is empty, LVN is ⊥ (spec §7.5)' },
  },
  {
    file: NQ_30_MINUTE_FILE,
    // The last 20,000 bars (2022-09 on) keep the suite quick and include the illiquid 2024 stretch with its
    // zero-volume bars; the benchmark runs the engine over the whole file.
    title: 'NQ 30-minute, last 20,000 bars incl. the illiquid 2024 stretch (AlgoSpace)',
    binSize: 0.25,
    load: () => readAlgoSpaceBars(NQ_30_MINUTE_FILE).slice(-20_000),
    neverReady: thirtyMinuteOnly,
  },
  {
    file: CL_30_MINUTE_FILE,
    title: 'CL 30-minute, last 15,000 bars (AlgoSpace; NQ covers the full-length run)',
    binSize: 0.01,
    load: () => readAlgoSpaceBars(CL_30_MINUTE_FILE).slice(-15_000),
    neverReady: thirtyMinuteOnly,
  },
];

interface RunSummary {
  snapshots: number;
  fiveMinute: number;
  thirtyMinute: number;
  everReady: Record<ReadyKey, boolean>;
  problems: string[];
}

/** Range and finiteness checks of one snapshot; returns the first problem found, if any. */
function problemIn(s: FeatureSnapshot, lowestClose: number, highestClose: number): string | undefined {
  for (const [key, value] of Object.entries(s)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return `${key} = ${value}`;
  }
  if (s.mmd_features.length !== 16 || !s.mmd_features.every(Number.isFinite))
    return 'mmd_features not 16 finite';
  if (!(s.lvn_nearest_strength >= 0 && s.lvn_nearest_strength <= 100))
    return `lvn strength ${s.lvn_nearest_strength}`;
  if (!(s.lvn_distance_points >= 0)) return `lvn distance ${s.lvn_distance_points}`;
  if (![-1, 0, 1].includes(s.mlmi_signal) || ![-1, 0, 1].includes(s.nwrqk_signal))
    return 'signal outside {−1, 0, 1}';
  if (!Number.isInteger(s.mlmi_value)) return `mlmi_value ${s.mlmi_value} is not an integer`;
  if (!(s.fvg_mitigation_strength >= 0 && s.fvg_mitigation_strength <= 1))
    return 'fvg strength outside [0, 1]';
  // Active gaps are never closed through, so their penetration stays below a whole gap.
  if (!(s.fvg_mitigation_depth >= 0 && s.fvg_mitigation_depth < 1))
    return `fvg depth ${s.fvg_mitigation_depth}`;
  if (!(s.fvg_gap_size >= 0 && s.fvg_age >= 0 && s.fvg_age <= 50)) return 'fvg size/age out of range';
  if (s.nwrqk_ready && !(s.nwrqk_value >= lowestClose && s.nwrqk_value <= highestClose)) {
    return `nwrqk_value ${s.nwrqk_value} outside the HA closes [${lowestClose}, ${highestClose}] (a kernel average)`;
  }
  const [vol20, vol96, , mmd] = s.mmd_features.slice(11, 15) as [number, number, number, number];
  if (!(vol20 >= 0 && vol96 >= 0 && mmd >= 0)) return 'negative volatility or MMD';
  return undefined;
}

function runEngine(source: Source): RunSummary {
  const engine = createIndicatorEngine({ lvn: { binSize: source.binSize } });
  const ha = new HeikinAshi();
  const rsi = new RSI(14);
  const summary: RunSummary = {
    snapshots: 0,
    fiveMinute: 0,
    thirtyMinute: 0,
    everReady: {
      mlmi_ready: false,
      nwrqk_ready: false,
      lvn_ready: false,
      mmd_ready: false,
      fvg_ready: false,
    },
    problems: [],
  };
  let lowestClose = Number.POSITIVE_INFINITY;
  let highestClose = Number.NEGATIVE_INFINITY;
  let lastAsOf = Number.NEGATIVE_INFINITY;
  const onBar = (bar: Bar) => {
    if (bar.timeframe === '30m') {
      summary.thirtyMinute++;
      const candle = ha.update(bar);
      if (
        !(
          candle.high >= Math.max(candle.open, candle.close, bar.high) &&
          candle.low <= Math.min(candle.open, candle.close, bar.low)
        )
      ) {
        summary.problems.push(`HA invariant broken at ${new Date(bar.timestamp).toISOString()}`);
      }
      lowestClose = Math.min(lowestClose, candle.close);
      highestClose = Math.max(highestClose, candle.close);
      const r = rsi.update(candle.close);
      if (!Number.isNaN(r) && !(r >= 0 && r <= 100)) summary.problems.push(`RSI ${r}`);
    } else {
      summary.fiveMinute++;
    }
    const snapshot = engine.update(bar);
    if (snapshot === null) return;
    summary.snapshots++;
    if (snapshot.asOf < lastAsOf) summary.problems.push(`asOf went back at ${snapshot.asOf}`);
    lastAsOf = snapshot.asOf;
    const problem = problemIn(snapshot, lowestClose, highestClose);
    if (problem !== undefined && summary.problems.length < 5) {
      summary.problems.push(
        `${new Date(snapshot.timestamp).toISOString()} (${snapshot.trigger}): ${problem}`,
      );
    }
    for (const key of READY_KEYS) if (snapshot[key]) summary.everReady[key] = true;
  };
  const bars = source.load();
  if (bars[0]?.timeframe === '30m') {
    for (const bar of bars) onBar(bar);
  } else {
    const rejected: string[] = [];
    const resampler = createBarResampler({
      timeframes: ['5m', '30m'],
      gapFill: 'none',
      sourceLabel: source.closeLabelled ? 'close' : 'open',
      onBar,
      onReject: (bar, reason) => rejected.push(`${new Date(bar.timestamp).toISOString()}: ${reason}`),
    });
    for (const bar of bars) resampler.push(bar);
    resampler.flush();
    expect(rejected, 'the resampler accepts every 1-minute bar').toEqual([]);
  }
  return summary;
}

for (const source of SOURCES) {
  describeWithMarketData(`IndicatorEngine on ${source.title}`, [source.file], () => {
    it('emits only finite, in-range snapshots and brings every *_ready flag up where the data allows', () => {
      const summary = runEngine(source);
      expect(summary.problems, 'finite values, ranges, HA invariants, RSI in [0, 100], ordered asOf').toEqual(
        [],
      );
      expect(summary.thirtyMinute, 'the series produced 30-minute bars').toBeGreaterThan(0);
      expect(summary.snapshots).toBeGreaterThan(0);
      for (const key of READY_KEYS) {
        const reason = source.neverReady?.[key];
        expect(summary.everReady[key], reason ?? `${key} comes up`).toBe(reason === undefined);
      }
    }, 180_000);
  });
}

describe('real-data source table', () => {
  it('lists every bar file of the shared data folder', () => {
    expect(SOURCES.map((s) => s.file).sort()).toEqual(
      [
        '6EH4_1min_nautilus_databento_202401.csv.gz',
        'btcperp_1min_nautilus_20211231-20220201.csv',
        'cl_30min_algospace_ETH.csv',
        'es_1min_lean_2013-2020_sample_days.csv',
        'es_nq_1min_databento_20240701_2340-0010UTC.csv',
        'eurusd_1min_quotebars_lean_oanda_20140501-20140515.csv',
        'gc_1min_lean_20131007-20131011_2020.csv',
        'nq_30min_algospace_ETH.csv',
        'spy_1min_lean_20131004-20131011_20230803.csv',
      ].sort(),
    );
  });
});
