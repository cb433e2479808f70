import { createEventBus } from '@algospace/event-bus';
import type { FeatureSnapshot } from '@algospace/indicators';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fvgAt, minutes, mlmiAt, nwrqkAt, snapshotAt, T0 } from './__fixtures__/feature-snapshot.js';
import type { SignalsEvents } from './signals-component.js';
import type { SynergyEvent } from './synergy-detector.js';
import {
  createSynergyDetectorComponent,
  patternOf,
  SYNERGY_PATTERNS,
  SynergyConfigError,
  SynergyDetector,
} from './synergy-detector.js';

function run(detector: SynergyDetector, snapshots: readonly FeatureSnapshot[]): SynergyEvent[] {
  const out: SynergyEvent[] = [];
  for (const s of snapshots) {
    const synergy = detector.process(s);
    if (synergy !== null) out.push(synergy);
  }
  return out;
}

describe('SynergyDetector patterns (spec §10.1)', () => {
  it('emits TYPE_1 when MLMI and NW-RQK arrive in one 30m snapshot and an FVG follows', () => {
    // MLMI is checked before NW-RQK within one snapshot (§10.3), so the order is MLMI → NW-RQK → FVG.
    const both = snapshotAt('30m', 0, { mlmi_signal: 1, mlmi_value: 50, nwrqk_signal: 1, nwrqk_slope: 1 });
    const synergies = run(new SynergyDetector(), [both, fvgAt(5, 1)]);
    expect(synergies.map((s) => s.synergy_type)).toEqual(['TYPE_1']);
    expect(synergies[0]?.signal_sequence.map((s) => s.type)).toEqual(['mlmi', 'nwrqk', 'fvg']);
  });

  it('emits TYPE_2 for MLMI → FVG → NW-RQK', () => {
    const synergies = run(new SynergyDetector(), [mlmiAt(0, 1), fvgAt(10, 1), nwrqkAt(30, 1)]);
    expect(synergies.map((s) => s.synergy_type)).toEqual(['TYPE_2']);
  });

  it('emits TYPE_3 for NW-RQK → FVG → MLMI, short', () => {
    const synergies = run(new SynergyDetector(), [nwrqkAt(0, -1), fvgAt(15, -1), mlmiAt(30, -1)]);
    expect(synergies.map((s) => [s.synergy_type, s.direction])).toEqual([['TYPE_3', -1]]);
  });

  it('emits TYPE_4 for NW-RQK → MLMI → FVG within the 10-bar window', () => {
    // First signal at 10:00, MLMI at 10:30 (6 bars), FVG at 10:50: barsBetween = 10, still inside.
    const synergies = run(new SynergyDetector(), [nwrqkAt(0, 1), mlmiAt(30, 1), fvgAt(50, 1)]);
    expect(synergies.map((s) => s.synergy_type)).toEqual(['TYPE_4']);
    expect(synergies[0]?.metadata.bars_to_complete).toBe(11);
  });

  it('discards a complete sequence that starts with FVG and counts it as invalid', () => {
    const detector = new SynergyDetector();
    const synergies = run(detector, [fvgAt(25, 1), mlmiAt(30, 1), nwrqkAt(60, 1)]);
    expect(synergies).toEqual([]);
    expect(detector.stats().invalidPatterns).toBe(1);
    expect(detector.sequence, 'an invalid complete sequence resets').toEqual([]);
  });

  it('maps every order to its type and rejects the two FVG-first orders', () => {
    for (const [type, order] of Object.entries(SYNERGY_PATTERNS)) {
      expect(patternOf(order[0]!, order[1]!, order[2]!)).toBe(type);
    }
    expect(patternOf('fvg', 'mlmi', 'nwrqk')).toBeUndefined();
    expect(patternOf('fvg', 'nwrqk', 'mlmi')).toBeUndefined();
  });
});

