/**
 * The one contract every indicator implements, so engines, checkpoints and the shared contract test suite
 * treat them all alike.
 */

/**
 * A streaming indicator: feed it one input at a time and it returns its value for that input.
 *
 * - `update(input)` returns the new value, or the indicator's not-ready value (`NaN` for scalar outputs, a
 *   record of `NaN`/`false`/`0` fields for structured outputs, as each indicator documents) during warm-up.
 * - `requiredInputs` is the number of inputs after which `isReady` is true (the spec's Appendix B warm-up
 *   plus one, since Appendix B counts from bar index 0).
 * - `snapshot()` returns a plain, structured-cloneable copy of the internal state; `restore(state)` on a
 *   fresh instance with the same parameters continues exactly as the original would have.
 *
 * @typeParam Input - what one update consumes (a number, or a bar-like record)
 * @typeParam Output - what one update returns
 * @typeParam State - the plain-data state returned by `snapshot()`
 * @example
 * ```ts
 * function feed<I, O>(indicator: Indicator<I, O, unknown>, inputs: readonly I[]): O[] {
 *   return inputs.map((input) => indicator.update(input));
 * }
 * ```
 */
export interface Indicator<Input, Output, State = unknown> {
  /** Consumes one input and returns the value for it (or the not-ready value during warm-up). */
  update(input: Input): Output;
  /** True once the indicator has seen `requiredInputs` inputs and its outputs are defined. */
  readonly isReady: boolean;
  /** The warm-up: how many inputs are needed before `isReady` becomes true. */
  readonly requiredInputs: number;
  /** Forgets every input seen, returning to the state of a new instance. */
  reset(): void;
  /** A plain-data copy of the internal state, for checkpoints. */
  snapshot(): State;
  /** Replaces the internal state with one taken by `snapshot()` from an instance with the same parameters. */
  restore(state: State): void;
}
