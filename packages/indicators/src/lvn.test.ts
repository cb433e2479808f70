import { describe, expect, it } from 'vitest';
import { NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { batchWithReadiness, withReadiness } from './engine-indicator-adapters.js';
import { barWalk, testIndicatorContract } from './indicator-contract.js';
import { IndicatorParameterError } from './indicators-error.js';
import { LVN, type LvnBar, type LvnValue } from './lvn.js';

function bar(high: number, low: number, close: number, volume: number): LvnBar {
  return { high, low, close, volume };
}

function last(lvn: LVN, bars: readonly LvnBar[]): LvnValue {
  let value: LvnValue = { price: Number.NaN, strength: Number.NaN, distance: Number.NaN };
  for (const b of bars) value = lvn.update(b);
  return value;
}

describe('LVN profile, POC and nearest level (spec §7.2–§7.3)', () => {
  it('is ⊥ (NaN) until profileBars bars exist, then defined (spec §7.5, Appendix B: from bar 19)', () => {
    const lvn = new LVN();
    for (let t = 0; t < 19; t++) {
      const value = lvn.update(bar(101 + (t % 3), 100, 100.5, 100 + t));
      expect(Number.isNaN(value.price), `bar ${t}`).toBe(true);
      expect(lvn.isReady).toBe(false);
    }
    lvn.update(bar(110, 100, 105, 50));
    expect(lvn.isReady).toBe(true);
  });

  it('spreads each bar uniformly over its levels and scores the nearest level below 30 % of the POC', () => {
    // Bar 0: H101 L100 V10 → 2 on each of 100, 100.25, 100.5, 100.75, 101.
    // Bar 1: H101 L100.5 V90 → +30 on 100.5, 100.75, 101. POC = 32; LVNs (vol < 32 · 0.3): 100, 100.25.
    // Close 100.75: nearest LVN 100.25 (0.5 away; 100 is 0.75 away).
    const lvn = new LVN({ profileBars: 2, interactionLookback: 2 });
    const value = last(lvn, [bar(101, 100, 100.5, 10), bar(101, 100.5, 100.75, 90)]);
    expect(value.price).toBe(100.25);
    expect(value.distance).toBe(0.5);
    // Volume 40·(1 − 2/32) = 37.5.
    // Interaction (pairs i = 1 … 1): C₀ = 100.5 > 100.25 and L₁ = 100.5 ≤ 100.25 + δ (δ = 0.5·0.5) → a test
    //   from above; C₁ = 100.75 > 100.25 → a rejection of (100.75 − 100.5)/(0.5 + 0.0001). Score 3 + 15·that.
    // Recency: the newest bar touches [100.25 − δ, 100.25 + δ] → 20·(1 − 0/2) = 20.
    // Distance: 10·(1 − min(0.5/0.5, 1)) = 0.
    const expected = 37.5 + (3 + (15 * 0.25) / 0.5001) + 20 + 0;
    expect(value.strength).toBeCloseTo(expected, 12);
  });

  it('leaves the interaction component at 0 while fewer than interactionLookback bars exist (spec §7.5)', () => {
    const lvn = new LVN({ profileBars: 2, interactionLookback: 3 });
    const value = last(lvn, [bar(101, 100, 100.5, 10), bar(101, 100.5, 100.75, 90)]);
    expect(value.strength).toBeCloseTo(37.5 + 0 + 20 + 0, 12);
  });

  it('snaps off-grid prices to the nearest level, halves going up (spec §7.2 round = floor(v + 0.5))', () => {
    // Bar 0 spreads 10 on each of 100 … 101. Bar 1 (100.125, flat) is exactly half way: it snaps up to 100.25,
    // which becomes the POC (110); the nearest LVN to 100.125 is then 100 (0.125) rather than 100.5 (0.375).
    const lvn = new LVN({ profileBars: 2, interactionLookback: 2 });
    const value = last(lvn, [bar(101, 100, 100.5, 50), bar(100.125, 100.125, 100.125, 100)]);
    expect(value.price).toBe(100);
  });

  it('breaks distance ties toward the lower price (spec §7.3)', () => {
    // The profile of the previous test in the other order: LVNs 100 and 100.25 (2 each vs POC 32), and the
    // current close 100.125 exactly between them.
    const lvn = new LVN({ profileBars: 2, interactionLookback: 2 });
    const value = last(lvn, [bar(101, 100.5, 100.75, 90), bar(101, 100, 100.125, 10)]);
    expect(value.price).toBe(100);
  });

  it('is ⊥ when the profile holds no volume, e.g. only synthetic bars (spec §7.5)', () => {
    const lvn = new LVN({ profileBars: 2, interactionLookback: 2 });
    const value = last(lvn, [bar(101, 100, 100.5, 0), bar(101, 100.5, 100.75, 0)]);
    expect(Number.isNaN(value.price) && Number.isNaN(value.strength) && Number.isNaN(value.distance)).toBe(
      true,
    );
  });

  it('is ⊥ when no level is below the LVN cutoff (spec §7.5: empty LVN set)', () => {
    const lvn = new LVN({ profileBars: 2, interactionLookback: 2 });
    const value = last(lvn, [bar(101, 100, 100.5, 10), bar(101, 100, 100.75, 10)]);
    expect(Number.isNaN(value.price), 'every level holds 4: none is below 1.2').toBe(true);
  });
});

describe('LVN strength on a flat current bar (spec §7.4 DECISION)', () => {
  it('gives the full distance component when the flat close sits on the level', () => {
    // Bar 0: H102 L101 V50 → 10 on 101 … 102 (levels 4 … 8 from pmin 100). Bar 1: flat at 100, V0.
    // LVNs 100 … 100.75 (0 volume); nearest to 100 is 100 itself. Volume 40·(1 − 0) = 40; interaction: C₀ =
    // 101.5 > 100 and L₁ = 100 ≤ 100 → one test, no rejection (C₁ = 100 is not > 100) → 3; recency 20;
    // distance: flat bar with C = q* → 10.
    const lvn = new LVN({ profileBars: 2, interactionLookback: 2 });
    const value = last(lvn, [bar(102, 101, 101.5, 50), bar(100, 100, 100, 0)]);
    expect(value.price).toBe(100);
    expect(value.strength).toBe(40 + 3 + 20 + 10);
  });

  it('gives no distance component when the flat close is off the level', () => {
    // Bars: flat 100 (V0), H102 L101 V50, flat 100.1 (V0). pmin 100; 100.1 snaps to level 100, which holds 0.
    // Nearest LVN to 100.1 is 100. Volume 40; interaction 0 (C₀ = 100 is neither below nor above 100; C₁ =
    // 101.5 > 100 but L₂ = 100.1 > 100 + 0); recency: only bar 0 touches 100 → 20·(1 − 2/3); distance 0.
    const lvn = new LVN({ profileBars: 3, interactionLookback: 3 });
    const value = last(lvn, [bar(100, 100, 100, 0), bar(102, 101, 101.5, 50), bar(100.1, 100.1, 100.1, 0)]);
    expect(value.price).toBe(100);
    expect(value.distance).toBeCloseTo(0.1, 12);
    expect(value.strength).toBeCloseTo(40 + 0 + 20 * (1 - 2 / 3) + 0, 12);
  });
});

describe('LVN parameters and batch form', () => {
  it('rejects invalid parameters with an IndicatorParameterError naming them', () => {
    expect(() => new LVN({ binSize: 0 })).toThrow(IndicatorParameterError);
    expect(() => new LVN({ binSize: 0 })).toThrow(/binSize/);
    expect(() => new LVN({ profileBars: -2 })).toThrow(/profileBars/);
    expect(() => new LVN({ strengthThreshold: 1 })).toThrow(/strengthThreshold/);
    expect(() => new LVN({ historyBars: 10 }), 'history shorter than the interaction lookback').toThrow(
      /historyBars/,
    );
  });

  it('computes in batch exactly what it streams', () => {
    const bars = Array.from({ length: 60 }, (_, t) =>
      bar(
        100 + ((t * 7) % 5) * 0.25 + 1,
        100 + ((t * 3) % 4) * 0.25,
        100.5 + ((t * 5) % 3) * 0.25,
        (t * 37) % 11,
      ),
    );
    const lvn = new LVN();
    const streamed = bars.map((b) => lvn.update(b));
    const batch = LVN.batch({
      high: bars.map((b) => b.high),
      low: bars.map((b) => b.low),
      close: bars.map((b) => b.close),
      volume: bars.map((b) => b.volume),
    });
    expect(Array.from(batch.price)).toEqual(streamed.map((v) => v.price));
    expect(Array.from(batch.strength)).toEqual(streamed.map((v) => v.strength));
    expect(Array.from(batch.distance)).toEqual(streamed.map((v) => v.distance));
  });
});

testIndicatorContract('LVN', () => withReadiness(new LVN(), (value) => value), barWalk, {
  requiredInputs: 20,
  // Before the warm-up the value is always ⊥; after it, ⊥ is still possible (§7.5), so readiness decides.
  isNotReadyOutput: (output) => !output.ready && Number.isNaN(output.value.price),
  batch: (bars) => {
    const { price, strength, distance } = LVN.batch({
      high: bars.map((b) => b.high),
      low: bars.map((b) => b.low),
      close: bars.map((b) => b.close),
      volume: bars.map((b) => b.volume),
    });
    return batchWithReadiness(
      Array.from(price, (p, t) => ({
        price: p,
        strength: strength[t] as number,
        distance: distance[t] as number,
      })),
      20,
    );
  },
  realData: { files: [NQ_30_MINUTE_FILE], load: () => readNqSegments() },
});
