/**
 * RnC's host row kernels (`../rnc.ts` runs them): the label side, once per call and shared by its runs — per
 * anchor, the other rows in order of decreasing label distance and the tie groups of that order
 * ({@linkcode rncLabelRows}) — and the feature side, per run and anchor, in WebAssembly (`rnc.c`): the value and
 * the gradient with respect to the feature distances ({@linkcode rncRows}). No tfjs: the pool's workers run them.
 *
 * @module
 */
import { descendingOrderRow, labelDistanceOrderRow } from "../order.ts";
import type { RowKernel } from "./row_kernel.ts";
import { scratch, sortedLabels } from "./_scratch.ts";
import { wasmKernel } from "./memory.ts";
import { WASM_BASE64 } from "./_rnc_wasm.ts";

/**
 * The arrays of {@linkcode rncLabelRows}: the inputs, either `labels` and `sorted` (one label column) or
 * `labelDist` (several), and the outputs `order` and `weight`.
 */
export type RncLabelRowArrays = {
  /** f32 `[N]`: the labels (one column). */
  labels?: Float32Array;
  /** i32 `[N]`: the labels' `sortedIndex` (with `labels`). */
  sorted?: Int32Array;
  /** f32 `[N, N]`: the label distances (several columns; instead of `labels` and `sorted`). */
  labelDist?: Float32Array;
  /** Output, i32 `[N, N]`: per anchor, the columns by decreasing label distance (the walk order). */
  order: Int32Array;
  /**
   * Output, i32 `[N, N]`: at the walk position that ends a tie group, the number of anchors k ≠ i in the group
   * (each adds `log` of the cumulative sum there); 0 elsewhere.
   */
  weight: Int32Array;
};

/**
 * RnC's label side, per anchor row i (see {@linkcode RncLabelRowArrays}); no parameters. Within a tie group the
 * order is the merge order of `labelDistanceOrderRow` (one column) or the row sort's (several): the group
 * shares one denominator, but the cumulative sums of {@linkcode rncRows} follow this order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rncLabelRows } from "./rnc.ts";
 * // Labels 0, 1, 1: anchor 0 walks the tie group {1, 2} (two anchors, one log each), then itself.
 * const order = new Int32Array(9), weight = new Int32Array(9);
 * const labels = Float32Array.of(0, 1, 1), sorted = Int32Array.of(0, 1, 2);
 * rncLabelRows.run({ labels, sorted, order, weight }, {}, 0, 3);
 * assert.deepEqual(Array.from(weight.subarray(0, 3)), [0, 2, 0]);
 * assert.equal(order[2], 0);
 * ```
 */
export const rncLabelRows: RowKernel<RncLabelRowArrays, Record<never, number>> = {
  arrays: ["labels", "sorted", "labelDist", "order", "weight"],
  params: [],
  run: ({ labels, sorted, labelDist, order, weight }, _params, r0, r1) => {
    const n = Math.round(Math.sqrt(order.length));
    const { distances: labelDistance } = scratch(n);
    const v = labels === undefined ? null : sortedLabels(labels, sorted!);
    for (let i = r0; i < r1; i++) {
      const row = i * n;
      if (labels !== undefined) {
        // (the order within a tie group does not matter here: the group shares one denominator)
        labelDistanceOrderRow(v!, sorted!, labels[i], true, order, row, labelDistance, false);
      } else {
        descendingOrderRow(labelDist!, row, n, order, row);
        for (let p = 0; p < n; p++) labelDistance[p] = labelDist![row + order[row + p]];
      }
      // A tie group's m anchors share the denominator at the group's end; the diagonal, in the last group, is
      // no anchor.
      let groupStart = 0, at = -1;
      for (let p = 0; p < n; p++) {
        if (order[row + p] === i) at = p;
        weight[row + p] = 0;
        if (p < n - 1 && labelDistance[p + 1] === labelDistance[p]) continue;
        weight[row + p] = p + 1 - groupStart - (at >= groupStart ? 1 : 0);
        groupStart = p + 1;
      }
    }
  },
};

/**
 * The arrays of {@linkcode rncRows}: K runs' Gram matrices and temperatures, the label side of
 * {@linkcode rncLabelRows} (shared by the runs), and the outputs `g` and `rowValue`; views of the host memory.
 */
export type RncRowArrays = {
  /**
   * f32 `[K, N, N]`: each run's Gram matrix of its centred features (distances
   * `sqrt(max(0, g_ii + g_jj − 2g_ij))`).
   */
  gram: Float32Array;
  /** f64 `[K]`: each run's temperature t of the logits `−d_ij / t`. */
  temperature: Float64Array;
  /** i32 `[N, N]`: the walk order ({@linkcode RncLabelRowArrays}). */
  order: Int32Array;
  /** i32 `[N, N]`: the tie-group weights ({@linkcode RncLabelRowArrays}). */
  weight: Int32Array;
  /** Output, f32 `[K, N, N]`: `∂L_i/∂d_ij / d_ij`, 0 where `d_ij = 0`, unnormalised. */
  g: Float32Array;
  /** Output, f64 `[K, N]`: the row's `Σ_k −(s_ik − log denominator)`. */
  rowValue: Float64Array;
};

