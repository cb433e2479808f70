import { describe, expect, it } from 'vitest';
import { substituteVariables } from './variable-substitution.js';

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
