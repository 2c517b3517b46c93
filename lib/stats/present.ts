/**
 * Dropping missing values.
 *
 * @module
 */

/**
 * The values that are present: without `null`, `undefined` and NaN (the kit's three spellings of a
 * missing value: run records store `null`, arithmetic gives NaN). The statistics of this folder do
 * not skip missing values on their own (`mod.ts`); a caller that wants them skipped says so with
 * this function.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { present } from "./present.ts";
 * assert.deepEqual(present([1, null, NaN, undefined, 2]), [1, 2]);
 * ```
 */
export function present(values: Iterable<number | null | undefined>): number[] {
  const out: number[] = [];
  for (const v of values) if (typeof v === "number" && !Number.isNaN(v)) out.push(v);
  return out;
}
