/**
 * The DecisionCore component (the seed's decision slot): qualifies each SYNERGY_DETECTED with the current
 * regime and the RiskManager's verdict and, when it qualifies, publishes an EXECUTE_TRADE with entry, stop,
 * target and size. The decision itself sits behind {@link DecisionPolicy}, so a learned policy can replace
 * the rule-based one without touching the wiring.
 */

import type { EngineComponent } from './engine-component.js';
import { COMPONENT_NAMES } from './engine-component.js';
import type { RegimeAssessment } from './regime-detector.js';
import type { RiskRequest, RiskVerdict } from './risk-manager.js';
import type { SynergyEvent, SynergyType } from './synergy-detector.js';

/**
 * The order the DecisionCore publishes.
 *
 * @example
 * ```ts
 * bus.subscribe('EXECUTE_TRADE', (order: TradeOrder) => console.log(order.side, order.size, order.stop));
 * ```
 */
export interface TradeOrder {
  /** Sequential id, `T1`, `T2`, … */
  readonly id: string;
  /** Decision time (the synergy's timestamp), UTC epoch ms. */
  readonly timestamp: number;
  /** +1 long, −1 short. */
  readonly direction: 1 | -1;
  /** `buy` for long, `sell` for short. */
  readonly side: 'buy' | 'sell';
  /** Contracts. */
  readonly size: number;
  /** Reference entry price (the synergy's current price); the fill is the next tick. */
  readonly entry: number;
  /** Stop price relative to `entry`; the execution keeps the distance from the actual fill. */
  readonly stop: number;
  /** Target price relative to `entry`. */
  readonly target: number;
  /** The synergy that triggered the order. */
  readonly synergyType: SynergyType;
  /** Why the policy took the trade, in words. */
  readonly reason: string;
}

/**
 * What a policy sees for one synergy.
 *
 * @example
 * ```ts
 * const input: DecisionInput = { synergy, regime: undefined, assessRisk: (r) => risk.assess(r) };
 * ```
 */
export interface DecisionInput {
  /** The synergy to qualify. */
  readonly synergy: SynergyEvent;
  /** The latest regime call, if any yet. */
  readonly regime: RegimeAssessment | undefined;
  /** Asks the RiskManager to size (or refuse) a trade. */
  readonly assessRisk: (request: RiskRequest) => RiskVerdict;
}

/**
 * A policy's decision: take the trade (with the risk verdict's numbers) or pass with a reason.
 *
 * @example
 * ```ts
 * const pass: Decision = { take: false, reason: 'regime volatile not allowed' };
 * ```
 */
export type Decision =
  | {
      readonly take: true;
      readonly direction: 1 | -1;
      readonly size: number;
      readonly entry: number;
      readonly stop: number;
      readonly target: number;
      readonly reason: string;
    }
  | { readonly take: false; readonly reason: string };

/**
 * The interface a decision policy implements (rule-based here; a learned policy plugs in the same way).
 * `decide` must be synchronous and deterministic: it runs inside the bus dispatch of a backtest.
 *
 * @example
 * ```ts
 * const alwaysPass: DecisionPolicy = { name: 'pass', decide: () => ({ take: false, reason: 'observing only' }) };
 * createDecisionCoreComponent({ policy: alwaysPass, assessRisk, latestRegime: () => undefined });
 * ```
 */
export interface DecisionPolicy {
  /** Identifies the policy in results. */
  readonly name: string;
  /** Decides on one synergy. */
  decide(input: DecisionInput): Decision;
}

/**
 * Thresholds of {@link RuleBasedDecisionPolicy} (the `decision_core` config section).
 *
 * @example
 * ```ts
 * const options: RuleBasedPolicyOptions = { minPatternQuality: 0.4, allowedRegimes: ['trending'], minRegimeConfidence: 0.5 };
 * ```
 */
export interface RuleBasedPolicyOptions {
  /** Minimum `metadata.pattern_quality` of the synergy. */
  readonly minPatternQuality: number;
  /** Regimes in which trades are taken; `unknown` stands for "no regime call yet". */
  readonly allowedRegimes: readonly string[];
  /** Minimum regime confidence (ignored while the regime is unknown). */
  readonly minRegimeConfidence: number;
}

/**
 * The default policy: trade in the synergy's direction when the pattern quality and the regime pass the
 * thresholds and the RiskManager sizes the trade.
 *
 * @example
 * ```ts
 * const policy = new RuleBasedDecisionPolicy({ minPatternQuality: 0, allowedRegimes: ['trending', 'unknown'], minRegimeConfidence: 0 });
 * ```
 */
export class RuleBasedDecisionPolicy implements DecisionPolicy {
  /** `rule-based`. */
  readonly name = 'rule-based';
  readonly #options: RuleBasedPolicyOptions;

