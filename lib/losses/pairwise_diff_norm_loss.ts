/**
 * The literal O(N²) normalized pairwise-difference loss (Eq. 6).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { GAR_EPS } from "./constants.ts";
import { checkNumber, checkPair, LossInputError } from "./validate.ts";

/** Options of {@linkcode pairwiseDiffNormLoss}. */
export interface PairwiseDiffNormLossOptions {
  /** The norm's order, finite and >= 1 (default 2). */
  p?: number;
}

/**
 * The normalized pairwise-difference loss of Eq. 6, computed literally in O(N²):
 *
 *     L_diffnorm = || d_f / ||d_f||_p  -  d_y / ||d_y||_p ||_p^p
 *
 * where `d_f = [f_i - f_j]` and `d_y = [y_i - y_j]` run over all N² ordered pairs. For `[N, T]`
 * inputs it is computed per column and averaged over the columns.
 *
 * **The factor 2 of Corollary 3.** For p = 2 the literal Eq. 6 equals `2 (1 - rho(f, y))` (two unit
 * vectors u, v have `||u - v||² = 2 - 2 u·v`, and `u·v = rho` here since `||d_f||² = 2N² Var(f)`).
 * The paper states (Eq. 7) that it equals `1 - rho`; its proof (Appendix A.2) loses a factor 2 when
 * it collects the `2N` repeated terms. This function keeps Eq. 6 literally, so
 * `pairwiseDiffNormLoss(y, f, { p: 2 }) = 2 * negPearsonLoss(y, f)` for non-constant inputs.
 *
 * **Constant inputs.** Each norm is clipped below at `GAR_EPS`: a constant column has `d = 0`, so its
 * normalized vector is 0 (not NaN) and the loss is `||d_y/||d_y|| ||^p = 1` (0 when both are
 * constant). No gradient flows through a clipped norm; value and gradient are never NaN.
 *
 * @param yTrue labels `[N]` or `[N, T]`, N >= 2
 * @param yPred predictions, same shape
 * @param options see {@linkcode PairwiseDiffNormLossOptions}
 * @returns the loss, a scalar
 * @throws {LossInputError} on bad shapes, fewer than 2 rows, non-finite values, or `p` < 1 or not finite
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { pairwiseDiffNormLoss } from "./pairwise_diff_norm_loss.ts";
 * await tf.setBackend("cpu");
 * // f = 3y + 1: the same shape up to scale and shift, so the loss is 0
 * const v = pairwiseDiffNormLoss(tf.tensor1d([1, 2, 4]), tf.tensor1d([4, 7, 13])).dataSync()[0];
 * assert.ok(Math.abs(v) < 1e-6);
 * ```
 */
export function pairwiseDiffNormLoss(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: PairwiseDiffNormLossOptions = {},
): tf.Scalar {
  const fn = "pairwiseDiffNormLoss";
  const p = checkNumber(fn, "p", options.p ?? 2, "positive");
  if (p < 1) throw new LossInputError(`${fn}: option p must be >= 1 (a norm), got ${p}`);
  return tf.tidy(() => {
    const [t, f] = checkPair(fn, yTrue, yPred);
    // |x|^p with the torch-style derivative p |x|^(p-1) sign(x) (0 at 0).
    const absPow = (x: tf.Tensor): tf.Tensor => {
      if (p === 2) return tf.square(x);
      const ax = tf.mul(x, tf.sign(x));
      return p === 1 ? ax : tf.pow(ax, p);
    };
    const normalized = (m: tf.Tensor2D): tf.Tensor => {
      const diff = tf.sub(tf.expandDims(m, 1), tf.expandDims(m, 0)); // [N, N, T]
      const total = tf.sum(tf.sum(absPow(diff), 1, true), 0, true); // [1, 1, T], two-stage sum (float32 accuracy)
      // norm = total^(1/p), written so a zero total has a finite derivative: step() has a zero
      // gradient, `safe` is 1 where total is 0, and the clip at GAR_EPS then passes no gradient.
      const positive = tf.step(total);
      const safe = tf.add(total, tf.sub(1, positive));
      const norm = tf.mul(p === 1 ? safe : tf.pow(safe, 1 / p), positive);
      return tf.div(diff, tf.maximum(norm, GAR_EPS));
    };
    const perColumn = tf.sum(tf.sum(absPow(tf.sub(normalized(f), normalized(t))), 1), 0); // [T]
    return tf.mean(perColumn) as tf.Scalar;
  });
}
