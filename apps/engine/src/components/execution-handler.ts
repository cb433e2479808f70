/**
 * The ExecutionHandler component. In backtest and paper mode it is a simulated broker: an EXECUTE_TRADE
 * fills on the next tick (or, for bar-only input, at the next 5-minute bar's open), `slippageTicks` worse than that tick's price, paying `commissionPerContract` per
 * contract per side; the position is closed at its stop (a market exit at the tick that crosses it, with
 * slippage), at its target (a limit exit at the target price), after `maxHoldingBars` 5-minute bars, or at
 * END_OF_STREAM, publishing TRADE_CLOSED with the PnL. In live mode it only forwards orders to a
 * {@link BrokerAdapter}; without one it refuses to start — the engine never pretends to trade.
 */
import type { Bar, Tick } from '@algospace/bars';
import { EngineError } from '../engine-error.js';
import type { TradeOrder } from './decision-core.js';
import type { EngineComponent } from './engine-component.js';
import { COMPONENT_NAMES } from './engine-component.js';
import type { SynergyType } from './synergy-detector.js';

/**
 * A filled entry (the TRADE_OPENED payload).
 *
 * @example
 * ```ts
 * bus.subscribe('TRADE_OPENED', (t: TradeOpened) => console.log(t.id, t.entryPrice));
 * ```
 */
export interface TradeOpened {
  /** The order id. */
  readonly id: string;
  /** +1 long, −1 short. */
  readonly direction: 1 | -1;
  /** Contracts. */
  readonly size: number;
  /** Fill time (the filling tick's timestamp), UTC epoch ms. */
  readonly entryTime: number;
  /** Fill price, slippage included. */
  readonly entryPrice: number;
  /** Stop price (the order's distance from the fill). */
  readonly stop: number;
  /** Target price (the order's distance from the fill). */
  readonly target: number;
}

/**
 * Why a position was closed.
 *
 * @example
 * ```ts
 * const reason: ExitReason = trade.exitReason; // 'stop' | 'target' | 'time' | 'end-of-stream' | 'unfilled'
 * ```
 */
export type ExitReason = 'stop' | 'target' | 'time' | 'end-of-stream' | 'unfilled';

/**
 * A closed trade (the TRADE_CLOSED payload); `pnl` is net of commissions.
 *
 * @example
 * ```ts
 * bus.subscribe('TRADE_CLOSED', (t: ClosedTrade) => console.log(t.id, t.exitReason, t.pnl));
 * ```
 */
export interface ClosedTrade {
  /** The order id. */
  readonly id: string;
  /** The synergy that triggered it. */
  readonly synergyType: SynergyType;
  /** +1 long, −1 short. */
  readonly direction: 1 | -1;
  /** Contracts. */
  readonly size: number;
  /** Decision time, UTC epoch ms. */
  readonly orderTime: number;
  /** Entry fill time, or `null` for an order that never filled. */
  readonly entryTime: number | null;
  /** Entry fill price (NaN when unfilled). */
  readonly entryPrice: number;
  /** Exit time, UTC epoch ms. */
  readonly exitTime: number;
  /** Exit price (NaN when unfilled). */
  readonly exitPrice: number;
  /** Stop price. */
  readonly stop: number;
  /** Target price. */
  readonly target: number;
  /** Why it closed. */
  readonly exitReason: ExitReason;
  /** PnL before commissions, currency. */
  readonly grossPnl: number;
  /** Commissions paid, currency. */
  readonly commission: number;
  /** Net PnL, currency. */
  readonly pnl: number;
}

/**
 * The live-trading seam: implement it to route orders to a broker. The engine calls `connect` at start,
 * `submit` for each EXECUTE_TRADE and `disconnect` at stop; the adapter reports fills and closes through the
 * callbacks it was given.
 *
 * @example
 * ```ts
 * const adapter: BrokerAdapter = {
 *   name: 'my-broker',
 *   async connect(callbacks) { this.callbacks = callbacks; },
 *   async submit(order) { await api.placeBracket(order); },
 *   async disconnect() {},
 * };
 * ```
 */
export interface BrokerAdapter {
  /** Identifies the broker in logs. */
  readonly name: string;
  /** Opens the session; keep the callbacks to report fills and closes. */
  connect(callbacks: BrokerCallbacks): Promise<void>;
  /** Sends one bracket order (entry with stop and target). */
  submit(order: TradeOrder): Promise<void>;
  /** Ends the session. */
  disconnect(): Promise<void>;
}

/**
 * What a broker adapter reports back.
 *
 * @example
 * ```ts
 * callbacks.opened({ id: 'T1', direction: 1, size: 1, entryTime: Date.now(), entryPrice: 4810.5, stop: 4800, target: 4831 });
 * ```
 */
export interface BrokerCallbacks {
  /** An entry filled. */
  opened(trade: TradeOpened): void;
  /** A position closed. */
  closed(trade: ClosedTrade): void;
}

