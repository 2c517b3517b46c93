/**
 * RankSim's host row kernels (`../rank_sim.ts` runs them): the label ranks, once per call and shared by its
 * runs ({@linkcode rankSimLabelRows}); per run and anchor row, in WebAssembly (`rank_sim.c`), the ranks of the
 * feature similarities and the row's value ({@linkcode rankSimForwardRows}), and TrueRanker's blackbox gradient
 * ({@linkcode rankSimBackwardRows}). No tfjs: the pool's workers run them.
 *
 * @module
 */
import { labelDistanceOrderRow } from "../order.ts";
import type { RowKernel } from "./row_kernel.ts";
import { scratch, sortedLabels } from "./_scratch.ts";
import { wasmKernel } from "./memory.ts";
import { WASM_BASE64 } from "./_rank_sim_wasm.ts";

/** The authors' TrueRanker divides by (λ + 1e-8). */
export const RANK_SIM_LAMBDA_EPS = 1e-8;

/** The arrays of {@linkcode rankSimLabelRows}. */
export type RankSimLabelRowArrays = {
  /** f32 `[U]`: the labels. */
  labels: Float32Array;
  /** i32 `[U]`: the labels' `sortedIndex`. */
  sorted: Int32Array;
  /** Output, f32 `[U, U]`: `(position + 1)/U` in the descending order of `−|y_i − y_j|` (equal values later column first). */
  labelRank: Float32Array;
};

/**
 * RankSim's label ranks, per anchor row i (see {@linkcode RankSimLabelRowArrays}); no parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rankSimLabelRows } from "./rank_sim.ts";
 * // Labels 0, 1, 3: anchor 0 is nearest to itself, then to 1, then to 3.
 * const labelRank = new Float32Array(9);
 * rankSimLabelRows.run({ labels: Float32Array.of(0, 1, 3), sorted: Int32Array.of(0, 1, 2), labelRank }, {}, 0, 3);
 * assert.deepEqual(Array.from(labelRank.subarray(0, 3)), [1 / 3, 2 / 3, 1].map(Math.fround));
 * ```
 */
export const rankSimLabelRows: RowKernel<RankSimLabelRowArrays, Record<never, number>> = {
  arrays: ["labels", "sorted", "labelRank"],
  params: [],
  run: ({ labels, sorted, labelRank }, _params, r0, r1) => {
    const u = labels.length;
    const { order } = scratch(u);
    const step = rankSteps(u);
    const v = sortedLabels(labels, sorted);
    for (let i = r0; i < r1; i++) {
      const row = i * u;
      labelDistanceOrderRow(v, sorted, labels[i], false, order, 0);
      for (let p = 0; p < u; p++) labelRank[row + order[p]] = step[p];
    }
  },
};

/** The arrays of {@linkcode rankSimForwardRows} (K runs). */
export type RankSimForwardRowArrays = {
  /** f32 `[K, U, U]`: each run's feature similarities. */
  s: Float32Array;
  /** f32 `[U, U]`: the label ranks ({@linkcode rankSimLabelRows}), shared by the runs. */
  labelRank: Float32Array;
  /** Output, f32 `[K, U, U]`: `(position + 1)/U` in the descending order of `s_i` (equal values later column first). */
  rank: Float32Array;
  /** Output, f64 `[K, U]`: `Σ_j (rank_ij − labelRank_ij)²`. */
  rowValue: Float64Array;
};

interface RankSimExports {
  rank_sim_forward(
    s: number,
    labelRank: number,
    rank: number,
    rowValue: number,
    u: number,
    r0: number,
    r1: number,
    scratch: number,
  ): void;
  rank_sim_backward(
    s: number,
    rank: number,
    labelRank: number,
    lambda: number,
    scale: number,
    grad: number,
    u: number,
    r0: number,
    r1: number,
    scratch: number,
  ): void;
}

/** The scratch of the WebAssembly kernels for rows of u values. */
const scratchBytes = ({ labelRank }: { labelRank: Float32Array }) =>
  64 * Math.round(Math.sqrt(labelRank.length)) + 1536;

