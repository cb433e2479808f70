import { describe, expect, it } from 'vitest';
import { parseTimeframe } from './timeframe.js';

describe('parseTimeframe', () => {
  it('converts each unit to milliseconds', () => {
    expect(parseTimeframe('30s')).toBe(30_000);
    expect(parseTimeframe('5m')).toBe(300_000);
    expect(parseTimeframe('1h')).toBe(3_600_000);
    expect(parseTimeframe('1d')).toBe(86_400_000);
  });

  it('rejects text that is not a positive count and a unit, naming what it got', () => {
    expect(() => parseTimeframe('0m')).toThrow(/got '0m'/);
    expect(() => parseTimeframe('5x')).toThrow(/expected a timeframe/);
  });
});
