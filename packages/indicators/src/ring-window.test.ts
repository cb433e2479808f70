import { describe, expect, it } from 'vitest';
import { IndicatorStateError } from './indicators-error.js';
import { newestSlot, restoreRingWindow, snapshotRingWindow } from './ring-window.js';

describe('ring window state', () => {
  it('snapshots the ring in slot order with its indices', () => {
    expect(snapshotRingWindow(Float64Array.of(4, 2, 3), 1, 3)).toEqual({
      window: [4, 2, 3],
      next: 1,
      filled: 3,
    });
  });

  it('restores a snapshot into the owner’s array and hands back next and filled', () => {
    const values = new Float64Array(3);
    const indices = restoreRingWindow('Test', { window: [4, 2, 3], next: 1, filled: 3 }, values);
    expect(indices).toEqual({ next: 1, filled: 3 });
    expect(Array.from(values)).toEqual([4, 2, 3]);
  });

  it('rejects a state of another length or with an index out of range, writing nothing', () => {
    const values = Float64Array.of(7, 8, 9);
    const restore = (state: unknown) =>
      restoreRingWindow('Test', state as Parameters<typeof restoreRingWindow>[1], values);
    expect(() => restore({ window: [1, 2], next: 0, filled: 2 })).toThrow(IndicatorStateError);
    expect(() => restore({ window: [1, 2, 3], next: 3, filled: 3 })).toThrow(/next/);
    expect(() => restore({ window: [1, 2, 3], next: 0, filled: 4 })).toThrow(/filled/);
    expect(() => restore(null)).toThrow(/Test/);
    expect(Array.from(values)).toEqual([7, 8, 9]);
  });

  it('finds the newest slot just behind the next write, wrapping at 0', () => {
    expect([0, 1, 2].map((next) => newestSlot(next, 3))).toEqual([2, 0, 1]);
  });
});
