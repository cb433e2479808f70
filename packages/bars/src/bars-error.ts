/**
 * The error base class of `@algospace/bars`; subclasses carry a stable `code`.
 */

const brand = Symbol.for('@algospace/bars/error');

/**
 * Base class of every error raised by `@algospace/bars`.
 *
 * @example
 * ```ts
 * try {
 *   parseTimeframe('5x');
 * } catch (error) {
 *   if (BarsError.isInstance(error)) console.error(error.code); // 'BARS_INVALID_TIMEFRAME'
 * }
 * ```
 */
export class BarsError extends Error {
  /** Stable machine-readable identifier of the failure. */
  readonly code: string;

  /**
   * @param code - stable identifier of the failure
   * @param message - what was expected and what was found
   * @param options - the underlying cause, when there is one
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BarsError';
    this.code = code;
    // A symbol brand instead of `instanceof`: it survives two copies of this package in one process.
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * True when `value` is a bars error, even one created by another copy of this package.
   *
   * @example
   * ```ts
   * BarsError.isInstance(new Error('x')); // false
   * ```
   */
  static isInstance(value: unknown): value is BarsError {
    return typeof value === 'object' && value !== null && brand in value;
  }
}
