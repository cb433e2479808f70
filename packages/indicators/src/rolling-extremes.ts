/**
 * Highest and Lowest: the rolling maximum and minimum of the last `length` values (Pine `ta.highest` /
 * `ta.lowest`), with a monotonic deque so each update costs O(1) amortised.
 */
import type { Indicator } from './indicator.js';
import {
  requireCountField,
  requireNumberArray,
  requireNumberField,
  requireStateRecord,
} from './indicator-state.js';
import { requireInteger } from './parameter-validation.js';

/**
 * The state of a {@link Highest} or {@link Lowest}: the deque of candidate extremes, oldest first.
 *
 * @example
 * ```ts
 * const state: RollingExtremeState = new Highest(20).snapshot();
 * ```
 */
export interface RollingExtremeState {
  /** Candidate values, oldest first (decreasing for Highest, increasing for Lowest). */
  readonly values: number[];
  /** Input index of each candidate. */
  readonly indices: number[];
  /** Number of inputs seen. */
  readonly count: number;
  /** Input index of the latest `NaN` input, or −1. */
  readonly lastUndefined: number;
}

// The deque shared by Highest and Lowest. `sign` is +1 for a maximum and −1 for a minimum: comparing
// sign·x keeps one monomorphic code path (negation is exact, so no value changes).
class MonotonicWindow {
  readonly length: number;
  private readonly sign: number;
  private readonly values: Float64Array;
  private readonly indices: Float64Array;
  private head = 0;
  private size = 0;
  count = 0;
  private lastUndefined = -1;

  constructor(length: number, sign: number) {
    this.length = length;
    this.sign = sign;
    this.values = new Float64Array(length);
    this.indices = new Float64Array(length);
  }

  get isReady(): boolean {
    return this.count >= this.length && this.count - 1 - this.lastUndefined >= this.length;
  }

  update(value: number): number {
    const t = this.count++;
    const length = this.length;
    if (Number.isNaN(value)) {
      this.lastUndefined = t;
      return Number.NaN;
    }
    const keyed = this.sign * value;
    const values = this.values;
    const indices = this.indices;
    // Drop candidates that can never be the extreme again (no larger than the newcomer).
    while (this.size > 0) {
      let back = this.head + this.size - 1;
      if (back >= length) back -= length;
      if ((values[back] as number) > keyed) break;
      this.size--;
    }
    // Drop the front while it has left the window (more than one after NaN inputs skipped this step).
    while (this.size > 0 && (indices[this.head] as number) <= t - length) {
      this.head = this.head + 1 === length ? 0 : this.head + 1;
      this.size--;
    }
    let slot = this.head + this.size;
    if (slot >= length) slot -= length;
    values[slot] = keyed;
    indices[slot] = t;
    this.size++;
    return this.isReady ? this.sign * (values[this.head] as number) : Number.NaN;
  }

  reset(): void {
    this.head = 0;
    this.size = 0;
    this.count = 0;
    this.lastUndefined = -1;
  }

  snapshot(): RollingExtremeState {
    const values: number[] = [];
    const indices: number[] = [];
    for (let k = 0; k < this.size; k++) {
      const slot = (this.head + k) % this.length;
      values.push(this.sign * (this.values[slot] as number));
      indices.push(this.indices[slot] as number);
    }
    return { values, indices, count: this.count, lastUndefined: this.lastUndefined };
  }

  restore(name: string, state: RollingExtremeState): void {
    requireStateRecord(name, state);
    const values = requireNumberArray(name, state, 'values');
    const indices = requireNumberArray(name, state, 'indices', values.length);
    const count = requireCountField(name, state, 'count', 0, Number.MAX_SAFE_INTEGER);
    const lastUndefined = requireNumberField(name, state, 'lastUndefined');
    requireCountField(name, { size: values.length }, 'size', 0, this.length);
    for (let k = 0; k < values.length; k++) {
      this.values[k] = this.sign * (values[k] as number);
      this.indices[k] = indices[k] as number;
    }
    this.head = 0;
    this.size = values.length;
    this.count = count;
    this.lastUndefined = lastUndefined;
  }
}

