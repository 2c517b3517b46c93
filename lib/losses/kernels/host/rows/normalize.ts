/**
 * `l2Normalize` (torch's `F.normalize(x, dim=1)`, eps 1e-12) of selected rows of K runs' features, and its
 * vector-Jacobian product, as row kernels by the WebAssembly kernels of `normalize.c` in the host memory: for ConR's
 * and RankSim's host kernels, where the dozen tfjs ops of the tensor form (and of its gradient) cost more than the
 * arithmetic. Float64 arithmetic, float32 results. No tfjs: the pool's workers run them.
 *
 * @module
 */
import type { RowKernel } from "./row_kernel.ts";
import { wasmKernel } from "./memory.ts";
import { WASM_BASE64 } from "./_normalize_wasm.ts";

/** The arrays of {@linkcode normalizeRows} (K runs; views of the host memory). */
export type NormalizeRowArrays = {
  /** f32 `[K, N, D]`: the features. */
  x: Float32Array;
  /** i32 `[U]`: the rows selected (the same in every run; distinct). */
  rows: Int32Array;
  /** Output, f32 `[K, U, D]`: `q_m = x_r / sqrt(max(‖x_r‖², 1e-24))` for `r = rows[m]`. */
  q: Float32Array;
  /** Output, f64 `[K, U]`: each selected row's divisor, negative where the clamp is active. */
  norms: Float64Array;
};

/** The arrays of {@linkcode normalizeGradientRows} (K runs; views of the host memory). */
export type NormalizeGradientRowArrays = {
  /** f32 `[K, U, D]`: the normalised rows ({@linkcode normalizeRows}). */
  q: Float32Array;
  /** f32 `[K, U, D]`: the upstream gradient with respect to q. */
  dq: Float32Array;
  /** f64 `[K, U]`: the divisors ({@linkcode normalizeRows}). */
  norms: Float64Array;
  /** i32 `[N]`: for each row of x, its index among the selected rows (−1: not selected). */
  at: Int32Array;
  /** Output, f32 `[K, N, D]`: the gradient with respect to x (0 on the rows not selected). */
  dx: Float32Array;
};

/** The parameters of both kernels. */
export type NormalizeRowParams = {
  /** N, the rows of each run's x. */
  n: number;
  /** D, the features. */
  d: number;
  /** U, the rows selected. */
  u: number;
};

interface NormalizeExports {
  normalize_rows(
    x: number,
    rows: number,
    q: number,
    norms: number,
    n: number,
    d: number,
    u: number,
    r0: number,
    r1: number,
  ): void;
  normalize_gradient_rows(
    q: number,
    dq: number,
    norms: number,
    at: number,
    dx: number,
    n: number,
    d: number,
    u: number,
    r0: number,
    r1: number,
  ): void;
}

/**
 * The normalised selected rows: row r of the job is selected row `r mod U` of run `⌊r / U⌋` (a job of K·U rows;
 * see {@linkcode NormalizeRowArrays}); the squared norm summed in increasing column order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "../pool.ts";
 * import { normalizeRows } from "./normalize.ts";
 * const a = rowArrays({ x: ["f32", 4], rows: ["i32", 1], q: ["f32", 2], norms: ["f64", 1] });
 * a.x.set([0, 0, 3, 4]); // row 1 of a [2, 2] matrix
 * a.rows.set([1]);
 * runRows(normalizeRows, 1, a, { n: 2, d: 2, u: 1 });
 * assert.deepEqual(Array.from(a.q), [Math.fround(0.6), Math.fround(0.8)]);
 * assert.equal(a.norms[0], 5);
 * ```
 */
export const normalizeRows: RowKernel<NormalizeRowArrays, NormalizeRowParams> = {
  arrays: ["x", "rows", "q", "norms"],
  params: ["n", "d", "u"],
  run: ({ x, rows, q, norms }, { n, d, u }, r0, r1) => {
    (wasmKernel(WASM_BASE64) as unknown as NormalizeExports).normalize_rows(
      x.byteOffset,
      rows.byteOffset,
      q.byteOffset,
      norms.byteOffset,
      n,
      d,
      u,
      r0,
      r1,
    );
  },
};

/**
 * The gradient of {@linkcode normalizeRows} with respect to x: row r of the job is row `r mod N` of run `⌊r / N⌋`
 * (a job of K·N rows; see {@linkcode NormalizeGradientRowArrays}): `(dq − q·(q·dq)) / norm` where the clamp is
 * inactive, `dq / norm` where it is active (as autodiff of `x / sqrt(max(Σx², 1e-24))` gives), 0 on the rows not
 * selected.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "../pool.ts";
 * import { normalizeGradientRows, normalizeRows } from "./normalize.ts";
 * const a = rowArrays({
 *   x: ["f32", 2], rows: ["i32", 1], q: ["f32", 2], norms: ["f64", 1], at: ["i32", 1], dx: ["f32", 2],
 * });
 * a.x.set([3, 4]);
 * a.rows.set([0]);
 * a.at.set([0]);
 * runRows(normalizeRows, 1, a, { n: 1, d: 2, u: 1 });
 * // An upstream gradient along q itself: the normalisation has no gradient in that direction.
 * runRows(normalizeGradientRows, 1, { ...a, dq: a.q }, { n: 1, d: 2, u: 1 });
 * assert.ok(Math.abs(a.dx[0]) < 1e-8 && Math.abs(a.dx[1]) < 1e-8);
 * ```
 */
export const normalizeGradientRows: RowKernel<NormalizeGradientRowArrays, NormalizeRowParams> = {
  arrays: ["q", "dq", "norms", "at", "dx"],
  params: ["n", "d", "u"],
  run: ({ q, dq, norms, at, dx }, { n, d, u }, r0, r1) => {
    (wasmKernel(WASM_BASE64) as unknown as NormalizeExports).normalize_gradient_rows(
      q.byteOffset,
      dq.byteOffset,
      norms.byteOffset,
      at.byteOffset,
      dx.byteOffset,
      n,
      d,
      u,
      r0,
      r1,
    );
  },
};
