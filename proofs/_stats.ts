/**
 * Float64 statistics the proof checks compare the losses against (the right-hand sides of the
 * paper's identities). Internal to `proofs/`. Sums are compensated (`fsum`).
 *
 * @module
 */
import { fmean, fsum } from "../lib/losses/reference/_matrix.ts";

/**
 * Population variance (ddof 0), two-pass with compensated sums.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { populationVariance } from "./_stats.ts";
 * assert.equal(populationVariance([1, 3]), 1);
 * ```
 */
export function populationVariance(xs: readonly number[]): number {
  const m = fmean(xs);
  return fsum(xs.map((x) => (x - m) ** 2)) / xs.length;
}

/**
 * Pearson correlation (population moments; the ddof cancels), compensated sums.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pearson } from "./_stats.ts";
 * assert.ok(Math.abs(pearson([1, 2, 3], [2, 4, 7]) - 0.9933992677987828) < 1e-15);
 * ```
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const mx = fmean(xs), my = fmean(ys);
  const sxy = fsum(xs.map((x, i) => (x - mx) * (ys[i] - my)));
  const sxx = fsum(xs.map((x) => (x - mx) ** 2));
  const syy = fsum(ys.map((y) => (y - my) ** 2));
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * The largest absolute value (0 for an empty list).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxAbs } from "./_stats.ts";
 * assert.equal(maxAbs([1, -4, 2]), 4);
 * ```
 */
export function maxAbs(xs: Iterable<number>): number {
  let m = 0;
  for (const x of xs) m = Math.max(m, Math.abs(x));
  return m;
}
