/**
 * The SynergyDetector (spec §10, "Gate 1"): turns feature snapshots into MLMI, NW-RQK and FVG signals and
 * reports a SYNERGY_DETECTED when three of them, all in one direction, arrive in one of the four valid
 * orders within the time window and outside the cooldown. The pure state machine (`SynergyDetector`) lives
 * here with its payload types and its kernel component; qualifying a synergy into a trade does not (that
 * is the DecisionCore's job).
 */
import type { FeatureSnapshot } from '@algospace/indicators';
import { EngineError } from '../engine-error.js';
import type { SignalsComponent, SignalsContext } from './signals-component.js';
import { signalsBus } from './signals-component.js';

/**
 * One of the three signal sources the detector combines (spec §10.3).
 *
 * @example
 * ```ts
 * const source: SynergySignalType = 'fvg';
 * ```
 */
export type SynergySignalType = 'mlmi' | 'nwrqk' | 'fvg';

/**
 * A valid synergy pattern (spec §10.1, PRD numbering): `TYPE_1` MLMI → NW-RQK → FVG, `TYPE_2` MLMI → FVG →
 * NW-RQK, `TYPE_3` NW-RQK → FVG → MLMI, `TYPE_4` NW-RQK → MLMI → FVG.
 *
 * @example
 * ```ts
 * const type: SynergyType = 'TYPE_1';
 * ```
 */
export type SynergyType = 'TYPE_1' | 'TYPE_2' | 'TYPE_3' | 'TYPE_4';

/**
 * +1 long (bullish), −1 short (bearish).
 *
 * @example
 * ```ts
 * const direction: SignalDirection = -1;
 * ```
 */
export type SignalDirection = 1 | -1;

/**
 * The signal order of each synergy type (spec §10.1). Any other complete order (FVG first) is invalid.
 *
 * @example
 * ```ts
 * SYNERGY_PATTERNS.TYPE_3; // ['nwrqk', 'fvg', 'mlmi']
 * ```
 */
export const SYNERGY_PATTERNS: Readonly<Record<SynergyType, readonly SynergySignalType[]>> = Object.freeze({
  TYPE_1: Object.freeze(['mlmi', 'nwrqk', 'fvg'] as const),
  TYPE_2: Object.freeze(['mlmi', 'fvg', 'nwrqk'] as const),
  TYPE_3: Object.freeze(['nwrqk', 'fvg', 'mlmi'] as const),
  TYPE_4: Object.freeze(['nwrqk', 'mlmi', 'fvg'] as const),
});

/**
 * The feature-snapshot keys the detector reads (spec §9.2). Any `FeatureSnapshot` is one; tests may pass a
 * plain object with just these keys.
 *
 * @example
 * ```ts
 * const input: SynergyInput = snapshot; // any FeatureSnapshot
 * ```
 */
export type SynergyInput = Pick<
  FeatureSnapshot,
  | 'trigger'
  | 'asOf'
  | 'mlmi_value'
  | 'mlmi_signal'
  | 'nwrqk_value'
  | 'nwrqk_slope'
  | 'nwrqk_signal'
  | 'fvg_mitigation_signal'
  | 'fvg_bullish_mitigated'
  | 'fvg_bearish_mitigated'
  | 'fvg_bullish_mitigated_size'
  | 'fvg_bearish_mitigated_size'
  | 'current_price'
  | 'lvn_nearest_price'
  | 'lvn_nearest_strength'
  | 'lvn_distance_points'
>;

/**
 * One activated signal inside a synergy's sequence (spec §10.5 `signal_sequence`).
 *
 * @example
 * ```ts
 * const s: SynergySignal = { type: 'mlmi', value: 37, signal: 1, timestamp: Date.UTC(2024, 0, 2, 10), strength: 0.185 };
 * ```
 */
export interface SynergySignal {
  /** Which indicator produced the signal. */
  readonly type: SynergySignalType;
  /** The indicator value behind it: `mlmi_value`, `nwrqk_value`, or `current_price` for FVG (§10.3). */
  readonly value: number;
  /** Direction: +1 bullish, −1 bearish. */
  readonly signal: SignalDirection;
  /** The `asOf` of the snapshot that activated it, UTC epoch ms. */
  readonly timestamp: number;
  /** Normalised strength in [0, 1] (§10.3). */
  readonly strength: number;
}

