/**
 * Small float64 table helpers used by the loaders: `number[][]` rows, row selection.
 *
 * @module
 */
import { DataFormatError } from "./errors.ts";
import type { NpyArray } from "./npy.ts";

/**
 * Turns a 1-D (`[N]` → `[N][1]`) or 2-D array into rows.
 *
 * @param a the decoded array
 * @param name the array's name for error messages
 * @throws {DataFormatError} if the array has another rank
 *
 * @example
 * ```ts
 * import { toRows } from "./matrix.ts";
 * import assert from "node:assert/strict";
 * const a = { dtype: "f8" as const, shape: [2, 2], fortranOrder: false, data: new Float64Array([1, 2, 3, 4]) };
 * assert.deepEqual(toRows(a, "X"), [[1, 2], [3, 4]]);
 * ```
 */
export function toRows(a: NpyArray, name: string): number[][] {
  if (a.shape.length === 1) return Array.from(a.data, (v) => [v]);
  if (a.shape.length !== 2) {
    throw new DataFormatError(`${name}: expected a 1-D or 2-D array, got shape (${a.shape.join(", ")})`);
  }
  const [n, d] = a.shape;
  return Array.from({ length: n }, (_, i) => Array.from(a.data.subarray(i * d, (i + 1) * d)));
}

/**
 * Selects rows by index (copies each row).
 *
 * @param rows the table
 * @param ids row indices
 * @param name the table's name for error messages
 * @throws {DataFormatError} on an out-of-range or non-integer index
 *
 * @example
 * ```ts
 * import { takeRows } from "./matrix.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(takeRows([[1], [2], [3]], [2, 0], "y"), [[3], [1]]);
 * ```
 */
export function takeRows(rows: readonly number[][], ids: ArrayLike<number>, name: string): number[][] {
  return Array.from({ length: ids.length }, (_, k) => {
    const i = ids[k];
    if (!Number.isInteger(i) || i < 0 || i >= rows.length) {
      throw new DataFormatError(`${name}: row index ${i} out of range 0..${rows.length - 1}`);
    }
    return [...rows[i]];
  });
}
