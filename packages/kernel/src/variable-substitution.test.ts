import { describe, expect, it } from 'vitest';
import { expandVariables, substituteVariables } from './variable-substitution.js';

describe('substituteVariables', () => {
  it('uses the environment value, then the default', () => {
    expect(substituteVariables('a: ${A}, b: ${B:7}', { A: 'x' })).toBe('a: x, b: 7');
  });
  it('keeps $${ as a literal ${', () => {
    expect(substituteVariables('$${A}', { A: 'x' })).toBe('${A}');
  });
  it('names a missing required variable', () => {
    expect(() => substituteVariables('${MISSING}', {})).toThrow(/MISSING/);
  });
});

describe('expandVariables', () => {
  it('lists every missing required variable instead of throwing', () => {
    expect(expandVariables('${A}-${B:b}-${C}', {})).toEqual({
      text: '-b-',
      missing: ['A', 'C'],
      changed: true,
    });
  });
  it('treats an empty value as set and leaves text without references untouched', () => {
    expect(expandVariables('x=${X:default}', { X: '' }).text).toBe('x=');
    expect(expandVariables('plain $ {not} $x', {})).toEqual({
      text: 'plain $ {not} $x',
      missing: [],
      changed: false,
    });
  });
  it('does not read inherited properties as variables', () => {
    expect(expandVariables('${toString}', {}).missing).toEqual(['toString']);
  });
});
