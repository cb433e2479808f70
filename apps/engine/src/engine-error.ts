/**
 * The error base class of the engine; subclasses carry a stable `code` so the CLI and tests branch on the
 * code, never on message text.
 */

const brand = Symbol.for('@algospace/engine/error');

/**
 * Base class of every error the engine raises on purpose (bad input, bad config, refused modes).
 *
 * @example
 * ```ts
 * try {
 *   await runBacktest(options);
 * } catch (error) {
 *   if (EngineError.isInstance(error)) console.error(`${error.code}: ${error.message}`);
 * }
 * ```
 */
export class EngineError extends Error {
  /** Stable machine-readable identifier of the failure. */
  readonly code: string;

  /**
   * @param code - stable identifier of the failure
   * @param message - what was expected and what was found
   * @param options - the underlying cause, when there is one
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
    // A symbol brand instead of `instanceof`: it survives two copies of this module in one process.
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * True when `value` is an engine error.
   *
   * @example
   * ```ts
   * EngineError.isInstance(new Error('x')); // false
   * ```
   */
  static isInstance(value: unknown): value is EngineError {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

/**
 * A row of an input file could not be read: names the file, the 1-based line and the reason.
 *
 * @example
 * ```ts
 * throw new DataRowError('trades.csv', 12, "column 'price': expected a number, got 'abc'");
 * ```
 */
export class DataRowError extends EngineError {
  /** The file being read. */
  readonly file: string;
  /** 1-based line number of the bad row (the header is line 1). */
  readonly line: number;
  /** What was wrong with the row. */
  readonly reason: string;

  /**
   * @param file - the file being read
   * @param line - 1-based line number
   * @param reason - what was expected and what was found
   */
  constructor(file: string, line: number, reason: string) {
    super('ENGINE_BAD_ROW', `${file}:${line}: ${reason}`);
    this.name = 'DataRowError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
