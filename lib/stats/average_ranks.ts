/**
 * Ranks with ties averaged.
 *
 * @module
 */

/**
 * Ranks 1..n of `values`, ties given the average of their ranks (scipy's
 * `rankdata(method="average")`). `"ascending"` (default): the smallest value has rank 1;
 * `"descending"`: the largest has rank 1 (e.g. 1 = best for a higher-is-better metric). NaN values
 * get rank NaN and take no rank from the others (`mod.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { averageRanks } from "./average_ranks.ts";
 * assert.deepEqual(averageRanks([10, 20, 10, 5]), [2.5, 4, 2.5, 1]);
 * assert.deepEqual(averageRanks([0.3, 0.1, 0.2], "descending"), [1, 3, 2]);
 * ```
 */
export function averageRanks(
  values: ArrayLike<number>,
  order: "ascending" | "descending" = "ascending",
): number[] {
  const n = values.length;
  const sign = order === "ascending" ? 1 : -1;
  // The values in increasing order (sign-flipped for descending; NaN sorts last), then each value's rank from
  // the bounds of its run of equal values: ranks are exact, whatever the sort.
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = sign * values[i];
  sorted.sort();
  let m = n;
  while (m > 0 && Number.isNaN(sorted[m - 1])) m--;
  const ranks = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = sign * values[i];
    if (Number.isNaN(v)) {
      ranks[i] = NaN;
      continue;
    }
    let lo = 0, hi = m;
    while (lo < hi) { // first position ≥ v
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    hi = m;
    while (end < hi) { // first position > v
      const mid = (end + hi) >>> 1;
      if (sorted[mid] <= v) end = mid + 1;
      else hi = mid;
    }
    ranks[i] = (lo + end - 1) / 2 + 1;
  }
  return ranks;
}
