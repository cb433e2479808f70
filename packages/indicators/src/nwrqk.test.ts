import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { priceWalk, testIndicatorContract } from './indicator-contract.js';
import { IndicatorsError } from './indicators-error.js';
import {
  NWRQK,
  type NWRQKColumns,
  type NWRQKOptions,
  type NWRQKOutput,
  rationalQuadraticWeight,
} from './nwrqk.js';

function rows(columns: NWRQKColumns): NWRQKOutput[] {
  return Array.from(columns.value, (value, i) => ({
    value,
    yhat2: columns.yhat2[i] as number,
    slope: columns.slope[i] as number,
    signal: columns.signal[i] as -1 | 0 | 1,
    isBullish: columns.isBullish[i] === 1,
    isBearish: columns.isBearish[i] === 1,
    isBullishChange: columns.isBullishChange[i] === 1,
    isBearishChange: columns.isBearishChange[i] === 1,
    isBullishCross: columns.isBullishCross[i] === 1,
    isBearishCross: columns.isBearishCross[i] === 1,
  }));
}

const nqCloses = () => readNqSegments().map((segment) => segment.map((bar) => bar.close));

for (const smoothColors of [false, true]) {
  testIndicatorContract(`NWRQK(smoothColors ${smoothColors})`, () => new NWRQK({ smoothColors }), priceWalk, {
    requiredInputs: 28,
    isNotReadyOutput: (out) => Number.isNaN(out.slope),
    batch: (values) => rows(NWRQK.batch(values, { smoothColors })),
    realData: { files: [NQ_30_MINUTE_FILE], load: nqCloses },
  });
}

const tolerance = (b: number) => 1e-9 * Math.max(1, Math.abs(b));

describe('NWRQK kernel and estimator (spec §5.2)', () => {
  it('weighs a point i bars back by (1 + i²/(2·r·h²))^(−r)', () => {
    expect(rationalQuadraticWeight(0, 8, 8)).toBe(1);
    expect(rationalQuadraticWeight(8, 8, 8)).toBeCloseTo((1 + 64 / 1024) ** -8, 15);
    expect(rationalQuadraticWeight(1, 1, 1), '(1 + 1/2)^−1').toBeCloseTo(2 / 3, 15);
  });

  it('works a 2-term case by hand: x0 = 0, h = 1, r = 1, lag = 0.5', () => {
    // N = 2 terms. yhat1: w(1) = 2/3 → (6 + (2/3)·3)/(5/3) = 4.8; yhat2 (h = 0.5): w(1) = 1/3 → (6 + 1)/(4/3) = 5.25
    const nw = new NWRQK({ x0: 0, h: 1, r: 1, lag: 0.5 });
    const first = nw.update(3);
    expect(first.value, 'one input is not enough for two terms').toBeNaN();
    const second = nw.update(6);
    expect(Math.abs(second.value - 4.8)).toBeLessThanOrEqual(tolerance(4.8));
    expect(Math.abs(second.yhat2 - 5.25)).toBeLessThanOrEqual(tolerance(5.25));
    expect(second.slope, 'no previous estimate yet').toBeNaN();
  });

  it('sums exactly N = x0 + 2 = 27 terms: first value at index 26, slope at 27, change signals at 28', () => {
    const values = Array.from({ length: 40 }, (_, i) => 15000 + 3 * Math.sin(i / 2) + i);
    const out = NWRQK.batch(values);
    expect(Number.isNaN(out.value[25] as number)).toBe(true);
    let numerator = 0;
    let denominator = 0;
    for (let i = 0; i < 27; i++) {
      const w = (1 + (i * i) / (2 * 8 * 64)) ** -8;
      numerator += w * (values[26 - i] as number);
      denominator += w;
    }
    const expected = numerator / denominator;
    expect(Math.abs((out.value[26] as number) - expected)).toBeLessThanOrEqual(tolerance(expected));
    expect(Number.isNaN(out.slope[26] as number)).toBe(true);
    expect(Number.isNaN(out.slope[27] as number)).toBe(false);
  });

  it('matches an independent 27-term evaluation on random walks (both bandwidths)', () => {
    fc.assert(
      fc.property(priceWalk({ minLength: 27, maxLength: 120 }), (values) => {
        const out = NWRQK.batch(values);
        for (let t = 26; t < values.length; t++) {
          for (const [h, column] of [
            [8, out.value],
            [6, out.yhat2],
          ] as const) {
            let numerator = 0;
            let denominator = 0;
            for (let i = 0; i < 27; i++) {
              const w = (1 + (i * i) / (2 * 8 * h * h)) ** -8;
              numerator += w * (values[t - i] as number);
              denominator += w;
            }
            const expected = numerator / denominator;
            expect(Math.abs((column[t] as number) - expected)).toBeLessThanOrEqual(tolerance(expected));
          }
        }
      }),
    );
  });
});

