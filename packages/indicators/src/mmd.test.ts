import { describe, expect, it } from 'vitest';
import { NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { batchWithReadiness, withReadiness } from './engine-indicator-adapters.js';
import { barWalk, testIndicatorContract } from './indicator-contract.js';
import { IndicatorParameterError } from './indicators-error.js';
import { MMD, MMD_FEATURE_NAMES, type MmdOptions } from './mmd.js';

/** Closes whose log returns are exactly `returns` (up to rounding): c₀ = 100, c_t = c_{t−1}·e^{r_t}. */
function closesFor(returns: readonly number[]): number[] {
  const closes = [100];
  for (const r of returns) closes.push((closes[closes.length - 1] as number) * Math.exp(r));
  return closes;
}

function lastVector(options: MmdOptions, closes: readonly number[], volumes?: readonly number[]): number[] {
  const mmd = new MMD(options);
  let out: Float64Array = new Float64Array(16);
  closes.forEach((close, t) => {
    out = mmd.update({ close, volume: volumes?.[t] ?? 1 });
  });
  return Array.from(out);
}

function sampleStd(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('MMD warm-up (spec §8.4)', () => {
  it('is ⊥ for the first 96 bars and defined from bar 96 (97 closes, 96 returns)', () => {
    const mmd = new MMD();
    expect(mmd.requiredInputs).toBe(97);
    for (let t = 0; t < 96; t++) {
      const vector = mmd.update({ close: 100 + Math.sin(t), volume: 10 });
      expect(vector.every(Number.isNaN), `bar ${t}`).toBe(true);
    }
    const vector = mmd.update({ close: 101, volume: 10 });
    expect(vector.every(Number.isFinite)).toBe(true);
    expect(vector.length).toBe(MMD_FEATURE_NAMES.length);
  });

  it('is ⊥ while a return from a non-positive close is inside the windows, and recovers after', () => {
    // Windows of 4 returns: a close of 0 at bar 6 makes returns 6 and 7 ⊥; the vector comes back at bar 11,
    // when return 7 has left the 4-return window (returns 8 … 11).
    const options = { signatureWindow: 2, shortVolWindow: 2, longVolWindow: 4, mmdHalf: 2, volumeWindow: 2 };
    const mmd = new MMD(options);
    const closes = [100, 101, 102, 101, 103, 104, 0, 105, 104, 106, 105, 107];
    const defined = closes.map((c) => mmd.update({ close: c, volume: 1 }).every(Number.isFinite));
    expect(defined).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});

describe('MMD signature terms (spec §8.2)', () => {
  it('matches the hand-expanded signature of a two-step path', () => {
    // W = 2, increments Δ₁ = (1/2, r₁), Δ₂ = (1/2, r₂). Chen: S = exp(Δ₁) ⊗ exp(Δ₂), so each word is the
    // sum over its splits w = uv of S(u)(Δ₁)·S(v)(Δ₂), with S(w)(Δ) = Π Δ_letters / |w|!.
    const r1 = 0.01;
    const r2 = 0.02;
    const vector = lastVector(
      { signatureWindow: 2, shortVolWindow: 2, longVolWindow: 4, mmdHalf: 2, volumeWindow: 2 },
      closesFor([-0.02, -0.01, r1, r2]),
    );
    const expected = [
      r1 + r2, // P
      r1 / 4 + (1 / 2) * r2 + r2 / 4, // TP = TP₁ + T₁·P₂ + TP₂
      r1 / 4 + r1 * (1 / 2) + r2 / 4, // PT = PT₁ + P₁·T₂ + PT₂
      (r1 + r2) ** 2 / 2, // PP
      r1 / 24 + r2 / 8 + (1 / 2) * (r2 / 4) + r2 / 24, // TTP = TTP₁ + TT₁·P₂ + T₁·TP₂ + TTP₂
      r1 / 24 + (r1 / 4) * (1 / 2) + (1 / 2) * (r2 / 4) + r2 / 24, // TPT
      r1 ** 2 / 12 + (r1 / 4) * r2 + (1 / 2) * (r2 ** 2 / 2) + r2 ** 2 / 12, // TPP
      r1 / 24 + (r1 / 4) * (1 / 2) + r1 * (1 / 8) + r2 / 24, // PTT
      r1 ** 2 / 12 + (r1 / 4) * r2 + r1 * (r2 / 4) + r2 ** 2 / 12, // PTP
      r1 ** 2 / 12 + (r1 ** 2 / 2) * (1 / 2) + r1 * (r2 / 4) + r2 ** 2 / 12, // PPT
      (r1 + r2) ** 3 / 6, // PPP
    ];
    expected.forEach((value, i) => {
      expect(close(vector[i] as number, value), `${MMD_FEATURE_NAMES[i]}: ${vector[i]} vs ${value}`).toBe(
        true,
      );
    });
  });

  it('satisfies the shuffle identities PP = P²/2, TP + PT = P, TTP + TPT + PTT = P/2 on a random path', () => {
    let seed = 7;
    const closes = Array.from({ length: 150 }, () => {
      seed = (seed * 16807) % 2147483647;
      return 15000 + (seed % 400) * 0.25;
    });
    const [p, tp, pt, pp, ttp, tpt, , ptt] = lastVector({}, closes) as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    expect(close(pp, p * p * 0.5), 'PP = P²/2').toBe(true);
    expect(close(tp + pt, p), 'TP + PT = P').toBe(true);
    expect(close(ttp + tpt + ptt, p / 2), 'TTP + TPT + PTT = P/2').toBe(true);
  });
});

describe('MMD volatility, MMD and volume terms (spec §8.3)', () => {
  const small = { signatureWindow: 2, shortVolWindow: 2, longVolWindow: 4, mmdHalf: 2, volumeWindow: 2 };

  it('computes the sample volatilities, their ratio and the volume ratio', () => {
    const returns = [-0.02, -0.01, 0.01, 0.02];
    const vector = lastVector(small, closesFor(returns), [5, 5, 5, 10, 30]);
    expect(close(vector[11] as number, sampleStd([0.01, 0.02])), 'vol over the last 2 returns').toBe(true);
    expect(close(vector[12] as number, sampleStd(returns)), 'vol over the last 4 returns').toBe(true);
    expect(close(vector[13] as number, sampleStd([0.01, 0.02]) / sampleStd(returns))).toBe(true);
    expect(vector[15], 'volume 30 over mean(10, 30)').toBe(1.5);
  });

  it('computes the unbiased Gaussian-kernel MMD with the median-distance bandwidth (worked 2 + 2 case)', () => {
    // B = (−0.02, −0.01), A = (0.01, 0.02); pooled mean 0, population std 0.01·√2.5 → z = (−2, −1, 1, 2)/√2.5.
    // Pair distances (×1/√2.5): 1, 3, 4, 2, 3, 1 → sorted 1, 1, 2, 3, 3, 4 → median (2 + 3)/2 → γ = √2.5,
    // so κ = exp(−k²/12.5) for a distance of k/√2.5. Within B and within A: one pair at k = 1. Across: k = 3, 2,
    // 4, 3. MMD² = 2e^{−0.08}/2 + 2e^{−0.08}/2 − 2(2e^{−0.72} + e^{−0.32} + e^{−1.28})/4.
    const mmd2 = 2 * Math.exp(-0.08) - (2 * Math.exp(-0.72) + Math.exp(-0.32) + Math.exp(-1.28)) / 2;
    const vector = lastVector(small, closesFor([-0.02, -0.01, 0.01, 0.02]));
    expect(close(vector[14] as number, Math.sqrt(mmd2)), `${vector[14]} vs ${Math.sqrt(mmd2)}`).toBe(true);
    expect(Math.sqrt(mmd2)).toBeCloseTo(0.92595, 4);
  });

  it('uses γ = 1 when the median pairwise distance is 0 (spec §8.3)', () => {
    // Returns (0, 0, 0, 0 | 0, 0, 0.04, 0.04): 16 of the 28 pair distances are 0, so the median is 0 → γ = 1.
    // z: the zeros → −1/√3, the 0.04s → √3; their distance² = 16/3 → κ = e^{−8/3} =: e.
    // MMD² = 1 (B) + (4 + 8e)/12 (A) − 2(8 + 8e)/16 (A×B) = (1 − e)/3.
    const options = { signatureWindow: 2, shortVolWindow: 2, longVolWindow: 8, mmdHalf: 4, volumeWindow: 2 };
    const vector = lastVector(options, closesFor([0, 0, 0, 0, 0, 0, 0.04, 0.04]));
    const expected = Math.sqrt((1 - Math.exp(-8 / 3)) / 3);
    expect(close(vector[14] as number, expected), `${vector[14]} vs ${expected}`).toBe(true);
  });

  it('reports 0 volatility, a ratio of 1, an MMD of 0 and a volume ratio of 1 on flat, volume-less prices', () => {
    const vector = lastVector({}, new Array<number>(120).fill(15000), new Array<number>(120).fill(0));
    expect(vector).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
  });
});

describe('MMD streaming contract details', () => {
  it('returns the same preallocated array from every update (no allocation per update)', () => {
    const mmd = new MMD();
    const first = mmd.update({ close: 100, volume: 1 });
    for (let t = 1; t < 120; t++) expect(mmd.update({ close: 100 + (t % 7), volume: 1 })).toBe(first);
  });

  it('rejects invalid parameters with an IndicatorParameterError naming them', () => {
    expect(() => new MMD({ mmdHalf: 1 })).toThrow(IndicatorParameterError);
    expect(() => new MMD({ mmdHalf: 1 })).toThrow(/mmdHalf/);
    expect(() => new MMD({ signatureWindow: 0 })).toThrow(/signatureWindow/);
    // @ts-expect-error only degree 3 is defined
    expect(() => new MMD({ signatureDegree: 2 })).toThrow(/signatureDegree/);
  });

  it('computes in batch exactly what it streams', () => {
    const closes = Array.from({ length: 140 }, (_, t) => 100 + Math.sin(t / 5) + 0.01 * t);
    const volumes = closes.map((_, t) => (t * 13) % 17);
    const columns = MMD.batch(closes, volumes);
    const mmd = new MMD();
    closes.forEach((c, t) => {
      const vector = mmd.update({ close: c, volume: volumes[t] as number });
      for (let f = 0; f < 16; f++)
        expect(Object.is(columns[f]?.[t], vector[f]), `feature ${f} bar ${t}`).toBe(true);
    });
  });
});

testIndicatorContract(
  'MMD',
  () => withReadiness(new MMD(), (vector) => Array.from(vector)),
  (length) => barWalk(length).map((bars) => bars.map((b) => ({ close: b.close, volume: b.volume }))),
  {
    requiredInputs: 97,
    isNotReadyOutput: (output) => output.value.every(Number.isNaN),
    batch: (inputs) => {
      const columns = MMD.batch(
        inputs.map((i) => i.close),
        inputs.map((i) => i.volume),
      );
      return batchWithReadiness(
        inputs.map((_, t) => columns.map((column) => column[t] as number)),
        97,
      );
    },
    numRuns: 15,
    realData: {
      files: [NQ_30_MINUTE_FILE],
      // The O(window²) MMD term makes a full pass ~3 s: two 3,000-bar slices keep the suite quick.
      load: () =>
        readNqSegments().map((segment) =>
          segment.slice(0, 3000).map((b) => ({ close: b.close, volume: b.volume })),
        ),
    },
  },
);