/**
 * The SYNERGY_DETECTED payload (spec §10.5). Keys keep the spec's snake_case so results files and the
 * original tooling read the same names.
 *
 * @example
 * ```ts
 * bus.subscribe('SYNERGY_DETECTED', (event: SynergyEvent) => {
 *   console.log(event.synergy_type, event.direction, event.metadata.pattern_quality);
 * });
 * ```
 */
export interface SynergyEvent {
  /** Which of the four patterns completed. */
  readonly synergy_type: SynergyType;
  /** +1 long, −1 short: the common direction of the three signals. */
  readonly direction: SignalDirection;
  /** Always 1.0: Gate 1 is a rule, not a model (§10.5). */
  readonly confidence: number;
  /** Time of the third signal (its snapshot's `asOf`), UTC epoch ms. */
  readonly timestamp: number;
  /** The three signals in arrival order. */
  readonly signal_sequence: readonly [SynergySignal, SynergySignal, SynergySignal];
  /** Strength of each signal of the sequence by type. */
  readonly signal_strengths: { readonly mlmi: number; readonly nwrqk: number; readonly fvg: number };
  /** Market context from the completing snapshot. */
  readonly market_context: {
    /** `current_price` of the completing snapshot. */
    readonly current_price: number;
    /** The nearest low-volume node (§7). */
    readonly nearest_lvn: { readonly price: number; readonly strength: number; readonly distance: number };
  };
  /** How quickly and cleanly the pattern formed. */
  readonly metadata: {
    /** `barsBetween(first, third) + 1`, in `barMinutes` bars. */
    readonly bars_to_complete: number;
    /** `clamp(0.6·mean(strengths) + 0.3·(1 − bars_to_complete/timeWindowBars) + 0.1, 0, 1)`. */
    readonly pattern_quality: number;
  };
}

/**
 * Gates and timing of the detector. Every field is optional; the defaults are the spec's canonical values
 * (§10.3), which re-express the original gates in the units of §4/§5.
 *
 * @example
 * ```ts
 * const detector = new SynergyDetector({ timeWindowBars: 12, cooldownBars: 6 });
 * ```
 */
export interface SynergyDetectorOptions {
  /** MLMI neutral level (default 0: MLMI is centred on 0). */
  readonly mlmiNeutral?: number;
  /** MLMI scale for the threshold and strength (default 200 = k). */
  readonly mlmiScale?: number;
  /** MLMI gate as a fraction of `mlmiScale` (default 0: every cross activates). */
  readonly mlmiThreshold?: number;
  /** Cap of the MLMI strength (default 1). */
  readonly mlmiMaxStrength?: number;
  /** Minimum |NW-RQK slope| in price units per bar (default 0). */
  readonly nwrqkThreshold?: number;
  /** NW-RQK slope giving strength 1 (default 2). */
  readonly nwrqkMaxSlope?: number;
  /** Minimum mitigated gap size as a fraction of price (default 0.001). */
  readonly fvgMinSize?: number;
  /** Gap size (fraction of price) giving strength 1 (default 0.01). */
  readonly fvgMaxGapPct?: number;
  /** Window from the first signal, in bars (default 10: 10 bars is inside, 11 is not). */
  readonly timeWindowBars?: number;
  /** Bars after a synergy during which completed patterns are discarded (default 5). */
  readonly cooldownBars?: number;
  /** Length of the counting bar in minutes (default 5). */
  readonly barMinutes?: number;
}

/**
 * Counters of everything the detector saw and decided, so no discarded signal or pattern goes unreported.
 *
 * @example
 * ```ts
 * const { synergies, discardedInCooldown } = detector.stats();
 * ```
 */
