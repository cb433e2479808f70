/**
 * The RegimeDetector slot: classifies the market as trending, ranging or volatile from the MMD regime vector
 * (spec §8) after each 30-minute bar. The classifier sits behind {@link RegimeModel} so a learned model can
 * replace the transparent rules shipped here ({@link RuleBasedRegimeModel}); the component wiring is the
 * same for both.
 */
import type { FeatureSnapshot } from '@algospace/indicators';
import { EngineError } from '../engine-error.js';
import type { MatrixAssemblerRegime } from './matrix-assembler-regime.js';
import type { SignalsComponent, SignalsContext } from './signals-component.js';
import { signalsBus } from './signals-component.js';

/**
 * A market regime.
 *
 * @example
 * ```ts
 * const regime: Regime = 'trending';
 * ```
 */
export type Regime = 'trending' | 'ranging' | 'volatile';

/**
 * What a regime model sees: the raw MMD vector of the bar and, when the component was given the regime
 * assembler, its current matrix (96 × 19, spec §11.4) — the input a learned model would use.
 *
 * @example
 * ```ts
 * const features: RegimeFeatures = { timestamp: snapshot.asOf, mmd: snapshot.mmd_features };
 * ```
 */
export interface RegimeFeatures {
  /** `asOf` of the 30-minute snapshot, UTC epoch ms. */
  readonly timestamp: number;
  /** The 16 MMD features in spec §8 index order. */
  readonly mmd: readonly number[];
  /** Regime matrix rows oldest → newest, when available. */
  readonly matrix?: readonly Float32Array[];
}

/**
 * The quantities the rule-based model decides on, reported with every assessment so a reader can check
 * the call by hand.
 *
 * @example
 * ```ts
 * const { trendStrength, volatilityRatio } = assessment.evidence;
 * ```
 */
export interface RegimeEvidence {
  /** `|P| / (vol_20·√20)`: the t-statistic of the mean 30-minute log return over the last 20 bars. */
  readonly trendStrength: number;
  /** `vol_ratio_20_96`: recent volatility over two-day volatility. */
  readonly volatilityRatio: number;
  /** `mmd_48_vs_prev_48`: how far the last day's return distribution moved from the day before. */
  readonly distributionShift: number;
  /** `P`: the net log return over the last 20 bars (its sign is the trend's direction). */
  readonly netReturn: number;
}

/**
 * The REGIME_UPDATED payload.
 *
 * @example
 * ```ts
 * bus.subscribe('REGIME_UPDATED', (a) => console.log(a.regime, a.confidence.toFixed(2), a.reason));
 * ```
 */
export interface RegimeAssessment {
  /** The regime called. */
  readonly regime: Regime;
  /** Confidence in [0, 1]; the rule model gives 0.5 on a decision boundary and 1 well past it. */
  readonly confidence: number;
  /** +1 up-trend, −1 down-trend, 0 when not trending. */
  readonly direction: 1 | -1 | 0;
  /** `asOf` of the snapshot classified, UTC epoch ms. */
  readonly timestamp: number;
  /** Name of the model that produced the call. */
  readonly model: string;
  /** The rule that decided, in words with the numbers. */
  readonly reason: string;
  /** The inputs of the decision. */
  readonly evidence: RegimeEvidence;
}

/**
 * A regime classifier. Implement this to plug in a learned model (e.g. one fitted on the regime matrix);
 * `classify` must be deterministic and synchronous, since it runs inside the bus dispatch.
 *
 * @example
 * ```ts
 * const model: RegimeModel = {
 *   name: 'my-hmm',
 *   classify: (f) => ({ ...hmm.decode(f.matrix ?? []), timestamp: f.timestamp, model: 'my-hmm' }),
 * };
 * createRegimeDetectorComponent({ model });
 * ```
 */
export interface RegimeModel {
  /** Identifies the model in every assessment. */
  readonly name: string;
  /** Classifies one bar's features. */
  classify(features: RegimeFeatures): RegimeAssessment;
}

/**
 * Thresholds of {@link RuleBasedRegimeModel}.
 *
 * @example
 * ```ts
 * new RuleBasedRegimeModel({ trendThreshold: 2.5 });
 * ```
 */
export interface RuleBasedRegimeOptions {
  /** `vol_ratio_20_96` at or above which the market is volatile (default 1.5). */
  readonly volatileRatio?: number;
  /** Trend t-statistic at or above which the market is trending (default 2: ≈ 5 % two-sided). */
  readonly trendThreshold?: number;
  /**
   * MMD distribution shift treated as "clearly changed" (default 0.25). It lowers the confidence of a
   * ranging call only: for two samples of 48 i.i.d. normal returns the statistic stays below 0.18 in 95 %
   * of draws, while a doubled volatility gives a median of 0.28 (simulated, 400 draws each).
   */
  readonly shiftThreshold?: number;
}

