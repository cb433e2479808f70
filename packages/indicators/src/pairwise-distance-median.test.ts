import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PairwiseDistanceMedian } from './pairwise-distance-median.js';

/** Independent reference: every pairwise distance, sorted, middle one(s) averaged (spec §8.3 wording). */
function naiveMedian(values: readonly number[]): number {
  const distances: number[] = [];
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++)
      distances.push(Math.abs((values[i] as number) - (values[j] as number)));
  }
  if (distances.length === 0) return 0;
  distances.sort((a, b) => a - b);
  const n = distances.length;
  return n % 2 === 1
    ? (distances[(n - 1) / 2] as number)
    : ((distances[n / 2 - 1] as number) + (distances[n / 2] as number)) / 2;
}

function fastMedian(values: readonly number[], capacity = values.length): number {
  return new PairwiseDistanceMedian(Math.max(capacity, 1)).median(Float64Array.from(values), values.length);
}

describe('PairwiseDistanceMedian (the MMD bandwidth of spec §8.3)', () => {
  it('averages the two middle distances of an even count: z = (−2, −1, 1, 2) → (2 + 3)/2', () => {
    expect(fastMedian([-2, -1, 1, 2])).toBe(2.5);
  });

  it('returns the middle distance of an odd count: z = (0, 1, 3) → distances 1, 2, 3 → 2', () => {
    expect(fastMedian([0, 1, 3])).toBe(2);
  });

  it('is 0 when more than half the pairs tie at distance 0, and for fewer than two values', () => {
    expect(fastMedian([5, 5, 5, 5, 5, 5, 7, 7])).toBe(0);
    expect(fastMedian([4])).toBe(0);
  });

  it('equals sorting every distance, bit for bit, on samples with ties, plateaus and wide ranges (property)', () => {
    const sample = fc.oneof(
      fc.array(
        fc.integer({ min: -20, max: 20 }).map((k) => k / 4),
        { minLength: 0, maxLength: 96 },
      ),
      fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 0, maxLength: 96 }),
      fc.array(fc.constantFrom(-1e-12, 0, 1e-12, 3, 1e6), { minLength: 0, maxLength: 60 }),
    );
    fc.assert(
      fc.property(sample, (values) => {
        expect(Object.is(fastMedian(values), naiveMedian(values))).toBe(true);
        expect(
          Object.is(fastMedian(values, 96), naiveMedian(values)),
          'a sample smaller than the capacity',
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
