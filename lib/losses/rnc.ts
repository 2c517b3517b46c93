/**
 * The Rank-N-Contrast loss (Zha et al., 2023) as the authors' `RnCLoss`, vectorised over the
 * anchors in O(N² log N) time and O(N²) memory.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { asMatrix, checkFeatures, checkNumber } from "./_validate.ts";
import { pairwiseL1, unaryCustomGrad } from "./_baseline_ops.ts";

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
 *   does not change distances and reduces cancellation); a zero distance (duplicate rows, the
 *   diagonal) contributes a zero gradient, as torch's `norm` backward.
 * - The loss is one custom-gradient op with an analytic backward pass (which recomputes the forward
 *   pieces), so only the features and three `[N, N]` label-side tensors live between the passes;
 *   the transient peak is ~40 `[N, N]` float32 matrices (≈ 2.7 GB at N = 4096).
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
    const { order, inverse, weight } = labelSide(y);
    const f = unaryCustomGrad((input, save) => {
      save([input, order, inverse, weight]);
      return {
        value: tf.tidy(() => lossParts(input as tf.Tensor2D, order, weight, temperature).value),
        gradFunc: (dy, saved) => {
          const [xs, o, inv, w] = saved as tf.Tensor2D[];
          return tf.tidy(() => tf.mul(featureGradient(xs, o, inv, w, temperature), dy));
        },
      };
    });
    return f(x) as tf.Scalar;
  });
}

/**
 * The label side (no gradient): per anchor row, the order of the other rows by decreasing label
 * distance, its inverse permutation, and the weight of each sorted position: the number of anchors
 * k ≠ i whose tie group ends there (0 elsewhere).
 */
function labelSide(y: tf.Tensor2D): { order: tf.Tensor2D; inverse: tf.Tensor2D; weight: tf.Tensor2D } {
  return tf.tidy(() => {
    const n = y.shape[0];
    const { values: sortedDist, indices: order } = tf.topk(pairwiseL1(y, "sum"), n);
    const inverse = tf.topk(tf.neg(tf.cast(order, "float32")), n).indices;
    // Tie groups of the sorted distances: size m and last position of each group (exact compares).
    const ascending = tf.reverse(sortedDist, 1);
    const below = tf.searchSorted(ascending, sortedDist, "left"); // #(d < value)
    const upTo = tf.searchSorted(ascending, sortedDist, "right"); // #(d ≤ value)
    const size = tf.cast(tf.sub(upTo, below), "float32");
    const position = tf.range(0, n, 1, "int32").reshape([1, n]);
    const isGroupEnd = tf.equal(position, tf.sub(tf.scalar(n - 1, "int32"), below));
    // The last group (distance 0) holds the diagonal, which is no anchor.
    const lastColumn = tf.oneHot(tf.fill([1], n - 1, "int32"), n).toFloat();
    const weight = tf.sub(tf.where(isGroupEnd, size, tf.zerosLike(size)), lastColumn);
    return { order: order as tf.Tensor2D, inverse: inverse as tf.Tensor2D, weight: weight as tf.Tensor2D };
  });
}

interface LossParts {
  value: tf.Scalar;
  centred: tf.Tensor2D;
  dist: tf.Tensor2D;
  expShifted: tf.Tensor2D;
  cumulative: tf.Tensor2D;
}

/** Forward pass (plain tensors, no tape needed): the loss and the pieces the backward pass uses. */
function lossParts(x: tf.Tensor2D, order: tf.Tensor2D, weight: tf.Tensor2D, temperature: number): LossParts {
  // The tidy frees the temporaries at once; only the returned tensors survive.
  return tf.tidy(() =>
    lossPartsUntidied(x, order, weight, temperature) as unknown as tf.TensorContainer
  ) as unknown as LossParts;
}

