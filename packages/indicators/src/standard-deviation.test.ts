import { describe, expect, it } from 'vitest';
import { priceWalk, testIndicatorContract } from './indicator-contract.js';
import { StdDev } from './standard-deviation.js';

testIndicatorContract('StdDev(20)', () => new StdDev(20), priceWalk, {
  requiredInputs: 20,
  isNotReadyOutput: Number.isNaN,
  batch: (values) => Array.from(StdDev.batch(values, 20)),
});

describe('StdDev (spec §3.5)', () => {
  it('divides by n (std₀) by default and by n − 1 (std₁) with sample: true', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, squared deviations sum 32 → std₀ = 2, std₁ = √(32/7)
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(StdDev.batch(values, 8)[7]).toBe(2);
    expect(StdDev.batch(values, 8, { sample: true })[7]).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it('keeps full precision on prices near 15 000 with a spread of a tick', () => {
    const values = [15000, 15000.25, 15000, 15000.25];
    expect(StdDev.batch(values, 4)[3], 'std₀ of two pairs 0.25 apart is 0.125').toBe(0.125);
  });

  it('rejects sample: true with length 1', () => {
    expect(() => new StdDev(1, { sample: true })).toThrow(/StdDev length/);
  });
});
