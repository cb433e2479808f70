/**
 * The IndicatorEngine of spec §9: routes 5- and 30-minute bars to the indicators (routing of §0.3), writes
 * the Feature Store atomically and returns the immutable INDICATORS_READY snapshot under the emission rules
 * of §9.1. It is driven by method calls only: it does not know the event bus or the kernel.
 */
import type { Bar } from '@algospace/bars';
import type { FeatureSnapshot, FeatureStoreView } from './feature-snapshot.js';
import { FeatureStore } from './feature-store.js';
import { FVG, type FvgOptions, type FvgState } from './fvg.js';
import { HeikinAshi, type HeikinAshiState } from './heikin-ashi.js';
import { IndicatorParameterError, IndicatorStateError, IndicatorsError } from './indicators-error.js';
import { LVN, type LvnOptions, type LvnState } from './lvn.js';
import { MLMI, type MLMIOptions, type MLMIState } from './mlmi.js';
import { MMD, type MmdOptions, type MmdState } from './mmd.js';
import { NWRQK, type NWRQKOptions, type NWRQKState } from './nwrqk.js';

/**
 * LVN options inside the engine: the indicator's parameters plus which bars feed it (spec §7.1).
 *
 * @example
 * ```ts
 * const lvn: LvnEngineOptions = { binSize: 0.01, source: 'standard' };
 * ```
 */
export interface LvnEngineOptions extends LvnOptions {
  /** `'standard'` 30-minute bars (canonical) or their `'heikin_ashi'` transform; default `'standard'`. */
  readonly source?: 'standard' | 'heikin_ashi';
}

/**
 * Parameters of every indicator the engine runs. Every field is optional; the defaults are the spec's
 * Appendix A. Invalid values throw an {@link IndicatorParameterError} naming the parameter when the engine is
 * created.
 *
 * @example
 * ```ts
 * const engine = createIndicatorEngine({ lvn: { binSize: 0.01 }, nwrqk: { h: 10 } }); // CL, slower NW-RQK
 * ```
 */
export interface IndicatorEngineOptions {
  /** MLMI parameters (spec §4.1); default k 200, trend length 20. */
  readonly mlmi?: MLMIOptions;
  /** NW-RQK parameters (spec §5.1); default h 8, r 8, x_0 25, lag 2, smoothColors false. */
  readonly nwrqk?: NWRQKOptions;
  /** FVG parameters (spec §6.1). */
  readonly fvg?: FvgOptions;
  /** LVN parameters (spec §7.1) and its input series. */
  readonly lvn?: LvnEngineOptions;
  /** MMD parameters (spec §8.1). */
  readonly mmd?: MmdOptions;
}

/**
 * Counters of what the engine has processed.
 *
 * @example
 * ```ts
 * const { fiveMinuteBars, thirtyMinuteBars, snapshotsEmitted } = engine.stats();
 * ```
 */
export interface IndicatorEngineStats {
  /** 5-minute bars processed. */
  readonly fiveMinuteBars: number;
  /** 30-minute bars processed. */
  readonly thirtyMinuteBars: number;
  /** INDICATORS_READY snapshots returned by `update`. */
  readonly snapshotsEmitted: number;
  /** 5-minute bars that produced no snapshot because no 30-minute bar had been processed yet (§9.1). */
  readonly fiveMinuteBarsBeforeFirst30m: number;
}

/**
 * A checkpoint of a whole engine: every indicator's state, the Feature Store and the counters, as plain
 * structured-cloneable data (store it as JSON only if you encode `NaN`, which indicator states use for ⊥).
 *
 * @example
 * ```ts
 * const saved: IndicatorEngineCheckpoint = structuredClone(engine.checkpoint());
 * const resumed = createIndicatorEngine();
 * resumed.restore(saved); // continues exactly where `engine` was
 * ```
 */
