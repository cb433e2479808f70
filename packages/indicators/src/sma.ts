/**
 * Simple moving average over a ring buffer.
 */

/**
 * Simple moving average of the last `length` values (Pine `ta.sma`).
 *
 * Returns `NaN` until `length` values have been seen.
 *
 * @example
 * ```ts
 * const sma = new SMA(3);
 * [1, 2, 3, 4].map((v) => sma.update(v)); // [NaN, NaN, 2, 3]
 * ```
 */
export class SMA {
  /** Number of values averaged. */
  readonly length: number;
  private readonly window: Float64Array;
  private count = 0;
  private sum = 0;

  /** @param length - number of values averaged; a positive integer */
  constructor(length: number) {
    if (!Number.isInteger(length) || length <= 0) {
      throw new RangeError(`SMA length: expected a positive integer, got ${length}`);
    }
    this.length = length;
    this.window = new Float64Array(length);
  }

  /** Adds one value and returns the average of the last `length` values, or `NaN` before that many. */
  update(value: number): number {
    const slot = this.count % this.length;
    if (this.count >= this.length) this.sum -= this.window[slot] as number;
    this.window[slot] = value;
    this.sum += value;
    this.count++;
    return this.count >= this.length ? this.sum / this.length : Number.NaN;
  }
}
