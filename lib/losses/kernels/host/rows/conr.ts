/**
 * ConR's host row kernel (`../conr.ts` runs it): per anchor row, the value and the gradient with
 * respect to the cosine products, in float64. No tfjs: the pool's workers run it.
 *
 * @module
 */
import { exp } from "../exp.ts";
import type { RowKernel } from "./row_kernel.ts";
import { scratch } from "./_scratch.ts";

/**
 * The arrays of {@linkcode conrRows}: the input `prod` and either `labels` and `preds` (one column)
 * or `labelDist` and `predDist` (several), and the outputs `grad` and `rowValue`.
 */
export type ConrRowArrays = {
  /** f32 `[N, N]`: `q·qᵀ / t`. */
  prod: Float32Array;
  /** f32 `[N]`: the labels (one column). */
  labels?: Float32Array;
  /** f32 `[N]`: the predictions (one column). */
  preds?: Float32Array;
  /** f32 `[N, N]`: the mean L1 label distances (several columns; instead of `labels`). */
  labelDist?: Float32Array;
  /** f32 `[N, N]`: the mean L1 prediction distances (several columns; instead of `preds`). */
  predDist?: Float32Array;
  /** Output, f32 `[N, N]`: `∂L/∂prod_ij`, including the final `1/N`. */
  grad: Float32Array;
  /** Output, f64 `[N]`: `loss_i`, 0 for a row without a negative or a positive. */
  rowValue: Float64Array;
};

/** The parameters of {@linkcode conrRows}. */
export type ConrRowParams = {
  /** The similarity window: positives have label distance ≤ w. */
  w: number;
  /** The pushing strength: negatives are weighted by `exp(e · label distance)`. */
  e: number;
};

/**
 * ConR, per anchor row i (see {@linkcode ConrRowArrays}; the formulas: `conrHost` in `../conr.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { conrRows } from "./conr.ts";
 * // Labels 0 and 5 with equal predictions: each row's one other row is a negative, and no row has
 * // a positive, so every row's value is 0.
 * const grad = new Float32Array(4), rowValue = new Float64Array(2);
 * const arrays = { prod: new Float32Array(4), labels: Float32Array.of(0, 5), preds: Float32Array.of(1, 1) };
 * conrRows.run({ ...arrays, grad, rowValue }, { w: 1, e: 0.01 }, 0, 2);
 * assert.deepEqual(Array.from(rowValue), [0, 0]);
 * ```
 */
export const conrRows: RowKernel<ConrRowArrays, ConrRowParams> = {
  arrays: ["prod", "labels", "preds", "labelDist", "predDist", "grad", "rowValue"],
  params: ["w", "e"],
  run: ({ prod: pv, labels, preds, labelDist, predDist, grad, rowValue }, { w, e }, r0, r1) => {
    const n = rowValue.length;
    // Per pair of the current row: its term of the denominator, exp(prod) for a positive and
    // exp(e·l)·exp(prod) for a negative (0 otherwise), kept for the gradient pass; the row's label
    // distances; its positive mask (1) — the rest is 0.
    const { a: term, b: labelRow, order: kind } = scratch(n);
    for (let i = r0; i < r1; i++) {
      const row = i * n;
      let positives = 0, negatives = 0, denominator = 0;
      const a = labels === undefined ? 0 : labels[i], b = preds === undefined ? 0 : preds[i];
      for (let j = 0; j < n; j++) {
        // float32 distances, as the tensor program's pairwiseL1
        const l = labels !== undefined ? Math.abs(Math.fround(labels[j] - a)) : labelDist![row + j];
        labelRow[j] = l;
        grad[row + j] = 0;
        const near = l <= w;
        if (near && j !== i) {
          positives++;
          kind[j] = 1;
          term[j] = exp(pv[row + j]);
        } else {
          kind[j] = 0;
          term[j] = 0;
          denominator += 1; // exp(pos) with pos = 0: the authors' sum over every k
          const p = preds !== undefined ? Math.abs(Math.fround(preds[j] - b)) : predDist![row + j];
          if (!near && p <= w) {
            negatives++;
            term[j] = exp(e * l + pv[row + j]);
          }
        }
        denominator += term[j];
      }
      rowValue[i] = 0;
      if (negatives === 0 || positives === 0) continue; // h_i = 0, or no positive pair
      const logD = Math.log(denominator);
      let rowSum = 0;
      for (let j = 0; j < n; j++) {
        if (kind[j] === 1) {
          rowSum += logD - pv[row + j];
          grad[row + j] = (term[j] / denominator - 1 / positives) / n;
        } else if (term[j] !== 0) {
          grad[row + j] = term[j] / denominator / n;
        }
      }
      rowValue[i] = rowSum / positives;
    }
  },
};
