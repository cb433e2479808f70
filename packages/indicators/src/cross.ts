/**
 * Pine's `ta.crossover` / `ta.crossunder` as pure functions of the current and previous values.
 */

/**
 * True when `a` crosses above `b` on this bar: `a > b` now and `a ≤ b` on the previous bar. False when any
 * of the four values is `NaN` (⊥), so a cross is never reported on the first bar of a series.
 *
 * A constant `b` (e.g. 0) is allowed: pass it as both `b` and `previousB`. Ties count as "not above":
 * equal before and above now is a cross; above before and equal now is not.
 *
 * @param a - series `a` at this bar
 * @param b - series `b` at this bar
 * @param previousA - series `a` at the previous bar
 * @param previousB - series `b` at the previous bar
 * @see spec §3.4
 * @example
 * ```ts
 * crossover(2, 1, 1, 1); // true: 1 ≤ 1 before, 2 > 1 now
 * crossover(2, 1, 2, 1); // false: already above
 * ```
 */
export function crossover(a: number, b: number, previousA: number, previousB: number): boolean {
  return a > b && previousA <= previousB;
}

/**
 * True when `a` crosses below `b` on this bar: `a < b` now and `a ≥ b` on the previous bar. False when any
 * of the four values is `NaN` (⊥).
 *
 * @param a - series `a` at this bar
 * @param b - series `b` at this bar
 * @param previousA - series `a` at the previous bar
 * @param previousB - series `b` at the previous bar
 * @see spec §3.4
 * @example
 * ```ts
 * crossunder(0, 1, 1, 1); // true: 1 ≥ 1 before, 0 < 1 now
 * crossunder(0, 1, Number.NaN, 1); // false: ⊥ before
 * ```
 */
export function crossunder(a: number, b: number, previousA: number, previousB: number): boolean {
  return a < b && previousA >= previousB;
}
