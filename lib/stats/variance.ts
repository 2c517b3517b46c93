/**
 * The variance.
 *
 * @module
 */
import { fsum } from "./fsum.ts";
import { mean } from "./mean.ts";

/**
 * The variance of `values`, two-pass with compensated sums: `Σ (v − v̄)² / (n − ddof)`. `ddof` 0
 * (default) is the population variance (the paper's tables' std, Theorem 1's Var(δ)); 1 the unbiased
 * sample variance. NaN when `n ≤ ddof` or a value is NaN (`mod.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { variance } from "./variance.ts";
 * assert.equal(variance([1, 3]), 1);
 * assert.equal(variance([1, 3], 1), 2);
 * ```
 */
export function variance(values: ArrayLike<number>, ddof = 0): number {
  const n = values.length;
  if (n <= ddof) return NaN;
  const m = mean(values);
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) squares[i] = (values[i] - m) ** 2;
  return fsum(squares) / (n - ddof);
}
