import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeWithMarketData } from '../../../test-support/market-data.js';
import { NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { HeikinAshi } from './heikin-ashi.js';
import { priceWalk, testIndicatorContract } from './indicator-contract.js';
import { MLMI, type MLMIColumns, type MLMIOptions, type MLMIOutput } from './mlmi.js';

function rows(columns: MLMIColumns): MLMIOutput[] {
  return Array.from(columns.value, (value, i) => ({
    value,
    ma: columns.ma[i] as number,
    signal: columns.signal[i] as -1 | 0 | 1,
    zeroCross: columns.zeroCross[i] as -1 | 0 | 1,
    rsiSlow: columns.rsiSlow[i] as number,
    rsiFast: columns.rsiFast[i] as number,
    event: columns.event[i] === 1,
    memorySize: columns.memorySize[i] as number,
  }));
}

// MLMI runs on HA closes in the pipeline (spec §0.3).
const nqHaCloses = () =>
  readNqSegments().map((segment) => {
    const ha = new HeikinAshi();
    return segment.map((bar) => ha.update(bar).close);
  });

testIndicatorContract('MLMI (defaults)', () => new MLMI(), priceWalk, {
  requiredInputs: 40,
  isNotReadyOutput: (out) => Number.isNaN(out.value),
  batch: (values) => rows(MLMI.batch(values)),
  // The post-2024 segment whole, and the first 15,000 bars of the long one: the k-NN cost grows with the
  // memory, and these already reach ~1,000 stored points.
  realData: {
    files: [NQ_30_MINUTE_FILE],
    load: () => {
      const [first, second] = nqHaCloses();
      return [second as number[], (first as number[]).slice(0, 15_000)];
    },
  },
  numRuns: 25,
  maxLength: 400,
});

// Tiny lengths make every step hand-checkable: RSI_1 is 100 on a rise or flat and 0 on a fall, WMA_1 is the
// identity, and x crosses WMA_2(x) exactly when the direction of x changes.
const tiny: MLMIOptions = {
  k: 2,
  trendLength: 1,
  fastMaLength: 1,
  slowMaLength: 2,
  fastRsiLength: 1,
  slowRsiLength: 1,
  signalLength: 2,
};

describe('MLMI worked example (spec §4.3–§4.5, k = 2, all lengths tiny)', () => {
  const closes = [10, 11, 12, 11, 10, 11, 13, 12, 9, 10];
  const out = MLMI.batch(closes, tiny);

  it('stores a point at each price-MA cross, labelled against the previous stored price (sentinel price 0)', () => {
    // Crosses at 3 (down, f = 0, 11 ≥ 0 → +1), 5 (up, f = 100, 11 ≥ 11 → +1), 7 (down, 12 ≥ 11 → +1),
    // 9 (up, f = 100, 10 < 12 → −1). memorySize counts the sentinel.
    expect(Array.from(out.event)).toEqual([0, 0, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect(Array.from(out.memorySize)).toEqual([1, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
  });

  it('sums the labels of every point within the k-th smallest distance, ties included', () => {
    // 1–2: only the sentinel (label 0) → 0. 3–4: sentinel and (0,0,+1) both at distance 0 → 1.
    // 5–6: at (100,100) distances 141.4, 141.4, 0; k = 2 → radius 141.4 → all three → 0 + 1 + 1 = 2.
    // 7–8: at (0,0) distances 0, 0, 141.4, 0 → radius 0 → sentinel, +1, +1 → 2 (three neighbours for k = 2).
    // 9: at (100,100) distances 141.4, 141.4, 0, 141.4, 0 → radius 0 → +1 and −1 → 0.
    expect(Array.from(out.value)).toEqual([Number.NaN, 0, 0, 1, 1, 2, 2, 2, 2, 0]);
  });

  it('computes the signal line as an exact WMA of the prediction and signals its crosses', () => {
    // WMA_2(pred) = (2·pred_t + pred_{t−1})/3: 0, 0, 2/3, 1, 5/3, 2, 2, 2, 2/3 from index 1.
    expect(Array.from(out.ma)).toEqual([Number.NaN, 0, 0, 2 / 3, 1, 5 / 3, 2, 2, 2, 2 / 3]);
    // 3: 1 > 2/3 after 0 ≤ 0 → +1; 4: 1 = 1 is not a cross; 5: 2 > 5/3 after 1 ≤ 1 → +1; 9: 0 < 2/3 after 2 ≥ 2 → −1
    expect(Array.from(out.signal)).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, -1]);
  });

  it('reports the zero-line crosses of the prediction; falling back to exactly 0 is not a cross', () => {
    // 3: 1 > 0 after 0 ≤ 0 → +1; 9: 2 → 0 needs 0 < 0 to cross under, which fails.
    expect(Array.from(out.zeroCross)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
});

describe('MLMI (spec §4)', () => {
  it('becomes ready at index 39 with the defaults (f1 = WMA_20(RSI_20)), f2 already at 24', () => {
    const values = Array.from({ length: 45 }, (_, i) => 15000 + 5 * Math.sin(i / 3) + 0.25 * i);
    const out = MLMI.batch(values);
    expect(Number.isNaN(out.rsiFast[23] as number)).toBe(true);
    expect(Number.isNaN(out.rsiFast[24] as number)).toBe(false);
    expect(Number.isNaN(out.rsiSlow[38] as number)).toBe(true);
    expect(Number.isNaN(out.value[38] as number)).toBe(true);
    expect(Number.isNaN(out.value[39] as number)).toBe(false);
  });

  it('on flat prices has both features at 100, stores nothing and predicts 0 (spec §4.7)', () => {
    const out = MLMI.batch(new Array(120).fill(15000));
    expect(out.rsiSlow[119]).toBe(100);
    expect(out.rsiFast[119]).toBe(100);
    expect(out.memorySize[119]).toBe(1);
    expect(out.value[119]).toBe(0);
    expect(Array.from(out.signal).every((s) => s === 0)).toBe(true);
  });

  it('equals a sort-based k-NN vote recomputed independently from its own features and events', () => {
    fc.assert(
      fc.property(
        priceWalk({ minLength: 60, maxLength: 400 }),
        fc.integer({ min: 1, max: 6 }),
        (values, k) => {
          const out = MLMI.batch(values, { k });
          for (const [t, vote] of sortBasedPredictions(values, out, k, 1)) {
            expect(out.value[t], `prediction at ${t}`).toBe(vote);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects a state that is not an MLMI snapshot, leaving the indicator unchanged', () => {
    const mlmi = new MLMI();
    for (let i = 0; i < 50; i++) mlmi.update(100 + (i % 7));
    const before = mlmi.snapshot();
    const broken = { ...before, memoryLabel: [1] };
    expect(() => mlmi.restore(broken)).toThrow(/MLMI restore: expected memoryLabel with/);
    // A broken sub-state is only found after earlier parts were restored: the backup puts them back.
    const lateBreak = { ...new MLMI().snapshot(), signalLine: { window: [], next: 0, filled: 0 } };
    expect(() => mlmi.restore(lateBreak)).toThrow(/WMA restore/);
    expect(mlmi.snapshot()).toEqual(before);
  });

  it('rejects non-positive k and trend length naming the parameter', () => {
    expect(() => new MLMI({ k: 0 })).toThrow(/MLMI k: expected a positive integer, got 0/);
    expect(() => new MLMI({ trendLength: -2 })).toThrow(/MLMI trendLength/);
  });
});

function sortBasedPredictions(
  values: readonly number[],
  out: MLMIColumns,
  k: number,
  every: number,
): Map<number, number> {
  const points: { a: number; b: number; label: number }[] = [{ a: 0, b: 0, label: 0 }];
  const expected = new Map<number, number>();
  let lastPrice = 0;
  values.forEach((x, t) => {
    const f1 = out.rsiSlow[t] as number;
    const f2 = out.rsiFast[t] as number;
    if (out.event[t] === 1) {
      points.push({ a: f1, b: f2, label: x >= lastPrice ? 1 : -1 });
      lastPrice = x;
    }
    if (Number.isNaN(f1) || Number.isNaN(f2) || t % every !== 0) return;
    const scored = points
      .filter((p) => !Number.isNaN(p.a) && !Number.isNaN(p.b))
      .map((p) => ({ d: Math.sqrt((f1 - p.a) ** 2 + (f2 - p.b) ** 2), label: p.label }))
      .sort((p, q) => p.d - q.d);
    const radius = (scored[Math.min(k, scored.length) - 1] as { d: number }).d;
    expected.set(
      t,
      scored.filter((p) => p.d <= radius).reduce((sum, p) => sum + p.label, 0),
    );
  });
  return expected;
}

describeWithMarketData('MLMI on NQ 30-minute HA closes', [NQ_30_MINUTE_FILE], () => {
  it('equals the sort-based k-NN vote with k = 200 (every 7th bar of the post-2024 segment)', () => {
    const values = (nqHaCloses()[1] as number[]).slice(0, 8000);
    const out = MLMI.batch(values);
    const expected = sortBasedPredictions(values, out, 200, 7);
    expect(expected.size).toBeGreaterThan(1000);
    for (const [t, vote] of expected) {
      if (out.value[t] !== vote) expect.fail(`prediction at ${t}: ${out.value[t]} vs sort-based ${vote}`);
    }
    expect(
      out.memorySize[values.length - 1] as number,
      'memory larger than k, so selection matters',
    ).toBeGreaterThan(400);
  });
});