describe('SynergyDetector payload (spec §10.5)', () => {
  it('fills strengths, context and quality with the hand-worked values', () => {
    // MLMI 50/200 = 0.25; NW-RQK |1|/2 = 0.5; FVG 24/4800 = 0.005 → 0.005/0.01 = 0.5.
    // bars_to_complete = floor(5 min / 5 min) + 1 = 2; quality = 0.6·(1.25/3) + 0.3·(1 − 2/10) + 0.1 = 0.59.
    const both = snapshotAt('30m', 0, {
      mlmi_signal: 1,
      mlmi_value: 50,
      nwrqk_signal: 1,
      nwrqk_slope: 1,
      nwrqk_value: 4790.5,
    });
    const completing = fvgAt(5, 1, {
      current_price: 4800,
      lvn_nearest_price: 4780,
      lvn_nearest_strength: 64,
      lvn_distance_points: 20,
    });
    const [synergy] = run(new SynergyDetector(), [both, completing]);
    expect(synergy).toBeDefined();
    expect(synergy?.direction).toBe(1);
    expect(synergy?.confidence).toBe(1);
    expect(synergy?.timestamp, 'time of the third signal = its snapshot asOf').toBe(T0 + minutes(5));
    expect(synergy?.signal_strengths).toEqual({ mlmi: 0.25, nwrqk: 0.5, fvg: 0.5 });
    expect(synergy?.signal_sequence).toEqual([
      { type: 'mlmi', value: 50, signal: 1, timestamp: T0, strength: 0.25 },
      { type: 'nwrqk', value: 4790.5, signal: 1, timestamp: T0, strength: 0.5 },
      { type: 'fvg', value: 4800, signal: 1, timestamp: T0 + minutes(5), strength: 0.5 },
    ]);
    expect(synergy?.market_context).toEqual({
      current_price: 4800,
      nearest_lvn: { price: 4780, strength: 64, distance: 20 },
    });
    expect(synergy?.metadata.bars_to_complete).toBe(2);
    expect(synergy?.metadata.pattern_quality).toBeCloseTo(0.59, 12);
  });

  it('caps strengths at their maxima', () => {
    // MLMI 900/200 = 4.5 → 1; slope 7/2 → 1; gap 240/4800 = 5 % → 5 (capped at 1).
    const both = snapshotAt('30m', 0, { mlmi_signal: 1, mlmi_value: 900, nwrqk_signal: 1, nwrqk_slope: 7 });
    const fvg = fvgAt(5, 1, { fvg_bullish_mitigated_size: 240 });
    const [synergy] = run(new SynergyDetector(), [both, fvg]);
    expect(synergy?.signal_strengths).toEqual({ mlmi: 1, nwrqk: 1, fvg: 1 });
    // 0.6·1 + 0.3·0.8 + 0.1 = 0.94
    expect(synergy?.metadata.pattern_quality).toBeCloseTo(0.94, 12);
  });
});

