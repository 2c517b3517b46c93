/**
 * The kit's statistics: one small float64 function per statistic (d3-array's model), used by the
 * metrics, the float64 loss references, the proofs, the protocol's tables and the benchmarks.
 *
 * **Missing values: one policy.** The functions take plain numbers; NaN is the one missing-value
 * marker and it propagates (a statistic over values that include a NaN is NaN) — nothing is
 * skipped silently. A caller that wants missing values skipped (run records store them as `null`)
 * drops them first with {@linkcode present}. Sums are compensated ({@linkcode fsum}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mean, median, pearson, present } from "./mod.ts";
 * assert.equal(mean([1, 2, 3]), 2);
 * assert.ok(Number.isNaN(mean([1, NaN])));
 * assert.equal(median(present([3, null, 1, 2])), 2);
 * assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
 * ```
 *
 * @module
 */
export * from "./fsum.ts";
export * from "./mean.ts";
export * from "./variance.ts";
export * from "./pearson.ts";
export * from "./average_ranks.ts";
export * from "./spearman.ts";
export * from "./median.ts";
export * from "./max_abs.ts";
export * from "./present.ts";
export * from "./t_test.ts";
export * from "./unit_roundoff.ts";