/**
 * The highest of the last `length` values (Pine `ta.highest(source, length)`); `NaN` until `length` values
 * have been seen and while a `NaN` is inside the window.
 *
 * Interpretation: the top of the recent range (a Donchian upper band; MLMI's display channel).
 *
 * @see spec §3, §4.5 (channel)
 * @example
 * ```ts
 * const highest = new Highest(2);
 * [3, 1, 2].map((v) => highest.update(v)); // [NaN, 3, 2]
 * ```
 */
export class Highest implements Indicator<number, number, RollingExtremeState> {
  /** Window length. */
  readonly length: number;
  /** Equal to `length`. */
  readonly requiredInputs: number;
  private readonly window: MonotonicWindow;

  /** @param length - window length, a positive integer */
  constructor(length: number) {
    this.length = requireInteger('Highest', 'length', length);
    this.requiredInputs = this.length;
    this.window = new MonotonicWindow(this.length, 1);
  }

  /**
   * The rolling highest of `values`, index-aligned (`NaN` during warm-up), computed by the streaming code.
   *
   * @example
   * ```ts
   * Highest.batch([3, 1, 2], 2); // Float64Array [NaN, 3, 2]
   * ```
   */
  static batch(values: ArrayLike<number>, length: number): Float64Array {
    const highest = new Highest(length);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = highest.update(values[i] as number);
    return out;
  }

  /** True once the window is full and holds no `NaN`. */
  get isReady(): boolean {
    return this.window.isReady;
  }

  /** Adds one value and returns the highest of the last `length`, or `NaN`. */
  update(value: number): number {
    return this.window.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.window.reset();
  }

  /** A plain copy of the deque. */
  snapshot(): RollingExtremeState {
    return this.window.snapshot();
  }

  /** Continues from a state taken by `snapshot()` on a Highest of the same length. */
  restore(state: RollingExtremeState): void {
    this.window.restore('Highest', state);
  }
}

/**
 * The lowest of the last `length` values (Pine `ta.lowest(source, length)`); `NaN` until `length` values
 * have been seen and while a `NaN` is inside the window.
 *
 * Interpretation: the bottom of the recent range (a Donchian lower band; MLMI's display channel).
 *
 * @see spec §3, §4.5 (channel)
 * @example
 * ```ts
 * const lowest = new Lowest(2);
 * [3, 1, 2].map((v) => lowest.update(v)); // [NaN, 1, 1]
 * ```
 */
export class Lowest implements Indicator<number, number, RollingExtremeState> {
  /** Window length. */
  readonly length: number;
  /** Equal to `length`. */
  readonly requiredInputs: number;
  private readonly window: MonotonicWindow;

  /** @param length - window length, a positive integer */
  constructor(length: number) {
    this.length = requireInteger('Lowest', 'length', length);
    this.requiredInputs = this.length;
    this.window = new MonotonicWindow(this.length, -1);
  }

  /**
   * The rolling lowest of `values`, index-aligned (`NaN` during warm-up), computed by the streaming code.
   *
   * @example
   * ```ts
   * Lowest.batch([3, 1, 2], 2); // Float64Array [NaN, 1, 1]
   * ```
   */
  static batch(values: ArrayLike<number>, length: number): Float64Array {
    const lowest = new Lowest(length);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = lowest.update(values[i] as number);
    return out;
  }

  /** True once the window is full and holds no `NaN`. */
  get isReady(): boolean {
    return this.window.isReady;
  }

  /** Adds one value and returns the lowest of the last `length`, or `NaN`. */
  update(value: number): number {
    return this.window.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.window.reset();
  }

  /** A plain copy of the deque. */
  snapshot(): RollingExtremeState {
    return this.window.snapshot();
  }

  /** Continues from a state taken by `snapshot()` on a Lowest of the same length. */
  restore(state: RollingExtremeState): void {
    this.window.restore('Lowest', state);
  }
}
