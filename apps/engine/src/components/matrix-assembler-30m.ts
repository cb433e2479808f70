/**
 * MatrixAssembler30m (spec §11.2): the 48 × 8 "structure" matrix over 30-minute snapshots — MLMI, NW-RQK,
 * LVN and the time of day, each scaled into a small symmetric range. The shared ring buffer, normaliser and
 * clean-up live in `matrix-assembler.ts`.
 */
import type { FeatureSnapshot } from '@algospace/indicators';
import type { MatrixColumn, RollingNormalizer } from './matrix-assembler.js';
import { clip, MatrixAssembler, MatrixConfigError, readNumber } from './matrix-assembler.js';

/**
 * Normaliser settings of one feature (the config's `feature_configs.<feature>`).
 *
 * @example
 * ```ts
 * const config: MatrixFeatureConfig = { emaAlpha: 0.05 };
 * ```
 */
export interface MatrixFeatureConfig {
  /** EMA weight of the feature's rolling normaliser after warm-up. */
  readonly emaAlpha?: number;
  /** Values averaged with 1/n before `emaAlpha` applies (default 100). */
  readonly warmupSamples?: number;
}

/**
 * Options of {@link MatrixAssembler30m}; defaults are spec §11.2.
 *
 * @example
 * ```ts
 * new MatrixAssembler30m({ windowSize: 96, warmupPeriod: 48 });
 * ```
 */
export interface MatrixAssembler30mOptions {
  /** Rows kept (default 48: one day of 30-minute bars). */
  readonly windowSize?: number;
  /** Rows before the matrix is ready (default 48). */
  readonly warmupPeriod?: number;
  /** Columns in order (default {@link MATRIX_30M_FEATURES}); unknown names use the generic rule. */
  readonly features?: readonly string[];
  /** Normaliser settings per feature, merged over the defaults. */
  readonly featureConfigs?: Readonly<Record<string, MatrixFeatureConfig>>;
  /** MLMI scale k for `clip(mlmi_value / k, −1, 1)` (default 200, MLMI's k). */
  readonly mlmiScale?: number;
}

/**
 * The default columns of the 30-minute matrix, in order ([CFG], spec §11.2).
 *
 * @example
 * ```ts
 * MATRIX_30M_FEATURES.indexOf('nwrqk_slope'); // 3
 * ```
 */
export const MATRIX_30M_FEATURES: readonly string[] = Object.freeze([
  'mlmi_value',
  'mlmi_signal',
  'nwrqk_value',
  'nwrqk_slope',
  'lvn_distance_points',
  'lvn_nearest_strength',
  'time_hour_sin',
  'time_hour_cos',
]);

const DEFAULT_ALPHAS: Readonly<Record<string, number>> = { mlmi_value: 0.02, nwrqk_slope: 0.05 };

