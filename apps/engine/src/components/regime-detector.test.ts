import { createEventBus } from '@algospace/event-bus';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshotAt, T0 } from './__fixtures__/feature-snapshot.js';
import { createMatrixAssemblerComponent } from './matrix-assembler.js';
import { MatrixAssemblerRegime } from './matrix-assembler-regime.js';
import type { RegimeAssessment, RegimeFeatures, RegimeModel } from './regime-detector.js';
import { createRegimeDetectorComponent, RegimeError, RuleBasedRegimeModel } from './regime-detector.js';
import type { SignalsEvents } from './signals-component.js';

/** An MMD vector (spec §8 index order) with net return P, vol_20, vol ratio and MMD shift set. */
function mmdVector({ p = 0, vol20 = 0.002, ratio = 1, shift = 0 } = {}): number[] {
  const v = new Array<number>(16).fill(0);
  v[0] = p;
  v[11] = vol20;
  v[12] = vol20 / ratio;
  v[13] = ratio;
  v[14] = shift;
  v[15] = 1;
  return v;
}

const classify = (mmd: number[], model = new RuleBasedRegimeModel()) =>
  model.classify({ timestamp: T0, mmd });

describe('RuleBasedRegimeModel', () => {
  it('calls a quiet, driftless, stable market ranging with confidence 1', () => {
    const a = classify(mmdVector());
    expect([a.regime, a.confidence, a.direction]).toEqual(['ranging', 1, 0]);
  });

  it('calls volatile at the ratio threshold with confidence 0.5, rising to 1 at twice it', () => {
    expect([
      classify(mmdVector({ ratio: 1.5 })).regime,
      classify(mmdVector({ ratio: 1.5 })).confidence,
    ]).toEqual(['volatile', 0.5]);
    // 0.5 + 0.5·(2.25 − 1.5)/1.5 = 0.75
    expect(classify(mmdVector({ ratio: 2.25 })).confidence).toBe(0.75);
    expect(classify(mmdVector({ ratio: 5 })).confidence).toBe(1);
  });

  it('calls trending when the 20-bar t-statistic reaches 2, with the sign of the net return', () => {
    // |0.02| / (0.002·√20) = 2.2360680 → confidence 0.5 + 0.5·0.2360680/2 = 0.5590170.
    const up = classify(mmdVector({ p: 0.02 }));
    expect([up.regime, up.direction]).toEqual(['trending', 1]);
    expect(up.evidence.trendStrength).toBeCloseTo(2.2360679774997894, 12);
    expect(up.confidence).toBeCloseTo(0.5590169943749473, 12);
    expect(classify(mmdVector({ p: -0.02 })).direction).toBe(-1);
    // |0.017| / (0.002·√20) = 1.90 < 2: ranging, with confidence lowered by the near-trend (1 − 0.95).
    const near = classify(mmdVector({ p: 0.017 }));
    expect(near.regime).toBe('ranging');
    expect(near.confidence).toBeCloseTo(0.5 + 0.5 * (1 - 0.017 / (0.002 * Math.sqrt(20)) / 2), 12);
  });

  it('checks volatility before trend', () => {
    expect(classify(mmdVector({ p: 0.05, ratio: 1.6 })).regime).toBe('volatile');
  });

  it('treats a net move in a zero-noise window as a certain trend', () => {
    const a = classify(mmdVector({ p: 0.01, vol20: 0 }));
    expect([a.regime, a.confidence]).toEqual(['trending', 1]);
  });

  it('lowers ranging confidence for a distribution shift', () => {
    // shift 0.125 of threshold 0.25 → margin 0.5 → confidence 0.75.
    expect(classify(mmdVector({ shift: 0.125 })).confidence).toBe(0.75);
  });

  it('rejects a vector that is not the 16 MMD values', () => {
    expect(() => classify([1, 2, 3])).toThrow(RegimeError);
    expect(() => classify([1, 2, 3])).toThrow('expected the 16-value MMD vector of spec §8, got 3 values');
  });

  it('rejects a volatility threshold ≤ 1', () => {
    expect(() => new RuleBasedRegimeModel({ volatileRatio: 1 })).toThrow(/volatile_ratio/);
  });

  it('always returns a confidence in [0.5, 1] and explains itself (property)', () => {
    const finite = (min: number, max: number) =>
      fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(finite(-0.5, 0.5), finite(0, 0.1), finite(0, 5), finite(0, 2), (p, vol20, ratio, shift) => {
        const a = classify(mmdVector({ p, vol20, ratio: ratio || 1, shift }));
        expect(a.confidence).toBeGreaterThanOrEqual(0.5);
        expect(a.confidence).toBeLessThanOrEqual(1);
        expect(a.reason.length).toBeGreaterThan(0);
        expect(a.direction === 0).toBe(a.regime !== 'trending');
      }),
    );
  });
});

describe('createRegimeDetectorComponent', () => {
  it('publishes REGIME_UPDATED only for "30m" snapshots with mmd_ready', () => {
    const bus = createEventBus<SignalsEvents>();
    const component = createRegimeDetectorComponent();
    const seen: RegimeAssessment[] = [];
    bus.subscribe('REGIME_UPDATED', (a) => seen.push(a));
    component.init({ bus });
    bus.publish('INDICATORS_READY', snapshotAt('30m', 30));
    bus.publish('INDICATORS_READY', snapshotAt('5m', 35, { mmd_ready: true, mmd_features: mmdVector() }));
    expect(seen).toEqual([]);
    bus.publish(
      'INDICATORS_READY',
      snapshotAt('30m', 60, { mmd_ready: true, mmd_features: mmdVector({ ratio: 2 }) }),
    );
    expect(seen.map((a) => [a.regime, a.timestamp, a.model])).toEqual([
      ['volatile', T0 + 3_600_000, 'rules-v1'],
    ]);
    expect(component.latest?.regime).toBe('volatile');
    expect(component.counts).toEqual({ trending: 0, ranging: 0, volatile: 1 });
    expect(component.health().detail).toBe('rules-v1: 0 trending, 0 ranging, 1 volatile; latest volatile');
  });

  it('hands a plugged-in model the regime matrix including the current bar', () => {
    const bus = createEventBus<SignalsEvents>();
    const assembler = new MatrixAssemblerRegime();
    const received: RegimeFeatures[] = [];
    const model: RegimeModel = {
      name: 'stub-learned',
      classify: (features) => {
        received.push(features);
        return {
          regime: 'ranging',
          confidence: 0.9,
          direction: 0,
          timestamp: features.timestamp,
          model: 'stub-learned',
          reason: 'fixed',
          evidence: { trendStrength: 0, volatilityRatio: 1, distributionShift: 0, netReturn: 0 },
        };
      },
    };
    // Registration order stands in for the kernel's dependency order.
    createMatrixAssemblerComponent(assembler).init({ bus });
    createRegimeDetectorComponent({ model, assembler, dependsOn: ['matrix-assembler-regime'] }).init({ bus });
    bus.publish('INDICATORS_READY', snapshotAt('30m', 30, { mmd_ready: true, mmd_features: mmdVector() }));
    expect(received).toHaveLength(1);
    expect(received[0]?.matrix, 'the row of this bar is already in the matrix').toHaveLength(1);
  });
});
