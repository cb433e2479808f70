import { describe, expect, it } from 'vitest';
import { crossover, crossunder } from './cross.js';

describe('crossover / crossunder (spec §3.4)', () => {
  it('needs a strict inequality now and a non-strict one before', () => {
    expect(crossover(2, 1, 1, 1), 'equal before, above now').toBe(true);
    expect(crossover(2, 1, 0, 1), 'below before, above now').toBe(true);
    expect(crossover(1, 1, 0, 1), 'equal now is not above').toBe(false);
    expect(crossover(2, 1, 2, 1), 'already above').toBe(false);
    expect(crossunder(0, 1, 1, 1), 'equal before, below now').toBe(true);
    expect(crossunder(1, 1, 2, 1), 'equal now is not below').toBe(false);
  });

  it('is false whenever any of the four values is NaN (⊥)', () => {
    const nan = Number.NaN;
    const cases: [number, number, number, number][] = [
      [nan, 1, 0, 1],
      [2, nan, 0, 1],
      [2, 1, nan, 1],
      [2, 1, 0, nan],
    ];
    for (const [a, b, previousA, previousB] of cases) {
      expect(crossover(a, b, previousA, previousB)).toBe(false);
      expect(crossunder(b, a, previousB, previousA)).toBe(false);
    }
  });

  it('accepts a constant line such as zero', () => {
    expect(crossover(0.5, 0, -1, 0)).toBe(true);
    expect(crossunder(-0.5, 0, 0, 0)).toBe(true);
  });
});
