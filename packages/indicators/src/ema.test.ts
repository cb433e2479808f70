import { describe, expect, it } from 'vitest';
import { NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { EMA } from './ema.js';
import { priceWalk, testIndicatorContract } from './indicator-contract.js';

testIndicatorContract('EMA(20)', () => new EMA(20), priceWalk, {
  requiredInputs: 20,
  isNotReadyOutput: Number.isNaN,
  batch: (values) => Array.from(EMA.batch(values, 20)),
  realData: {
    files: [NQ_30_MINUTE_FILE],
    load: () => readNqSegments().map((segment) => segment.map((bar) => bar.close)),
  },
});

describe('EMA', () => {
  it('seeds with the first value and recurses with α = 2/(L+1), hiding the first L − 1 outputs', () => {
    // L = 3, α = 0.5: 2 → 0.5·4 + 0.5·2 = 3 → 0.5·8 + 0.5·3 = 5.5 → 0.5·0 + 0.5·5.5 = 2.75
    expect(Array.from(EMA.batch([2, 4, 8, 0], 3))).toEqual([Number.NaN, Number.NaN, 5.5, 2.75]);
  });

  it('re-seeds from the next defined value after a NaN input and restarts the warm-up', () => {
    const out = EMA.batch([1, 2, Number.NaN, 10, 20], 2);
    // α = 2/3; after the NaN: seed 10 (hidden, warm-up), then (2/3)·20 + (1/3)·10
    expect(out[2]).toBeNaN();
    expect(out[3]).toBeNaN();
    expect(out[4]).toBeCloseTo((2 / 3) * 20 + (1 / 3) * 10, 12);
  });

  it('rejects a zero length naming the parameter', () => {
    expect(() => new EMA(0)).toThrow(/EMA length: expected a positive integer, got 0/);
  });
});
