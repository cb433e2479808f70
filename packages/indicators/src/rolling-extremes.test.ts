import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceWalk, testIndicatorContract } from './indicator-contract.js';
import { Highest, Lowest } from './rolling-extremes.js';

testIndicatorContract('Highest(10)', () => new Highest(10), priceWalk, {
  requiredInputs: 10,
  isNotReadyOutput: Number.isNaN,
  batch: (values) => Array.from(Highest.batch(values, 10)),
});

testIndicatorContract('Lowest(10)', () => new Lowest(10), priceWalk, {
  requiredInputs: 10,
  isNotReadyOutput: Number.isNaN,
  batch: (values) => Array.from(Lowest.batch(values, 10)),
});

describe('Highest / Lowest', () => {
  it('equal Math.max / Math.min over each window (independent reference)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 120 }),
        fc.integer({ min: 1, max: 12 }),
        (values, length) => {
          const highs = Highest.batch(values, length);
          const lows = Lowest.batch(values, length);
          values.forEach((_, t) => {
            if (t < length - 1) {
              expect(highs[t]).toBeNaN();
              return;
            }
            const window = values.slice(t - length + 1, t + 1);
            expect(highs[t], `highest at ${t}`).toBe(Math.max(...window));
            expect(lows[t], `lowest at ${t}`).toBe(Math.min(...window));
          });
        },
      ),
    );
  });

  it('are NaN while a NaN is inside the window', () => {
    expect(Array.from(Highest.batch([1, Number.NaN, 3, 2, 1], 2)).map(Number.isNaN)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
