/**
 * The median of all pairwise distances `|z_i − z_j|` (i < j) of a small sample — MMD's bandwidth (spec §8.3)
 * — without materialising and selecting over all m(m−1)/2 distances on every bar. Internal: not exported
 * from the package.
 *
 * Method: sort a copy of the sample; the number of pairs with distance ≤ x is then a two-pointer count in
 * O(m). Bisect x until at most a few hundred pairs remain between the bounds, enumerate only those, and
 * select among them. The distances are computed as `s_j − s_i` of the sorted copy, which equals
 * `|z_i − z_j|` exactly in IEEE arithmetic, so the result is bit-identical to sorting every distance.
 */
import { kthSmallest } from './kth-smallest.js';

/** Candidates below which bisection stops and the remaining pairs are enumerated. */
const ENUMERATE_AT = 256;

/**
 * Scratch space for {@link medianPairwiseDistance} over samples of up to `capacity` values, allocated once.
 */
export class PairwiseDistanceMedian {
  private readonly sorted: Float64Array;
  private readonly candidates: Float64Array;

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
    const pairs = (m * (m - 1)) / 2;
    if (pairs === 0) return 0;
    const s = this.sorted;
    for (let i = 0; i < m; i++) s[i] = z[i] as number;
    // Numeric in-place sort without a comparator (native, allocation-free); a view only for a smaller sample.
    if (m === s.length) s.sort();
    else s.subarray(0, m).sort();
    // Targets as 1-based ranks: the lower and upper middle (equal when the count is odd).
    const lowRank = (pairs + 1) >> 1;
    const highRank = (pairs >> 1) + 1;
    // Invariant: count(lo) < lowRank and count(hi) ≥ highRank, where count(x) = #pairs with distance ≤ x.
    let lo = -1;
    let countLo = 0;
    let hi = (s[m - 1] as number) - (s[0] as number);
    let countHi = pairs;
    const zeroCount = countAtMost(s, m, 0);
    if (zeroCount >= highRank) return 0;
    if (zeroCount < lowRank) {
      lo = 0;
      countLo = zeroCount;
    }
    while (countHi - countLo > ENUMERATE_AT) {
      const mid = lo < 0 ? hi / 2 : lo + (hi - lo) / 2;
      if (!(mid > Math.max(lo, 0) && mid < hi)) break;
      const count = countAtMost(s, m, mid);
      if (count < lowRank) {
        lo = mid;
        countLo = count;
      } else if (count >= highRank) {
        hi = mid;
        countHi = count;
      } else {
        // mid separates the two middle ranks: the lower middle is ≤ mid, the upper is above it.
        return (
          (this.rankedBetween(s, m, lo, mid, countLo, lowRank) +
            this.rankedBetween(s, m, mid, hi, count, highRank)) /
          2
        );
      }
    }
    const low = this.rankedBetween(s, m, lo, hi, countLo, lowRank);
    return highRank === lowRank ? low : (low + this.rankedBetween(s, m, lo, hi, countLo, highRank)) / 2;
  }

  /**
   * The distance of 1-based rank `rank` among all pairs, given that `countBelow` pairs are ≤ `lo` and the
   * ranked one lies in (lo, hi]: enumerates the pairs in that interval and selects among them.
   */
  private rankedBetween(
    s: Float64Array,
    m: number,
    lo: number,
    hi: number,
    countBelow: number,
    rank: number,
  ): number {
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
    return kthSmallest(out, n, rank - countBelow);
  }
}

/** Number of pairs i < j of the sorted `s[0 … m−1]` with `s_j − s_i ≤ x` (two pointers, O(m)). */
function countAtMost(s: Float64Array, m: number, x: number): number {
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
