/**
 * MatrixAssemblerRegime (spec §11.4): the 96 × 19 regime matrix over 30-minute snapshots — the 16 MMD
 * features of §8 followed by short volatility, volume skew and price acceleration. It is the input a learned
 * regime model would read; the rule-based RegimeDetector reads the raw MMD vector instead. Shared mechanics
 * live in `matrix-assembler.ts`.
 */
import { type FeatureSnapshot, MMD_FEATURE_NAMES } from '@algospace/indicators';
import type { MatrixColumn } from './matrix-assembler.js';
import { clip, MatrixAssembler, readNumber } from './matrix-assembler.js';
import type { MatrixFeatureConfig } from './matrix-assembler-30m.js';
import { normaliserSettings } from './matrix-assembler-30m.js';

/**
 * The default features of the regime matrix; `mmd_features` expands to 16 columns (F = 19).
 *
 * @example
 * ```ts
 * new MatrixAssemblerRegime({ features: REGIME_MATRIX_FEATURES });
 * ```
 */
export const REGIME_MATRIX_FEATURES: readonly string[] = Object.freeze([
  'mmd_features',
  'volatility_30',
  'volume_profile_skew',
  'price_acceleration',
]);

/**
 * Options of {@link MatrixAssemblerRegime}; defaults are spec §11.4.
 *
 * @example
 * ```ts
 * new MatrixAssemblerRegime({ warmupPeriod: 48 });
 * ```
 */
export interface MatrixAssemblerRegimeOptions {
  /** Rows kept (default 96: two days of 30-minute bars). */
  readonly windowSize?: number;
  /** Rows before the matrix is ready (default 30). */
  readonly warmupPeriod?: number;
  /** Features in order (default {@link REGIME_MATRIX_FEATURES}). */
  readonly features?: readonly string[];
  /** Normaliser settings per feature (column name). */
  readonly featureConfigs?: Readonly<Record<string, MatrixFeatureConfig>>;
}

/** A bounded FIFO of the last `capacity` values, oldest first. */
class RecentValues {
  readonly #values: Float64Array;
  #count = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(capacity);
  }

  push(value: number): void {
    this.#values[this.#count % this.#values.length] = value;
    this.#count++;
  }

  get length(): number {
    return Math.min(this.#count, this.#values.length);
  }

  /** The `i`-th held value, oldest first. */
  at(i: number): number {
    const start = this.#count > this.#values.length ? this.#count % this.#values.length : 0;
    return this.#values[(start + i) % this.#values.length]!;
  }
}

/**
 * The regime assembler (spec §11.4): appends a row per `"30m"` snapshot; no final clip.
 *
 * | # | feature | raw | entry |
 * |---|---|---|---|
 * | 0–15 | `mmd_features.<name>` | `mmd_features[i]` | `clip(v, −3, 3)` |
 * | 16 | `volatility_30` | `100·std₀` of the simple returns of the last ≤ 31 prices (0 with < 2) | `clip(z(v), −2, 2)` after 10 values, else `tanh(v)` (α 0.05) |
 * | 17 | `volume_profile_skew` | `clip(mean(((V − m)/s)³), −3, 3)` over the last ≤ 20 volumes (0 with < 3, `s = 0` or `m = 0`) | `v/3` |
 * | 18 | `price_acceleration` | `clip(v₂ − v₁, −5, 5)` of the last two % changes; 0 on the first computation and with < 3 prices | `v/5` |
 *
 * Unknown configured features read the snapshot key and map to `z(v)/3` (> 10 values) or
 * `clip(v, −10, 10)/10` (the spec is silent; this is the 30-minute generic rule).
 *
 * @example
 * ```ts
 * const regime = new MatrixAssemblerRegime();
 * regime.update(snapshot30m);
 * regime.features.length; // 19
 * ```
 */
