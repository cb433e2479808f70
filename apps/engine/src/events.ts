/**
 * The engine's event map: every topic on the bus and its payload type. The flow is
 * NEW_TICK → NEW_5MIN_BAR / NEW_30MIN_BAR → INDICATORS_READY → (MATRIX_READY, REGIME_UPDATED) →
 * SYNERGY_DETECTED → EXECUTE_TRADE → TRADE_CLOSED, with END_OF_STREAM when a backtest input is exhausted.
 */
import type { Bar, Tick } from '@algospace/bars';
import type { FeatureSnapshot } from '@algospace/indicators';
import type { TradeOrder } from './components/decision-core.js';
import type { ClosedTrade, TradeOpened } from './components/execution-handler.js';
import type { MatrixReadyEvent } from './components/matrix-assembler.js';
import type { RegimeAssessment } from './components/regime-detector.js';
import type { SynergyEvent } from './components/synergy-detector.js';

/**
 * Why the input ended.
 *
 * @example
 * ```ts
 * const end: EndOfStream = { reason: 'input exhausted', lastTimestamp: Date.UTC(2024, 0, 12) };
 * ```
 */
export interface EndOfStream {
  /** `input exhausted`, `feed closed`, `aborted` or a shutdown reason. */
  readonly reason: string;
  /** Timestamp of the last record delivered, UTC epoch ms (`null` when nothing was delivered). */
  readonly lastTimestamp: number | null;
}

/**
 * Topic → payload of every event the engine publishes.
 *
 * @example
 * ```ts
 * const bus = createEventBus<EngineEvents>();
 * bus.subscribe('TRADE_CLOSED', (trade) => console.log(trade.pnl));
 * ```
 */
export interface EngineEvents {
  /** One accepted input print (trade, or quote mid). */
  NEW_TICK: Tick;
  /** A closed 5-minute bar (real or gap-filled). */
  NEW_5MIN_BAR: Bar;
  /** A closed 30-minute bar (real or gap-filled). */
  NEW_30MIN_BAR: Bar;
  /** The feature snapshot after a 5- or 30-minute bar (spec §9.1). */
  INDICATORS_READY: FeatureSnapshot;
  /** A matrix assembler appended a row and is warmed up (spec §11). */
  MATRIX_READY: MatrixReadyEvent;
  /** The RegimeDetector's latest call. */
  REGIME_UPDATED: RegimeAssessment;
  /** A completed synergy pattern (spec §10.5). */
  SYNERGY_DETECTED: SynergyEvent;
  /** A qualified, sized order from the DecisionCore. */
  EXECUTE_TRADE: TradeOrder;
  /** An order was filled and a position opened. */
  TRADE_OPENED: TradeOpened;
  /** A position was closed (stop, target, time limit or end of stream) with its PnL. */
  TRADE_CLOSED: ClosedTrade;
  /** The input is exhausted (backtest) or the feed has ended; open bars may be flushed after it. */
  END_OF_STREAM: EndOfStream;
}

/**
 * The names of every engine topic.
 *
 * @example
 * ```ts
 * const topic: EngineTopic = 'SYNERGY_DETECTED';
 * ```
 */
export type EngineTopic = keyof EngineEvents & string;

/**
 * Every topic in flow order, for metrics and reports.
 *
 * @example
 * ```ts
 * for (const topic of ENGINE_TOPICS) console.log(topic);
 * ```
 */
export const ENGINE_TOPICS: readonly EngineTopic[] = [
  'NEW_TICK',
  'NEW_5MIN_BAR',
  'NEW_30MIN_BAR',
  'INDICATORS_READY',
  'MATRIX_READY',
  'REGIME_UPDATED',
  'SYNERGY_DETECTED',
  'EXECUTE_TRADE',
  'TRADE_OPENED',
  'TRADE_CLOSED',
  'END_OF_STREAM',
];
