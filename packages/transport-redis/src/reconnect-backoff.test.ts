import { describe, expect, it } from 'vitest';
import { backoffDelay } from './reconnect-backoff.js';

describe('backoffDelay', () => {
  const settings = { initialDelayMs: 50, maxDelayMs: 2_000, factor: 2 };

  it('doubles the ceiling per attempt up to the cap (random = 1 gives the ceiling)', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffDelay(settings, attempt, () => 1))).toEqual([
      50, 100, 200, 400, 800, 1600, 2000, 2000,
    ]);
  });

  it('draws below the ceiling (full jitter) and never returns 0', () => {
    expect(backoffDelay(settings, 3, () => 0.5)).toBe(100);
    expect(backoffDelay(settings, 3, () => 0)).toBe(1);
  });
});