export class MatrixAssemblerRegime extends MatrixAssembler {
  /**
   * @param options - window, warm-up, features and normaliser settings (defaults: spec §11.4)
   * @throws {@link MatrixConfigError} for an invalid window, warm-up or α
   */
  constructor(options: MatrixAssemblerRegimeOptions = {}) {
    const prices = new RecentValues(31);
    const volumes = new RecentValues(20);
    let accelerationComputed = false;
    let volatility = 0;
    let skew = 0;
    let acceleration = 0;
    const observe = (s: FeatureSnapshot): void => {
      prices.push(s.current_price);
      volumes.push(s.current_volume);
      volatility = volatility30(prices);
      skew = volumeSkew(volumes);
      const n = prices.length;
      if (n < 3) {
        acceleration = 0;
      } else {
        const p0 = prices.at(n - 3);
        const p1 = prices.at(n - 2);
        const p2 = prices.at(n - 1);
        const v1 = (100 * (p1 - p0)) / p0;
        const v2 = (100 * (p2 - p1)) / p1;
        // Faithful quirk (§11.4): the original's velocity buffer made the first computation 0.
        acceleration = accelerationComputed ? clip(v2 - v1, -5, 5) : 0;
        accelerationComputed = true;
      }
    };
    const columns: MatrixColumn[] = [];
    for (const name of options.features ?? REGIME_MATRIX_FEATURES) {
      switch (name) {
        case 'mmd_features':
          MMD_FEATURE_NAMES.forEach((mmdName, index) => {
            columns.push({
              name: `mmd_features.${mmdName}`,
              raw: (s) => s.mmd_features[index] ?? 0,
              preprocess: (v) => clip(v, -3, 3),
            });
          });
          break;
        case 'volatility_30':
          columns.push({
            name,
            raw: () => volatility,
            preprocess: (v, n) => (n.count > 10 ? clip(n.zScore(v), -2, 2) : Math.tanh(v)),
          });
          break;
        case 'volume_profile_skew':
          columns.push({ name, raw: () => skew, preprocess: (v) => v / 3 });
          break;
        case 'price_acceleration':
          columns.push({ name, raw: () => acceleration, preprocess: (v) => v / 5 });
          break;
        default:
          columns.push({
            name,
            raw: (s) => readNumber(s, name),
            preprocess: (v, n) => (n.count > 10 ? n.zScore(v) / 3 : clip(v, -10, 10) / 10),
          });
      }
    }
    const { alphas, warmupSamples } = normaliserSettings({ volatility_30: 0.05 }, options.featureConfigs);
    super({
      name: 'regime',
      trigger: '30m',
      windowSize: options.windowSize ?? 96,
      warmupPeriod: options.warmupPeriod ?? 30,
      finalClip: null,
      columns,
      alphas,
      warmupSamples,
      observe,
    });
  }
}

/** `100·std₀` of the simple returns of the held prices; 0 with fewer than 2 prices. */
function volatility30(prices: RecentValues): number {
  const n = prices.length;
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 1; i < n; i++) sum += (prices.at(i) - prices.at(i - 1)) / prices.at(i - 1);
  const mean = sum / (n - 1);
  let squares = 0;
  for (let i = 1; i < n; i++) {
    const d = (prices.at(i) - prices.at(i - 1)) / prices.at(i - 1) - mean;
    squares += d * d;
  }
  return 100 * Math.sqrt(squares / (n - 1));
}

/** Clipped population skewness of the held volumes; 0 with < 3 values, zero spread or zero mean. */
function volumeSkew(volumes: RecentValues): number {
  const n = volumes.length;
  if (n < 3) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += volumes.at(i);
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (volumes.at(i) - mean) ** 2;
  const std = Math.sqrt(squares / n);
  if (std === 0 || mean === 0) return 0;
  let cubes = 0;
  for (let i = 0; i < n; i++) cubes += ((volumes.at(i) - mean) / std) ** 3;
  return clip(cubes / n, -3, 3);
}
