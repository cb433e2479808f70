/**
 * The error classes of `@algospace/indicators`: one base class with a stable `code`, and one subclass per
 * kind of failure (a bad constructor parameter, a state that does not fit the indicator it is restored into).
 */

const brand = Symbol.for('@algospace/indicators/error');

/**
 * Base class of every error raised by `@algospace/indicators`.
 *
 * @example
 * ```ts
 * try {
 *   new RSI(0);
 * } catch (error) {
 *   if (IndicatorsError.isInstance(error)) console.error(error.code); // 'INDICATORS_INVALID_PARAMETER'
 * }
 * ```
 */
export class IndicatorsError extends Error {
  /** Stable machine-readable identifier of the failure, e.g. `'INDICATORS_INVALID_PARAMETER'`. */
  readonly code: string;

  /**
   * @param code - stable identifier of the failure
   * @param message - what was expected and what was found
   * @param options - the underlying cause, when there is one
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IndicatorsError';
    this.code = code;
    // A symbol brand instead of `instanceof`: it survives two copies of this package in one process.
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * True when `value` is an indicators error, even one created by another copy of this package.
   *
   * @example
   * ```ts
   * IndicatorsError.isInstance(new Error('x')); // false
   * ```
   */
  static isInstance(value: unknown): value is IndicatorsError {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

/**
 * An indicator was constructed with a parameter outside its domain (a non-positive length, `h − lag ≤ 0`, …).
 * The message names the indicator and the parameter, the expected domain and the value found.
 *
 * @example
 * ```ts
 * try {
 *   new NWRQK({ h: 2, lag: 2 });
 * } catch (error) {
 *   if (error instanceof IndicatorParameterError) console.error(error.parameter); // 'lag'
 * }
 * ```
 */
export class IndicatorParameterError extends IndicatorsError {
  /** The option path of the offending parameter, e.g. `'length'` or `'lag'`. */
  readonly parameter: string;

  /**
   * @param indicator - the indicator being constructed, e.g. `'RSI'`
   * @param parameter - the option path of the bad parameter
   * @param expected - the parameter's domain in words, e.g. `'a positive integer'`
   * @param found - the value received
   */
  constructor(indicator: string, parameter: string, expected: string, found: unknown) {
    super(
      'INDICATORS_INVALID_PARAMETER',
      `${indicator} ${parameter}: expected ${expected}, got ${describeValue(found)}`,
    );
    this.name = 'IndicatorParameterError';
    this.parameter = parameter;
  }
}

/**
 * `restore(state)` received a state that does not fit the indicator (taken from an instance with other
 * parameters, or not a snapshot at all). The indicator is left unchanged.
 *
 * @example
 * ```ts
 * const state = new SMA(3).snapshot();
 * try {
 *   new SMA(5).restore(state);
 * } catch (error) {
 *   if (IndicatorsError.isInstance(error)) console.error(error.code); // 'INDICATORS_INVALID_STATE'
 * }
 * ```
 */
export class IndicatorStateError extends IndicatorsError {
  /**
   * @param indicator - the indicator being restored, e.g. `'SMA'`
   * @param expected - what a valid state holds, e.g. `'a window of 5 values'`
   * @param found - what was found instead
   */
  constructor(indicator: string, expected: string, found: string) {
    super('INDICATORS_INVALID_STATE', `${indicator} restore: expected ${expected}, got ${found}`);
    this.name = 'IndicatorStateError';
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === undefined || value === null) return String(value);
  return `a ${typeof value}`;
}
