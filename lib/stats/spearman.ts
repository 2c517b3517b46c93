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
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.some(Number.isNaN) || b.some(Number.isNaN)) return NaN;
  return pearson(averageRanks(a), averageRanks(b));
}