/**
 * Raised for a regime model input or option outside its domain.
 *
 * @example
 * ```ts
 * new RuleBasedRegimeModel().classify({ timestamp: 0, mmd: [] }); // throws RegimeError
 * ```
 */
export class RegimeError extends EngineError {}

const SQRT_20 = Math.sqrt(20);

function unit(value: number): number {
  return Math.min(Math.max(value, 0), 1);
}

/**
 * The transparent regime rules, applied in order to the MMD vector:
 *
 * 1. **volatile** if `vol_ratio_20_96 ≥ volatileRatio` — the last 20 bars move much more than the last 96;
 * 2. **trending** if `|P| / (vol_20·√20) ≥ trendThreshold` — the 20-bar drift is significant against the
 *    20-bar noise (`P` = the net log return, index 0; `vol_20` = index 11);
 * 3. **ranging** otherwise.
 *
 * Confidence for volatile and trending is `0.5 + 0.5·min(1, (x − threshold)/threshold)`: 0.5 on the
 * boundary, 1 at twice the threshold. For ranging it is `0.5 + 0.5·(1 − m)` with `m` the largest of
 * `trendStrength/trendThreshold`, `(volatilityRatio − 1)/(volatileRatio − 1)` and
 * `distributionShift/shiftThreshold` (each clipped to [0, 1]): a quiet, stable, driftless market is called
 * ranging with confidence 1.
 *
 * @example
 * ```ts
 * const model = new RuleBasedRegimeModel();
 * const assessment = model.classify({ timestamp: snapshot.asOf, mmd: snapshot.mmd_features });
 * ```
 */
export class RuleBasedRegimeModel implements RegimeModel {
  /** `'rules-v1'`. */
  readonly name = 'rules-v1';
  /** Volatility-ratio threshold in effect. */
  readonly volatileRatio: number;
  /** Trend t-statistic threshold in effect. */
  readonly trendThreshold: number;
  /** Distribution-shift threshold in effect. */
  readonly shiftThreshold: number;

  /**
   * @param options - thresholds (defaults: 1.5, 2, 0.25)
   * @throws {@link RegimeError} when `volatileRatio ≤ 1` or another threshold is not a positive number
   */
  constructor(options: RuleBasedRegimeOptions = {}) {
    this.volatileRatio = options.volatileRatio ?? 1.5;
    this.trendThreshold = options.trendThreshold ?? 2;
    this.shiftThreshold = options.shiftThreshold ?? 0.25;
    if (!(this.volatileRatio > 1 && Number.isFinite(this.volatileRatio))) {
      throw new RegimeError(
        'ENGINE_REGIME_CONFIG_INVALID',
        `regime_detector.volatile_ratio: expected a finite number > 1, got ${this.volatileRatio}`,
      );
    }
    for (const [key, value] of [
      ['trend_threshold', this.trendThreshold],
      ['shift_threshold', this.shiftThreshold],
    ] as const) {
      if (!(value > 0 && Number.isFinite(value))) {
        throw new RegimeError(
          'ENGINE_REGIME_CONFIG_INVALID',
          `regime_detector.${key}: expected a finite number > 0, got ${value}`,
        );
      }
    }
  }

