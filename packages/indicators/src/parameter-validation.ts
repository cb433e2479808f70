/**
 * Constructor-parameter checks shared by every indicator; each throws an {@link IndicatorParameterError}
 * naming the indicator and the parameter. Internal: not exported from the package.
 */
import { IndicatorParameterError } from './indicators-error.js';

/** Returns `value` if it is an integer ≥ `min` (default 1), else throws naming `parameter`. */
export function requireInteger(indicator: string, parameter: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    const domain = min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
    throw new IndicatorParameterError(indicator, parameter, domain, value);
  }
  return value;
}

/** Returns `value` if it is a finite number strictly greater than `min` (default 0), else throws. */
export function requireFiniteAbove(indicator: string, parameter: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= min) {
    const domain = min === 0 ? 'a finite number > 0' : `a finite number > ${min}`;
    throw new IndicatorParameterError(indicator, parameter, domain, value);
  }
  return value;
}

/** Returns `value` if it is a finite number ≥ `min`, else throws. */
export function requireFiniteAtLeast(
  indicator: string,
  parameter: string,
  value: unknown,
  min: number,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new IndicatorParameterError(indicator, parameter, `a finite number ≥ ${min}`, value);
  }
  return value;
}

/** Returns `value` if it is a boolean, else throws. */
export function requireBoolean(indicator: string, parameter: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new IndicatorParameterError(indicator, parameter, 'a boolean', value);
  }
  return value;
}