export interface SynergyDetectorStats {
  /** Snapshots processed. */
  readonly snapshots: number;
  /** Activated signals per type. */
  readonly signals: { readonly mlmi: number; readonly nwrqk: number; readonly fvg: number };
  /** Emitted synergies per type. */
  readonly synergies: Readonly<Record<SynergyType, number>>;
  /** Valid patterns discarded because they completed inside the cooldown. */
  readonly discardedInCooldown: number;
  /** Complete sequences in an invalid order (FVG first). */
  readonly invalidPatterns: number;
  /** Sequences abandoned because a signal arrived after the window. */
  readonly expiredSequences: number;
  /** Sequences abandoned because a signal arrived in the opposite direction. */
  readonly directionResets: number;
  /** Signals ignored because their type was already in the sequence. */
  readonly duplicateSignals: number;
  /** Signals of a snapshot left unprocessed because an earlier one of it completed a synergy (§10.4). */
  readonly skippedAfterSynergy: number;
}

/**
 * Raised for detector options outside their domain.
 *
 * @example
 * ```ts
 * new SynergyDetector({ barMinutes: 0 }); // throws SynergyConfigError (code 'ENGINE_SYNERGY_CONFIG_INVALID')
 * ```
 */
export class SynergyConfigError extends EngineError {
  /** The option that failed. */
  readonly option: string;

  /**
   * @param option - name of the offending option
   * @param expected - what the option must be
   * @param found - the value given
   */
  constructor(option: string, expected: string, found: unknown) {
    super(
      'ENGINE_SYNERGY_CONFIG_INVALID',
      `synergy_detector.${option}: expected ${expected}, got ${String(found)}`,
    );
    this.name = 'SynergyConfigError';
    this.option = option;
  }
}

interface ResolvedOptions {
  readonly mlmiNeutral: number;
  readonly mlmiScale: number;
  readonly mlmiThreshold: number;
  readonly mlmiMaxStrength: number;
  readonly nwrqkThreshold: number;
  readonly nwrqkMaxSlope: number;
  readonly fvgMinSize: number;
  readonly fvgMaxGapPct: number;
  readonly timeWindowBars: number;
  readonly cooldownBars: number;
  readonly barMinutes: number;
}

/**
 * The canonical defaults of spec §10.3.
 *
 * @example
 * ```ts
 * SYNERGY_DEFAULTS.timeWindowBars; // 10
 * ```
 */
export const SYNERGY_DEFAULTS: Readonly<Required<SynergyDetectorOptions>> = Object.freeze({
  mlmiNeutral: 0,
  mlmiScale: 200,
  mlmiThreshold: 0,
  mlmiMaxStrength: 1,
  nwrqkThreshold: 0,
  nwrqkMaxSlope: 2,
  fvgMinSize: 0.001,
  fvgMaxGapPct: 0.01,
  timeWindowBars: 10,
  cooldownBars: 5,
  barMinutes: 5,
});

function resolveOptions(options: SynergyDetectorOptions): ResolvedOptions {
  const resolved = { ...SYNERGY_DEFAULTS, ...options };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value)) throw new SynergyConfigError(key, 'a finite number', value);
  }
  const positive = ['mlmiScale', 'nwrqkMaxSlope', 'fvgMaxGapPct', 'barMinutes'] as const;
  for (const key of positive) {
    if (resolved[key] <= 0) throw new SynergyConfigError(key, 'a number > 0', resolved[key]);
  }
  const nonNegative = [
    'mlmiThreshold',
    'mlmiMaxStrength',
    'nwrqkThreshold',
    'fvgMinSize',
    'timeWindowBars',
    'cooldownBars',
  ] as const;
  for (const key of nonNegative) {
    if (resolved[key] < 0) throw new SynergyConfigError(key, 'a number ≥ 0', resolved[key]);
  }
  return resolved;
}

/**
 * Which valid pattern the order `a → b → c` forms, or `undefined` for an invalid order.
 *
 * @example
 * ```ts
 * patternOf('mlmi', 'fvg', 'nwrqk'); // 'TYPE_2'
 * patternOf('fvg', 'mlmi', 'nwrqk'); // undefined
 * ```
 */
