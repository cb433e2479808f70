/**
 * Timeframe strings (`'5m'`, `'30m'`, `'1h'`, `'1d'`) and their length in milliseconds.
 */
import { BarsError } from './bars-error.js';

/** A timeframe written as a count and a unit: seconds `s`, minutes `m`, hours `h` or days `d`. */
export type Timeframe = `${number}${'s' | 'm' | 'h' | 'd'}`;

const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const pattern = /^([1-9][0-9]*)([smhd])$/;

/**
 * Returns the length of a timeframe in milliseconds.
 *
 * @throws {@link BarsError} with code `BARS_INVALID_TIMEFRAME` when the text is not a positive integer
 * followed by `s`, `m`, `h` or `d`.
 * @example
 * ```ts
 * parseTimeframe('5m'); // 300_000
 * parseTimeframe('1d'); // 86_400_000
 * ```
 */
export function parseTimeframe(timeframe: string): number {
  const match = pattern.exec(timeframe);
  if (match === null) {
    throw new BarsError(
      'BARS_INVALID_TIMEFRAME',
      `expected a timeframe such as '30s', '5m', '1h' or '1d', got '${timeframe}'`,
    );
  }
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}
