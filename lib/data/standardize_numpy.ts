/**
 * NumPy's float64 sum and the authors' full-data standardisation computed with it, bit for bit.
 *
 * The authors standardised Concrete and Wine with `X = (X - X.mean(axis=0)) / X.std(axis=0)` on the
 * array pandas' `DataFrame.to_numpy()` returns, which is column-major: each column is contiguous, so
 * NumPy sums it with its pairwise algorithm (`pairwise_sum` in `loops_utils.h.src`: blocks of at most
 * 128 values summed with eight accumulators, larger runs split in two at a multiple of 8). Sums made
 * any other way (sequentially, or exactly rounded like `fsum`) differ in the last bits, so the
 * standardised values would too; with this file they equal the authors' stored arrays exactly.
 * (`standardize.ts` holds the kit's own standardisations, which use `fsum`.)
 *
 * @module
 */

const BLOCK = 128;

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= BLOCK) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => a[start + k]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k] += a[start + i + k];
    }
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2);
}

/**
 * `np.sum` of a contiguous float64 array (`np.add.reduce`: the identity 0 plus the pairwise sum),
 * for arrays of up to 8192 values (NumPy's buffer size; longer reductions may be split differently).
 *
 * @example
 * ```ts
 * import { numpySum } from "./standardize_numpy.ts";
 * import assert from "node:assert/strict";
 * assert.equal(numpySum([1, 2, 3]), 6);
 * // 0.1 added ten times: sequentially 0.9999999999999999, pairwise (as NumPy) exactly 1
 * assert.equal(numpySum(new Array(10).fill(0.1)), 1);
 * ```
 */
export function numpySum(values: ArrayLike<number>): number {
  return 0 + pairwise(values, 0, values.length);
}

/**
 * `(X - X.mean(axis=0)) / X.std(axis=0)` over all rows, as NumPy computes it for a column-major
 * float64 `X` (population std, ddof 0; a constant column gives NaN, as in NumPy).
 *
 * @param rows the table `[n][D]`, rows in the order the authors' array had before the split
 * @returns the standardised table (new arrays)
 *
 * @example
 * ```ts
 * import { standardizeNumpy } from "./standardize_numpy.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(standardizeNumpy([[1, 10], [3, 30]]), [[-1, -1], [1, 1]]);
 * ```
 */
export function standardizeNumpy(rows: readonly number[][]): number[][] {
  const n = rows.length;
  const d = n === 0 ? 0 : rows[0].length;
  const out = rows.map(() => new Array<number>(d));
  for (let j = 0; j < d; j++) {
    const column = Float64Array.from(rows, (r) => r[j]);
    const mean = numpySum(column) / n;
    const squares = column.map((v) => (v - mean) * (v - mean));
    const std = Math.sqrt(numpySum(squares) / n);
    for (let i = 0; i < n; i++) out[i][j] = (column[i] - mean) / std;
  }
  return out;
}