/**
 * RankSim's rank part, forward, per run and anchor row, by the WebAssembly kernel of `rank_sim.c`: row r of the
 * job is row `r mod U` of run `⌊r / U⌋` (see {@linkcode RankSimForwardRowArrays}); no parameters. The row's order
 * is that of `../order.ts`'s `descendingOrderRow`; the value's sum is float64, in increasing column order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "../pool.ts";
 * import { rankSimForwardRows } from "./rank_sim.ts";
 * // Similarities that order the rows as the labels do: equal ranks, zero value.
 * const arrays = rowArrays({ s: ["f32", 4], labelRank: ["f32", 4], rank: ["f32", 4], rowValue: ["f64", 2] });
 * arrays.s.set([1, 0, 0, 1]);
 * arrays.labelRank.set([0.5, 1, 1, 0.5]);
 * runRows(rankSimForwardRows, 2, arrays, {});
 * assert.deepEqual(Array.from(arrays.rowValue), [0, 0]);
 * ```
 */
export const rankSimForwardRows: RowKernel<RankSimForwardRowArrays, Record<never, number>> = {
  arrays: ["s", "labelRank", "rank", "rowValue"],
  params: [],
  scratchBytes,
  run: ({ s, labelRank, rank, rowValue }, _params, r0, r1, scratch = 0) => {
    (wasmKernel(WASM_BASE64) as unknown as RankSimExports).rank_sim_forward(
      s.byteOffset,
      labelRank.byteOffset,
      rank.byteOffset,
      rowValue.byteOffset,
      Math.round(Math.sqrt(labelRank.length)),
      r0,
      r1,
      scratch,
    );
  },
};

/** The arrays of {@linkcode rankSimBackwardRows} (K runs). */
export type RankSimBackwardRowArrays = {
  /** f32 `[K, U, U]`: the feature similarities. */
  s: Float32Array;
  /** f32 `[K, U, U]`: their ranks (as {@linkcode rankSimForwardRows}). */
  rank: Float32Array;
  /** f32 `[U, U]`: the label ranks (as {@linkcode rankSimLabelRows}). */
  labelRank: Float32Array;
  /** f64 `[K]`: each run's TrueRanker interpolation strength λ. */
  lambda: Float64Array;
  /** f64 `[K]`: each run's upstream gradient factor `dy · 2/U`. */
  scale: Float64Array;
  /** Output, f32 `[K, U, U]`: the gradient with respect to `s`. */
  grad: Float32Array;
};

/**
 * RankSim's rank part, backward (TrueRanker's blackbox gradient), per run and row, by the WebAssembly kernel of
 * `rank_sim.c`: `grad = (rank(s + λ·scale·(rank − labelRank)) − rank) / (λ + 1e-8)`, the shifted input computed
 * in float64 and rounded to float32; no parameters (λ and the scale are per-run arrays).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "../pool.ts";
 * import { rankSimBackwardRows } from "./rank_sim.ts";
 * // Feature ranks equal to the label ranks: the shifted input is s itself, the gradient 0.
 * const arrays = rowArrays({
 *   s: ["f32", 4], rank: ["f32", 4], labelRank: ["f32", 4], lambda: ["f64", 1], scale: ["f64", 1], grad: ["f32", 4],
 * });
 * arrays.s.set([1, 0, 0, 1]);
 * arrays.rank.set([0.5, 1, 1, 0.5]);
 * arrays.labelRank.set([0.5, 1, 1, 0.5]);
 * arrays.lambda.set([2]);
 * arrays.scale.set([1]);
 * runRows(rankSimBackwardRows, 2, arrays, {});
 * assert.deepEqual(Array.from(arrays.grad), [0, 0, 0, 0]);
 * ```
 */
export const rankSimBackwardRows: RowKernel<RankSimBackwardRowArrays, Record<never, number>> = {
  arrays: ["s", "rank", "labelRank", "lambda", "scale", "grad"],
  params: [],
  scratchBytes,
  run: ({ s, rank, labelRank, lambda, scale, grad }, _params, r0, r1, scratch = 0) => {
    (wasmKernel(WASM_BASE64) as unknown as RankSimExports).rank_sim_backward(
      s.byteOffset,
      rank.byteOffset,
      labelRank.byteOffset,
      lambda.byteOffset,
      scale.byteOffset,
      grad.byteOffset,
      Math.round(Math.sqrt(labelRank.length)),
      r0,
      r1,
      scratch,
    );
  },
};

let steps = new Float32Array(0);

/** `(p + 1)/u` for p < u, as float32 (the normalised ranks). */
function rankSteps(u: number): Float32Array {
  if (steps.length !== u) {
    steps = new Float32Array(u);
    for (let p = 0; p < u; p++) steps[p] = (p + 1) / u;
  }
  return steps;
}
