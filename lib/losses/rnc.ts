/**
 * The Rank-N-Contrast loss (Zha et al., 2023) as the authors' `RnCLoss`, vectorised over the
 * anchors in O(N² log N) time and O(N²) memory.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { asMatrix, checkFeatures, checkNumber } from "./_validate.ts";
import { detachedMap, pairwiseL1, permuteRows, safeSqrt } from "./_baseline_ops.ts";

/** Options of {@linkcode rnc}. */
export interface RncOptions {
  /** Temperature t of the logits `−‖f_i − f_j‖₂ / t`; > 0, default 2 (paper: {1, 2, 4}). */
  temperature?: number;
}

/**
 * RnC loss on one view of features `[N, D]` with L1 label distances `d_ij = Σ_t |y_it − y_jt|` and
 * logits `s_ij = −‖f_i − f_j‖₂ / t`:
 *
 * `L = Σ_i Σ_{k≠i} −( s_ik − log Σ_{j≠i, d_ij ≥ d_ik} exp(s_ij) ) / (N(N − 1))`.
 *
 * - Ties in the label distances are handled exactly: every j with `d_ij = d_ik` is in the
 *   denominator of the pair (i, k), as in the authors' `>=` mask. Per anchor row, the other rows
 *   are sorted by label distance (`tf.topk`), the exp-logits are summed cumulatively in that
 *   order (`tf.cumsum`), and each tie group reads the cumulative sum at its end (group bounds by
 *   `tf.searchSorted`); a group of m rows contributes `m · log(sum at its end)`. No O(N³) tensor.
 * - The per-row max of the off-diagonal logits is subtracted (detached) before `exp`; the value is
 *   unchanged (the authors subtract the row max including the diagonal, which is 0). If the
 *   logits of one row spread by more than ~87 (float32 `exp` underflow), some denominators
 *   underflow to 0 and the loss is +∞, as the authors' float32 code would.
 * - Distances come from the Gram form `‖a‖² + ‖b‖² − 2a·b` of the batch-centred features (centring
 *   does not change distances and reduces cancellation); the square root has gradient 0 at a zero
 *   distance (duplicate rows, the diagonal), as torch's `norm` backward.
 * - Only 2-D features (one view); the authors' two-view `[N, 2, D]` input is the same loss on the
 *   `2N` stacked rows with the labels repeated. Gradient flows only into `features`.
 *
 * @param yTrue the labels, `[N]` or `[N, T]`, N ≥ 2
 * @param features the features, `[N, D]`
 * @param options `temperature` (default 2)
 * @returns the scalar loss
 * @throws {LossInputError} on bad shapes, non-finite values or `temperature ≤ 0`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { rnc } from "./rnc.ts";
 * await tf.setBackend("cpu");
 * // Two rows: each anchor has one other row, whose probability is 1: the loss is 0.
 * const loss = rnc(tf.tensor1d([0, 1]), tf.tensor2d([[0, 0], [3, 4]]));
 * assert.ok(Math.abs(loss.dataSync()[0]) < 1e-6);
 * ```
 */
export function rnc(yTrue: tf.Tensor, features: tf.Tensor, options: RncOptions = {}): tf.Scalar {
  const temperature = checkNumber("rnc", "temperature", options.temperature ?? 2, "positive");
  return tf.tidy(() => {
    const y = asMatrix("rnc", "yTrue", yTrue);
    const n = y.shape[0];
    const x = checkFeatures("rnc", features, n);
    const eye = tf.eye(n);
    const offDiag = tf.sub(1, eye);
    const isOffDiag = tf.cast(offDiag, "bool");

    // Pairwise feature distances (Gram form on centred features) and logits.
    const f = tf.sub(x, tf.mean(x, 0));
    const sqNorm = tf.sum(tf.square(f), 1, true);
    const gram = tf.matMul(f, f, false, true);
    const sq = tf.mul(tf.relu(tf.sub(tf.add(sqNorm, sqNorm.reshape([1, n])), tf.mul(gram, 2))), offDiag);
    const logits = tf.div(safeSqrt(sq), -temperature) as tf.Tensor2D;
    // Detached max over the off-diagonal logits of each row (computed off the tape: no temporaries kept).
    const rowMax = detachedMap(
      logits,
      (l) => tf.max(tf.where(isOffDiag, l, tf.fill([n, n], -Infinity)), 1, true),
    );
    const shifted = tf.mul(tf.sub(logits, rowMax), offDiag); // 0 on the diagonal
    const expShifted = tf.mul(tf.exp(shifted), offDiag) as tf.Tensor2D; // diagonal excluded

    // Label side (no gradient), in its own tidy so that its [N, N] temporaries are freed at once.
    const { order, inverse, weight } = tf.tidy(() => {
      // Sort every row by label distance, descending.
      const { values: sortedDist, indices: order } = tf.topk(pairwiseL1(y, "sum"), n);
      const inverse = tf.topk(tf.neg(tf.cast(order, "float32")), n).indices;
      // Tie groups of the sorted distances: size m and last position of each group (exact compares).
      const ascending = tf.reverse(sortedDist, 1);
      const below = tf.searchSorted(ascending, sortedDist, "left"); // #(d < value)
      const upTo = tf.searchSorted(ascending, sortedDist, "right"); // #(d ≤ value)
      const size = tf.cast(tf.sub(upTo, below), "float32");
      const position = tf.range(0, n, 1, "int32").reshape([1, n]);
      const isGroupEnd = tf.equal(position, tf.sub(tf.scalar(n - 1, "int32"), below));
      // Anchors k per group end; the last group (distance 0) holds the diagonal, which is no anchor.
      const lastColumn = tf.oneHot(tf.fill([1], n - 1, "int32"), n).toFloat();
      const weight = tf.sub(tf.where(isGroupEnd, size, tf.zerosLike(size)), lastColumn);
      return { order: order as tf.Tensor2D, inverse: inverse as tf.Tensor2D, weight };
    });
    // Cumulative sums of the exp-logits in that order; a tie group reads the sum at its end.
    const cumulative = tf.cumsum(permuteRows(expShifted, order, inverse), 1);

    const hasWeight = tf.greater(weight, 0);
    const logDenominator = tf.log(tf.where(hasWeight, cumulative, tf.onesLike(cumulative)));
    const total = tf.sub(tf.sum(tf.mul(weight, logDenominator)), tf.sum(shifted));
    return tf.div(total, n * (n - 1)) as tf.Scalar;
  });
}
