import { describe, expect, it } from 'vitest';
import { DedupWindow } from './dedup-window.js';

describe('DedupWindow', () => {
  it('remembers the last `capacity` ids and forgets the oldest first', () => {
    const window = new DedupWindow(3);
    for (const id of ['a', 'b', 'c']) window.add(id);
    expect(['a', 'b', 'c'].map((id) => window.has(id))).toEqual([true, true, true]);
    window.add('d');
    expect(window.has('a'), 'the oldest id is evicted by the fourth').toBe(false);
    expect(['b', 'c', 'd'].map((id) => window.has(id))).toEqual([true, true, true]);
    expect(window.size).toBe(3);
  });

  it('remembers nothing with capacity 0', () => {
    const window = new DedupWindow(0);
    window.add('a');
    expect(window.has('a')).toBe(false);
  });
});
