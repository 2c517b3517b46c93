/**
 * Small host passes that the host kernels of RnC, ConR and RankSim share over K runs (a sweep's): every run's
 * Gram matrix and symmetrised product on the host pool, the per-run totals of
 * the row values, the upstream gradient's factor per run, and the row normalisation of every run's features and
 * its gradient.
 *
 * @module
 */
import { runRows } from "./pool.ts";
import { gramRows, normalizeGradientRows, normalizeRows, symmetrizeRows } from "./rows/mod.ts";

/**
 * Each run's Gram matrix `q·qᵀ` (`q`: `[K, M, S]`, `out`: `[K, M, M]`, views of one `rowArrays` call) on the host
 * pool, in XNNPACK's arithmetic (`rows/gram.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays } from "./pool.ts";
 * import { runsGram } from "./runs.ts";
 * const { q, out } = rowArrays({ q: ["f32", 4], out: ["f32", 2] });
 * q.set([1, 2, 3, 4]); // two runs of one row of two
 * runsGram(q, out, 2, 1, 2);
 * assert.deepEqual(Array.from(out), [5, 25]);
 * ```
 */
export function runsGram(q: Float32Array, out: Float32Array, runs: number, m: number, s: number): void {
  runRows(gramRows, runs * m, { a: q, out }, { m, s, job: nextJob() });
}

/**
 * Each run's `s·Σ_j K_ij·c_j` (or with `laplacian`, `s·Σ_j K_ij·(c_i − c_j)`) for `K = G + Gᵀ` (`g`: `[K, N, N]`,
 * `c` and `out`: `[K, N, D]`, `scale`: the K factors s; views of one `rowArrays` call) on the host pool
 * (`rows/symmetrize.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays } from "./pool.ts";
 * import { runsSymmetrize } from "./runs.ts";
 * const { g, c, scale, out } = rowArrays({ g: ["f32", 4], c: ["f32", 4], scale: ["f64", 1], out: ["f32", 4] });
 * g.set([0, 1, 0, 0]); // K = [[0, 1], [1, 0]]
 * c.set([1, 2, 3, 4]);
 * scale.set([2]);
 * runsSymmetrize(g, c, scale, out, 1, 2, false);
 * assert.deepEqual(Array.from(out), [6, 8, 2, 4]);
 * ```
 */
export function runsSymmetrize(
  g: Float32Array,
  c: Float32Array,
  scale: Float64Array,
  out: Float32Array,
  runs: number,
  n: number,
  laplacian: boolean,
): void {
  runRows(symmetrizeRows, runs * n, { g, c, scale, out }, { laplacian: laplacian ? 1 : 0 });
}

let jobs = 0;

/** A fresh token for `gramRows` (new operands). */
function nextJob(): number {
  jobs = (jobs + 1) % 2 ** 31;
  return jobs;
}

/**
 * Each run's sum of its rows' values (`rowValue` is `[K, R]`), in float64, in row order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runTotals } from "./runs.ts";
 * assert.deepEqual(Array.from(runTotals(Float64Array.of(1, 2, 3, 4, 5, 6), 2)), [6, 15]);
 * ```
 */
export function runTotals(rowValue: Float64Array, runs: number): Float64Array {
  const rows = rowValue.length / runs, totals = new Float64Array(runs);
  for (let k = 0; k < runs; k++) {
    let total = 0;
    for (let i = k * rows; i < (k + 1) * rows; i++) total += rowValue[i];
    totals[k] = total;
  }
  return totals;
}

/**
 * `grad` (`[K, R]`) times each run's upstream gradient `dy[k]`, in float32 (as `tf.mul(grad, dy)` for one run).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { upstreamTimes } from "./runs.ts";
 * assert.deepEqual(Array.from(upstreamTimes(Float32Array.of(1, 2, 3, 4), [2, -1])), [2, 4, -3, -4]);
 * ```
 */
export function upstreamTimes(grad: Float32Array, dy: ArrayLike<number>): Float32Array {
  const out = new Float32Array(grad.length), perRun = grad.length / dy.length;
  for (let k = 0, at = 0; k < dy.length; k++) {
    for (const end = at + perRun; at < end; at++) out[at] = grad[at] * dy[k];
  }
  return out;
}

/**
 * The normalised rows `rows` of every run of `x` (`[K, N, D]`) into `q` (`[K, U, D]`) and `norms` (`[K, U]`) on the
 * host pool (`rows/normalize.ts`; views of one `rowArrays` call).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays } from "./pool.ts";
 * import { normalizeRuns } from "./runs.ts";
 * const a = rowArrays({ x: ["f32", 8], rows: ["i32", 1], q: ["f32", 4], norms: ["f64", 2] });
 * a.x.set([3, 4, 0, 2, 0, 2, 5, 0]); // row 0 of two runs of [2, 2]
 * a.rows.set([0]);
 * normalizeRuns(a.x, a.rows, a.q, a.norms, 2, 2, 2);
 * assert.deepEqual(Array.from(a.norms), [5, 2]);
 * ```
 */
export function normalizeRuns(
  x: Float32Array,
  rows: Int32Array,
  q: Float32Array,
  norms: Float64Array,
  runs: number,
  n: number,
  d: number,
): void {
  runRows(normalizeRows, runs * rows.length, { x, rows, q, norms }, { n, d, u: rows.length });
}

/**
 * The gradient with respect to `x` (`dx`: `[K, N, D]`, 0 on the rows not selected) of {@linkcode normalizeRuns} for
 * the upstream `dq` (`[K, U, D]`), `at` giving each row of x its index among the selected rows (−1: none), on the
 * host pool (`rows/normalize.ts`; views of one `rowArrays` call).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays } from "./pool.ts";
 * import { normalizeRuns, normalizeRunsGradient } from "./runs.ts";
 * const a = rowArrays({
 *   x: ["f32", 4], rows: ["i32", 1], q: ["f32", 4], norms: ["f64", 2], at: ["i32", 1], dx: ["f32", 4],
 * });
 * a.x.set([3, 4, 0, 2]); // two runs of [1, 2]
 * a.rows.set([0]);
 * a.at.set([0]);
 * normalizeRuns(a.x, a.rows, a.q, a.norms, 2, 1, 2);
 * // An upstream gradient along q itself: the normalisation has no gradient in that direction.
 * normalizeRunsGradient(a.q, a.q, a.norms, a.at, a.dx, 2, 1, 2, 1);
 * assert.ok(a.dx.every((v) => Math.abs(v) < 1e-8));
 * ```
 */
export function normalizeRunsGradient(
  q: Float32Array,
  dq: Float32Array,
  norms: Float64Array,
  at: Int32Array,
  dx: Float32Array,
  runs: number,
  n: number,
  d: number,
  u: number,
): void {
  runRows(normalizeGradientRows, runs * n, { q, dq, norms, at, dx }, { n, d, u });
}
