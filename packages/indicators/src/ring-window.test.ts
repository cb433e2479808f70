import { describe, expect, it } from 'vitest';
import { IndicatorStateError } from './indicators-error.js';
import { RingWindow } from './ring-window.js';

describe('RingWindow', () => {
  it('reports −1 until length values are in, then the slot of the newest, wrapping round', () => {
    const ring = new RingWindow(3);
    expect([1, 2, 3, 4, 5].map((v) => ring.push(v))).toEqual([-1, -1, 2, 0, 1]);
    expect(ring.full).toBe(true);
    expect(ring.newest).toBe(1);
    expect(Array.from(ring.values)).toEqual([4, 5, 3]);
  });

  it('snapshots in ring order and restores into a fresh window', () => {
    const ring = new RingWindow(3);
    for (const v of [1, 2, 3, 4]) ring.push(v);
    const state = ring.snapshot();
    expect(state).toEqual({ window: [4, 2, 3], next: 1, filled: 3 });
    const copy = new RingWindow(3);
    copy.restore('Test', state);
    expect(copy.push(9)).toBe(ring.push(9));
    expect(copy.snapshot()).toEqual(ring.snapshot());
  });

  it('rejects a state of another length or with an out-of-range index and stays unchanged', () => {
    const ring = new RingWindow(3);
    ring.push(7);
    const before = ring.snapshot();
    expect(() => ring.restore('Test', { window: [1, 2], next: 0, filled: 2 })).toThrow(IndicatorStateError);
    expect(() => ring.restore('Test', { window: [1, 2, 3], next: 3, filled: 3 })).toThrow(/next/);
    expect(() => ring.restore('Test', { window: [1, 2, 3], next: 0, filled: 4 })).toThrow(/filled/);
    expect(ring.snapshot()).toEqual(before);
  });

  it('reset empties the window', () => {
    const ring = new RingWindow(2);
    ring.push(1);
    ring.push(2);
    ring.reset();
    expect(ring.snapshot()).toEqual({ window: [0, 0], next: 0, filled: 0 });
    expect(ring.push(3)).toBe(-1);
  });
});