export interface IndicatorEngineCheckpoint {
  /** Checkpoint format version (1). */
  readonly version: 1;
  /** Heiken Ashi state. */
  readonly heikinAshi: HeikinAshiState;
  /** MLMI state. */
  readonly mlmi: MLMIState;
  /** NW-RQK state. */
  readonly nwrqk: NWRQKState;
  /** FVG state. */
  readonly fvg: FvgState;
  /** LVN state. */
  readonly lvn: LvnState;
  /** MMD state. */
  readonly mmd: MmdState;
  /** The Feature Store as `snapshot()` returned it. */
  readonly store: FeatureStoreView;
  /** The counters. */
  readonly stats: IndicatorEngineStats;
}

/**
 * The IndicatorEngine: feed it every 5- and 30-minute bar in event order; it returns the INDICATORS_READY
 * snapshot whenever spec §9.1 says one is emitted.
 *
 * @example
 * ```ts
 * const engine = createIndicatorEngine();
 * for (const bar of bars) {
 *   const snapshot = engine.update(bar);
 *   if (snapshot !== null) publish('INDICATORS_READY', snapshot);
 * }
 * ```
 */
export interface IndicatorEngine {
  /**
   * Processes one bar, routed by `bar.timeframe` (`'5m'` → FVG on the standard bar; `'30m'` → Heiken Ashi,
   * MLMI and NW-RQK on the HA close, LVN on the standard bar, MMD on the HA close and bar volume). Returns
   * the frozen snapshot of the whole store, or null for a 5-minute bar before the first 30-minute bar.
   * Throws an {@link IndicatorsError} (`INDICATORS_UNSUPPORTED_TIMEFRAME`) for any other timeframe.
   */
  update(bar: Bar): FeatureSnapshot | null;
  /** The current store, frozen; before any bar, `trigger`, `asOf` and `timestamp` are null. */
  snapshot(): FeatureStoreView;
  /** Counters of processed bars and emitted snapshots. */
  stats(): IndicatorEngineStats;
  /** Forgets every bar: indicators and store return to their initial state. */
  reset(): void;
  /** Captures the whole engine (indicators, store, counters) for a later {@link IndicatorEngine.restore}. */
  checkpoint(): IndicatorEngineCheckpoint;
  /**
   * Replaces the engine's state with a checkpoint taken from an engine created with the same options; the
   * engine then continues exactly as the original would have. Throws an {@link IndicatorStateError} (and
   * changes nothing) when the checkpoint does not fit.
   */
  restore(checkpoint: IndicatorEngineCheckpoint): void;
}

const ENGINE_KEYS: readonly (keyof IndicatorEngineOptions)[] = ['mlmi', 'nwrqk', 'fvg', 'lvn', 'mmd'];
const FVG_KEYS: readonly (keyof FvgOptions)[] = [
  'detectionMode',
  'lookback',
  'bodyMult',
  'minAvgBody',
  'maxAge',
  'signalWindow',
  'volLookback',
  'recentCap',
  'threshold',
  'weights',
  'speedHorizon',
  'ageHorizon',
];
const LVN_KEYS: readonly (keyof LvnEngineOptions)[] = [
  'binSize',
  'profileBars',
  'historyBars',
  'strengthThreshold',
  'interactionLookback',
  'testFraction',
  'source',
];
const MMD_KEYS: readonly (keyof MmdOptions)[] = [
  'signatureWindow',
  'signatureDegree',
  'shortVolWindow',
  'longVolWindow',
  'mmdHalf',
  'volumeWindow',
];

/** A misspelt option would otherwise be ignored silently and its default used: reject it by name. */
function rejectUnknownKeys(indicator: string, path: string, value: unknown, known: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IndicatorParameterError(indicator, path.slice(0, -1) || 'options', 'an options object', value);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new IndicatorParameterError(
        indicator,
        `${path}${key}`,
        `one of the options ${known.join(', ')}`,
        key,
      );
    }
  }
}

const FIVE_MINUTES = 300_000;
const THIRTY_MINUTES = 1_800_000;

