/**
 * Test fixture: a small, realistic run built from the real packages — a seeded tick stream with volatility
 * regimes and a cycle → @algospace/bars (5m/30m) → @algospace/indicators (IndicatorEngine) → SynergyDetector
 * → the report collector, all on one event bus. Trades are simple stand-ins (enter on the next bar's open
 * after a synergy or an NW-RQK turn, exit six bars later) published as TRADE_CLOSED, so the report shows
 * every layer.
 */
import type { Bar } from '@algospace/bars';
import { createBarAggregator } from '@algospace/bars';
import { createEventBus } from '@algospace/event-bus';
import { createIndicatorEngine } from '@algospace/indicators';
import type { SignalsEvents } from '../../components/signals-component.js';
import { createSynergyDetectorComponent } from '../../components/synergy-detector.js';
import type { ReportEvents } from '../report-collector.js';
import { createReportCollector } from '../report-collector.js';
import type { ReportData } from '../report-data.js';

type RunEvents = SignalsEvents & ReportEvents & { NEW_30MIN_BAR: Bar };

/** A deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `days` simulated days (24 h, a tick every ~15 s) and returns the collected report data. */
export function syntheticRun(days = 5, seed = 7): ReportData {
  const rnd = random(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() || 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const bus = createEventBus<RunEvents>();
  const engine = createIndicatorEngine();
  const synergy = createSynergyDetectorComponent();
  const collector = createReportCollector({ initialEquity: 100_000 });
  synergy.init({ bus });
  collector.init({ bus });
  bus.subscribe('NEW_5MIN_BAR', (bar) => {
    const snapshot = engine.update(bar);
    if (snapshot !== null) bus.publish('INDICATORS_READY', snapshot);
  });
  bus.subscribe('NEW_30MIN_BAR', (bar) => {
    const snapshot = engine.update(bar);
    if (snapshot !== null) bus.publish('INDICATORS_READY', snapshot);
  });

  // Stand-in execution (the engine's DecisionCore/ExecutionHandler replace it in a real run): on each
  // synergy, or each NW-RQK turn, fill at the next 5-minute open and exit at the close six bars later.
  const pending: { direction: 1 | -1; bars: number; entryTime: number; entryPrice: number }[] = [];
  let waiting: 1 | -1 | undefined;
  bus.subscribe('SYNERGY_DETECTED', (s) => {
    waiting = s.direction;
  });
  bus.subscribe('INDICATORS_READY', (s) => {
    if (s.trigger === '30m' && (s.nwrqk_signal === 1 || s.nwrqk_signal === -1)) waiting = s.nwrqk_signal;
  });
  bus.subscribe('NEW_5MIN_BAR', (bar) => {
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i]!;
      if (++p.bars < 6) continue;
      pending.splice(i, 1);
      bus.publish('TRADE_CLOSED', {
        direction: p.direction,
        size: 1,
        entryTime: p.entryTime,
        entryPrice: p.entryPrice,
        exitTime: bar.timestamp + 5 * 60_000 - 1,
        exitPrice: bar.close,
        pnl: p.direction * (bar.close - p.entryPrice) * 50 - 5,
        exitReason: 'time',
      });
    }
    if (waiting !== undefined) {
      pending.push({ direction: waiting, bars: 0, entryTime: bar.timestamp, entryPrice: bar.open });
      waiting = undefined;
    }
  });

  const aggregator = createBarAggregator({
    timeframes: ['5m', '30m'],
    gapFill: 'forward-fill',
    onBar: (bar) => bus.publish(bar.timeframe === '5m' ? 'NEW_5MIN_BAR' : 'NEW_30MIN_BAR', bar),
  });
  // Log price = a random walk with volatility regimes + a 16-hour cycle, so trends turn and gaps form.
  const start = Date.UTC(2024, 0, 2);
  const end = start + days * 86_400_000;
  let time = start;
  let walk = 0;
  let volatility = 0.00015;
  while (time < end) {
    if (rnd() < 1 / 1440) volatility = 0.00015 * (0.5 + 1.5 * rnd());
    walk += volatility * gauss();
    const cycle = 0.01 * Math.sin((2 * Math.PI * (time - start)) / (16 * 3_600_000));
    const price = Math.round(4800 * Math.exp(walk + cycle) * 4) / 4;
    aggregator.push({ timestamp: time, price, size: 1 + Math.floor(rnd() * 10) });
    time += 5_000 + Math.floor(rnd() * 20_000);
  }
  aggregator.flush();
  return collector.reportData({
    title: 'Synthetic run (test fixture)',
    simulated: true,
    subtitle: `${days} simulated days, seed ${seed}`,
    summary: [{ label: 'Seed', value: seed }],
  });
}
