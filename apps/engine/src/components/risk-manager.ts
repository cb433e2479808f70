/**
 * The RiskManager component (the seed's `risk_management` slot): sizes a trade from account equity, the
 * risk per trade and an ATR-based stop, and refuses trades that would break the max position, the max daily
 * loss or the max drawdown. It follows equity from TRADE_CLOSED, the open position from TRADE_OPENED and
 * pending orders from EXECUTE_TRADE, and the ATR from 5-minute bars (synthetic bars included: they are part
 * of the series the indicators see).
 */
import { ATR } from '@algospace/indicators';
import type { EngineComponent } from './engine-component.js';
import { COMPONENT_NAMES } from './engine-component.js';

/**
 * Risk limits and sizing parameters (the `risk_management` config section).
 *
 * @example
 * ```ts
 * const options: RiskOptions = { accountEquity: 100_000, riskPerTrade: 0.01, pointValue: 50, atrPeriod: 14,
 *   stopAtrMultiple: 2, rewardRiskRatio: 2, maxPosition: 5, maxDailyLoss: 5_000, maxDrawdown: 0.2 };
 * ```
 */
export interface RiskOptions {
  /** Starting equity, currency. */
  readonly accountEquity: number;
  /** Fraction of current equity risked between entry and stop. */
  readonly riskPerTrade: number;
  /** Currency per price point per contract. */
  readonly pointValue: number;
  /** ATR length on 5-minute bars. */
  readonly atrPeriod: number;
  /** Stop distance in ATRs. */
  readonly stopAtrMultiple: number;
  /** Target distance as a multiple of the stop distance. */
  readonly rewardRiskRatio: number;
  /** Largest position in contracts (open plus pending). */
  readonly maxPosition: number;
  /** Realised loss within one UTC day after which no new trade is taken that day. */
  readonly maxDailyLoss: number;
  /** Drawdown from peak equity (fraction) after which no new trade is taken. */
  readonly maxDrawdown: number;
}

/**
 * A trade the DecisionCore wants sized.
 *
 * @example
 * ```ts
 * const request: RiskRequest = { direction: 1, price: 4810.25, timestamp: Date.UTC(2024, 0, 9, 15) };
 * ```
 */
export interface RiskRequest {
  /** +1 long, −1 short. */
  readonly direction: 1 | -1;
  /** Reference entry price. */
  readonly price: number;
  /** Decision time, UTC epoch ms (selects the trading day for the daily loss limit). */
  readonly timestamp: number;
}

/**
 * The RiskManager's answer: a sized trade with its stop and target, or a refusal with the rule that refused.
 *
 * @example
 * ```ts
 * const verdict = risk.assess(request);
 * if (verdict.approved) console.log(verdict.size, verdict.stop, verdict.target);
 * else console.log(verdict.reason);
 * ```
 */
export type RiskVerdict =
  | {
      readonly approved: true;
      /** Contracts. */
      readonly size: number;
      /** Stop price. */
      readonly stop: number;
      /** Target price. */
      readonly target: number;
      /** Entry-to-stop distance in price points. */
      readonly stopDistance: number;
      /** ATR used. */
      readonly atr: number;
    }
  | {
      readonly approved: false;
      /** Which limit refused: `atr-not-ready`, `max-position`, `max-daily-loss`, `max-drawdown`, `size-below-one`. */
      readonly reason: string;
    };

/**
 * Equity figures the RiskManager tracks.
 *
 * @example
 * ```ts
 * const { equity, maxDrawdown } = risk.state();
 * ```
 */
export interface RiskState {
  /** Current equity (start + realised PnL). */
  readonly equity: number;
  /** Highest equity so far. */
  readonly peakEquity: number;
  /** Largest drawdown from a peak so far, currency. */
  readonly maxDrawdown: number;
  /** Largest drawdown from a peak so far, fraction of the peak. */
  readonly maxDrawdownPct: number;
  /** Contracts open plus pending. */
  readonly exposure: number;
  /** Latest ATR (NaN during warm-up). */
  readonly atr: number;
  /** Refusals per reason. */
  readonly refusals: Readonly<Record<string, number>>;
}

/**
 * The RiskManager as a kernel component.
 *
 * @example
 * ```ts
 * const risk = createRiskManagerComponent(options);
 * kernel.register(risk);
 * risk.assess({ direction: 1, price: 4800, timestamp: Date.now() });
 * ```
 */
