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

/**
 * An option passed to a bars factory is missing, of the wrong type or out of range. `path` names the
 * option (`timeframes[1]`, `sessionStart.timeZone`), the message says what was expected and what was found.
 *
 * @example
 * ```ts
 * try {
 *   createBarAggregator({ timeframes: [], onBar: () => {} });
 * } catch (error) {
 *   if (error instanceof BarsOptionError) console.error(error.path); // 'timeframes'
 * }
 * ```
 */
export class BarsOptionError extends BarsError {
  /** The option that failed, as a dotted path from the options object. */
  readonly path: string;

  /**
   * @param path - the option that failed, e.g. `timeframes[0]`
   * @param expected - what the option must be
   * @param found - what was passed instead (rendered into the message)
   * @param cause - the underlying error, when there is one
   */
  constructor(path: string, expected: string, found: unknown, cause?: unknown) {
    super(
      'BARS_INVALID_OPTION',
      `${path}: expected ${expected}, got ${describeValue(found)}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'BarsOptionError';
    this.path = path;
  }
}

/**
 * A timestamp text is not ISO-8601 with a UTC offset (or `Z`), or names an impossible date or time.
 *
 * @example
 * ```ts
 * try {
 *   parseIsoTimestamp('2024-07-01 23:58');
 * } catch (error) {
 *   if (error instanceof InvalidTimestampError) console.error(error.text); // '2024-07-01 23:58'
 * }
 * ```
 */
export class InvalidTimestampError extends BarsError {
  /** The text that failed to parse. */
  readonly text: string;

  /**
   * @param text - the text that failed to parse
   * @param problem - what is wrong with it
   */
  constructor(text: string, problem: string) {
    super(
      'BARS_INVALID_TIMESTAMP',
      `expected an ISO-8601 timestamp with offset such as '2013-10-07T09:30:00.123-04:00', got '${text}' (${problem})`,
    );
    this.name = 'InvalidTimestampError';
    this.text = text;
  }
}

/**
 * Columnar input to the batch API is inconsistent (columns of different lengths, or not `Float64Array`s).
 *
 * @example
 * ```ts
 * try {
 *   aggregateTicks({ timestamps: new Float64Array(2), prices: new Float64Array(1), sizes: new Float64Array(2) },
 *     { timeframes: ['5m'] });
 * } catch (error) {
 *   if (BarsError.isInstance(error)) console.error(error.code); // 'BARS_INVALID_INPUT'
 * }
 * ```
 */
export class InvalidInputError extends BarsError {
  /**
   * @param message - what was expected and what was found
   */
  constructor(message: string) {
    super('BARS_INVALID_INPUT', message);
    this.name = 'InvalidInputError';
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
