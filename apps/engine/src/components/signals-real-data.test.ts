/**
 * The signal components on a month of real data: BTC perpetual 1-minute bars → @algospace/bars resampler
 * (5m, 30m) → IndicatorEngine → SynergyDetector, the three matrix assemblers and the RegimeDetector, all on
 * one bus as in the engine. Checks the invariants that must hold on any input (spec §10, §11).
 */
import type { Bar } from '@algospace/bars';
import { createBarResampler, parseIsoTimestamp } from '@algospace/bars';
import { createEventBus } from '@algospace/event-bus';
import { createIndicatorEngine } from '@algospace/indicators';
import { beforeAll, expect, it } from 'vitest';
import { describeWithMarketData, readMarketDataLines } from '../../../../test-support/market-data.js';
import type { MatrixAssemblerName, MatrixReadyEvent } from './matrix-assembler.js';
import { createMatrixAssemblerComponent } from './matrix-assembler.js';
import { MatrixAssembler5m } from './matrix-assembler-5m.js';
import { MatrixAssembler30m } from './matrix-assembler-30m.js';
import { MatrixAssemblerRegime } from './matrix-assembler-regime.js';
import type { RegimeAssessment } from './regime-detector.js';
import { createRegimeDetectorComponent } from './regime-detector.js';
import type { SignalsEvents } from './signals-component.js';
import type { SynergyEvent } from './synergy-detector.js';
import { createSynergyDetectorComponent, patternOf } from './synergy-detector.js';

const FILE = 'btcperp_1min_nautilus_20211231-20220201.csv';

describeWithMarketData('signal components on BTC perpetual 1-minute bars (a month)', [FILE], () => {
  const synergies: SynergyEvent[] = [];
  const regimes: RegimeAssessment[] = [];
  const matrices: Record<string, MatrixReadyEvent[]> = { '30m': [], '5m': [], regime: [] };
  const published: Record<MatrixAssemblerName, number> = { '30m': 0, '5m': 0, regime: 0 };
  const snapshots = { '5m': 0, '30m': 0 };
  let detector: ReturnType<typeof createSynergyDetectorComponent>['detector'];
  const assemblers = {
    '30m': new MatrixAssembler30m(),
    '5m': new MatrixAssembler5m(),
    regime: new MatrixAssemblerRegime(),
  };

  beforeAll(() => {
    const bus = createEventBus<SignalsEvents & { BAR: Bar }>();
    const engine = createIndicatorEngine();
    const synergy = createSynergyDetectorComponent();
    detector = synergy.detector;
    const components = [
      createMatrixAssemblerComponent(assemblers['30m']),
      createMatrixAssemblerComponent(assemblers['5m']),
      createMatrixAssemblerComponent(assemblers.regime),
      synergy,
      createRegimeDetectorComponent({ assembler: assemblers.regime }),
    ];
    for (const component of components) component.init({ bus });
    bus.subscribe('SYNERGY_DETECTED', (s) => synergies.push(s));
    bus.subscribe('REGIME_UPDATED', (r) => regimes.push(r));
    bus.subscribe('MATRIX_READY', (m) => {
      // Keep every 25th matrix per assembler: enough to check bounds without holding a month of copies.
      published[m.assembler]++;
      if (published[m.assembler] % 25 === 1) matrices[m.assembler]!.push(m);
    });
    bus.subscribe('INDICATORS_READY', (s) => {
      snapshots[s.trigger]++;
    });
    const resampler = createBarResampler({
      timeframes: ['5m', '30m'],
      gapFill: 'forward-fill',
      onBar: (bar) => {
        const snapshot = engine.update(bar);
        if (snapshot !== null) bus.publish('INDICATORS_READY', snapshot);
      },
    });
    const lines = readMarketDataLines(FILE);
    for (const line of lines.slice(1)) {
      const [time, open, high, low, close, volume] = line.split(',');
      resampler.push({
        timestamp: parseIsoTimestamp(`${time!.replace(' ', 'T').slice(0, 23)}Z`),
        timeframe: '1m',
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume),
        synthetic: false,
        tickCount: 1,
      });
    }
    resampler.flush();
  }, 120_000);

  it('appends one matrix row per snapshot of the assembler trigger', () => {
    expect(snapshots['30m'], 'a month of 30-minute bars').toBeGreaterThan(1400);
    expect(assemblers['30m'].stats().updates).toBe(snapshots['30m']);
    expect(assemblers.regime.stats().updates).toBe(snapshots['30m']);
    expect(assemblers['5m'].stats().updates).toBe(snapshots['5m']);
    expect(assemblers['5m'].stats().nonFinite, 'the Feature Store never holds non-finite numbers').toBe(0);
  });

  it('keeps every matrix entry finite and inside its clip range', () => {
    const bounds: Record<string, number> = { '30m': 3, '5m': 2, regime: 3 };
    for (const [name, list] of Object.entries(matrices)) {
      expect(list.length, `${name} matrices published`).toBeGreaterThan(0);
      let outside = 0;
      let entries = 0;
      for (const event of list) {
        for (const row of event.matrix) {
          for (const value of row) {
            entries++;
            if (!(Math.abs(value) <= bounds[name]!)) outside++;
          }
        }
      }
      expect(outside, `${name}: entries non-finite or beyond ±${bounds[name]} of ${entries}`).toBe(0);
    }
    expect(matrices['30m']!.at(-1)?.matrix).toHaveLength(48);
    expect(matrices.regime!.at(-1)?.matrix).toHaveLength(96);
  });

  it('classifies every 30-minute bar once the MMD vector is defined, and sees more than one regime', () => {
    // MMD is defined from the 97th 30-minute bar (spec §8.4).
    expect(regimes.length).toBe(snapshots['30m'] - 96);
    const seen = new Set(regimes.map((r) => r.regime));
    const counts = Object.fromEntries(
      [...seen].map((r) => [r, regimes.filter((x) => x.regime === r).length]),
    );
    console.log(
      `[real data] regimes ${JSON.stringify(counts)}; synergies ${synergies.length}; signals ${JSON.stringify(detector.stats().signals)}`,
    );
    expect(seen.size, `regimes seen: ${[...seen].join(', ')}`).toBeGreaterThanOrEqual(2);
    for (const r of regimes) {
      expect(r.confidence).toBeGreaterThanOrEqual(0.5);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('emits only valid, one-direction, in-window synergies outside the cooldown', () => {
    let previous: number | undefined;
    for (const s of synergies) {
      const [a, b, c] = s.signal_sequence;
      expect(patternOf(a.type, b.type, c.type)).toBe(s.synergy_type);
      expect(new Set([a.signal, b.signal, c.signal, s.direction]).size).toBe(1);
      expect(detector.barsBetween(a.timestamp, c.timestamp)).toBeLessThanOrEqual(10);
      if (previous !== undefined)
        expect(detector.barsBetween(previous, s.timestamp)).toBeGreaterThanOrEqual(5);
      previous = s.timestamp;
    }
    const stats = detector.stats();
    expect(stats.snapshots).toBe(snapshots['5m'] + snapshots['30m']);
    expect(stats.signals.fvg, 'FVG mitigations activate on a month of BTC').toBeGreaterThan(0);
    expect(stats.signals.nwrqk).toBeGreaterThan(0);
  });
});
