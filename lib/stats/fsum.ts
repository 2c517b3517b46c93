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
export function fsum(values: Iterable<number> | ArrayLike<number>): number {
  let sum = 0;
  let c = 0;
  if (Array.isArray(values) || ArrayBuffer.isView(values)) {
    // Arrays and typed arrays by index (the iterator protocol costs more than the sum).
    const a = values as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      const t = sum + v;
      c += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
      sum = t;
    }
    return sum + c;
  }
  for (const v of values as Iterable<number>) {
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  return sum + c;
}
