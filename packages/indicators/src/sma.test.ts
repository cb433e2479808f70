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

  it('does not drift: after a huge value leaves the window the mean of small values is exact', () => {
    const values = [1e15, 1, 2, 3, 4, 5, 6];
    const out = SMA.batch(values, 3);
    expect(out[6], 'mean of 4, 5, 6 once 1e15 has left the window').toBe(5);
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