export function patternOf(
  a: SynergySignalType,
  b: SynergySignalType,
  c: SynergySignalType,
): SynergyType | undefined {
  for (const type of ['TYPE_1', 'TYPE_2', 'TYPE_3', 'TYPE_4'] as const) {
    const order = SYNERGY_PATTERNS[type];
    if (order[0] === a && order[1] === b && order[2] === c) return type;
  }
  return undefined;
}

/**
 * The spec §10 state machine. Feed it every INDICATORS_READY snapshot in order; it returns the synergy a
 * snapshot completes, or `null`. Deterministic: the clock is the snapshot's `asOf`, never the wall clock.
 *
 * @see spec §10.2 (eligibility), §10.3 (activation), §10.4 (sequence, window, cooldown), §10.5 (payload)
 * @example
 * ```ts
 * const detector = new SynergyDetector();
 * for (const snapshot of snapshots) {
 *   const synergy = detector.process(snapshot);
 *   if (synergy) console.log(synergy.synergy_type, synergy.direction);
 * }
 * ```
 */
export class SynergyDetector {
  readonly #options: ResolvedOptions;
  readonly #barMs: number;
  #sequence: SynergySignal[] = [];
  #sequenceStart = 0;
  #lastSynergyTime: number | undefined;
  // Activated signals of the current snapshot, reused so processing allocates only for active signals.
  readonly #pending: SynergySignal[] = [];
  #snapshots = 0;
  readonly #signals = { mlmi: 0, nwrqk: 0, fvg: 0 };
  readonly #synergies: Record<SynergyType, number> = { TYPE_1: 0, TYPE_2: 0, TYPE_3: 0, TYPE_4: 0 };
  #discardedInCooldown = 0;
  #invalidPatterns = 0;
  #expiredSequences = 0;
  #directionResets = 0;
  #duplicateSignals = 0;
  #skippedAfterSynergy = 0;

  /**
   * @param options - gates and timing; defaults are spec §10.3's canonical values
   * @throws {@link SynergyConfigError} when an option is not finite or outside its domain
   */
  constructor(options: SynergyDetectorOptions = {}) {
    this.#options = resolveOptions(options);
    this.#barMs = this.#options.barMinutes * 60_000;
  }

  /** The options in effect, defaults filled in. */
  get options(): Readonly<Required<SynergyDetectorOptions>> {
    return this.#options;
  }