function lossPartsUntidied(
  x: tf.Tensor2D,
  order: tf.Tensor2D,
  weight: tf.Tensor2D,
  temperature: number,
): LossParts {
  const n = x.shape[0];
  const offDiag = tf.sub(1, tf.eye(n));
  // Distances from the Gram form of the centred features; exactly 0 on the diagonal.
  const centred = tf.sub(x, tf.mean(x, 0)) as tf.Tensor2D;
  const sqNorm = tf.sum(tf.square(centred), 1, true);
  const gram = tf.matMul(centred, centred, false, true);
  const sq = tf.relu(tf.sub(tf.add(sqNorm, sqNorm.reshape([1, n])), tf.mul(gram, 2)));
  const dist = tf.mul(tf.sqrt(sq), offDiag) as tf.Tensor2D;
  // Logits minus the max of the off-diagonal logits of the row (= −min distance / t).
  const minDist = tf.min(tf.add(dist, tf.mul(tf.eye(n), 3.4e38)), 1, true); // diagonal pushed to ~float32 max
  const shifted = tf.mul(tf.div(tf.sub(dist, minDist), -temperature), offDiag);
  const expShifted = tf.mul(tf.exp(shifted), offDiag) as tf.Tensor2D; // diagonal excluded
  const cumulative = tf.cumsum(tf.gather(expShifted, order, 1, 1), 1) as tf.Tensor2D;
  const logDenominator = tf.log(tf.where(tf.greater(weight, 0), cumulative, tf.onesLike(cumulative)));
  // Row sums first, then the total: a two-stage float32 sum (backends accumulate in float32).
  const total = tf.sum(tf.sub(tf.sum(tf.mul(weight, logDenominator), 1), tf.sum(shifted, 1)));
  const value = tf.div(total, n * (n - 1)) as tf.Scalar;
  return { value, centred, dist, expShifted, cumulative };
}

/**
 * Analytic gradient of the loss w.r.t. the features (recomputing the forward pieces, so only the
 * features and the label-side tensors are kept between the passes). With `e` the off-diagonal
 * exp-logits, `C` their cumulative sums in sorted order and `W` the group weights:
 * `∂L/∂e_ij = Σ_{p ≥ pos_i(j)} W_ip / C_ip` (a reverse cumulative sum), `∂L/∂s_ij = −1 + e_ij·∂L/∂e_ij`
 * (off the diagonal), `∂L/∂d_ij = −∂L/∂s_ij / t`, and with `K_ij = (∂L/∂d_ij + ∂L/∂d_ji)/d_ij`
 * (0 where `d_ij = 0`): `∂L/∂f_i = (Σ_j K_ij) f_i − Σ_j K_ij f_j`; all over `N(N − 1)`.
 */
function featureGradient(
  x: tf.Tensor2D,
  order: tf.Tensor2D,
  inverse: tf.Tensor2D,
  weight: tf.Tensor2D,
  temperature: number,
): tf.Tensor2D {
  const n = x.shape[0];
  const { centred, dist, expShifted, cumulative } = lossParts(x, order, weight, temperature);
  const hasWeight = tf.greater(weight, 0);
  const ratio = tf.where(
    hasWeight,
    tf.div(weight, tf.where(hasWeight, cumulative, tf.onesLike(cumulative))),
    0,
  );
  const gradExpSorted = tf.cumsum(ratio, 1, false, true);
  const gradExp = tf.gather(gradExpSorted, inverse, 1, 1);
  const offDiag = tf.sub(1, tf.eye(n));
  const gradLogit = tf.mul(tf.add(tf.neg(offDiag), tf.mul(expShifted, gradExp)), offDiag);
  const gradDist = tf.div(gradLogit, -temperature);
  const positive = tf.greater(dist, 0);
  const k = tf.where(
    positive,
    tf.div(tf.add(gradDist, tf.transpose(gradDist)), tf.where(positive, dist, 1)),
    0,
  );
  const grad = tf.sub(tf.mul(tf.sum(k, 1, true), centred), tf.matMul(k, centred));
  return tf.div(grad, n * (n - 1)) as tf.Tensor2D;
}
