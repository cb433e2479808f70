import { describe, expect, it } from 'vitest';
import { SMA } from './sma.js';

describe('SMA', () => {
  it('is NaN for the first length-1 values, then the mean of the last length values', () => {
    const sma = new SMA(3);
    const out = [1, 2, 3, 4, 8].map((v) => sma.update(v));
    expect(out.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(out.slice(2)).toEqual([2, 3, 5]);
  });
});
