/**
 * The arithmetic mean.
 *
 * @module
 */
import { fsum } from "./fsum.ts";

/**
 * The mean of `values` with a compensated sum ({@linkcode fsum}); NaN for an empty list or when a
 * value is NaN (the module's missing-value policy, `mod.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mean } from "./mean.ts";
 * assert.equal(mean([1, 2, 6]), 3);
 * assert.ok(Number.isNaN(mean([])));
 * ```
 */
export function mean(values: ArrayLike<number>): number {
  return values.length === 0 ? NaN : fsum(values) / values.length;
}
