/**
 * RankSim's host row kernels (`../rank_sim.ts` runs them): the rank part's value (the ranks of the
 * feature similarities and of the label similarities, per anchor row) and TrueRanker's blackbox
 * gradient. No tfjs: the pool's workers run them.
 *
 * @module
 */
import { descendingOrderRow, labelDistanceOrderRow } from "../order.ts";
import type { RowKernel } from "./row_kernel.ts";
import { scratch, sortedLabels } from "./_scratch.ts";

/** The authors' TrueRanker divides by (λ + 1e-8). */
export const RANK_SIM_LAMBDA_EPS = 1e-8;

/** The arrays of {@linkcode rankSimForwardRows}. */
export type RankSimForwardRowArrays = {
  /** f32 `[U, U]`: the feature similarities. */
  s: Float32Array;
  /** f32 `[U]`: the labels. */
  labels: Float32Array;
  /** i32 `[U]`: the labels' `sortedIndex`. */
  sorted: Int32Array;
  /** Output, f32 `[U, U]`: `(position + 1)/U` in the descending order of `s_i` (equal values later column first). */
  rank: Float32Array;
  /** Output, f32 `[U, U]`: the same for `−|y_i − y_j|`. */
  labelRank: Float32Array;
  /** Output, f64 `[U]`: `Σ_j (rank_ij − labelRank_ij)²`. */
  rowValue: Float64Array;
};

/**
 * RankSim's rank part, forward, per anchor row i (see {@linkcode RankSimForwardRowArrays}); no
 * parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rankSimForwardRows } from "./rank_sim.ts";
 * // Similarities that order the rows as the labels do: equal ranks, zero value.
 * const out = { rank: new Float32Array(4), labelRank: new Float32Array(4), rowValue: new Float64Array(2) };
 * const s = Float32Array.of(1, 0, 0, 1), labels = Float32Array.of(0, 1), sorted = Int32Array.of(0, 1);
 * rankSimForwardRows.run({ s, labels, sorted, ...out }, {}, 0, 2);
 * assert.deepEqual(Array.from(out.rowValue), [0, 0]);
 * ```
 */
export const rankSimForwardRows: RowKernel<RankSimForwardRowArrays, Record<never, number>> = {
  arrays: ["s", "labels", "sorted", "rank", "labelRank", "rowValue"],
  params: [],
  run: ({ s, labels, sorted, rank, labelRank, rowValue }, _params, r0, r1) => {
    const u = labels.length;
    const { order } = scratch(u);
    const step = rankSteps(u);
    const v = sortedLabels(labels, sorted);
    for (let i = r0; i < r1; i++) {
      const row = i * u;
      labelDistanceOrderRow(v, sorted, labels[i], false, order, 0);
      for (let p = 0; p < u; p++) labelRank[row + order[p]] = step[p];
      descendingOrderRow(s, row, u, order, 0);
      for (let p = 0; p < u; p++) rank[row + order[p]] = step[p];
      let total = 0;
      for (let j = row; j < row + u; j++) total += (rank[j] - labelRank[j]) ** 2;
      rowValue[i] = total;
    }
  },
};

/** The arrays of {@linkcode rankSimBackwardRows}. */
export type RankSimBackwardRowArrays = {
  /** f32 `[U, U]`: the feature similarities. */
  s: Float32Array;
  /** f32 `[U, U]`: their ranks (as {@linkcode rankSimForwardRows}). */
  rank: Float32Array;
  /** f32 `[U, U]`: the label ranks (as {@linkcode rankSimForwardRows}). */
  labelRank: Float32Array;
  /** Output, f32 `[U, U]`: the gradient with respect to `s`. */
  grad: Float32Array;
};

/** The parameters of {@linkcode rankSimBackwardRows}. */
export type RankSimBackwardRowParams = {
  /** TrueRanker's interpolation strength λ. */
  lambda: number;
  /** The upstream gradient's factor: `dy · 2/U`. */
  scale: number;
};

/**
 * RankSim's rank part, backward (TrueRanker's blackbox gradient), per row: `grad =
 * (rank(s + λ·scale·(rank − labelRank)) − rank) / (λ + 1e-8)`, the shifted input rounded to float32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rankSimBackwardRows } from "./rank_sim.ts";
 * // Feature ranks equal to the label ranks: the shifted input is s itself, the gradient 0.
 * const rank = Float32Array.of(0.5, 1, 1, 0.5), grad = new Float32Array(4);
 * const arrays = { s: Float32Array.of(1, 0, 0, 1), rank, labelRank: rank, grad };
 * rankSimBackwardRows.run(arrays, { lambda: 2, scale: 1 }, 0, 2);
 * assert.deepEqual(Array.from(grad), [0, 0, 0, 0]);
 * ```
 */
export const rankSimBackwardRows: RowKernel<RankSimBackwardRowArrays, RankSimBackwardRowParams> = {
  arrays: ["s", "rank", "labelRank", "grad"],
  params: ["lambda", "scale"],
  run: ({ s, rank, labelRank, grad }, { lambda, scale }, r0, r1) => {
    const u = Math.round(Math.sqrt(s.length));
    const { order, values: shifted } = scratch(u);
    const step = rankSteps(u);
    for (let i = r0; i < r1; i++) {
      const row = i * u;
      for (let j = 0; j < u; j++) {
        shifted[j] = s[row + j] + lambda * scale * (rank[row + j] - labelRank[row + j]);
      }
      descendingOrderRow(shifted, 0, u, order, 0);
      for (let p = 0; p < u; p++) {
        const k = row + order[p];
        grad[k] = (step[p] - rank[k]) / (lambda + RANK_SIM_LAMBDA_EPS);
      }
    }
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
