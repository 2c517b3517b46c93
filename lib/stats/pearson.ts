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
export function pearson(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`pearson: samples of lengths ${a.length} and ${b.length}`);
  const ma = mean(a);
  const mb = mean(b);
  const sab = fsum(a.map((v, i) => (v - ma) * (b[i] - mb)));
  const saa = fsum(a.map((v) => (v - ma) ** 2));
  const sbb = fsum(b.map((v) => (v - mb) ** 2));
  if (saa === 0 || sbb === 0) return NaN;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}
