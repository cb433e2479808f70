/**
 * Checks applied by `restore(state)` before it touches an indicator, so a state taken from an instance with
 * other parameters (or not a snapshot at all) is rejected with an {@link IndicatorStateError} and the
 * indicator is left unchanged. Internal: not exported from the package.
 */
import { IndicatorStateError } from './indicators-error.js';

/** Throws unless `value` is a non-null object (the state record itself). */
export function requireStateRecord(indicator: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    throw new IndicatorStateError(indicator, 'a state object from snapshot()', String(value));
  }
  return value as Record<string, unknown>;
}

/** Throws unless `state[field]` is an array of numbers of exactly `length` entries (any length if omitted). */
export function requireNumberArray(
  indicator: string,
  state: unknown,
  field: string,
  length?: number,
): number[] {
  const value = (state as Record<string, unknown>)[field];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) {
    throw new IndicatorStateError(indicator, `${field} as an array of numbers`, describe(value));
  }
  if (length !== undefined && value.length !== length) {
    throw new IndicatorStateError(
      indicator,
      `${field} with ${length} values (same parameters as the snapshot)`,
      `${value.length} values`,
    );
  }
  return value as number[];
}

/** Throws unless `state[field]` is a number (NaN allowed: it encodes ⊥). */
export function requireNumberField(indicator: string, state: unknown, field: string): number {
  const value = (state as Record<string, unknown>)[field];
  if (typeof value !== 'number')
    throw new IndicatorStateError(indicator, `${field} as a number`, describe(value));
  return value;
}

/** Throws unless `state[field]` is an integer in `[min, max]`. */
export function requireCountField(
  indicator: string,
  state: unknown,
  field: string,
  min: number,
  max: number,
): number {
  const value = requireNumberField(indicator, state, field);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new IndicatorStateError(indicator, `${field} as an integer in [${min}, ${max}]`, String(value));
  }
  return value;
}

/** Throws unless `state[field]` is a boolean. */
export function requireBooleanField(indicator: string, state: unknown, field: string): boolean {
  const value = (state as Record<string, unknown>)[field];
  if (typeof value !== 'boolean')
    throw new IndicatorStateError(indicator, `${field} as a boolean`, describe(value));
  return value;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null
    ? 'null'
    : typeof value === 'object'
      ? 'an object'
      : `${typeof value} ${String(value)}`;
}
