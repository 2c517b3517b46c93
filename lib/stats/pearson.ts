/**
 * Pearson's correlation.
 *
 * @module
 */
import { fsum } from "./fsum.ts";
import { mean } from "./mean.ts";

/**
 * Pearson's correlation of two equal-length samples, float64 with compensated sums, clamped to
 * [−1, 1] (rounding can step just outside). NaN when either sample is constant (the correlation is
 * undefined there), when they are empty, or when a value is NaN (`mod.ts`).
 *
 * @throws {Error} when the lengths differ
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pearson } from "./pearson.ts";
 * assert.ok(Math.abs(pearson([1, 2, 3], [2, 4, 7]) - 0.9933992677987828) < 1e-15);
 * assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
 * ```
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length) throw new Error(`pearson: samples of lengths ${n} and ${b.length}`);
  const ma = mean(a);
  const mb = mean(b);
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = (a[i] - ma) * (b[i] - mb);
  const sab = fsum(terms);
  for (let i = 0; i < n; i++) terms[i] = (a[i] - ma) ** 2;
  const saa = fsum(terms);
  for (let i = 0; i < n; i++) terms[i] = (b[i] - mb) ** 2;
  const sbb = fsum(terms);
  if (saa === 0 || sbb === 0) return NaN;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}
