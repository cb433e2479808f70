/**
 * The error base class of `@algospace/event-bus`. Every failure the bus reports is an instance of a subclass
 * with a stable `code`, so callers branch on `code` rather than on message text.
 */

const brand = Symbol.for('@algospace/event-bus/error');

/**
 * Base class of every error raised or reported by the event bus.
 *
 * @example
 * ```ts
 * try {
 *   bus.publish('tick', tick);
 * } catch (error) {
 *   if (EventBusError.isInstance(error)) console.error(error.code, error.message);
 * }
 * ```
 */
export class EventBusError extends Error {
  /** Stable machine-readable identifier of the failure, e.g. `'EVENT_BUS_RECURSION_LIMIT'`. */
  readonly code: string;

  /**
   * @param code - stable identifier of the failure
   * @param message - what was expected and what was found
   * @param options - the underlying cause, when there is one
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventBusError';
    this.code = code;
    // A symbol brand instead of `instanceof`: it survives two copies of this package in one process.
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * True when `value` is an event-bus error, even one created by another copy of this package.
   *
   * @example
   * ```ts
   * bus.onError((failure) => EventBusError.isInstance(failure.error));
   * ```
   */
  static isInstance(value: unknown): value is EventBusError {
    return typeof value === 'object' && value !== null && brand in value;
  }
}
