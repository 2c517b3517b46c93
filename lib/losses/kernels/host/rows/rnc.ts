/**
 * RnC's host row kernel (`../rnc.ts` runs it): per anchor row, the value and the gradient with respect
 * to the feature distances, in float64. No tfjs: the pool's workers run it.
 *
 * @module
 */
import { exp } from "../exp.ts";
import { descendingOrderRow, labelDistanceOrderRow } from "../order.ts";
import type { RowKernel } from "./row_kernel.ts";
import { scratch, sortedLabels } from "./_scratch.ts";

/**
 * The arrays of {@linkcode rncRows}: the inputs `gram` and either `labels` and `sorted` (one label
 * column) or `labelDist` (several), and the outputs `g` and `rowValue`.
 */
export type RncRowArrays = {
  /** f32 `[N, N]`: the Gram matrix of the centred features (distances `sqrt(max(0, g_ii + g_jj − 2g_ij))`). */
  gram: Float32Array;
  /** f32 `[N]`: the labels (one column). */
  labels?: Float32Array;
  /** i32 `[N]`: the labels' `sortedIndex` (with `labels`). */
  sorted?: Int32Array;
  /** f32 `[N, N]`: the label distances (several columns; instead of `labels` and `sorted`). */
  labelDist?: Float32Array;
  /** Output, f32 `[N, N]`: `∂L_i/∂d_ij / d_ij`, 0 where `d_ij = 0`, unnormalised. */
  g: Float32Array;
  /** Output, f64 `[N]`: the row's `Σ_k −(s_ik − log denominator)`. */
  rowValue: Float64Array;
};

/** The parameters of {@linkcode rncRows}. */
export type RncRowParams = {
  /** The temperature t of the logits `−d_ij / t`. */
  temperature: number;
};

/**
 * RnC, per anchor row i (see {@linkcode RncRowArrays}).
 *
 * Per row: the exp-logits shifted by the row's max logit, the other rows walked by decreasing label
 * distance with their cumulative exp-sum, each tie group of m anchors adding `m · log(sum at the
 * group's end)` (the log of a running product, renormalised before it leaves float64's range), and
 * the gradient by the reverse cumulative sum of `weight / sum` over the groups.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rncRows } from "./rnc.ts";
 * // Two rows at distance 5 (Gram matrix of the centred features (±1.5, ±2)): each anchor's one
 * // other row has probability 1, so each row's value is 0.
 * const gram = Float32Array.of(6.25, -6.25, -6.25, 6.25);
 * const g = new Float32Array(4), rowValue = new Float64Array(2);
 * const labels = Float32Array.of(0, 1), sorted = Int32Array.of(0, 1);
 * rncRows.run({ gram, labels, sorted, g, rowValue }, { temperature: 2 }, 0, 2);
 * assert.deepEqual(Array.from(rowValue), [0, 0]);
 * ```
 */
export const rncRows: RowKernel<RncRowArrays, RncRowParams> = {
  arrays: ["gram", "labels", "sorted", "labelDist", "g", "rowValue"],
  params: ["temperature"],
  run: ({ gram, labels, sorted, labelDist, g, rowValue }, { temperature }, r0, r1) => {
    const inverseT = 1 / temperature;
    const n = Math.round(Math.sqrt(gram.length));
    // In walk order (decreasing label distance): exp-logits, label distances, group ratios, columns;
    // the row's feature distances; the Gram diagonal.
    const { a: e, c: labelDistance, b: ratio, order, d: dist, e: diagonal } = scratch(n);
    for (let j = 0; j < n; j++) diagonal[j] = gram[j * n + j];
    const v = labels === undefined ? null : sortedLabels(labels, sorted!);
    for (let i = r0; i < r1; i++) {
      const row = i * n;
      if (labels !== undefined) {
        // (the order within a tie group does not matter here: the group shares one denominator)
        labelDistanceOrderRow(v!, sorted!, labels[i], true, order, 0, labelDistance, false);
      } else {
        descendingOrderRow(labelDist!, row, n, order, 0);
        for (let p = 0; p < n; p++) labelDistance[p] = labelDist![row + order[p]];
      }
      let minDist = Infinity;
      for (let j = 0; j < n; j++) {
        const dj = Math.sqrt(Math.max(0, diagonal[i] + diagonal[j] - 2 * gram[row + j]));
        dist[j] = dj;
        if (j !== i && dj < minDist) minDist = dj;
      }
      // Walk the other rows by decreasing label distance; a tie group's m anchors share the
      // denominator at the group's end (the diagonal, in the last group, is no anchor). Σ weight·log C
      // as the log of a running product (renormalised before it leaves float64's range): one log per
      // ~250 orders of magnitude instead of one per group.
      let cumulative = 0, groupStart = 0, shiftedSum = 0, product = 1, value = 0, anchorAt = -1;
      for (let p = 0; p < n; p++) {
        const j = order[p];
        let x = 0;
        if (j === i) anchorAt = p;
        else {
          const s = (minDist - dist[j]) * inverseT;
          shiftedSum += s;
          x = exp(s);
        }
        e[p] = x;
        cumulative += x;
        ratio[p] = 0;
        if (p < n - 1 && labelDistance[p + 1] === labelDistance[p]) continue;
        const weight = p + 1 - groupStart - (anchorAt >= groupStart ? 1 : 0);
        if (weight > 0) {
          for (let w = 0; w < weight; w++) {
            product *= cumulative;
            if (!(product > 1e-250 && product < 1e250)) {
              value += Math.log(product);
              product = 1;
            }
          }
          ratio[p] = weight / cumulative;
        }
        groupStart = p + 1;
      }
      rowValue[i] = value + Math.log(product) - shiftedSum;
      // ∂L/∂e_ij = Σ_{p ≥ pos(j)} W_p / C_p; ∂L/∂s = e·∂L/∂e − 1; ∂L/∂d = −∂L/∂s / t.
      for (let p = n - 1, acc = 0; p >= 0; p--) {
        acc += ratio[p];
        const j = order[p];
        const d = dist[j];
        g[row + j] = p !== anchorAt && d > 0 ? ((1 - e[p] * acc) * inverseT) / d : 0;
      }
    }
  },
};
