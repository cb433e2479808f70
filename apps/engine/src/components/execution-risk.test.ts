import type { Bar } from '@algospace/bars';
import { createKernel } from '@algospace/kernel';
import { describe, expect, it } from 'vitest';
import type { EngineEvents } from '../events.js';
import type { TradeOrder } from './decision-core.js';
import {
  type ClosedTrade,
  createExecutionHandlerComponent,
  type ExecutionOptions,
  type TradeOpened,
} from './execution-handler.js';
import { createRiskManagerComponent, type RiskOptions } from './risk-manager.js';

const execution: ExecutionOptions = {
  slippageTicks: 1,
  tickSize: 0.25,
  commissionPerContract: 2.5,
  pointValue: 50,
  maxHoldingBars: 0,
};
const T0 = Date.UTC(2024, 0, 2, 15);

function order(overrides: Partial<TradeOrder> = {}): TradeOrder {
  return {
    id: 'T1',
    timestamp: T0,
    direction: 1,
    side: 'buy',
    size: 2,
    entry: 100,
    stop: 98,
    target: 104,
    synergyType: 'TYPE_1',
    reason: 'test',
    ...overrides,
  };
}

async function kernelWith(
  mode: 'backtest' | 'live',
  ...components: Parameters<ReturnType<typeof createKernel<EngineEvents>>['register']>[0][]
) {
  const kernel = createKernel<EngineEvents>({ mode, monitoring: false, logger: { level: 'silent' } });
  for (const component of components) kernel.register(component);
  const opened: TradeOpened[] = [];
  const closed: ClosedTrade[] = [];
  kernel.bus.subscribe('TRADE_OPENED', (trade) => opened.push(trade));
  kernel.bus.subscribe('TRADE_CLOSED', (trade) => closed.push(trade));
  await kernel.start();
  return { kernel, opened, closed };
}

describe('ExecutionHandler (simulated fills)', () => {
  it('fills on the next tick one tick worse, keeps the stop/target distances and exits at the target with commissions', async () => {
    const { kernel, opened, closed } = await kernelWith(
      'backtest',
      createExecutionHandlerComponent(execution),
    );
    kernel.bus.publish('NEW_TICK', { timestamp: T0, price: 100, size: 1 });
    kernel.bus.publish('EXECUTE_TRADE', order());
    kernel.bus.publish('NEW_TICK', { timestamp: T0 + 1000, price: 100.5, size: 1 });
    // entry 100.5 + 1 × 0.25 = 100.75; stop 100.75 − 2 = 98.75; target 100.75 + 4 = 104.75
    expect(opened).toEqual([
      {
        id: 'T1',
        direction: 1,
        size: 2,
        entryTime: T0 + 1000,
        entryPrice: 100.75,
        stop: 98.75,
        target: 104.75,
      },
    ]);
    kernel.bus.publish('NEW_TICK', { timestamp: T0 + 2000, price: 104.5, size: 1 });
    expect(closed).toHaveLength(0);
    kernel.bus.publish('NEW_TICK', { timestamp: T0 + 3000, price: 105, size: 1 });
    // limit exit at 104.75: gross (104.75 − 100.75) × 2 × 50 = 400; commission 2 sides × 2.5 × 2 = 10
    expect(closed[0]).toMatchObject({
      exitReason: 'target',
      exitPrice: 104.75,
      grossPnl: 400,
      commission: 10,
      pnl: 390,
      exitTime: T0 + 3000,
    });
    await kernel.stop();
  });

  it('stops a short out at the crossing tick with slippage against it', async () => {
    const { kernel, closed } = await kernelWith('backtest', createExecutionHandlerComponent(execution));
    kernel.bus.publish(
      'EXECUTE_TRADE',
      order({ direction: -1, side: 'sell', size: 1, entry: 100, stop: 101, target: 98 }),
    );
    kernel.bus.publish('NEW_TICK', { timestamp: T0, price: 100, size: 1 }); // sold at 99.75, stop 100.75
    kernel.bus.publish('NEW_TICK', { timestamp: T0 + 1, price: 101, size: 1 }); // bought back at 101.25
    // gross (101.25 − 99.75) × −1 × 1 × 50 = −75; commission 5
    expect(closed[0]).toMatchObject({
      exitReason: 'stop',
      entryPrice: 99.75,
      exitPrice: 101.25,
      grossPnl: -75,
      pnl: -80,
    });
    await kernel.stop();
  });

  it('never fills an order on the tick whose processing produced it', async () => {
    const execution1 = createExecutionHandlerComponent(execution);
    // Stands in for the bar generator → … → decision chain: publishes an order while handling a tick.
    let sent = false;
    const { kernel, opened } = await kernelWith('backtest', execution1, {
      name: 'order-on-first-tick',
      init(context) {
        context.bus.subscribe('NEW_TICK', () => {
          if (sent) return;
          sent = true;
          context.bus.publish('EXECUTE_TRADE', order());
        });
      },
    });
    kernel.bus.publish('NEW_TICK', { timestamp: T0, price: 100, size: 1 });
    expect(opened, 'the order must wait for the next tick').toHaveLength(0);
    kernel.bus.publish('NEW_TICK', { timestamp: T0 + 1, price: 101, size: 1 });
    expect(opened[0]?.entryPrice).toBe(101.25);
    await kernel.stop();
  });

  it('closes an open position at END_OF_STREAM and reports an order that never filled', async () => {
    const { kernel, closed } = await kernelWith('backtest', createExecutionHandlerComponent(execution));
    kernel.bus.publish('EXECUTE_TRADE', order({ size: 1 }));
    kernel.bus.publish('NEW_TICK', { timestamp: T0, price: 100, size: 1 }); // long at 100.25
    kernel.bus.publish('NEW_TICK', { timestamp: T0 + 1, price: 101, size: 1 });
    kernel.bus.publish('EXECUTE_TRADE', order({ id: 'T2', size: 1 }));
    kernel.bus.publish('END_OF_STREAM', { reason: 'input exhausted', lastTimestamp: T0 + 1 });
    expect(closed.map((trade) => [trade.id, trade.exitReason])).toEqual([
      ['T1', 'end-of-stream'],
      ['T2', 'unfilled'],
    ]);
    // exit at 101 − 0.25: (100.75 − 100.25) × 50 = 25, minus 5 commission
    expect(closed[0]?.pnl).toBe(20);
    await kernel.stop();
  });

  it('with bar-only input fills at the next bar open and takes the stop first when a bar reaches both', async () => {
    const { kernel, opened, closed } = await kernelWith(
      'backtest',
      createExecutionHandlerComponent(execution),
    );
    const bar = (i: number, open: number, high: number, low: number, close: number): Bar => ({
      timestamp: T0 + i * 300_000,
      timeframe: '5m',
      open,
      high,
      low,
      close,
      volume: 10,
      synthetic: false,
      tickCount: 5,
    });
    kernel.bus.publish('EXECUTE_TRADE', order({ size: 1 }));
    kernel.bus.publish('NEW_5MIN_BAR', bar(1, 100, 101, 99.5, 100.5));
    // open 100 + 0.25 = 100.25; stop 98.25, target 104.25; this bar's range reaches neither
    expect(opened[0]).toMatchObject({
      entryTime: T0 + 300_000,
      entryPrice: 100.25,
      stop: 98.25,
      target: 104.25,
    });
    expect(closed).toHaveLength(0);
    kernel.bus.publish('NEW_5MIN_BAR', bar(2, 100.5, 105, 98, 101));
    // both levels inside the range: the stop is assumed first, exit 98.25 − 0.25 = 98; (98 − 100.25) × 50 = −112.5, −5 commission
    expect(closed[0]).toMatchObject({ exitReason: 'stop', exitPrice: 98, grossPnl: -112.5, pnl: -117.5 });
    await kernel.stop();
  });

  it('refuses to start in live mode without a broker adapter', async () => {
    const kernel = createKernel<EngineEvents>({
      mode: 'live',
      monitoring: false,
      logger: { level: 'silent' },
    });
    kernel.register(createExecutionHandlerComponent(execution));
    await expect(kernel.start()).rejects.toSatisfy((error: unknown) =>
      /refusing to start/.test(String((error as Error).cause ?? error)),
    );
  });
});