  /**
   * Whole counting bars between two times: `floor((t1 − t0) / barMinutes)` (§10.2).
   *
   * @example
   * ```ts
   * new SynergyDetector().barsBetween(0, 50 * 60_000); // 10
   * ```
   */
  barsBetween(t0: number, t1: number): number {
    return Math.floor((t1 - t0) / this.#barMs);
  }

  /** The signals of the sequence in progress, oldest first (a copy). */
  get sequence(): readonly SynergySignal[] {
    return this.#sequence.slice();
  }

  /** `asOf` of the last emitted synergy, if any. */
  get lastSynergyTime(): number | undefined {
    return this.#lastSynergyTime;
  }

  /**
   * True when a pattern completing at `asOf` would be discarded by the cooldown (§10.4).
   *
   * @example
   * ```ts
   * detector.inCooldown(snapshot.asOf);
   * ```
   */
  inCooldown(asOf: number): boolean {
    return (
      this.#lastSynergyTime !== undefined &&
      this.barsBetween(this.#lastSynergyTime, asOf) < this.#options.cooldownBars
    );
  }

  /**
   * Processes one snapshot: activates its eligible signals in the order MLMI, NW-RQK, FVG and advances the
   * sequence with each; returns the completed synergy or `null`.
   *
   * @example
   * ```ts
   * const synergy = detector.process(snapshot);
   * ```
   */
  process(snapshot: SynergyInput): SynergyEvent | null {
    this.#snapshots++;
    const pending = this.#pending;
    pending.length = 0;
    this.#activate(snapshot, pending);
    for (const signal of pending) this.#signals[signal.type]++;
    for (let i = 0; i < pending.length; i++) {
      const synergy = this.#advance(pending[i]!, snapshot);
      if (synergy !== null) {
        // §10.4 step 5: an emitted synergy ends processing of this snapshot.
        this.#skippedAfterSynergy += pending.length - 1 - i;
        return synergy;
      }
    }
    return null;
  }

  /** Forgets the sequence and cooldown (the counters are kept). */
  reset(): void {
    this.#sequence = [];
    this.#sequenceStart = 0;
    this.#lastSynergyTime = undefined;
  }

  /**
   * Counters of signals, synergies and every discarded sequence.
   *
   * @example
   * ```ts
   * console.table(detector.stats().synergies);
   * ```
   */
  stats(): SynergyDetectorStats {
    return {
      snapshots: this.#snapshots,
      signals: { ...this.#signals },
      synergies: { ...this.#synergies },
      discardedInCooldown: this.#discardedInCooldown,
      invalidPatterns: this.#invalidPatterns,
      expiredSequences: this.#expiredSequences,
      directionResets: this.#directionResets,
      duplicateSignals: this.#duplicateSignals,
      skippedAfterSynergy: this.#skippedAfterSynergy,
    };
  }

  #activate(snapshot: SynergyInput, into: SynergySignal[]): void {
    const o = this.#options;
    const timestamp = snapshot.asOf;
    // §10.2 edge-triggering: 30-minute signals only on "30m" snapshots, FVG only on "5m" snapshots.
    if (snapshot.trigger === '30m') {
      const mlmiSignal = snapshot.mlmi_signal;
      const deviation = Math.abs(snapshot.mlmi_value - o.mlmiNeutral);
      if ((mlmiSignal === 1 || mlmiSignal === -1) && deviation >= o.mlmiThreshold * o.mlmiScale) {
        into.push({
          type: 'mlmi',
          value: snapshot.mlmi_value,
          signal: mlmiSignal,
          timestamp,
          strength: Math.min(deviation / o.mlmiScale, o.mlmiMaxStrength),
        });
      }
      const nwrqkSignal = snapshot.nwrqk_signal;
      const slope = Math.abs(snapshot.nwrqk_slope);
      if ((nwrqkSignal === 1 || nwrqkSignal === -1) && slope >= o.nwrqkThreshold) {
        into.push({
          type: 'nwrqk',
          value: snapshot.nwrqk_value,
          signal: nwrqkSignal,
          timestamp,
          strength: Math.min(slope / o.nwrqkMaxSlope, 1),
        });
      }
    } else if (snapshot.trigger === '5m') {
      const bullish = snapshot.fvg_bullish_mitigated;
      if (snapshot.fvg_mitigation_signal && (bullish || snapshot.fvg_bearish_mitigated)) {
        const price = snapshot.current_price;
        const size = bullish ? snapshot.fvg_bullish_mitigated_size : snapshot.fvg_bearish_mitigated_size;
        const gapPct = price > 0 ? size / price : 0;
        if (gapPct >= o.fvgMinSize) {
          into.push({
            type: 'fvg',
            value: price,
            signal: bullish ? 1 : -1,
            timestamp,
            strength: Math.min(gapPct / o.fvgMaxGapPct, 1),
          });
        }
      }
    }
  }

  #advance(signal: SynergySignal, snapshot: SynergyInput): SynergyEvent | null {
    const sequence = this.#sequence;
    const first = sequence[0];
    if (first === undefined) {
      this.#start(signal);
      return null;
    }
    if (this.barsBetween(this.#sequenceStart, signal.timestamp) > this.#options.timeWindowBars) {
      this.#expiredSequences++;
      this.#start(signal);
      return null;
    }
    if (signal.signal !== first.signal) {
      this.#directionResets++;
      this.#start(signal);
      return null;
    }
    if (sequence.some((s) => s.type === signal.type)) {
      this.#duplicateSignals++;
      return null;
    }
    sequence.push(signal);
    if (sequence.length < 3) return null;

    const [a, b, c] = sequence as [SynergySignal, SynergySignal, SynergySignal];
    this.#sequence = [];
    const type = patternOf(a.type, b.type, c.type);
    if (type === undefined) {
      this.#invalidPatterns++;
      return null;
    }
    if (this.inCooldown(snapshot.asOf)) {
      this.#discardedInCooldown++;
      return null;
    }
    this.#lastSynergyTime = snapshot.asOf;
    this.#synergies[type]++;
    return this.#payload(type, [a, b, c], snapshot);
  }

  #start(signal: SynergySignal): void {
    this.#sequence = [signal];
    this.#sequenceStart = signal.timestamp;
  }

  #payload(
    type: SynergyType,
    sequence: readonly [SynergySignal, SynergySignal, SynergySignal],
    snapshot: SynergyInput,
  ): SynergyEvent {
    const strengths = { mlmi: 0, nwrqk: 0, fvg: 0 };
    for (const s of sequence) strengths[s.type] = s.strength;
    const barsToComplete = this.barsBetween(sequence[0].timestamp, sequence[2].timestamp) + 1;
    const meanStrength = (sequence[0].strength + sequence[1].strength + sequence[2].strength) / 3;
    // timeWindowBars = 0 would divide by zero; such a window only admits same-bar patterns (ratio → 1 ⇒ 0).
    const window = this.#options.timeWindowBars;
    const speed = window > 0 ? 1 - barsToComplete / window : 0;
    const quality = Math.min(Math.max(0.6 * meanStrength + 0.3 * speed + 0.1, 0), 1);
    return {
      synergy_type: type,
      direction: sequence[0].signal,
      confidence: 1,
      timestamp: sequence[2].timestamp,
      signal_sequence: sequence,
      signal_strengths: strengths,
      market_context: {
        current_price: snapshot.current_price,
        nearest_lvn: {
          price: snapshot.lvn_nearest_price,
          strength: snapshot.lvn_nearest_strength,
          distance: snapshot.lvn_distance_points,
        },
      },
      metadata: { bars_to_complete: barsToComplete, pattern_quality: quality },
    };
  }
}

/**
 * Options of {@link createSynergyDetectorComponent}.
 *
 * @example
 * ```ts
 * createSynergyDetectorComponent({ detector: { cooldownBars: 6 }, dependsOn: ['indicator-engine'] });
 * ```
 */
export interface SynergyDetectorComponentOptions {
  /** Detector gates and timing (spec §10.3). */
  readonly detector?: SynergyDetectorOptions;
  /** Component name (default `'synergy-detector'`). */
  readonly name?: string;
  /** Components that must start first. */
  readonly dependsOn?: readonly string[];
}

/**
 * The kernel component: subscribes to INDICATORS_READY and publishes SYNERGY_DETECTED. Its `detector`
 * property exposes the state machine (e.g. for `stats()` in results.json); `health()` reports the counters.
 *
 * @example
 * ```ts
 * const synergy = createSynergyDetectorComponent();
 * kernel.register(synergy);
 * // after the run:
 * console.log(synergy.detector.stats());
 * ```
 */
export function createSynergyDetectorComponent(
  options: SynergyDetectorComponentOptions = {},
): SignalsComponent & { readonly detector: SynergyDetector } {
  const detector = new SynergyDetector(options.detector ?? {});
  let unsubscribe: (() => void) | undefined;
  return {
    name: options.name ?? 'synergy-detector',
    dependsOn: options.dependsOn ?? [],
    detector,
    init(context: SignalsContext) {
      const bus = signalsBus(context);
      unsubscribe = bus.subscribe('INDICATORS_READY', (snapshot) => {
        const synergy = detector.process(snapshot);
        if (synergy !== null) bus.publish('SYNERGY_DETECTED', synergy);
      });
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
    health() {
      const s = detector.stats();
      const synergies = Object.values(s.synergies).reduce((a, b) => a + b, 0);
      const signals = s.signals.mlmi + s.signals.nwrqk + s.signals.fvg;
      return {
        status: 'ok',
        detail: `${s.snapshots} snapshots, ${signals} signals, ${synergies} synergies, ${s.discardedInCooldown} discarded in cooldown`,
      };
    },
  };
}