class FeatureEngine implements IndicatorEngine {
  private readonly options: IndicatorEngineOptions;
  private heikinAshi: HeikinAshi;
  private mlmi: MLMI;
  private nwrqk: NWRQK;
  private fvg: FVG;
  private lvn: LVN;
  private mmd: MMD;
  private readonly lvnOptions: LvnOptions;
  private readonly lvnOnHeikinAshi: boolean;
  private store = new FeatureStore();
  private fiveMinuteBars = 0;
  private thirtyMinuteBars = 0;
  private snapshotsEmitted = 0;
  private fiveMinuteBarsBeforeFirst30m = 0;
  // Reused HA-close input record: MMD reads it synchronously and keeps nothing.
  private readonly mmdInput = { close: 0, volume: 0 };

  constructor(options: IndicatorEngineOptions) {
    rejectUnknownKeys('IndicatorEngine', '', options, ENGINE_KEYS);
    rejectUnknownKeys('FVG', 'fvg.', options.fvg, FVG_KEYS);
    rejectUnknownKeys('FVG', 'fvg.weights.', options.fvg?.weights, ['penetration', 'speed', 'volume', 'age']);
    rejectUnknownKeys('LVN', 'lvn.', options.lvn, LVN_KEYS);
    rejectUnknownKeys('MMD', 'mmd.', options.mmd, MMD_KEYS);
    const { source, ...lvnOptions } = options.lvn ?? {};
    if (source !== undefined && source !== 'standard' && source !== 'heikin_ashi') {
      throw new IndicatorParameterError('LVN', 'source', "'standard' or 'heikin_ashi'", source);
    }
    this.lvnOnHeikinAshi = source === 'heikin_ashi';
    this.options = options;
    this.lvnOptions = lvnOptions;
    this.heikinAshi = new HeikinAshi();
    this.mlmi = new MLMI(options.mlmi);
    this.nwrqk = new NWRQK(options.nwrqk);
    this.fvg = new FVG(options.fvg);
    this.lvn = new LVN(lvnOptions);
    this.mmd = new MMD(options.mmd);
  }

  update(bar: Bar): FeatureSnapshot | null {
    if (bar.timeframe === '5m') return this.updateFiveMinute(bar);
    if (bar.timeframe === '30m') return this.updateThirtyMinute(bar);
    throw new IndicatorsError(
      'INDICATORS_UNSUPPORTED_TIMEFRAME',
      `IndicatorEngine.update: expected a bar with timeframe '5m' or '30m', got ${JSON.stringify(bar.timeframe)}`,
    );
  }

  private updateFiveMinute(bar: Bar): FeatureSnapshot | null {
    const features = this.fvg.update(bar);
    this.store.applyFiveMinute(
      features,
      this.fvg.isReady,
      bar.close,
      bar.volume,
      bar.timestamp,
      bar.timestamp + FIVE_MINUTES,
    );
    this.fiveMinuteBars++;
    if (!this.store.hasThirtyMinuteUpdate) {
      this.fiveMinuteBarsBeforeFirst30m++;
      return null;
    }
    this.snapshotsEmitted++;
    return this.store.emit();
  }

  private updateThirtyMinute(bar: Bar): FeatureSnapshot {
    const ha = this.heikinAshi.update(bar);
    const mlmi = this.mlmi.update(ha.close);
    const nwrqk = this.nwrqk.update(ha.close);
    const lvn = this.lvn.update(this.lvnOnHeikinAshi ? { ...ha, volume: bar.volume } : bar);
    this.mmdInput.close = ha.close;
    this.mmdInput.volume = bar.volume;
    const mmd = this.mmd.update(this.mmdInput);
    this.store.applyThirtyMinute(
      {
        mlmiValue: mlmi.value,
        mlmiSignal: mlmi.signal,
        mlmiReady: this.mlmi.isReady,
        nwrqkValue: nwrqk.value,
        nwrqkSlope: nwrqk.slope,
        nwrqkSignal: nwrqk.signal,
        nwrqkReady: this.nwrqk.isReady,
        lvnPrice: lvn.price,
        lvnStrength: lvn.strength,
        lvnDistance: lvn.distance,
        mmd,
      },
      bar.close,
      bar.volume,
      bar.timestamp,
      bar.timestamp + THIRTY_MINUTES,
    );
    this.thirtyMinuteBars++;
    this.snapshotsEmitted++;
    return this.store.emit();
  }