export interface RiskManagerComponent extends EngineComponent {
  /** Sizes a trade or refuses it. */
  assess(request: RiskRequest): RiskVerdict;
  /** Equity, drawdown, exposure and refusal counters. */
  state(): RiskState;
}

const DAY_MS = 86_400_000;

/**
 * Creates the RiskManager component.
 *
 * @example
 * ```ts
 * const risk = createRiskManagerComponent({ accountEquity: 50_000, riskPerTrade: 0.005, pointValue: 50,
 *   atrPeriod: 14, stopAtrMultiple: 2, rewardRiskRatio: 2, maxPosition: 2, maxDailyLoss: 1_000, maxDrawdown: 0.1 });
 * ```
 */
export function createRiskManagerComponent(options: RiskOptions): RiskManagerComponent {
  const atr = new ATR(options.atrPeriod);
  let lastAtr = Number.NaN;
  let equity = options.accountEquity;
  let peak = equity;
  let maxDrawdown = 0;
  let maxDrawdownPct = 0;
  let pending = 0;
  let open = 0;
  let day = Number.NaN;
  let dayPnl = 0;
  const refusals: Record<string, number> = {};
  const unsubscribe: (() => void)[] = [];
  const refuse = (reason: string): RiskVerdict => {
    refusals[reason] = (refusals[reason] ?? 0) + 1;
    return { approved: false, reason };
  };
  return {
    name: COMPONENT_NAMES.riskManager,
    init(context) {
      const bus = context.bus;
      unsubscribe.push(
        bus.subscribe('NEW_5MIN_BAR', (bar) => {
          lastAtr = atr.update(bar);
        }),
        bus.subscribe('EXECUTE_TRADE', (order) => {
          pending += order.size;
        }),
        bus.subscribe('TRADE_OPENED', (trade) => {
          pending = Math.max(0, pending - trade.size);
          open += trade.size;
        }),
        bus.subscribe('TRADE_CLOSED', (trade) => {
          if (trade.entryTime === null) pending = Math.max(0, pending - trade.size);
          else open = Math.max(0, open - trade.size);
          equity += trade.pnl;
          const closeDay = Math.floor(trade.exitTime / DAY_MS);
          if (closeDay !== day) {
            day = closeDay;
            dayPnl = 0;
          }
          dayPnl += trade.pnl;
          if (equity > peak) peak = equity;
          const drawdown = peak - equity;
          if (drawdown > maxDrawdown) maxDrawdown = drawdown;
          if (peak > 0 && drawdown / peak > maxDrawdownPct) maxDrawdownPct = drawdown / peak;
        }),
      );
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off();
    },
    assess(request) {
      if (!(lastAtr > 0)) return refuse('atr-not-ready');
      const requestDay = Math.floor(request.timestamp / DAY_MS);
      if (requestDay === day && -dayPnl >= options.maxDailyLoss) return refuse('max-daily-loss');
      if (peak > 0 && (peak - equity) / peak >= options.maxDrawdown) return refuse('max-drawdown');
      const room = options.maxPosition - open - pending;
      if (room < 1) return refuse('max-position');
      const stopDistance = options.stopAtrMultiple * lastAtr;
      const riskBudget = Math.max(0, equity) * options.riskPerTrade;
      const size = Math.min(room, Math.floor(riskBudget / (stopDistance * options.pointValue)));
      if (size < 1) return refuse('size-below-one');
      return {
        approved: true,
        size,
        stop: request.price - request.direction * stopDistance,
        target: request.price + request.direction * stopDistance * options.rewardRiskRatio,
        stopDistance,
        atr: lastAtr,
      };
    },
    state() {
      return {
        equity,
        peakEquity: peak,
        maxDrawdown,
        maxDrawdownPct,
        exposure: open + pending,
        atr: lastAtr,
        refusals: { ...refusals },
      };
    },
    health() {
      const halted = peak > 0 && (peak - equity) / peak >= options.maxDrawdown;
      return halted
        ? {
            status: 'degraded',
            detail: `trading halted: drawdown ${(((peak - equity) / peak) * 100).toFixed(1)} % ≥ max_drawdown`,
          }
        : { status: 'ok', detail: `equity ${equity.toFixed(2)}, exposure ${open + pending}` };
    },
  };
}
