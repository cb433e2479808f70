/**
 * The mechanics every matrix assembler shares (spec §11.1): a float32 ring buffer of N rows × F columns,
 * the per-feature rolling normaliser, raw-value extraction with its non-finite rule, the post-processing
 * clean-up and final clip, and the kernel component that runs an assembler on INDICATORS_READY and
 * publishes MATRIX_READY. What each column means lives in the three assembler modules
 * (`matrix-assembler-30m.ts`, `matrix-assembler-5m.ts`, `matrix-assembler-regime.ts`).
 */
import type { FeatureSnapshot, FeatureTrigger } from '@algospace/indicators';
import { EngineError } from '../engine-error.js';
import type { SignalsComponent, SignalsContext } from './signals-component.js';
import { signalsBus } from './signals-component.js';

/**
 * Raised for assembler options outside their domain (window, warm-up, alpha, feature names).
 *
 * @example
 * ```ts
 * new MatrixAssembler30m({ windowSize: 0 }); // throws MatrixConfigError (code 'ENGINE_MATRIX_CONFIG_INVALID')
 * ```
 */
export class MatrixConfigError extends EngineError {
  /** The option path that failed, e.g. `matrix_assemblers.30m.window_size`. */
  readonly path: string;

  /**
   * @param path - config path of the offending option
   * @param expected - what the option must be
   * @param found - the value given
   */
  constructor(path: string, expected: string, found: unknown) {
    super('ENGINE_MATRIX_CONFIG_INVALID', `${path}: expected ${expected}, got ${String(found)}`);
    this.name = 'MatrixConfigError';
    this.path = path;
  }
}

/**
 * The per-feature rolling normaliser of spec §11.1: an exponentially weighted mean and variance that uses
 * the plain running average (α' = 1/n) for its first `warmupSamples` values.
 *
 * @example
 * ```ts
 * const normalizer = new RollingNormalizer(0.05);
 * for (const v of [1, 2, 3]) normalizer.update(v);
 * normalizer.zScore(3); // (3 − μ)/σ clipped to [−3, 3]
 * ```
 */
export class RollingNormalizer {
  /** EMA weight used once more than `warmupSamples` values were seen. */
  readonly alpha: number;
  /** Number of values averaged with α' = 1/n before switching to `alpha`. */
  readonly warmupSamples: number;
  #n = 0;
  #mean = 0;
  #variance = 0;

  /**
   * @param alpha - EMA weight after warm-up (default 0.01)
   * @param warmupSamples - values averaged with 1/n first (default 100)
   */
  constructor(alpha = 0.01, warmupSamples = 100) {
    this.alpha = alpha;
    this.warmupSamples = warmupSamples;
  }

  /** Number of values seen. */
  get count(): number {
    return this.#n;
  }

  /** Current mean μ. */
  get mean(): number {
    return this.#mean;
  }

  /** Current variance σ². */
  get variance(): number {
    return this.#variance;
  }

  /**
   * Adds one value: `n ← n+1`; the first sets `μ = v, σ² = 0`; later ones use
   * `δ = v − μ, μ ← μ + α'δ, σ² ← (1 − α')(σ² + α'δ²)`.
   *
   * @example
   * ```ts
   * normalizer.update(4810.25);
   * ```
   */
  update(value: number): void {
    this.#n++;
    if (this.#n === 1) {
      this.#mean = value;
      this.#variance = 0;
      return;
    }
    const a = this.#n > this.warmupSamples ? this.alpha : 1 / this.#n;
    const delta = value - this.#mean;
    this.#mean += a * delta;
    this.#variance = (1 - a) * (this.#variance + a * delta * delta);
  }

