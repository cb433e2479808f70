import { describe, expect, it } from 'vitest';
import { priceWalk, testIndicatorContract } from './indicator-contract.js';
import { RMA } from './rma.js';

testIndicatorContract('RMA(14)', () => new RMA(14), priceWalk, {
  requiredInputs: 14,
  isNotReadyOutput: Number.isNaN,
  batch: (values) => Array.from(RMA.batch(values, 14)),
});

describe('RMA (spec §3.2)', () => {
  it('is the mean of the first L values, then α·u + (1 − α)·previous with α = 1/L', () => {
    // L = 3: seed (3 + 6 + 9)/3 = 6; then 12/3 + 6·2/3 = 8; then 0/3 + 8·2/3 = 16/3
    const out = RMA.batch([3, 6, 9, 12, 0], 3);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(6);
    expect(out[3]).toBeCloseTo(8, 12);
    expect(out[4]).toBeCloseTo(16 / 3, 12);
  });

  it('re-seeds with the mean of the next L defined values after a NaN (Pine na(sum[1]) ? sma : …)', () => {
    const out = RMA.batch([1, 2, Number.NaN, 4, 8, 5], 2);
    expect(Array.from(out.subarray(0, 4)).map(Number.isNaN)).toEqual([true, false, true, true]);
    expect(out[4], 'seed (4 + 8)/2').toBe(6);
    expect(out[5], '5/2 + 6/2').toBe(5.5);
  });
});