describe('SynergyDetector eligibility and activation (spec §10.2, §10.3)', () => {
  it('ignores MLMI and NW-RQK values on 5m snapshots and FVG mitigations on 30m snapshots', () => {
    const detector = new SynergyDetector();
    detector.process(
      snapshotAt('5m', 5, { mlmi_signal: 1, mlmi_value: 80, nwrqk_signal: 1, nwrqk_slope: 1 }),
    );
    detector.process(
      snapshotAt('30m', 30, {
        fvg_mitigation_signal: true,
        fvg_bullish_mitigated: true,
        fvg_bullish_mitigated_size: 24,
      }),
    );
    expect(detector.stats().signals).toEqual({ mlmi: 0, nwrqk: 0, fvg: 0 });
    expect(detector.sequence).toEqual([]);
  });

  it('gates MLMI on |value − neutral| ≥ threshold·scale, accepting equality', () => {
    // The original config: neutral 50, scale 50, threshold 0.5 → gate 25.
    const detector = new SynergyDetector({ mlmiNeutral: 50, mlmiScale: 50, mlmiThreshold: 0.5 });
    detector.process(mlmiAt(0, 1, { mlmi_value: 74 }));
    expect(detector.stats().signals.mlmi, '|74 − 50| = 24 < 25').toBe(0);
    detector.process(mlmiAt(30, 1, { mlmi_value: 75 }));
    expect(detector.stats().signals.mlmi, '|75 − 50| = 25 is not strictly below 25').toBe(1);
    expect(detector.sequence[0]?.strength, 'min(25/50, 1)').toBe(0.5);
  });

  it('does not activate MLMI without a cross, whatever its value', () => {
    const detector = new SynergyDetector();
    detector.process(snapshotAt('30m', 0, { mlmi_value: 180, mlmi_signal: 0 }));
    expect(detector.stats().signals.mlmi).toBe(0);
  });

  it('gates NW-RQK on |slope| ≥ threshold, accepting equality', () => {
    const detector = new SynergyDetector({ nwrqkThreshold: 0.75 });
    detector.process(nwrqkAt(0, -1, { nwrqk_slope: -0.74 }));
    detector.process(nwrqkAt(30, -1, { nwrqk_slope: -0.75 }));
    expect(detector.stats().signals.nwrqk).toBe(1);
    expect(detector.sequence[0]?.strength, '0.75 / 2').toBe(0.375);
  });

  it('gates FVG on gap size ≥ 0.1 % of price, accepting equality', () => {
    const detector = new SynergyDetector();
    detector.process(fvgAt(5, 1, { current_price: 5000, fvg_bullish_mitigated_size: 4.99 }));
    expect(detector.stats().signals.fvg, '4.99/5000 < 0.001').toBe(0);
    detector.process(fvgAt(10, 1, { current_price: 5000, fvg_bullish_mitigated_size: 5 }));
    expect(detector.stats().signals.fvg, '5/5000 = 0.001').toBe(1);
  });

  it('requires the mitigation signal as well as a mitigation on the bar', () => {
    const detector = new SynergyDetector();
    detector.process(fvgAt(5, 1, { fvg_mitigation_signal: false }));
    expect(detector.stats().signals.fvg).toBe(0);
  });

  it('treats a non-positive price as a 0 % gap, which never passes the gate', () => {
    const detector = new SynergyDetector();
    detector.process(fvgAt(5, 1, { current_price: 0 }));
    expect(detector.stats().signals.fvg).toBe(0);
  });

  it('reads a bar with both gap types mitigated as bullish, with the bullish size', () => {
    const detector = new SynergyDetector();
    detector.process(
      fvgAt(5, 1, {
        fvg_bearish_mitigated: true,
        fvg_bearish_mitigated_size: 480,
        fvg_bullish_mitigated_size: 24,
      }),
    );
    expect(detector.sequence).toEqual([
      { type: 'fvg', value: 4800, signal: 1, timestamp: T0 + minutes(5), strength: 0.5 },
    ]);
  });
});

