/**
 * Spearman's rank correlation.
 *
 * @module
 */
import { averageRanks } from "./average_ranks.ts";
import { pearson } from "./pearson.ts";

/**
 * Spearman's correlation: {@linkcode pearson} of the {@linkcode averageRanks} (scipy's `spearmanr`
 * with average ranks for ties). NaN when either sample is constant or holds a NaN (`mod.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spearman } from "./spearman.ts";
 * assert.equal(spearman([1, 2, 3], [1, 10, 100]), 1);
 * ```
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) return NaN;
  for (let i = 0; i < b.length; i++) if (Number.isNaN(b[i])) return NaN;
  return pearson(averageRanks(a), averageRanks(b));
}
