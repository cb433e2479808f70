/**
 * Selection of the k-th smallest value of a Float64Array prefix in expected O(n) (Hoare's quickselect),
 * used by MLMI's k-NN to find the neighbour radius and by MMD's bandwidth median, without sorting. Internal: not exported from the package.
 */

/**
 * Returns the `k`-th smallest (1-based, ties counted with multiplicity) of `values[0 … n−1]`, exactly the
 * value a sort would put at index `k − 1`. Reorders that prefix in place. Values must not be `NaN`.
 */
export function kthSmallest(values: Float64Array, n: number, k: number): number {
  selectInPlace(values, n, k - 1);
  return values[k - 1] as number;
}

/**
 * Hoare quickselect (median-of-three pivot): reorders `values[0 … n−1]` so that index `k` (0-based) holds the
 * value a sort would put there. Returns nothing so that callers on allocation-free paths box no double.
 */
export function selectInPlace(values: Float64Array, n: number, k: number): void {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    // Median of three as the pivot keeps sorted and reversed inputs linear.
    const middle = (left + right) >>> 1;
    const a = values[left] as number;
    const b = values[middle] as number;
    const c = values[right] as number;
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    // Now [left, j] ≤ pivot, [i, right] ≥ pivot and anything strictly between equals the pivot, so a k that
    // falls between them already holds its sorted value.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