describe('SynergyDetector sequence state machine (spec §10.4)', () => {
  it('keeps a sequence whose third signal is exactly 10 bars after the first', () => {
    const both = snapshotAt('30m', 0, { mlmi_signal: 1, mlmi_value: 50, nwrqk_signal: 1, nwrqk_slope: 1 });
    expect(run(new SynergyDetector(), [both, fvgAt(50, 1)])).toHaveLength(1);
  });

  it('restarts the sequence with a signal 11 bars after the first, without completing', () => {
    const detector = new SynergyDetector();
    const both = snapshotAt('30m', 0, { mlmi_signal: 1, mlmi_value: 50, nwrqk_signal: 1, nwrqk_slope: 1 });
    expect(run(detector, [both, fvgAt(55, 1)])).toEqual([]);
    expect(
      detector.sequence.map((s) => s.type),
      'the late FVG starts a new sequence',
    ).toEqual(['fvg']);
    expect(detector.stats().expiredSequences).toBe(1);
  });

  it('measures the window from the first signal, not the last', () => {
    // NW-RQK 10:00, MLMI 10:30 (6 bars) extend nothing: an FVG at 10:55 is 11 bars after 10:00.
    const detector = new SynergyDetector();
    expect(run(detector, [nwrqkAt(0, 1), mlmiAt(30, 1), fvgAt(55, 1)])).toEqual([]);
    expect(detector.stats().expiredSequences).toBe(1);
  });

  it('lets a stale partial sequence linger until the next signal arrives', () => {
    const detector = new SynergyDetector();
    run(detector, [mlmiAt(0, 1), snapshotAt('5m', 300), snapshotAt('30m', 330)]);
    expect(
      detector.sequence.map((s) => s.type),
      'no signal arrived, so no expiry check',
    ).toEqual(['mlmi']);
  });

  it('restarts on a signal in the opposite direction and completes the new sequence', () => {
    // MLMI +1 then NW-RQK −1 in one snapshot: reset to [NW-RQK −1]; FVG −1, MLMI −1 → TYPE_3 short.
    const detector = new SynergyDetector();
    const mixed = snapshotAt('30m', 0, { mlmi_signal: 1, mlmi_value: 50, nwrqk_signal: -1, nwrqk_slope: -1 });
    const synergies = run(detector, [mixed, fvgAt(10, -1), mlmiAt(30, -1)]);
    expect(synergies.map((s) => [s.synergy_type, s.direction])).toEqual([['TYPE_3', -1]]);
    expect(detector.stats().directionResets).toBe(1);
  });

  it('ignores a repeated signal type without resetting the window start', () => {
    // MLMI 10:00, MLMI again 10:30 (ignored), NW-RQK 11:00 is 12 bars after 10:00 → expiry, restart.
    const detector = new SynergyDetector();
    run(detector, [mlmiAt(0, 1), mlmiAt(30, 1)]);
    expect(detector.stats().duplicateSignals).toBe(1);
    expect(detector.sequence.map((s) => s.timestamp)).toEqual([T0]);
    run(detector, [nwrqkAt(60, 1)]);
    expect(detector.stats().expiredSequences, 'window still measured from 10:00').toBe(1);
  });

  it('stops processing the snapshot after an emitted synergy', () => {
    // NW-RQK 10:00, FVG 10:10, then MLMI + NW-RQK at 10:30: MLMI completes TYPE_3; the NW-RQK of that
    // snapshot must not start a new sequence.
    const detector = new SynergyDetector();
    const both = snapshotAt('30m', 30, { mlmi_signal: 1, mlmi_value: 50, nwrqk_signal: 1, nwrqk_slope: 1 });
    const synergies = run(detector, [nwrqkAt(0, 1), fvgAt(10, 1), both]);
    expect(synergies.map((s) => s.synergy_type)).toEqual(['TYPE_3']);
    expect(detector.sequence).toEqual([]);
    expect(detector.stats().skippedAfterSynergy).toBe(1);
  });

  it('discards a valid pattern that completes inside the cooldown and resets the sequence', () => {
    // Synergy 1 completes at 10:05; the next TYPE_1 completes at 10:35, barsBetween = 6 < 8.
    const detector = new SynergyDetector({ cooldownBars: 8 });
    const both = (at: number) =>
      snapshotAt('30m', at, { mlmi_signal: 1, mlmi_value: 50, nwrqk_signal: 1, nwrqk_slope: 1 });
    const synergies = run(detector, [both(0), fvgAt(5, 1), both(30), fvgAt(35, 1)]);
    expect(synergies.map((s) => s.timestamp)).toEqual([T0 + minutes(5)]);
    expect(detector.stats().discardedInCooldown).toBe(1);
    expect(detector.sequence).toEqual([]);
  });

  it('ends the cooldown after exactly cooldownBars bars', () => {
    // Same stream with cooldownBars = 6: 6 < 6 is false, so the second synergy is emitted.
    const detector = new SynergyDetector({ cooldownBars: 6 });
    const both = (at: number) =>
      snapshotAt('30m', at, { mlmi_signal: 1, mlmi_value: 50, nwrqk_signal: 1, nwrqk_slope: 1 });
    const synergies = run(detector, [both(0), fvgAt(5, 1), both(30), fvgAt(35, 1)]);
    expect(synergies.map((s) => s.timestamp)).toEqual([T0 + minutes(5), T0 + minutes(35)]);
    expect(detector.lastSynergyTime).toBe(T0 + minutes(35));
  });

  it('counts bars with floor((t1 − t0) / 5 min)', () => {
    const detector = new SynergyDetector();
    expect(detector.barsBetween(T0, T0 + minutes(54.999))).toBe(10);
    expect(detector.barsBetween(T0, T0 + minutes(55))).toBe(11);
  });
});

describe('SynergyDetector options', () => {
  it('rejects a non-positive bar length with the option path in the message', () => {
    expect(() => new SynergyDetector({ barMinutes: 0 })).toThrow(SynergyConfigError);
    expect(() => new SynergyDetector({ barMinutes: 0 })).toThrow(
      'synergy_detector.barMinutes: expected a number > 0, got 0',
    );
  });

  it('rejects a negative window and a non-finite threshold', () => {
    expect(() => new SynergyDetector({ timeWindowBars: -1 })).toThrow(/timeWindowBars/);
    expect(() => new SynergyDetector({ nwrqkThreshold: Number.NaN })).toThrow(/a finite number/);
  });
});

