/**
 * Job-array task ID lists in Slurm's `--array` syntax.
 *
 * @module
 */

/**
 * The `--array` value that names exactly the task IDs `ids` (in any order, repeats ignored):
 * consecutive IDs become ranges (`[1, 2, 3, 5]` → `"1-3,5"`). Throws a RangeError on an empty
 * list or an ID that is not a non-negative integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arrayRange } from "./array_range.ts";
 * assert.equal(arrayRange([1, 2, 3, 4]), "1-4");
 * assert.equal(arrayRange([7, 1, 3, 2, 3]), "1-3,7");
 * assert.equal(arrayRange([5]), "5");
 * assert.throws(() => arrayRange([]), RangeError);
 * ```
 */
export function arrayRange(ids: readonly number[]): string {
  if (ids.length === 0) throw new RangeError("arrayRange: no task IDs");
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new RangeError(`arrayRange: task IDs are non-negative integers, got ${id}`);
    }
  }
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0];
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1] + 1) continue;
    const end = sorted[i - 1];
    parts.push(end === start ? `${start}` : `${start}-${end}`);
    start = sorted[i];
  }
  return parts.join(",");
}
