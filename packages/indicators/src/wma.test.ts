import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { priceWalk, testIndicatorContract } from './indicator-contract.js';
import { WMA } from './wma.js';

testIndicatorContract('WMA(20)', () => new WMA(20), priceWalk, {
  requiredInputs: 20,
  isNotReadyOutput: Number.isNaN,
  batch: (values) => Array.from(WMA.batch(values, 20)),
  realData: {
    files: [NQ_30_MINUTE_FILE],
    load: () => readNqSegments().map((segment) => segment.map((bar) => bar.close)),
  },
});

describe('WMA (spec §3.1)', () => {
  it('weights the newest value L and the oldest 1, divided once by L(L+1)/2', () => {
    // L = 3 over [1, 2, 4]: (3·4 + 2·2 + 1·1)/6 = 17/6; over [2, 4, 7]: (21 + 8 + 2)/6 = 31/6
    const out = WMA.batch([1, 2, 4, 7], 3);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(17 / 6);
    expect(out[3]).toBe(31 / 6);
  });

  it('is exact on integer input: a run of L equal integers has a WMA equal to that integer, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -400, max: 400 }), { minLength: 0, maxLength: 60 }),
        fc.integer({ min: -400, max: 400 }),
        fc.integer({ min: 1, max: 40 }),
        (prefix, constant, length) => {
          const wma = new WMA(length);
          for (const v of prefix) wma.update(v);
          let last = Number.NaN;
          for (let i = 0; i < length; i++) last = wma.update(constant);
          expect(last, 'WMA after L equal integers').toBe(constant);
        },
      ),
    );
  });

  it('equals the integer-weighted sum computed independently, exactly, on integer input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 20, maxLength: 80 }),
        (values) => {
          const out = WMA.batch(values, 20);
          for (let t = 19; t < values.length; t++) {
            let sum = 0;
            for (let j = 0; j < 20; j++) sum += (20 - j) * (values[t - j] as number);
            expect(out[t], `index ${t}`).toBe(sum / 210);
          }
        },
      ),
    );
  });

  it('is NaN while a NaN is inside the window', () => {
    expect(Array.from(WMA.batch([1, Number.NaN, 3, 5], 2)).map(Number.isNaN)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
