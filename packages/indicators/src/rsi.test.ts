import { describe, expect, it } from 'vitest';
import { NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { priceWalk, testIndicatorContract } from './indicator-contract.js';
import { RSI } from './rsi.js';

testIndicatorContract('RSI(14)', () => new RSI(14), priceWalk, {
  requiredInputs: 15,
  isNotReadyOutput: Number.isNaN,
  batch: (values) => Array.from(RSI.batch(values, 14)),
  realData: {
    files: [NQ_30_MINUTE_FILE],
    load: () => readNqSegments().map((segment) => segment.map((bar) => bar.close)),
  },
});

testIndicatorContract('RSI(5)', () => new RSI(5), priceWalk, {
  requiredInputs: 6,
  isNotReadyOutput: Number.isNaN,
  batch: (values) => Array.from(RSI.batch(values, 5)),
});

describe('RSI (spec §3.3)', () => {
  it('seeds both RMAs with the mean of the first L changes, so the first value is at index L', () => {
    // L = 3; changes +2, −1, +3: U = 5/3, D = 1/3 → RS = 5 → 100 − 100/6
    const out = RSI.batch([10, 12, 11, 14], 3);
    expect(Array.from(out.subarray(0, 3)).every(Number.isNaN)).toBe(true);
    expect(out[3]).toBeCloseTo(100 - 100 / 6, 12);
  });

  it('continues with Wilder smoothing: U ← (u + 2U)/3 for L = 3', () => {
    // after the seed above, change −2: U = (0 + 2·5/3)/3 = 10/9, D = (2 + 2·1/3)/3 = 8/9 → RS = 1.25
    const out = RSI.batch([10, 12, 11, 14, 12], 3);
    expect(out[4]).toBeCloseTo(100 - 100 / 2.25, 12);
  });

  it('is 100 on flat input (D = 0) and 0 when every change is down (U = 0)', () => {
    expect(RSI.batch([5, 5, 5, 5, 5], 2)[4]).toBe(100);
    expect(RSI.batch([5, 4, 3, 2], 2)[3]).toBe(0);
    expect(RSI.batch([5, 6, 7, 7], 2)[3], 'rises then flat: D = 0').toBe(100);
  });

  it('stays within [0, 100]', () => {
    const values = Array.from({ length: 500 }, (_, i) => 100 + 10 * Math.sin(i / 7) + (i % 13));
    for (const v of RSI.batch(values, 14).subarray(14)) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(100);
    }
  });
});