  /** @param options - the thresholds */
  constructor(options: RuleBasedPolicyOptions) {
    this.#options = options;
  }

  /**
   * Decides on one synergy.
   *
   * @example
   * ```ts
   * const decision = policy.decide({ synergy, regime, assessRisk });
   * ```
   */
  decide(input: DecisionInput): Decision {
    const { synergy, regime } = input;
    const quality = synergy.metadata.pattern_quality;
    if (quality < this.#options.minPatternQuality) {
      return {
        take: false,
        reason: `pattern quality ${quality.toFixed(3)} below ${this.#options.minPatternQuality}`,
      };
    }
    const regimeName = regime?.regime ?? 'unknown';
    if (!this.#options.allowedRegimes.includes(regimeName)) {
      return { take: false, reason: `regime ${regimeName} not allowed` };
    }
    if (regime !== undefined && regime.confidence < this.#options.minRegimeConfidence) {
      return {
        take: false,
        reason: `regime confidence ${regime.confidence.toFixed(2)} below ${this.#options.minRegimeConfidence}`,
      };
    }
    const entry = synergy.market_context.current_price;
    const verdict = input.assessRisk({
      direction: synergy.direction,
      price: entry,
      timestamp: synergy.timestamp,
    });
    if (!verdict.approved) return { take: false, reason: `risk: ${verdict.reason}` };
    return {
      take: true,
      direction: synergy.direction,
      size: verdict.size,
      entry,
      stop: verdict.stop,
      target: verdict.target,
      reason: `${synergy.synergy_type} ${synergy.direction > 0 ? 'long' : 'short'} in ${regimeName} regime, quality ${quality.toFixed(3)}, ATR ${verdict.atr.toFixed(4)}`,
    };
  }
}

/**
 * One decision as recorded for results.json.
 *
 * @example
 * ```ts
 * const record: DecisionRecord = { timestamp: 0, synergyType: 'TYPE_1', taken: false, reason: 'risk: atr-not-ready' };
 * ```
 */
export interface DecisionRecord {
  /** The synergy's timestamp. */
  readonly timestamp: number;
  /** The synergy's type. */
  readonly synergyType: SynergyType;
  /** Whether an order was published. */
  readonly taken: boolean;
  /** The policy's reason. */
  readonly reason: string;
}

/**
 * Options of {@link createDecisionCoreComponent}.
 *
 * @example
 * ```ts
 * createDecisionCoreComponent({ policy, assessRisk: (r) => risk.assess(r), latestRegime: () => regime.latest });
 * ```
 */
export interface DecisionCoreOptions {
  /** The policy. */
  readonly policy: DecisionPolicy;
  /** The RiskManager's `assess`. */
  readonly assessRisk: (request: RiskRequest) => RiskVerdict;
  /** The RegimeDetector's latest assessment. */
  readonly latestRegime: () => RegimeAssessment | undefined;
}

/**
 * The DecisionCore as a kernel component, with every decision it took.
 *
 * @example
 * ```ts
 * const decisions = core.decisions().filter((d) => !d.taken);
 * ```
 */
export interface DecisionCoreComponent extends EngineComponent {
  /** Every decision, in order. */
  decisions(): readonly DecisionRecord[];
}

/**
 * Creates the DecisionCore component.
 *
 * @example
 * ```ts
 * kernel.register(createDecisionCoreComponent({ policy: new RuleBasedDecisionPolicy(opts), assessRisk, latestRegime }));
 * ```
 */
export function createDecisionCoreComponent(options: DecisionCoreOptions): DecisionCoreComponent {
  const records: DecisionRecord[] = [];
  let nextId = 1;
  let unsubscribe: (() => void) | undefined;
  return {
    name: COMPONENT_NAMES.decisionCore,
    init(context) {
      const bus = context.bus;
      unsubscribe = bus.subscribe('SYNERGY_DETECTED', (synergy) => {
        const decision = options.policy.decide({
          synergy,
          regime: options.latestRegime(),
          assessRisk: options.assessRisk,
        });
        records.push({
          timestamp: synergy.timestamp,
          synergyType: synergy.synergy_type,
          taken: decision.take,
          reason: decision.reason,
        });
        if (!decision.take) return;
        bus.publish('EXECUTE_TRADE', {
          id: `T${nextId++}`,
          timestamp: synergy.timestamp,
          direction: decision.direction,
          side: decision.direction > 0 ? 'buy' : 'sell',
          size: decision.size,
          entry: decision.entry,
          stop: decision.stop,
          target: decision.target,
          synergyType: synergy.synergy_type,
          reason: decision.reason,
        });
      });
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
    decisions() {
      return records;
    },
    health() {
      const taken = records.filter((record) => record.taken).length;
      return {
        status: 'ok',
        detail: `${records.length} synergies, ${taken} traded (policy ${options.policy.name})`,
      };
    },
  };
}
