/**
 * `l2Normalize` (torch's `F.normalize(x, dim=1)`, eps 1e-12) of selected rows on the host, and its
 * vector-Jacobian product: for the host kernels, where a `[N, D]` feature matrix is a few KiB and the
 * dozen tfjs ops of the tensor form (and of its gradient) cost more than the arithmetic.
 *
 * @module
 */

/**
 * Writes `q_k = x_r / sqrt(max(‖x_r‖², 1e-24))` for the rows `r = rows[k]` of `x` (`[N, D]`, row-major)
 * to `q` (`[rows.length, D]`, float32) and each row's divisor to `norms` (float64 arithmetic).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeRows } from "./normalize.ts";
 * const q = new Float32Array(2), norms = new Float64Array(1);
 * normalizeRows([0, 0, 3, 4], 2, [1], q, norms); // row 1 of a [2, 2] matrix
 * assert.deepEqual(Array.from(q), [Math.fround(0.6), Math.fround(0.8)]);
 * assert.equal(norms[0], 5);
 * ```
 */
export function normalizeRows(
  x: ArrayLike<number>,
  d: number,
  rows: ArrayLike<number>,
  q: Float32Array,
  norms: Float64Array,
): void {
  for (let k = 0; k < rows.length; k++) {
    const base = rows[k] * d;
    let sq = 0;
    for (let t = 0; t < d; t++) sq += x[base + t] * x[base + t];
    const norm = Math.sqrt(Math.max(sq, 1e-24));
    norms[k] = sq >= 1e-24 ? norm : -norm; // negative: the clamp is active (its branch carries no gradient)
    for (let t = 0; t < d; t++) q[k * d + t] = x[base + t] / norm;
  }
}

/**
 * The gradient with respect to `x` (`[N, D]`, zero on rows not selected) of {@linkcode normalizeRows}
 * for the upstream `dq` (`[rows.length, D]`): `(dq − q·(q·dq)) / norm` where the clamp is inactive,
 * `dq / norm` where it is active (as autodiff of `x / sqrt(max(Σx², 1e-24))` gives). Rows selected
 * twice add up.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeRows, normalizeRowsGradient } from "./normalize.ts";
 * const q = new Float32Array(2), norms = new Float64Array(1);
 * normalizeRows([3, 4], 2, [0], q, norms);
 * // An upstream gradient along q itself: the normalisation has no gradient in that direction.
 * const dx = normalizeRowsGradient(q, q, norms, [0], 1, 2);
 * assert.ok(Math.abs(dx[0]) < 1e-8 && Math.abs(dx[1]) < 1e-8);
 * ```
 */
export function normalizeRowsGradient(
  q: Float32Array,
  dq: ArrayLike<number>,
  norms: Float64Array,
  rows: ArrayLike<number>,
  n: number,
  d: number,
): Float32Array {
  const dx = new Float32Array(n * d);
  for (let k = 0; k < rows.length; k++) {
    const norm = Math.abs(norms[k]), base = rows[k] * d, at = k * d;
    let dot = 0;
    if (norms[k] > 0) { for (let t = 0; t < d; t++) dot += q[at + t] * dq[at + t]; }
    for (let t = 0; t < d; t++) dx[base + t] += (dq[at + t] - q[at + t] * dot) / norm;
  }
  return dx;
}
