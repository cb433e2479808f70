import { describe, expect, it } from 'vitest';
import { NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { priceWalk, testIndicatorContract } from './indicator-contract.js';
import { IndicatorsError } from './indicators-error.js';
import { SMA } from './sma.js';

const nqCloses = () => readNqSegments().map((segment) => segment.map((bar) => bar.close));

testIndicatorContract('SMA(20)', () => new SMA(20), priceWalk, {
  requiredInputs: 20,
  isNotReadyOutput: Number.isNaN,
  batch: (values) => Array.from(SMA.batch(values, 20)),
  realData: { files: [NQ_30_MINUTE_FILE], load: nqCloses },
});

describe('SMA', () => {
  it('is NaN for the first length − 1 values, then the mean of the last length values', () => {
    const sma = new SMA(3);
    const out = [1, 2, 3, 4, 8].map((v) => sma.update(v));
    expect(out.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(out.slice(2)).toEqual([2, 3, 5]);
  });

  it('is NaN while a NaN is inside the window and recovers once it leaves (Pine na propagation)', () => {
    expect(Array.from(SMA.batch([1, Number.NaN, 3, 5, 7], 2))).toEqual([
      Number.NaN,
      Number.NaN,
      Number.NaN,
      4,
      6,
    ]);
  });

  it('does not drift: a huge value that has left the window leaves no residue once the sum is re-summed', () => {
    // 1e17 absorbs the small values added beside it (its spacing is 16), so a pure running sum is off for good.
    const values = [1e17, ...Array.from({ length: 5000 }, (_, i) => i % 7)];
    const out = SMA.batch(values, 3);
    const last = values.slice(-3) as [number, number, number];
    expect(out[values.length - 1], 'exact mean of the last three small integers').toBe(
      (last[0] + last[1] + last[2]) / 3,
    );
  });

  it('rejects a non-positive or fractional length with a typed error naming the parameter', () => {
    for (const bad of [0, -1, 2.5, Number.NaN]) {
      let caught: unknown;
      try {
        new SMA(bad);
      } catch (error) {
        caught = error;
      }
      expect(IndicatorsError.isInstance(caught)).toBe(true);
      expect((caught as IndicatorsError).code).toBe('INDICATORS_INVALID_PARAMETER');
      expect((caught as Error).message).toContain('SMA length');
    }
  });

  it('rejects a snapshot of an SMA with another length', () => {
    expect(() => new SMA(5).restore(new SMA(3).snapshot())).toThrow(/window with 5 values/);
  });
});
