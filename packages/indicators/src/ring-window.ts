/**
 * The state WMA and StdDev share — the last `length` inputs in a `Float64Array` ring, the slot written
 * next and how many slots hold a value — and its snapshot and checked restore. Internal: not exported from
 * the package.
 *
 * Free functions over the owner's own fields, not an object the owner holds. A `RingWindow` class held in
 * a field made a WMA(20) update 6–10% slower in the primitives benchmark (ours/floor 1.06–1.10 against
 * 0.97–0.98, same sum code). That benchmark collects garbage between rounds; after a collection that left
 * no window object alive, the re-optimized `update` checked the window's map and its array's map on every
 * call (`--print-opt-code`), most likely because V8 dropped the field's recorded type along with the
 * class's weakly held map. A `Float64Array` field keeps its type (its map never dies). The write itself
 * stays in each owner's `update`: it is three lines and needs the owner's private fields.
 */
import { requireCountField, requireNumberArray, requireStateRecord } from './indicator-state.js';

/** The plain form of a ring window: `WMAState` and `StdDevState` are this shape. */
export interface RingWindowState {
  /** The ring buffer (slot `next − 1` holds the newest value). */
  readonly window: number[];
  /** The slot the next value is written to. */
  readonly next: number;
  /** How many slots hold a value (≤ length). */
  readonly filled: number;
}

/** A plain copy of a ring window. */
export function snapshotRingWindow(values: Float64Array, next: number, filled: number): RingWindowState {
  return { window: Array.from(values), next, filled };
}

/**
 * Checks that `state` is a snapshot of a window of `values.length` slots, then copies its values into
 * `values` and returns its `next` and `filled` for the owner to store. A bad state throws an
 * `IndicatorStateError` naming `indicator` before anything is written.
 */
export function restoreRingWindow(
  indicator: string,
  state: RingWindowState,
  values: Float64Array,
): { readonly next: number; readonly filled: number } {
  requireStateRecord(indicator, state);
  const window = requireNumberArray(indicator, state, 'window', values.length);
  const next = requireCountField(indicator, state, 'next', 0, values.length - 1);
  const filled = requireCountField(indicator, state, 'filled', 0, values.length);
  values.set(window);
  return { next, filled };
}

/** The slot holding the newest value of a ring whose next write goes to `next`. */
export function newestSlot(next: number, length: number): number {
  return next === 0 ? length - 1 : next - 1;
}
