import { describe, expect, it } from 'vitest';
import { NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { ATR, type HighLowClose } from './atr.js';
import { barWalk, testIndicatorContract } from './indicator-contract.js';

const columns = (bars: readonly HighLowClose[]) => ({
  high: bars.map((b) => b.high),
  low: bars.map((b) => b.low),
  close: bars.map((b) => b.close),
});

testIndicatorContract('ATR(14)', () => new ATR(14), barWalk, {
  requiredInputs: 14,
  isNotReadyOutput: Number.isNaN,
  batch: (bars) => Array.from(ATR.batch(columns(bars), 14)),
  realData: { files: [NQ_30_MINUTE_FILE], load: readNqSegments },
});

describe('ATR', () => {
  it('uses H − L on the first bar and the largest of H − L, |H − C₋₁|, |L − C₋₁| afterwards', () => {
    const bars = [
      { high: 11, low: 9, close: 10 }, // TR 2 (no previous close)
      { high: 13, low: 11, close: 12 }, // TR max(2, 3, 1) = 3
      { high: 12.5, low: 12, close: 12 }, // TR max(0.5, 0.5, 0) = 0.5
      { high: 9, low: 8, close: 8.5 }, // gap down: TR max(1, 3, 4) = 4
    ];
    const out = ATR.batch(columns(bars), 2);
    expect(out[0]).toBeNaN();
    expect(out[1], 'seed (2 + 3)/2').toBe(2.5);
    expect(out[2], '(0.5 + 2.5)/2').toBe(1.5);
    expect(out[3], '(4 + 1.5)/2').toBe(2.75);
  });
});
