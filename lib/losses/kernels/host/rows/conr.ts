/**
 * ConR's host row kernel (`../conr.ts` runs it): per run and anchor row, the value and the gradient with
 * respect to the cosine products, in WebAssembly (`conr.c`). No tfjs: the pool's workers run it.
 *
 * @module
 */
import type { RowKernel } from "./row_kernel.ts";
import { wasmKernel } from "./memory.ts";
import { WASM_BASE64 } from "./_conr_wasm.ts";

/**
 * The arrays of {@linkcode conrRows} (K runs): the inputs `gram`, `labelDist` (shared by the runs), either `preds`
 * (one column) or `predDist` (several), the per-run options `w`, `t`, `e`, and the outputs `grad` and
 * `rowValue`; views of the host memory.
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

interface ConrExports {
  conr_rows(
    gram: number,
    labelDist: number,
    preds: number,
    predDist: number,
    w: number,
    t: number,
    e: number,
    grad: number,
    rowValue: number,
    n: number,
    r0: number,
    r1: number,
    scratch: number,
  ): void;
}

/**
 * ConR, per run and anchor row, by the WebAssembly SIMD kernel of `conr.c`: row r of the job is anchor
 * `i = r mod N` of run `⌊r / N⌋` (see {@linkcode ConrRowArrays}; the formulas: `conrHost` in `../conr.ts`); no
 * parameters (the options are per-run arrays). The cosine products are float32 quotients, the pairs' kinds
 * compare the float32 distances with w in float64, the exponentials and sums are float64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "../pool.ts";
 * import { conrRows } from "./conr.ts";
 * // Labels 0 and 5 with equal predictions: each row's one other row is a negative, and no row has
 * // a positive, so every row's value is 0.
 * const arrays = rowArrays({
 *   gram: ["f32", 4], labelDist: ["f32", 4], preds: ["f32", 2], w: ["f64", 1], t: ["f64", 1], e: ["f64", 1],
 *   grad: ["f32", 4], rowValue: ["f64", 2],
 * });
 * arrays.gram.fill(0);
 * arrays.labelDist.set([0, 5, 5, 0]);
 * arrays.preds.set([1, 1]);
 * arrays.w.set([1]);
 * arrays.t.set([0.07]);
 * arrays.e.set([0.01]);
 * runRows(conrRows, 2, arrays, {});
 * assert.deepEqual(Array.from(arrays.rowValue), [0, 0]);
 * ```
 */
export const conrRows: RowKernel<ConrRowArrays, Record<never, number>> = {
  arrays: ["gram", "labelDist", "preds", "predDist", "w", "t", "e", "grad", "rowValue"],
  params: [],
  scratchBytes: ({ rowValue, w }) => (12 * rowValue.length) / w.length + 128,
  run: ({ gram, labelDist, preds, predDist, w, t, e, grad, rowValue }, _params, r0, r1, scratch = 0) => {
    (wasmKernel(WASM_BASE64) as unknown as ConrExports).conr_rows(
      gram.byteOffset,
      labelDist.byteOffset,
      preds?.byteOffset ?? 0,
      predDist?.byteOffset ?? 0,
      w.byteOffset,
      t.byteOffset,
      e.byteOffset,
      grad.byteOffset,
      rowValue.byteOffset,
      rowValue.length / w.length,
      r0,
      r1,
      scratch,
    );
  },
};
