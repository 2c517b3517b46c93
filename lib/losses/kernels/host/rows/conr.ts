/**
 * ConR's host row kernel (`../conr.ts` runs it): per run and anchor row, the value and the gradient with
 * respect to the cosine products, in float64. No tfjs: the pool's workers run it.
 *
 * @module
 */
import { exp } from "../exp.ts";
import type { RowKernel } from "./row_kernel.ts";
import { scratch } from "./_scratch.ts";

/**
 * The arrays of {@linkcode conrRows} (K runs): the inputs `gram`, `labelDist` (shared by the runs), either `preds`
 * (one column) or `predDist` (several), the per-run options `w`, `t`, `e`, and the outputs `grad` and
 * `rowValue`.
 */
export type ConrRowArrays = {
  /** f32 `[K, N, N]`: each run's `q·qᵀ` (the cosine products are its float32 quotients by the run's t). */
  gram: Float32Array;
  /** f32 `[N, N]`: the mean L1 label distances. */
  labelDist: Float32Array;
  /** f32 `[K, N]`: each run's predictions (one column). */
  preds?: Float32Array;
  /** f32 `[K, N, N]`: each run's mean L1 prediction distances (several columns; instead of `preds`). */
  predDist?: Float32Array;
  /** f64 `[K]`: each run's similarity window: positives have label distance ≤ w. */
  w: Float64Array;
  /** f64 `[K]`: each run's temperature of the cosine similarities. */
  t: Float64Array;
  /** f64 `[K]`: each run's pushing strength: negatives are weighted by `exp(e · label distance)`. */
  e: Float64Array;
  /** Output, f32 `[K, N, N]`: `∂L/∂prod_ij`, including the final `1/N`. */
  grad: Float32Array;
  /** Output, f64 `[K, N]`: `loss_i`, 0 for a row without a negative or a positive. */
  rowValue: Float64Array;
};

/**
 * ConR, per run and anchor row: row r of the job is anchor `i = r mod N` of run `⌊r / N⌋` (see
 * {@linkcode ConrRowArrays}; the formulas: `conrHost` in `../conr.ts`); no parameters (the options are per-run
 * arrays).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { conrRows } from "./conr.ts";
 * // Labels 0 and 5 with equal predictions: each row's one other row is a negative, and no row has
 * // a positive, so every row's value is 0.
 * const grad = new Float32Array(4), rowValue = new Float64Array(2);
 * const inputs = { gram: new Float32Array(4), labelDist: Float32Array.of(0, 5, 5, 0), preds: Float32Array.of(1, 1) };
 * const options = { w: Float64Array.of(1), t: Float64Array.of(0.07), e: Float64Array.of(0.01) };
 * conrRows.run({ ...inputs, ...options, grad, rowValue }, {}, 0, 2);
 * assert.deepEqual(Array.from(rowValue), [0, 0]);
 * ```
 */
export const conrRows: RowKernel<ConrRowArrays, Record<never, number>> = {
  arrays: ["gram", "labelDist", "preds", "predDist", "w", "t", "e", "grad", "rowValue"],
  params: [],
  run: ({ gram, labelDist, preds, predDist, w: ws, t: ts, e: es, grad, rowValue }, _params, r0, r1) => {
    const n = Math.round(Math.sqrt(labelDist.length));
    // Per pair of the current row: its cosine product, its term of the denominator, exp(prod) for a positive
    // and exp(e·l)·exp(prod) for a negative (0 otherwise), kept for the gradient pass; its positive mask (1) —
    // the rest is 0.
    const { a: term, b: pv, order: kind } = scratch(n);
    for (let r = r0; r < r1; r++) {
      const k = Math.floor(r / n), i = r - k * n, row = r * n, labelRow = i * n;
      const w = ws[k], e = es[k], t = Math.fround(ts[k]); // (t as the float32 scalar tensor it divided)
      let positives = 0, negatives = 0, denominator = 0;
      const b = preds === undefined ? 0 : preds[k * n + i];
      for (let j = 0; j < n; j++) {
        const l = labelDist[labelRow + j];
        const prod = Math.fround(gram[row + j] / t);
        pv[j] = prod;
        grad[row + j] = 0;
        const near = l <= w;
        if (near && j !== i) {
          positives++;
          kind[j] = 1;
          term[j] = exp(prod);
        } else {
          kind[j] = 0;
          term[j] = 0;
          denominator += 1; // exp(pos) with pos = 0: the authors' sum over every k
          // float32 distances, as the tensor program's pairwiseL1
          const p = preds !== undefined ? Math.abs(Math.fround(preds[k * n + j] - b)) : predDist![row + j];
          if (!near && p <= w) {
            negatives++;
            term[j] = exp(e * l + prod);
          }
        }
        denominator += term[j];
      }
      rowValue[r] = 0;
      if (negatives === 0 || positives === 0) continue; // h_i = 0, or no positive pair
      const logD = Math.log(denominator);
      let rowSum = 0;
      for (let j = 0; j < n; j++) {
        if (kind[j] === 1) {
          rowSum += logD - pv[j];
          grad[row + j] = (term[j] / denominator - 1 / positives) / n;
        } else if (term[j] !== 0) {
          grad[row + j] = term[j] / denominator / n;
        }
      }
      rowValue[r] = rowSum / positives;
    }
  },
};