/** UTC hour of day with minutes as a fraction: the bar timestamp as stored (spec §11.2 open point). */
function hourOfDay(timestamp: number): number {
  const minutes = Math.floor((((timestamp % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
  return minutes / 60;
}

const TWO_PI = 2 * Math.PI;

function column30m(name: string, mlmiScale: number): MatrixColumn {
  const key = (s: FeatureSnapshot) => readNumber(s, name);
  const price = (s: FeatureSnapshot) => s.current_price;
  switch (name) {
    case 'mlmi_value':
      return { name, raw: key, preprocess: (v) => clip(v / mlmiScale, -1, 1) };
    case 'mlmi_signal':
      return { name, raw: key, preprocess: (v) => v };
    case 'nwrqk_value':
      return {
        name,
        raw: key,
        preprocess: (v, _n, s) => {
          const p = price(s);
          return p > 0 ? clip((100 * (v - p)) / p, -5, 5) / 5 : 0;
        },
      };
    case 'nwrqk_slope':
      return {
        name,
        raw: key,
        preprocess: (v, n) => (n.count > 10 ? clip(n.zScore(v), -2, 2) / 2 : Math.tanh(10 * v)),
      };
    case 'lvn_distance_points':
      return {
        name,
        raw: key,
        preprocess: (v, _n, s) => {
          const p = price(s);
          return p > 0 ? Math.exp((-100 * v) / p) : 0;
        },
      };
    case 'lvn_nearest_strength':
      return { name, raw: key, preprocess: (v) => clip(v / 100, 0, 1) };
    case 'time_hour_sin':
      return { name, raw: (s) => hourOfDay(s.timestamp), preprocess: (h) => Math.sin((TWO_PI * h) / 24) };
    case 'time_hour_cos':
      return { name, raw: (s) => hourOfDay(s.timestamp), preprocess: (h) => Math.cos((TWO_PI * h) / 24) };
    default:
      return { name, raw: key, preprocess: genericPreprocess };
  }
}

function genericPreprocess(v: number, n: RollingNormalizer): number {
  return n.count > 10 ? n.zScore(v) / 3 : clip(v, -10, 10) / 10;
}

/**
 * Normaliser α and warm-up per feature from defaults plus `featureConfigs`.
 *
 * @example
 * ```ts
 * const { alphas } = normaliserSettings({ nwrqk_slope: 0.05 }, { nwrqk_slope: { emaAlpha: 0.1 } });
 * alphas.nwrqk_slope; // 0.1
 * ```
 */
export function normaliserSettings(
  defaults: Readonly<Record<string, number>>,
  configs: Readonly<Record<string, MatrixFeatureConfig>> | undefined,
): { alphas: Record<string, number>; warmupSamples: Record<string, number> } {
  const alphas: Record<string, number> = { ...defaults };
  const warmupSamples: Record<string, number> = {};
  for (const [feature, config] of Object.entries(configs ?? {})) {
    if (config.emaAlpha !== undefined) alphas[feature] = config.emaAlpha;
    if (config.warmupSamples !== undefined) warmupSamples[feature] = config.warmupSamples;
  }
  return { alphas, warmupSamples };
}

/**
 * The 30-minute assembler (spec §11.2): appends a row per `"30m"` snapshot; final clip [−3, 3].
 *
 * | # | feature | entry |
 * |---|---|---|
 * | 0 | `mlmi_value` | `clip(v / 200, −1, 1)` |
 * | 1 | `mlmi_signal` | as is |
 * | 2 | `nwrqk_value` | `clip(100·(v − P)/P, −5, 5)/5`, 0 if `P ≤ 0` |
 * | 3 | `nwrqk_slope` | `clip(z(v), −2, 2)/2` once its normaliser has > 10 values, else `tanh(10·v)` |
 * | 4 | `lvn_distance_points` | `exp(−100·v/P)`, 0 if `P ≤ 0` |
 * | 5 | `lvn_nearest_strength` | `clip(v/100, 0, 1)` |
 * | 6, 7 | `time_hour_sin`, `time_hour_cos` | `sin/cos(2π·h/24)`, `h` = UTC hour of the bar start |
 *
 * Unknown configured features read the snapshot key and map to `z(v)/3` (> 10 values) or
 * `clip(v, −10, 10)/10`.
 *
 * @example
 * ```ts
 * const assembler = new MatrixAssembler30m();
 * assembler.update(snapshot30m);
 * assembler.getMatrix(); // up to 48 rows of 8 float32 entries
 * ```
 */
export class MatrixAssembler30m extends MatrixAssembler {
  /**
   * @param options - window, warm-up, columns and normaliser settings (defaults: spec §11.2)
   * @throws {@link MatrixConfigError} for an invalid window, warm-up, α or `mlmiScale`
   */
  constructor(options: MatrixAssembler30mOptions = {}) {
    const mlmiScale = options.mlmiScale ?? 200;
    if (!(mlmiScale > 0 && Number.isFinite(mlmiScale))) {
      throw new MatrixConfigError('matrix_assemblers.30m.mlmi_scale', 'a finite number > 0', mlmiScale);
    }
    const { alphas, warmupSamples } = normaliserSettings(DEFAULT_ALPHAS, options.featureConfigs);
    super({
      name: '30m',
      trigger: '30m',
      windowSize: options.windowSize ?? 48,
      warmupPeriod: options.warmupPeriod ?? 48,
      finalClip: [-3, 3],
      columns: (options.features ?? MATRIX_30M_FEATURES).map((name) => column30m(name, mlmiScale)),
      alphas,
      warmupSamples,
    });
  }
}