describe('NWRQK direction and signals (spec §5.3–§5.6)', () => {
  const small: NWRQKOptions = { x0: 0, h: 1, r: 1, lag: 0.5 };

  it('signals +1 when yhat1 turns up (down then up) and −1 when it turns down', () => {
    // yhat1 with 2 terms = (x_t + (2/3)·x_{t−1})/(5/3): 8.8, 6.8, 7.8, 10.8, 9.6 (from index 1)
    const out = NWRQK.batch([10, 8, 6, 9, 12, 8], small);
    expect(Array.from(out.signal)).toEqual([0, 0, 0, 1, 0, -1]);
    expect(out.isBullishChange[3]).toBe(1);
    expect(out.isBearishChange[5]).toBe(1);
    expect(out.slope[2] as number).toBeLessThan(0);
    expect(out.slope[3] as number).toBeGreaterThan(0);
  });

  it('gives no change signal across a plateau (down–flat–up), faithful to the script', () => {
    const out = NWRQK.batch([10, 8, 6, 6, 6, 9], small);
    expect(out.slope[4], 'identical windows give identical estimates').toBe(0);
    expect(out.isBullish[4]).toBe(0);
    expect(out.isBearish[4]).toBe(0);
    expect(out.isBullish[5]).toBe(1);
    expect(Array.from(out.signal)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('is flat with slope 0 and no signal on constant input', () => {
    const out = NWRQK.batch(new Array(60).fill(15000.25));
    for (let t = 27; t < 60; t++) {
      expect(out.slope[t]).toBe(0);
      expect(out.signal[t]).toBe(0);
    }
    expect(Math.abs((out.value[59] as number) - 15000.25)).toBeLessThanOrEqual(tolerance(15000.25));
  });

  it('in smoothColors mode signals +1 when yhat2 crosses above yhat1 and −1 below', () => {
    // yhat1 from index 1: 8.8, 6.8, 7.8, 10.8, 9.6; yhat2 = (x_t + (1/3)·x_{t−1})/(4/3): 8.5, 6.5, 8.25, 11.25, 9
    // yhat2 > yhat1 first at index 3 (crossover) and no longer at index 5 (crossunder).
    const out = NWRQK.batch([10, 8, 6, 9, 12, 8], { ...small, smoothColors: true });
    expect(Math.abs((out.yhat2[3] as number) - 8.25)).toBeLessThanOrEqual(tolerance(8.25));
    expect(Array.from(out.signal)).toEqual([0, 0, 0, 1, 0, -1]);
    expect(Array.from(out.isBullishCross)).toEqual([0, 0, 0, 1, 0, 0]);
    expect(Array.from(out.isBearishCross)).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('rejects h − lag ≤ 0 naming lag, and non-positive h or r', () => {
    let caught: unknown;
    try {
      new NWRQK({ h: 2, lag: 2 });
    } catch (error) {
      caught = error;
    }
    expect(IndicatorsError.isInstance(caught)).toBe(true);
    expect((caught as IndicatorsError).code).toBe('INDICATORS_INVALID_PARAMETER');
    expect((caught as Error).message).toMatch(/NWRQK lag: expected .*h − lag > 0/);
    expect(() => new NWRQK({ h: 0 })).toThrow(/NWRQK h/);
    expect(() => new NWRQK({ r: -1 })).toThrow(/NWRQK r/);
    expect(() => new NWRQK({ x0: 2.5 })).toThrow(/NWRQK x0/);
  });

  it('rejects a snapshot taken with another x0 and stays unchanged', () => {
    const nw = new NWRQK({ x0: 10 });
    for (let i = 0; i < 20; i++) nw.update(100 + i);
    const before = nw.snapshot();
    let caught: unknown;
    try {
      nw.restore(new NWRQK().snapshot());
    } catch (error) {
      caught = error;
    }
    expect((caught as IndicatorsError).code).toBe('INDICATORS_INVALID_STATE');
    expect(nw.snapshot()).toEqual(before);
  });
});