  /**
   * `clip((v − μ)/σ, −3, 3)`, or 0 while fewer than 2 values were seen or when σ ≤ 1e−10.
   *
   * @example
   * ```ts
   * normalizer.zScore(value);
   * ```
   */
  zScore(value: number): number {
    if (this.#n < 2) return 0;
    const sigma = Math.sqrt(this.#variance);
    if (sigma <= 1e-10) return 0;
    return clip((value - this.#mean) / sigma, -3, 3);
  }

  /** Forgets every value. */
  reset(): void {
    this.#n = 0;
    this.#mean = 0;
    this.#variance = 0;
  }
}

/**
 * `min(max(value, low), high)`; NaN stays NaN (the assembler's clean-up turns it into 0 afterwards).
 *
 * @example
 * ```ts
 * clip(7, -5, 5); // 5
 * ```
 */
export function clip(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/**
 * A snapshot key read as a number: booleans become 0/1; a missing or non-numeric key becomes 0
 * (spec §11.1). Non-finite numbers are returned as they are; the assembler replaces them.
 *
 * @example
 * ```ts
 * readNumber(snapshot, 'fvg_bullish_active'); // 0 or 1
 * ```
 */
export function readNumber(snapshot: FeatureSnapshot, key: string): number {
  const value = (snapshot as unknown as Record<string, unknown>)[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return 0;
}

/**
 * One matrix column: how to read its raw value from a snapshot and how to turn that raw value into the
 * matrix entry. `raw` runs after the assembler's `observe` hook for the same snapshot.
 *
 * @example
 * ```ts
 * const column: MatrixColumn = {
 *   name: 'lvn_nearest_strength',
 *   raw: (s) => readNumber(s, 'lvn_nearest_strength'),
 *   preprocess: (v) => clip(v / 100, 0, 1),
 * };
 * ```
 */
export interface MatrixColumn {
  /** Feature name, as configured. */
  readonly name: string;
  /** The raw value of this column for `snapshot`. */
  raw(snapshot: FeatureSnapshot): number;
  /** The matrix entry for raw value `value` (already fed to `normalizer` unless it was non-finite). */
  preprocess(value: number, normalizer: RollingNormalizer, snapshot: FeatureSnapshot): number;
}

/**
 * What a concrete assembler hands to the shared mechanics.
 *
 * @example
 * ```ts
 * class MyAssembler extends MatrixAssembler {
 *   constructor() {
 *     super({ name: 'mine', trigger: '30m', windowSize: 10, warmupPeriod: 5, finalClip: [-1, 1], columns, alphas: {} });
 *   }
 * }
 * ```
 */
export interface MatrixAssemblerSpec {
  /** Assembler identifier carried in MATRIX_READY (`'30m'`, `'5m'`, `'regime'`). */
  readonly name: MatrixAssemblerName;
  /** The only snapshot trigger that appends a row (spec §11.1 update cadence). */
  readonly trigger: FeatureTrigger;
  /** Rows kept, N. */
  readonly windowSize: number;
  /** Updates before `isReady()` is true. */
  readonly warmupPeriod: number;
  /** Final clip applied to every entry, or null for none. */
  readonly finalClip: readonly [number, number] | null;
  /** The columns in matrix order. */
  readonly columns: readonly MatrixColumn[];
  /** Normaliser α per feature name (missing: 0.01). */
  readonly alphas: Readonly<Record<string, number>>;
  /** Normaliser warm-up samples per feature name (missing: 100). */
  readonly warmupSamples?: Readonly<Record<string, number>>;
  /** Called once per appended row, before any column's `raw` (for stateful columns). */
  readonly observe?: (snapshot: FeatureSnapshot) => void;
}

/**
 * Which assembler a matrix comes from.
 *
 * @example
 * ```ts
 * const name: MatrixAssemblerName = 'regime';
 * ```
 */
export type MatrixAssemblerName = '30m' | '5m' | 'regime';

/**
 * The MATRIX_READY payload: a warmed-up assembler appended a row.
 *
 * @example
 * ```ts
 * bus.subscribe('MATRIX_READY', (event) => {
 *   if (event.assembler === 'regime') model.infer(event.matrix);
 * });
 * ```
 */
export interface MatrixReadyEvent {
  /** Which assembler produced it. */
  readonly assembler: MatrixAssemblerName;
  /** `asOf` of the snapshot that appended the newest row, UTC epoch ms. */
  readonly timestamp: number;
  /** Column names in order. */
  readonly features: readonly string[];
  /** Rows oldest → newest (at most `windowSize`), each a float32 row of `features.length` entries. */
  readonly matrix: readonly Float32Array[];
}

/**
 * Counters of an assembler.
 *
 * @example
 * ```ts
 * const { updates, nonFinite } = assembler.stats();
 * ```
 */
export interface MatrixAssemblerStats {
  /** Rows appended since creation or reset. */
  readonly updates: number;
  /** Rows currently held (≤ window size). */
  readonly rows: number;
  /** Snapshots ignored because of their trigger. */
  readonly skipped: number;
  /** Raw values replaced by 0 because they were not finite. */
  readonly nonFinite: number;
  /** True once `warmupPeriod` rows were appended. */
  readonly ready: boolean;
}

function checkWindow(prefix: string, windowSize: number, warmupPeriod: number): void {
  if (!Number.isInteger(windowSize) || windowSize < 1) {
    throw new MatrixConfigError(`${prefix}.window_size`, 'an integer ≥ 1', windowSize);
  }
  if (!Number.isInteger(warmupPeriod) || warmupPeriod < 0) {
    throw new MatrixConfigError(`${prefix}.warmup_period`, 'an integer ≥ 0', warmupPeriod);
  }
}

/**
 * The shared assembler: appends one float32 row per eligible snapshot into a ring buffer. Concrete
 * assemblers supply the columns; this class owns extraction order, normalisers and the clean-up.
 *
 * Per row: run `observe`; for each column read the raw value; a non-finite raw value becomes 0 and is not
 * fed to the normaliser, a finite one updates the normaliser first (so the current value is inside its
 * statistics); then `preprocess`; then NaN → 0, +∞ → 1, −∞ → −1; then the final clip.
 *
 * @see spec §11.1
 * @example
 * ```ts
 * const assembler = new MatrixAssembler30m();
 * engine.onSnapshot((s) => assembler.update(s));
 * if (assembler.isReady()) console.log(assembler.getMatrix().length);
 * ```
 */
export class MatrixAssembler {
  /** Which assembler this is. */
  readonly name: MatrixAssemblerName;
  /** The snapshot trigger that appends rows. */
  readonly trigger: FeatureTrigger;
  /** Rows kept, N. */
  readonly windowSize: number;
  /** Updates before `isReady()`. */
  readonly warmupPeriod: number;
  /** Column names in matrix order. */
  readonly features: readonly string[];
  readonly #columns: readonly MatrixColumn[];
  readonly #normalizers: readonly RollingNormalizer[];
  readonly #finalClip: readonly [number, number] | null;
  readonly #observe: ((snapshot: FeatureSnapshot) => void) | undefined;
  readonly #buffer: Float32Array;
  // Raw values of the row being built, reused across updates.
  readonly #raw: Float64Array;
  #next = 0;
  #updates = 0;
  #skipped = 0;
  #nonFinite = 0;

  /**
   * @param spec - columns, window and cadence of the concrete assembler
   * @throws {@link MatrixConfigError} for a window < 1, a negative warm-up or an α outside (0, 1]
   */
  constructor(spec: MatrixAssemblerSpec) {
    const prefix = `matrix_assemblers.${spec.name}`;
    checkWindow(prefix, spec.windowSize, spec.warmupPeriod);
    this.name = spec.name;
    this.trigger = spec.trigger;
    this.windowSize = spec.windowSize;
    this.warmupPeriod = spec.warmupPeriod;
    this.#columns = spec.columns;
    this.features = Object.freeze(spec.columns.map((c) => c.name));
    this.#normalizers = spec.columns.map((column) => {
      const alpha = spec.alphas[column.name] ?? 0.01;
      if (!(alpha > 0 && alpha <= 1)) {
        throw new MatrixConfigError(
          `${prefix}.feature_configs.${column.name}.ema_alpha`,
          'a number in (0, 1]',
          alpha,
        );
      }
      const warmup = spec.warmupSamples?.[column.name] ?? 100;
      if (!Number.isInteger(warmup) || warmup < 0) {
        throw new MatrixConfigError(
          `${prefix}.feature_configs.${column.name}.warmup_samples`,
          'an integer ≥ 0',
          warmup,
        );
      }
      return new RollingNormalizer(alpha, warmup);
    });
    this.#finalClip = spec.finalClip;
    this.#observe = spec.observe;
    this.#buffer = new Float32Array(spec.windowSize * spec.columns.length);
    this.#raw = new Float64Array(spec.columns.length);
  }

  /**
   * Appends a row when `snapshot.trigger` is this assembler's trigger; returns whether it did.
   *
   * @example
   * ```ts
   * if (assembler.update(snapshot) && assembler.isReady()) publish(assembler.getMatrix());
   * ```
   */
  update(snapshot: FeatureSnapshot): boolean {
    if (snapshot.trigger !== this.trigger) {
      this.#skipped++;
      return false;
    }
    this.#observe?.(snapshot);
    const columns = this.#columns;
    const width = columns.length;
    const raw = this.#raw;
    for (let i = 0; i < width; i++) {
      const value = columns[i]!.raw(snapshot);
      if (Number.isFinite(value)) {
        raw[i] = value;
        this.#normalizers[i]!.update(value);
      } else {
        raw[i] = 0;
        this.#nonFinite++;
      }
    }
    const offset = this.#next * width;
    const clipRange = this.#finalClip;
    for (let i = 0; i < width; i++) {
      let entry = columns[i]!.preprocess(raw[i]!, this.#normalizers[i]!, snapshot);
      if (Number.isNaN(entry)) entry = 0;
      else if (entry === Number.POSITIVE_INFINITY) entry = 1;
      else if (entry === Number.NEGATIVE_INFINITY) entry = -1;
      if (clipRange !== null) entry = clip(entry, clipRange[0], clipRange[1]);
      this.#buffer[offset + i] = entry;
    }
    this.#next = (this.#next + 1) % this.windowSize;
    this.#updates++;
    return true;
  }

  /** True once `warmupPeriod` rows were appended. */
  isReady(): boolean {
    return this.#updates >= this.warmupPeriod;
  }

  /** Rows currently held: `min(updates, windowSize)`. */
  get rowCount(): number {
    return Math.min(this.#updates, this.windowSize);
  }

  /**
   * The rows so far, oldest → newest (copies; at most `windowSize`).
   *
   * @example
   * ```ts
   * const rows = assembler.getMatrix(); // rows[rows.length - 1] is the newest
   * ```
   */
  getMatrix(): Float32Array[] {
    const width = this.features.length;
    const count = this.rowCount;
    const first = this.#updates > this.windowSize ? this.#next : 0;
    const rows: Float32Array[] = new Array(count);
    for (let r = 0; r < count; r++) {
      const slot = (first + r) % this.windowSize;
      rows[r] = this.#buffer.slice(slot * width, (slot + 1) * width);
    }
    return rows;
  }

  /**
   * The newest row (a copy), or undefined before the first update.
   *
   * @example
   * ```ts
   * assembler.latestRow()?.[0];
   * ```
   */
  latestRow(): Float32Array | undefined {
    if (this.#updates === 0) return undefined;
    const width = this.features.length;
    const slot = (this.#next - 1 + this.windowSize) % this.windowSize;
    return this.#buffer.slice(slot * width, (slot + 1) * width);
  }

  /**
   * The normaliser of feature `name` (for inspection and tests).
   *
   * @example
   * ```ts
   * assembler.normalizer('nwrqk_slope')?.count;
   * ```
   */
  normalizer(name: string): RollingNormalizer | undefined {
    const index = this.features.indexOf(name);
    return index < 0 ? undefined : this.#normalizers[index];
  }

  /**
   * Counters: rows appended and held, snapshots skipped, non-finite raw values replaced.
   *
   * @example
   * ```ts
   * assembler.stats().nonFinite;
   * ```
   */
  stats(): MatrixAssemblerStats {
    return {
      updates: this.#updates,
      rows: this.rowCount,
      skipped: this.#skipped,
      nonFinite: this.#nonFinite,
      ready: this.isReady(),
    };
  }
}

/**
 * Options of {@link createMatrixAssemblerComponent}.
 *
 * @example
 * ```ts
 * createMatrixAssemblerComponent(new MatrixAssembler5m(), { dependsOn: ['indicator-engine'] });
 * ```
 */
export interface MatrixAssemblerComponentOptions {
  /** Component name (default `matrix-assembler-<name>`). */
  readonly name?: string;
  /** Components that must start first. */
  readonly dependsOn?: readonly string[];
}

/**
 * The kernel component around an assembler: updates it on every INDICATORS_READY and, once it is warmed
 * up, publishes MATRIX_READY after each appended row. The `assembler` property gives access to the matrix
 * and counters.
 *
 * @example
 * ```ts
 * kernel.register(createMatrixAssemblerComponent(new MatrixAssembler30m()));
 * kernel.register(createMatrixAssemblerComponent(new MatrixAssembler5m()));
 * kernel.register(createMatrixAssemblerComponent(new MatrixAssemblerRegime()));
 * ```
 */
export function createMatrixAssemblerComponent<A extends MatrixAssembler>(
  assembler: A,
  options: MatrixAssemblerComponentOptions = {},
): SignalsComponent & { readonly assembler: A } {
  let unsubscribe: (() => void) | undefined;
  return {
    name: options.name ?? `matrix-assembler-${assembler.name}`,
    dependsOn: options.dependsOn ?? [],
    assembler,
    init(context: SignalsContext) {
      const bus = signalsBus(context);
      unsubscribe = bus.subscribe('INDICATORS_READY', (snapshot) => {
        if (assembler.update(snapshot) && assembler.isReady()) {
          bus.publish('MATRIX_READY', {
            assembler: assembler.name,
            timestamp: snapshot.asOf,
            features: assembler.features,
            matrix: assembler.getMatrix(),
          });
        }
      });
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
    health() {
      const s = assembler.stats();
      return {
        status: 'ok',
        detail: `${s.updates} rows appended (${s.rows} held, ${s.ready ? 'ready' : 'warming up'}), ${s.nonFinite} non-finite raw values zeroed`,
      };
    },
  };
}