/**
 * Simulated-fill parameters (the `execution` config section).
 *
 * @example
 * ```ts
 * const options: ExecutionOptions = { slippageTicks: 1, tickSize: 0.25, commissionPerContract: 2.5, pointValue: 50, maxHoldingBars: 0 };
 * ```
 */
export interface ExecutionOptions {
  /** Ticks of adverse slippage on market fills (entries and stop exits). */
  readonly slippageTicks: number;
  /** Price increment. */
  readonly tickSize: number;
  /** Commission per contract per side. */
  readonly commissionPerContract: number;
  /** Currency per point per contract. */
  readonly pointValue: number;
  /** Close after this many 5-minute bars; 0 = never by time. */
  readonly maxHoldingBars: number;
  /** Live mode only: the broker adapter. */
  readonly adapter?: BrokerAdapter;
}

/**
 * The ExecutionHandler as a kernel component.
 *
 * @example
 * ```ts
 * const execution = createExecutionHandlerComponent(options);
 * kernel.register(execution);
 * // after the run
 * console.log(execution.closedTrades().length);
 * ```
 */
export interface ExecutionHandlerComponent extends EngineComponent {
  /** Every closed trade, in order. */
  closedTrades(): readonly ClosedTrade[];
  /** Whether a position or pending order exists. */
  busy(): boolean;
}

interface Position {
  readonly order: TradeOrder;
  entryTime: number;
  entryPrice: number;
  stop: number;
  target: number;
  barsHeld: number;
}

/**
 * Creates the ExecutionHandler component. An order caused by tick k is filled by tick k+1, never by tick k
 * itself: the handler subscribes to NEW_TICK when the order arrives, and a delivery in progress does not
 * reach handlers subscribed during it.
 *
 * @example
 * ```ts
 * kernel.register(createExecutionHandlerComponent({ slippageTicks: 1, tickSize: 0.25, commissionPerContract: 2.5, pointValue: 50, maxHoldingBars: 0 }));
 * ```
 */