interface RncExports {
  rnc_centre(x: number, c: number, n: number, d: number, k0: number, k1: number, scratch: number): void;
  rnc_rows(
    gram: number,
    temperature: number,
    order: number,
    weight: number,
    g: number,
    rowValue: number,
    n: number,
    runs: number,
    r0: number,
    r1: number,
    scratch: number,
  ): void;
}

/**
 * RnC, per anchor row of up to four runs at once, by the WebAssembly SIMD kernel of `rnc.c`: a job has
 * `⌈K/4⌉·N` rows, row r is anchor `i = r mod N` of the runs `4⌊r / N⌋ … 4⌊r / N⌋ + 3` (those there are; see
 * {@linkcode RncRowArrays}); no parameters (the temperatures are an array). The label side is the same for every
 * run, so the runs share the walk, one per float64 lane; a run's lane computes what it would beside any other
 * runs.
 *
 * Per row: the feature distances in float32 (from the Gram matrix, so that a row's distance to itself is exactly
 * 0), the exp-logits in float64 shifted by the row's max logit (no underflow unless the logits spread by more
 * than ~700), the other rows walked in the label side's order with their cumulative exp-sum, each tie group of m
 * anchors adding `m · log(sum at the group's end)` (the log of a running product, renormalised before it leaves
 * float64's range), and the gradient by the reverse cumulative sum of `weight / sum` over the groups.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "../pool.ts";
 * import { rncLabelRows, rncRows } from "./rnc.ts";
 * // Two rows at distance 5 (Gram matrix of the centred features (±1.5, ±2)): each anchor's one
 * // other row has probability 1, so each row's value is 0.
 * const arrays = rowArrays({
 *   labels: ["f32", 2], sorted: ["i32", 2], order: ["i32", 4], weight: ["i32", 4],
 *   gram: ["f32", 4], temperature: ["f64", 1], g: ["f32", 4], rowValue: ["f64", 2],
 * });
 * arrays.labels.set([0, 1]);
 * arrays.sorted.set([0, 1]);
 * runRows(rncLabelRows, 2, arrays, {});
 * arrays.gram.set([6.25, -6.25, -6.25, 6.25]);
 * arrays.temperature.set([2]);
 * runRows(rncRows, 2, arrays, {});
 * assert.deepEqual(Array.from(arrays.rowValue), [0, 0]);
 * ```
 */
export const rncRows: RowKernel<RncRowArrays, Record<never, number>> = {
  arrays: ["gram", "temperature", "order", "weight", "g", "rowValue"],
  params: [],
  scratchBytes: ({ rowValue, temperature }) => (128 * rowValue.length) / temperature.length + 512,
  run: ({ gram, temperature, order, weight, g, rowValue }, _params, r0, r1, scratch = 0) => {
    (wasmKernel(WASM_BASE64) as unknown as RncExports).rnc_rows(
      gram.byteOffset,
      temperature.byteOffset,
      order.byteOffset,
      weight.byteOffset,
      g.byteOffset,
      rowValue.byteOffset,
      rowValue.length / temperature.length,
      temperature.length,
      r0,
      r1,
      scratch,
    );
  },
};

/** The arrays of {@linkcode rncCentreRows} (K runs; views of the host memory). */
export type RncCentreRowArrays = {
  /** f32 `[K, N, D]`: each run's features. */
  features: Float32Array;
  /** Output, f32 `[K, N, D]`: each run's batch-centred features. */
  centred: Float32Array;
};

/** The parameters of {@linkcode rncCentreRows}. */
export type RncCentreRowParams = {
  /** N, the rows of each run. */
  n: number;
  /** D, the features. */
  d: number;
};

/**
 * RnC's batch-centred features, by the WebAssembly kernel of `rnc.c`: row r of the job is run r, `centred = features
 * − mean` with each column's mean over the N rows in float64 (summed in row order), the difference in float64
 * rounded to float32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "../pool.ts";
 * import { rncCentreRows } from "./rnc.ts";
 * const { features, centred } = rowArrays({ features: ["f32", 8], centred: ["f32", 8] });
 * features.set([1, 2, 3, 6, 0, 0, 4, 4]); // two runs of [2, 2]
 * runRows(rncCentreRows, 2, { features, centred }, { n: 2, d: 2 });
 * assert.deepEqual(Array.from(centred), [-1, -2, 1, 2, -2, -2, 2, 2]);
 * ```
 */
export const rncCentreRows: RowKernel<RncCentreRowArrays, RncCentreRowParams> = {
  arrays: ["features", "centred"],
  params: ["n", "d"],
  scratchBytes: (_arrays, { d }) => 8 * d + 16,
  run: ({ features, centred }, { n, d }, r0, r1, scratch = 0) => {
    (wasmKernel(WASM_BASE64) as unknown as RncExports).rnc_centre(
      features.byteOffset,
      centred.byteOffset,
      n,
      d,
      r0,
      r1,
      scratch,
    );
  },
};