  /**
   * Applies the rules to one bar.
   *
   * @throws {@link RegimeError} when `mmd` does not hold 16 numbers
   * @example
   * ```ts
   * model.classify({ timestamp: 0, mmd: vector }).regime;
   * ```
   */
  classify(features: RegimeFeatures): RegimeAssessment {
    const mmd = features.mmd;
    if (mmd.length !== 16) {
      throw new RegimeError(
        'ENGINE_REGIME_INPUT_INVALID',
        `regime features: expected the 16-value MMD vector of spec §8, got ${mmd.length} values`,
      );
    }
    const netReturn = mmd[0]!;
    const vol20 = mmd[11]!;
    const volatilityRatio = mmd[13]!;
    const distributionShift = mmd[14]!;
    // A zero-noise window with a net move is an unbounded t-statistic; with no move there is no trend.
    const trendStrength =
      vol20 > 0 ? Math.abs(netReturn) / (vol20 * SQRT_20) : netReturn === 0 ? 0 : Number.POSITIVE_INFINITY;
    const evidence: RegimeEvidence = { trendStrength, volatilityRatio, distributionShift, netReturn };
    const base = { timestamp: features.timestamp, model: this.name, evidence };
    if (volatilityRatio >= this.volatileRatio) {
      return {
        ...base,
        regime: 'volatile',
        direction: 0,
        confidence: 0.5 + 0.5 * unit((volatilityRatio - this.volatileRatio) / this.volatileRatio),
        reason: `vol_ratio_20_96 ${volatilityRatio.toFixed(3)} ≥ ${this.volatileRatio}`,
      };
    }
    if (trendStrength >= this.trendThreshold) {
      return {
        ...base,
        regime: 'trending',
        direction: netReturn > 0 ? 1 : -1,
        confidence: 0.5 + 0.5 * unit((trendStrength - this.trendThreshold) / this.trendThreshold),
        reason: `trend t-statistic ${trendStrength.toFixed(3)} ≥ ${this.trendThreshold} (net return ${netReturn.toFixed(5)})`,
      };
    }
    const margin = Math.max(
      unit(trendStrength / this.trendThreshold),
      unit((volatilityRatio - 1) / (this.volatileRatio - 1)),
      unit(distributionShift / this.shiftThreshold),
    );
    return {
      ...base,
      regime: 'ranging',
      direction: 0,
      confidence: 0.5 + 0.5 * (1 - margin),
      reason: `trend t-statistic ${trendStrength.toFixed(3)} < ${this.trendThreshold} and vol_ratio_20_96 ${volatilityRatio.toFixed(3)} < ${this.volatileRatio}`,
    };
  }
}

/**
 * Options of {@link createRegimeDetectorComponent}.
 *
 * @example
 * ```ts
 * createRegimeDetectorComponent({ model: new RuleBasedRegimeModel({ volatileRatio: 1.8 }) });
 * ```
 */
export interface RegimeDetectorComponentOptions {
  /** The classifier (default {@link RuleBasedRegimeModel} with its defaults). */
  readonly model?: RegimeModel;
  /**
   * The regime assembler whose matrix to pass to the model. Its component must be registered before this
   * one (add its name to `dependsOn`) so the matrix already holds the current bar.
   */
  readonly assembler?: MatrixAssemblerRegime;
  /** Component name (default `'regime-detector'`). */
  readonly name?: string;
  /** Components that must start first. */
  readonly dependsOn?: readonly string[];
}

/**
 * The kernel component: on each `"30m"` INDICATORS_READY with `mmd_ready`, classifies and publishes
 * REGIME_UPDATED. Before the MMD vector is defined (the first 96 thirty-minute bars) nothing is published:
 * consumers treat "no assessment yet" as unknown. `latest` holds the last assessment.
 *
 * @example
 * ```ts
 * const regime = createRegimeDetectorComponent();
 * kernel.register(regime);
 * // later: regime.latest?.regime
 * ```
 */
export function createRegimeDetectorComponent(
  options: RegimeDetectorComponentOptions = {},
): SignalsComponent & {
  readonly model: RegimeModel;
  readonly latest: RegimeAssessment | undefined;
  /** Counts of each regime called so far. */
  readonly counts: Readonly<Record<Regime, number>>;
} {
  const model = options.model ?? new RuleBasedRegimeModel();
  const assembler = options.assembler;
  let latest: RegimeAssessment | undefined;
  const counts: Record<Regime, number> = { trending: 0, ranging: 0, volatile: 0 };
  let unsubscribe: (() => void) | undefined;
  const onSnapshot = (snapshot: FeatureSnapshot, publish: (a: RegimeAssessment) => void): void => {
    if (snapshot.trigger !== '30m' || !snapshot.mmd_ready) return;
    const features: RegimeFeatures =
      assembler === undefined
        ? { timestamp: snapshot.asOf, mmd: snapshot.mmd_features }
        : { timestamp: snapshot.asOf, mmd: snapshot.mmd_features, matrix: assembler.getMatrix() };
    latest = model.classify(features);
    counts[latest.regime]++;
    publish(latest);
  };
  return {
    name: options.name ?? 'regime-detector',
    dependsOn: options.dependsOn ?? [],
    model,
    get latest() {
      return latest;
    },
    init(context: SignalsContext) {
      const bus = signalsBus(context);
      unsubscribe = bus.subscribe('INDICATORS_READY', (snapshot) =>
        onSnapshot(snapshot, (a) => bus.publish('REGIME_UPDATED', a)),
      );
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
    get counts() {
      return { ...counts };
    },
    health() {
      return {
        status: 'ok',
        detail: `${model.name}: ${counts.trending} trending, ${counts.ranging} ranging, ${counts.volatile} volatile; latest ${latest?.regime ?? 'none'}`,
      };
    },
  };
}