const signalSnapshot = fc.record({
  step: fc.integer({ min: 1, max: 4 }),
  mlmi: fc.constantFrom(-1, 0, 0, 1),
  nwrqk: fc.constantFrom(-1, 0, 0, 1),
  fvg: fc.constantFrom(-1, 0, 0, 0, 1),
});

/** A realistic stream: one "5m" snapshot per 5 minutes and a "30m" one after every sixth. */
function streamOf(
  steps: readonly { step: number; mlmi: number; nwrqk: number; fvg: number }[],
): FeatureSnapshot[] {
  const out: FeatureSnapshot[] = [];
  let bar = 0;
  for (const step of steps) {
    bar += step.step;
    const at = bar * 5;
    out.push(step.fvg === 0 ? snapshotAt('5m', at) : fvgAt(at, step.fvg as 1 | -1));
    if (bar % 6 === 0) {
      out.push(
        snapshotAt('30m', at, {
          mlmi_signal: step.mlmi,
          mlmi_value: 40 * step.mlmi,
          nwrqk_signal: step.nwrqk,
          nwrqk_slope: 0.5 * step.nwrqk,
        }),
      );
    }
  }
  return out;
}

describe('SynergyDetector invariants (property)', () => {
  it('emits only valid, one-direction, in-window patterns separated by the cooldown', () => {
    fc.assert(
      fc.property(fc.array(signalSnapshot, { minLength: 1, maxLength: 300 }), (steps) => {
        const detector = new SynergyDetector();
        const synergies = run(detector, streamOf(steps));
        let previous: number | undefined;
        for (const s of synergies) {
          const [a, b, c] = s.signal_sequence;
          expect(patternOf(a.type, b.type, c.type)).toBe(s.synergy_type);
          expect([a.signal, b.signal, c.signal]).toEqual([s.direction, s.direction, s.direction]);
          expect(detector.barsBetween(a.timestamp, c.timestamp)).toBeLessThanOrEqual(10);
          expect(a.timestamp <= b.timestamp && b.timestamp <= c.timestamp).toBe(true);
          if (previous !== undefined)
            expect(detector.barsBetween(previous, s.timestamp)).toBeGreaterThanOrEqual(5);
          expect(s.metadata.pattern_quality).toBeGreaterThanOrEqual(0);
          expect(s.metadata.pattern_quality).toBeLessThanOrEqual(1);
          previous = s.timestamp;
        }
        const counted = Object.values(detector.stats().synergies).reduce((x, y) => x + y, 0);
        expect(counted).toBe(synergies.length);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: two detectors on one stream emit identical synergies', () => {
    fc.assert(
      fc.property(fc.array(signalSnapshot, { maxLength: 200 }), (steps) => {
        const stream = streamOf(steps);
        expect(run(new SynergyDetector(), stream)).toEqual(run(new SynergyDetector(), stream));
      }),
      { numRuns: 100 },
    );
  });
});

describe('createSynergyDetectorComponent', () => {
  it('publishes SYNERGY_DETECTED from INDICATORS_READY on the context bus and stops on stop()', () => {
    const bus = createEventBus<SignalsEvents>();
    const component = createSynergyDetectorComponent();
    const seen: SynergyEvent[] = [];
    bus.subscribe('SYNERGY_DETECTED', (s) => seen.push(s));
    component.init({ bus });
    bus.publish('INDICATORS_READY', mlmiAt(0, 1));
    bus.publish('INDICATORS_READY', fvgAt(10, 1));
    bus.publish('INDICATORS_READY', nwrqkAt(30, 1));
    expect(seen.map((s) => s.synergy_type)).toEqual(['TYPE_2']);
    expect(component.health()).toEqual({
      status: 'ok',
      detail: '3 snapshots, 3 signals, 1 synergies, 0 discarded in cooldown',
    });
    component.stop();
    bus.publish('INDICATORS_READY', mlmiAt(60, 1));
    expect(component.detector.stats().snapshots, 'unsubscribed after stop').toBe(3);
  });
});