describe('RiskManager', () => {
  const risk: RiskOptions = {
    accountEquity: 100_000,
    riskPerTrade: 0.01,
    pointValue: 50,
    atrPeriod: 14,
    stopAtrMultiple: 1.5,
    rewardRiskRatio: 2,
    maxPosition: 10,
    maxDailyLoss: 1_000,
    maxDrawdown: 0.2,
  };
  const bar = (i: number): Bar => ({
    timestamp: T0 + i * 300_000,
    timeframe: '5m',
    open: 100,
    high: 101,
    low: 99,
    close: 100,
    volume: 1,
    synthetic: false,
    tickCount: 1,
  });

  it('refuses until the ATR is ready, then sizes from equity × risk / (1.5 ATR × point value)', async () => {
    const manager = createRiskManagerComponent(risk);
    const { kernel } = await kernelWith('backtest', manager);
    expect(manager.assess({ direction: 1, price: 100, timestamp: T0 })).toEqual({
      approved: false,
      reason: 'atr-not-ready',
    });
    for (let i = 0; i < 14; i++) kernel.bus.publish('NEW_5MIN_BAR', bar(i));
    // every true range is 2, so ATR = 2; stop 3 points; 1,000 / (3 × 50) = 6.67 → 6 contracts
    expect(manager.assess({ direction: 1, price: 100, timestamp: T0 })).toEqual({
      approved: true,
      size: 6,
      stop: 97,
      target: 106,
      stopDistance: 3,
      atr: 2,
    });
    expect(manager.assess({ direction: -1, price: 100, timestamp: T0 })).toMatchObject({
      stop: 103,
      target: 94,
    });
    await kernel.stop();
  });

  it('caps the size at the max position and stops trading after the max daily loss', async () => {
    const manager = createRiskManagerComponent({ ...risk, maxPosition: 4 });
    const { kernel } = await kernelWith('backtest', manager);
    for (let i = 0; i < 14; i++) kernel.bus.publish('NEW_5MIN_BAR', bar(i));
    expect(manager.assess({ direction: 1, price: 100, timestamp: T0 })).toMatchObject({
      approved: true,
      size: 4,
    });
    kernel.bus.publish('TRADE_CLOSED', {
      id: 'T1',
      synergyType: 'TYPE_1',
      direction: 1,
      size: 1,
      orderTime: T0,
      entryTime: T0,
      entryPrice: 100,
      exitTime: T0 + 1,
      exitPrice: 80,
      stop: 97,
      target: 106,
      exitReason: 'stop',
      grossPnl: -1_000,
      commission: 5,
      pnl: -1_005,
    });
    expect(manager.assess({ direction: 1, price: 100, timestamp: T0 + 2 })).toEqual({
      approved: false,
      reason: 'max-daily-loss',
    });
    expect(
      manager.assess({ direction: 1, price: 100, timestamp: T0 + 86_400_000 }),
      'a new UTC day resets the daily loss',
    ).toMatchObject({ approved: true });
    expect(manager.state()).toMatchObject({ equity: 98_995, maxDrawdown: 1_005 });
    await kernel.stop();
  });
});
