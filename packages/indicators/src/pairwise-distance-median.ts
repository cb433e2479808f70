/**
 * The median of all pairwise distances `|z_i − z_j|` (i < j) of a small sample — MMD's bandwidth (spec §8.3)
 * — without materialising and selecting over all m(m−1)/2 distances on every bar. Internal: not exported
 * from the package.
 *
 * Method: sort a copy of the sample; the number of pairs with distance ≤ x is then a two-pointer count in
 * O(m). Bisect x until at most a few hundred pairs remain between the bounds, enumerate only those, and
 * select among them. The distances are computed as `s_j − s_i` of the sorted copy, which equals
 * `|z_i − z_j|` exactly in IEEE arithmetic, so the result is bit-identical to sorting every distance.
 *
 * Allocation-free by construction: the sort is written here, the selection is `selectInPlace`, and intermediate results
 * travel through a Float64Array rather than as returned doubles (a double returned from a call that is not
 * inlined is boxed on the heap, ~16 bytes a time).
 */
import { selectInPlace } from './kth-smallest.js';

/** Candidates below which bisection stops and the remaining pairs are enumerated. */
const ENUMERATE_AT = 256;

/**
 * Scratch space for the pairwise-distance median of samples of up to `capacity` values, allocated once.
 */
export class PairwiseDistanceMedian {
  private readonly sorted: Float64Array;
  private readonly candidates: Float64Array;
  /** `[lower middle, upper middle, median]` of the last {@link PairwiseDistanceMedian.compute}. */
  readonly picked = new Float64Array(3);
  // Distance bounds handed to the helpers: a double passed as an argument to a call that is not inlined is
  // boxed on the heap, a Float64Array slot is not.
  private readonly bounds = new Float64Array(2);

  /** @param capacity - the largest sample size that will be passed */
  constructor(capacity: number) {
    this.sorted = new Float64Array(capacity);
    this.candidates = new Float64Array(Math.max(ENUMERATE_AT, (capacity * (capacity - 1)) / 2));
  }

  /**
   * The median of `|z_i − z_j|` over the unordered pairs of `z[0 … m−1]` (an even number of pairs gives the
   * mean of the two middle distances); 0 when there are no pairs.
   */
  median(z: Float64Array, m: number): number {
    this.compute(z, m);
    return this.picked[2] as number;
  }

  /** Computes the median into `picked[2]`. */
  compute(z: Float64Array, m: number): void {
    const picked = this.picked;
    const pairs = (m * (m - 1)) / 2;
    if (pairs === 0) {
      picked[2] = 0;
      return;
    }
    const s = this.sorted;
    for (let i = 0; i < m; i++) s[i] = z[i] as number;
    insertionSort(s, m);
    // Targets as 1-based ranks: the lower and upper middle (equal when the count is odd).
    const lowRank = (pairs + 1) >> 1;
    const highRank = (pairs >> 1) + 1;
    const bounds = this.bounds;
    bounds[0] = 0;
    const zeroCount = countAtMost(s, m, bounds, 0);
    if (zeroCount >= highRank) {
      picked[2] = 0;
      return;
    }
    // Invariant: count(lo) < lowRank ≤ highRank ≤ count(hi), count(x) = #pairs with distance ≤ x. lo = −1
    // stands for "below every distance" (count 0) when the lower middle itself is 0.
    let lo = -1;
    let countLo = 0;
    if (zeroCount < lowRank) {
      lo = 0;
      countLo = zeroCount;
    }
    let hi = (s[m - 1] as number) - (s[0] as number);
    let countHi = pairs;
    while (countHi - countLo > ENUMERATE_AT) {
      const mid = lo < 0 ? hi / 2 : lo + (hi - lo) / 2;
      if (!(mid > Math.max(lo, 0) && mid < hi)) break;
      bounds[0] = mid;
      const count = countAtMost(s, m, bounds, 0);
      if (count < lowRank) {
        lo = mid;
        countLo = count;
      } else if (count >= highRank) {
        hi = mid;
        countHi = count;
      } else {
        // mid separates the two middle ranks: the lower middle is ≤ mid, the upper one above it.
        bounds[0] = lo;
        bounds[1] = mid;
        this.rankedBetween(s, m, lowRank - countLo, 0);
        bounds[0] = mid;
        bounds[1] = hi;
        this.rankedBetween(s, m, highRank - count, 1);
        picked[2] = ((picked[0] as number) + (picked[1] as number)) / 2;
        return;
      }
    }
    bounds[0] = lo;
    bounds[1] = hi;
    this.rankedBetween(s, m, lowRank - countLo, 0);
    if (highRank === lowRank) {
      picked[2] = picked[0] as number;
      return;
    }
    this.rankedBetween(s, m, highRank - countLo, 1);
    picked[2] = ((picked[0] as number) + (picked[1] as number)) / 2;
  }

  /**
   * Writes into `picked[slot]` the `rank`-th smallest (1-based) of the pair distances in (lo, hi], with
   * `[lo, hi] = bounds`: enumerates those pairs (two monotone pointers per row of the sorted sample) and
   * selects among them.
   */
  private rankedBetween(s: Float64Array, m: number, rank: number, slot: number): void {
    const lo = this.bounds[0] as number;
    const hi = this.bounds[1] as number;
    const out = this.candidates;
    let n = 0;
    let first = 1;
    let last = 1;
    for (let i = 0; i < m - 1; i++) {
      const base = s[i] as number;
      if (first < i + 1) first = i + 1;
      while (first < m && (s[first] as number) - base <= lo) first++;
      if (last < first) last = first;
      while (last < m && (s[last] as number) - base <= hi) last++;
      for (let j = first; j < last; j++) out[n++] = (s[j] as number) - base;
    }
    selectInPlace(out, n, rank - 1);
    this.picked[slot] = out[rank - 1] as number;
  }
}

/** Number of pairs i < j of the sorted `s[0 … m−1]` with `s_j − s_i ≤ x = at[index]` (two pointers, O(m)). */
function countAtMost(s: Float64Array, m: number, at: Float64Array, index: number): number {
  const x = at[index] as number;
  let count = 0;
  let j = 1;
  for (let i = 0; i < m - 1; i++) {
    if (j < i + 1) j = i + 1;
    const base = s[i] as number;
    while (j < m && (s[j] as number) - base <= x) j++;
    count += j - i - 1;
  }
  return count;
}

/** Ascending insertion sort of `values[0 … n−1]` (n ≤ ~100 here, so this beats the native sort's set-up). */
function insertionSort(values: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) > v) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = v;
  }
}