  snapshot(): FeatureStoreView {
    return this.store.view();
  }

  stats(): IndicatorEngineStats {
    return {
      fiveMinuteBars: this.fiveMinuteBars,
      thirtyMinuteBars: this.thirtyMinuteBars,
      snapshotsEmitted: this.snapshotsEmitted,
      fiveMinuteBarsBeforeFirst30m: this.fiveMinuteBarsBeforeFirst30m,
    };
  }

  checkpoint(): IndicatorEngineCheckpoint {
    return {
      version: 1,
      heikinAshi: this.heikinAshi.snapshot(),
      mlmi: this.mlmi.snapshot(),
      nwrqk: this.nwrqk.snapshot(),
      fvg: this.fvg.snapshot(),
      lvn: this.lvn.snapshot(),
      mmd: this.mmd.snapshot(),
      store: this.store.view(),
      stats: this.stats(),
    };
  }

  restore(checkpoint: IndicatorEngineCheckpoint): void {
    if (typeof checkpoint !== 'object' || checkpoint === null || checkpoint.version !== 1) {
      throw new IndicatorStateError(
        'IndicatorEngine',
        'a checkpoint of version 1 from checkpoint()',
        String(checkpoint),
      );
    }
    // Restore into fresh instances first and swap only when all succeeded, so a bad checkpoint changes nothing.
    const heikinAshi = new HeikinAshi();
    const mlmi = new MLMI(this.options.mlmi);
    const nwrqk = new NWRQK(this.options.nwrqk);
    const fvg = new FVG(this.options.fvg);
    const lvn = new LVN(this.lvnOptions);
    const mmd = new MMD(this.options.mmd);
    const store = new FeatureStore();
    heikinAshi.restore(checkpoint.heikinAshi);
    mlmi.restore(checkpoint.mlmi);
    nwrqk.restore(checkpoint.nwrqk);
    fvg.restore(checkpoint.fvg);
    lvn.restore(checkpoint.lvn);
    mmd.restore(checkpoint.mmd);
    store.restore(checkpoint.store);
    const stats = checkpoint.stats;
    this.heikinAshi = heikinAshi;
    this.mlmi = mlmi;
    this.nwrqk = nwrqk;
    this.fvg = fvg;
    this.lvn = lvn;
    this.mmd = mmd;
    this.store = store;
    this.fiveMinuteBars = stats.fiveMinuteBars;
    this.thirtyMinuteBars = stats.thirtyMinuteBars;
    this.snapshotsEmitted = stats.snapshotsEmitted;
    this.fiveMinuteBarsBeforeFirst30m = stats.fiveMinuteBarsBeforeFirst30m;
  }

  reset(): void {
    this.heikinAshi.reset();
    this.mlmi.reset();
    this.nwrqk.reset();
    this.fvg.reset();
    this.lvn.reset();
    this.mmd.reset();
    this.store.reset();
    this.fiveMinuteBars = 0;
    this.thirtyMinuteBars = 0;
    this.snapshotsEmitted = 0;
    this.fiveMinuteBarsBeforeFirst30m = 0;
  }
}

/**
 * Creates an IndicatorEngine (spec §9). Options default to the spec's Appendix A; a bad parameter throws an
 * {@link IndicatorParameterError} naming it (e.g. NW-RQK `lag` when `h − lag ≤ 0`).
 *
 * @example
 * ```ts
 * const engine = createIndicatorEngine();
 * const snapshot = engine.update({
 *   timestamp: Date.UTC(2024, 0, 2, 10), timeframe: '30m',
 *   open: 16800, high: 16810, low: 16790, close: 16805, volume: 5000, synthetic: false, tickCount: 900,
 * });
 * snapshot?.trigger; // '30m'
 * snapshot?.mlmi_ready; // false: MLMI needs 40 bars
 * ```
 * @see spec §9 (orchestration), §0.3 (routing), Appendix A (defaults)
 */
export function createIndicatorEngine(options: IndicatorEngineOptions = {}): IndicatorEngine {
  return new FeatureEngine(options);
}
