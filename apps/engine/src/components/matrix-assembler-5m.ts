/**
 * MatrixAssembler5m (spec §11.3): the 60 × 7 "tactical" matrix over 5-minute snapshots — fair value gaps,
 * short momentum and relative volume. Shared mechanics live in `matrix-assembler.ts`.
 */
import type { FeatureSnapshot } from '@algospace/indicators';
import type { MatrixColumn, RollingNormalizer } from './matrix-assembler.js';
import { clip, MatrixAssembler, readNumber } from './matrix-assembler.js';
import type { MatrixFeatureConfig } from './matrix-assembler-30m.js';
import { normaliserSettings } from './matrix-assembler-30m.js';

/**
 * Options of {@link MatrixAssembler5m}; defaults are spec §11.3.
 *
 * @example
 * ```ts
 * new MatrixAssembler5m({ features: [...MATRIX_5M_FEATURES, 'fvg_age'] });
 * ```
 */
export interface MatrixAssembler5mOptions {
  /** Rows kept (default 60: five hours of 5-minute bars). */
  readonly windowSize?: number;
  /** Rows before the matrix is ready (default 20). */
  readonly warmupPeriod?: number;
  /** Columns in order (default {@link MATRIX_5M_FEATURES}); see the class for the recognised extras. */
  readonly features?: readonly string[];
  /** Normaliser settings per feature. */
  readonly featureConfigs?: Readonly<Record<string, MatrixFeatureConfig>>;
}

/**
 * The default columns of the 5-minute matrix, in order ([CFG], spec §11.3).
 *
 * @example
 * ```ts
 * MATRIX_5M_FEATURES.length; // 7
 * ```
 */
export const MATRIX_5M_FEATURES: readonly string[] = Object.freeze([
  'fvg_bullish_active',
  'fvg_bearish_active',
  'fvg_nearest_level',
  'fvg_mitigation_signal',
  'price_momentum_5',
  'volume_ratio',
  'fvg_gap_size_pct',
]);

/** Weight of the volume EMA behind `volume_ratio` (≈ a 50-bar average). */
const VOLUME_EMA_ALPHA = 0.02;

/**
 * The 5-minute assembler (spec §11.3): appends a row per `"5m"` snapshot; final clip [−2, 2].
 *
 * | # | feature | entry |
 * |---|---|---|
 * | 0, 1, 3 | `fvg_bullish_active`, `fvg_bearish_active`, `fvg_mitigation_signal` | 0/1 |
 * | 2 | `fvg_nearest_level` | `clip(100·(v − P)/P, −2, 2)/2` if `P > 0` and `v > 0`, else 0 |
 * | 4 | `price_momentum_5` | raw `clip(100·(p₅ − p₀)/p₀, −10, 10)` over the last 6 prices (0 until 6); entry `clip(v/5, −1, 1)` |
 * | 5 | `volume_ratio` | raw `V / E` (`E` an EMA, α 0.02, seeded with `max(V₀, 1)`); entry `tanh(ln v)`, 0 if `v ≤ 0` |
 * | 6 | `fvg_gap_size_pct` | `clip(v/5, 0, 1)` |
 *
 * Recognised extras: `fvg_age` → `exp(−0.1·|v|)`; `fvg_gap_size` → `min(100·v/P/5, 1)` (0 unless `P, v > 0`);
 * `fvg_mitigation_depth` → `clip(v, 0, 1)`; `fvg_mitigation_strength` → an EMA with the feature's α, seeded
 * with its first value. Any other name reads the snapshot key and maps like the 30-minute generic rule
 * (`z(v)/3` after 10 values, else `clip(v, −10, 10)/10`) — the spec is silent there.
 *
 * @example
 * ```ts
 * const assembler = new MatrixAssembler5m();
 * assembler.update(snapshot5m);
 * ```
 */
export class MatrixAssembler5m extends MatrixAssembler {
  /**
   * @param options - window, warm-up, columns and normaliser settings (defaults: spec §11.3)
   * @throws {@link MatrixConfigError} for an invalid window, warm-up or α
   */
  constructor(options: MatrixAssembler5mOptions = {}) {
    // Column state, advanced once per row by `observe` before any column reads it.
    const prices = new Float64Array(6);
    let priceCount = 0;
    let volumeEma = Number.NaN;
    let volumeRatio = 1;
    const { alphas, warmupSamples } = normaliserSettings({}, options.featureConfigs);
    const observe = (s: FeatureSnapshot): void => {
      prices[priceCount % 6] = s.current_price;
      priceCount++;
      const volume = s.current_volume;
      volumeEma = Number.isNaN(volumeEma)
        ? Math.max(volume, 1)
        : volumeEma + VOLUME_EMA_ALPHA * (volume - volumeEma);
      volumeRatio = Math.abs(volumeEma) <= 1e-10 ? 1 : volume / volumeEma;
    };
    const momentum = (): number => {
      if (priceCount < 6) return 0;
      const first = prices[priceCount % 6]!;
      const last = prices[(priceCount - 1) % 6]!;
      return first > 0 ? clip((100 * (last - first)) / first, -10, 10) : 0;
    };
    const column = (name: string): MatrixColumn => {
      const key = (s: FeatureSnapshot) => readNumber(s, name);
      switch (name) {
        case 'fvg_bullish_active':
        case 'fvg_bearish_active':
        case 'fvg_mitigation_signal':
          return { name, raw: key, preprocess: (v) => v };
        case 'fvg_nearest_level':
          return {
            name,
            raw: key,
            preprocess: (v, _n, s) => {
              const p = s.current_price;
              return p > 0 && v > 0 ? clip((100 * (v - p)) / p, -2, 2) / 2 : 0;
            },
          };
        case 'price_momentum_5':
          return { name, raw: momentum, preprocess: (v) => clip(v / 5, -1, 1) };
        case 'volume_ratio':
          return { name, raw: () => volumeRatio, preprocess: (v) => (v > 0 ? Math.tanh(Math.log(v)) : 0) };
        case 'fvg_gap_size_pct':
          return { name, raw: key, preprocess: (v) => clip(v / 5, 0, 1) };
        case 'fvg_age':
          return { name, raw: key, preprocess: (v) => Math.exp(-0.1 * Math.abs(v)) };
        case 'fvg_gap_size':
          return {
            name,
            raw: key,
            preprocess: (v, _n, s) => {
              const p = s.current_price;
              return p > 0 && v > 0 ? Math.min((100 * v) / p / 5, 1) : 0;
            },
          };
        case 'fvg_mitigation_depth':
          return { name, raw: key, preprocess: (v) => clip(v, 0, 1) };
        case 'fvg_mitigation_strength': {
          const alpha = alphas[name] ?? 0.01;
          let ema = Number.NaN;
          return {
            name,
            raw: key,
            preprocess: (v) => {
              ema = Number.isNaN(ema) ? v : ema + alpha * (v - ema);
              return ema;
            },
          };
        }
        default:
          return {
            name,
            raw: key,
            preprocess: (v: number, n: RollingNormalizer) =>
              n.count > 10 ? n.zScore(v) / 3 : clip(v, -10, 10) / 10,
          };
      }
    };
    super({
      name: '5m',
      trigger: '5m',
      windowSize: options.windowSize ?? 60,
      warmupPeriod: options.warmupPeriod ?? 20,
      finalClip: [-2, 2],
      columns: (options.features ?? MATRIX_5M_FEATURES).map(column),
      alphas,
      warmupSamples,
      observe,
    });
  }
}