export function createExecutionHandlerComponent(options: ExecutionOptions): ExecutionHandlerComponent {
  const closed: ClosedTrade[] = [];
  const pending: TradeOrder[] = [];
  let position: Position | undefined;
  let sawTick = false;
  let tickSubscription: (() => void) | undefined;
  let lastTime: number | undefined;
  let lastPrice = Number.NaN;
  let ended = false;
  let ignoredAfterEnd = 0;
  const unsubscribe: (() => void)[] = [];
  const slippage = options.slippageTicks * options.tickSize;
  let publishClosed: (trade: ClosedTrade) => void = () => {};
  const close = (exitTime: number, exitPrice: number, reason: ExitReason): void => {
    const open = position!;
    position = undefined;
    const { order } = open;
    const grossPnl = (exitPrice - open.entryPrice) * order.direction * order.size * options.pointValue;
    const commission = 2 * options.commissionPerContract * order.size;
    const trade: ClosedTrade = {
      id: order.id,
      synergyType: order.synergyType,
      direction: order.direction,
      size: order.size,
      orderTime: order.timestamp,
      entryTime: open.entryTime,
      entryPrice: open.entryPrice,
      exitTime,
      exitPrice,
      stop: open.stop,
      target: open.target,
      exitReason: reason,
      grossPnl,
      commission,
      pnl: grossPnl - commission,
    };
    closed.push(trade);
    publishClosed(trade);
  };

  return {
    name: COMPONENT_NAMES.executionHandler,
    async init(context) {
      const bus = context.bus;
      publishClosed = (trade) => bus.publish('TRADE_CLOSED', trade);
      if (context.mode === 'live') {
        const adapter = options.adapter;
        if (adapter === undefined) {
          throw new EngineError(
            'ENGINE_LIVE_WITHOUT_ADAPTER',
            'live mode needs a broker adapter (execution.adapter: a module exporting createBrokerAdapter), found none; ' +
              'refusing to start: AlgoSpace never simulates fills in live mode. Use `algospace paper` to trade simulated fills.',
          );
        }
        await adapter.connect({
          opened: (trade) => bus.publish('TRADE_OPENED', trade),
          closed: (trade) => {
            closed.push(trade);
            bus.publish('TRADE_CLOSED', trade);
          },
        });
        unsubscribe.push(
          bus.subscribe('EXECUTE_TRADE', (order) => {
            adapter.submit(order).catch((error: unknown) => context.reportError(error));
          }),
        );
        return;
      }
      const open = (order: TradeOrder, time: number, price: number): Position => {
        const entryPrice = price + order.direction * slippage;
        const opened: Position = {
          order,
          entryTime: time,
          entryPrice,
          stop: entryPrice - (order.entry - order.stop),
          target: entryPrice + (order.target - order.entry),
          barsHeld: 0,
        };
        position = opened;
        bus.publish('TRADE_OPENED', {
          id: order.id,
          direction: order.direction,
          size: order.size,
          entryTime: time,
          entryPrice,
          stop: opened.stop,
          target: opened.target,
        });
        return opened;
      };
      const onTick = (tick: Tick): void => {
        lastTime = tick.timestamp;
        lastPrice = tick.price;
        const held = position;
        if (held !== undefined) {
          const direction = held.order.direction;
          const price = tick.price;
          if (direction > 0 ? price <= held.stop : price >= held.stop) {
            close(tick.timestamp, price - direction * slippage, 'stop');
          } else if (direction > 0 ? price >= held.target : price <= held.target) {
            close(tick.timestamp, held.target, 'target');
          } else if (options.maxHoldingBars > 0 && held.barsHeld >= options.maxHoldingBars) {
            close(tick.timestamp, price - direction * slippage, 'time');
          }
          if (position === undefined && pending.length === 0) stopWatchingTicks();
          return;
        }
        const order = pending.shift();
        if (order !== undefined) open(order, tick.timestamp, tick.price);
        else stopWatchingTicks();
      };
      // Ticks are only watched while an order is pending or a position is open: a flat handler would pay
      // the bus's per-delivery cost on every tick for nothing. Subscribing while tick k is being delivered
      // does not deliver tick k (snapshot semantics), so an order caused by tick k fills on tick k+1.
      const watchTicks = (): void => {
        tickSubscription ??= bus.subscribe('NEW_TICK', onTick);
      };
      const stopWatchingTicks = (): void => {
        tickSubscription?.();
        tickSubscription = undefined;
      };
      const stopProbe = bus.subscribe('NEW_TICK', () => {
        sawTick = true;
        stopProbe();
      });
      // Bar-only input (a bar file): orders fill at the open of the next real 5-minute bar, and stops and
      // targets are checked against each bar's range, the stop first when a bar reaches both (the
      // conservative reading, since the path inside a bar is unknown).
      const onBar = (bar: Bar): void => {
        if (sawTick) {
          if (position !== undefined) position.barsHeld++;
          return;
        }
        if (bar.synthetic) return;
        lastTime = bar.timestamp;
        lastPrice = bar.close;
        let held = position;
        if (held === undefined) {
          const order = pending.shift();
          if (order === undefined) return;
          held = open(order, bar.timestamp, bar.open);
        } else held.barsHeld++;
        const direction = held.order.direction;
        const stopHit = direction > 0 ? bar.low <= held.stop : bar.high >= held.stop;
        const targetHit = direction > 0 ? bar.high >= held.target : bar.low <= held.target;
        if (stopHit) {
          const gapped = direction > 0 ? bar.open < held.stop : bar.open > held.stop;
          close(bar.timestamp, (gapped ? bar.open : held.stop) - direction * slippage, 'stop');
        } else if (targetHit) {
          const gapped = direction > 0 ? bar.open > held.target : bar.open < held.target;
          close(bar.timestamp, gapped ? bar.open : held.target, 'target');
        } else if (options.maxHoldingBars > 0 && held.barsHeld >= options.maxHoldingBars) {
          close(bar.timestamp, bar.close - direction * slippage, 'time');
        }
      };
      unsubscribe.push(
        stopProbe,
        () => stopWatchingTicks(),
        bus.subscribe('EXECUTE_TRADE', (order) => {
          if (ended) ignoredAfterEnd++;
          else {
            pending.push(order);
            watchTicks();
          }
        }),
        bus.subscribe('NEW_5MIN_BAR', onBar),
      );
    },
    start(context) {
      if (context.mode === 'live') return;
      // Subscribed in start, after every component's init, so the bars flushed at END_OF_STREAM (and any
      // order they cause) are processed before open positions are closed.
      unsubscribe.push(
        context.bus.subscribe('END_OF_STREAM', (end) => {
          ended = true;
          const time = lastTime ?? end.lastTimestamp ?? 0;
          if (position !== undefined && lastTime !== undefined) {
            close(time, lastPrice - position.order.direction * slippage, 'end-of-stream');
          }
          for (const order of pending.splice(0)) {
            const trade: ClosedTrade = {
              id: order.id,
              synergyType: order.synergyType,
              direction: order.direction,
              size: order.size,
              orderTime: order.timestamp,
              entryTime: null,
              entryPrice: Number.NaN,
              exitTime: time,
              exitPrice: Number.NaN,
              stop: order.stop,
              target: order.target,
              exitReason: 'unfilled',
              grossPnl: 0,
              commission: 0,
              pnl: 0,
            };
            closed.push(trade);
            publishClosed(trade);
          }
        }),
      );
    },
    async stop() {
      for (const off of unsubscribe.splice(0)) off();
      await options.adapter?.disconnect();
    },
    closedTrades() {
      return closed;
    },
    busy() {
      return position !== undefined || pending.length > 0;
    },
    health() {
      return {
        status: 'ok',
        detail: `${closed.length} trades closed, ${position === undefined ? 'flat' : 'in position'}${ignoredAfterEnd > 0 ? `, ${ignoredAfterEnd} orders after end of stream ignored` : ''}`,
      };
    },
  };
}
