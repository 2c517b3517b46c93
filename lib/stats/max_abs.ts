/**
 * The largest magnitude.
 *
 * @module
 */

/**
 * The largest absolute value of `values` (0 for none); NaN when a value is NaN (`mod.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxAbs } from "./max_abs.ts";
 * assert.equal(maxAbs([1, -4, 2]), 4);
 * ```
 */
export function maxAbs(values: Iterable<number>): number {
  let m = 0;
  for (const v of values) {
    if (Number.isNaN(v)) return NaN;
    m = Math.max(m, Math.abs(v));
  }
  return m;
}
