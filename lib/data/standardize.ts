/**
 * Feature standardisation: by training statistics (the kit's default) or the authors' full-data
 * variant. Both use the population standard deviation (ddof 0) and float64 compensated sums.
 *
 * @module
 */
import { fsum } from "../stats/fsum.ts";

/** Per-column mean and population standard deviation. */
export interface ColumnStats {
  /** Column means. */
  mean: number[];
  /** Column population standard deviations (ddof 0). */
  std: number[];
}

/**
 * Mean and population std (ddof 0) of each column.
 *
 * @example
 * ```ts
 * import { columnStats } from "./standardize.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(columnStats([[1], [3]]), { mean: [2], std: [1] });
 * ```
 */
export function columnStats(rows: readonly number[][]): ColumnStats {
  const d = rows.length === 0 ? 0 : rows[0].length;
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < d; j++) {
    const m = fsum(rows.map((r) => r[j])) / rows.length;
    mean.push(m);
    std.push(Math.sqrt(fsum(rows.map((r) => (r[j] - m) ** 2)) / rows.length));
  }
  return { mean, std };
}

function apply(rows: readonly number[][], s: ColumnStats, scale: number[]): number[][] {
  return rows.map((r) => r.map((v, j) => (v - s.mean[j]) / scale[j]));
}

/**
 * Standardises features with the **training** rows' mean and population std, and applies the
 * same transform to the other sets (the kit's default: no test information leaks into training).
 * A column that is constant in the training rows (std = 0) is only centred (divided by 1), so
 * the result is never NaN or ±Infinity.
 *
 * @param train training rows
 * @param others further row sets (e.g. test), transformed with the training statistics
 * @returns the transformed sets (train first) and the statistics used
 *
 * @example
 * ```ts
 * import { standardize } from "./standardize.ts";
 * import assert from "node:assert/strict";
 * const { sets: [tr, te] } = standardize([[1], [3]], [[5]]);
 * assert.deepEqual(tr, [[-1], [1]]);
 * assert.deepEqual(te, [[3]]);
 * ```
 */
export function standardize(
  train: readonly number[][],
  ...others: readonly number[][][]
): { sets: number[][][]; stats: ColumnStats } {
  const stats = columnStats(train);
  const scale = stats.std.map((s) => (s > 0 ? s : 1));
  return { sets: [train, ...others].map((rows) => apply(rows, stats, scale)), stats };
}

/**
 * The authors' variant (`X = (X − X.mean(0)) / X.std(0)` over **all** rows, before the split),
 * for faithful reproduction of their preprocessing. The std is floored at 1e-7 (as in the
 * authors' IC50 loader) so a constant column becomes 0 instead of NaN.
 *
 * @example
 * ```ts
 * import { standardizeFullDataAuthors } from "./standardize.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(standardizeFullDataAuthors([[1, 7], [3, 7]]), [[-1, 0], [1, 0]]);
 * ```
 */
export function standardizeFullDataAuthors(rows: readonly number[][]): number[][] {
  const stats = columnStats(rows);
  return apply(rows, stats, stats.std.map((s) => Math.max(s, 1e-7)));
}
