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
  values: readonly number[],
  order: "ascending" | "descending" = "ascending",
): number[] {
  const sign = order === "ascending" ? 1 : -1;
  const ranks = new Array<number>(values.length).fill(NaN);
  const idx = values.map((_, i) => i).filter((i) => !Number.isNaN(values[i]));
  idx.sort((a, b) => sign * (values[a] - values[b]));
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && values[idx[j + 1]] === values[idx[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k]] = r;
    i = j + 1;
  }
  return ranks;
}
