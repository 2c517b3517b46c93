/**
 * Compensated summation.
 *
 * @module
 */

/**
 * The sum of `values` by Neumaier's compensated summation: accurate to about one float64 ulp even
 * for long, cancelling sums (the naive loop can lose every digit). Missing values follow the
 * module's policy (`mod.ts`): a NaN among the values makes the sum NaN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fsum } from "./fsum.ts";
 * assert.equal(fsum([1e100, 1, -1e100]), 1); // the naive sum gives 0
 * assert.ok(Number.isNaN(fsum([1, NaN])));
 * ```
 */
export function fsum(values: Iterable<number>): number {
  let sum = 0;
  let c = 0;
  for (const v of values) {
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  return sum + c;
}
