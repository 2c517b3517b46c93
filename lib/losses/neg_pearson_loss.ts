/**
 * The O(N) negative-Pearson loss (Corollary 3, Eq. 7).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { GAR_EPS } from "./constants.ts";
import { checkPair } from "./validate.ts";

/**
 * One minus the Pearson correlation of predictions and labels, Eq. 7:
 *
 *     L = 1 - Cov(f, y) / sqrt(Var(f) Var(y))  =  1 - rho(f, y)       (in [0, 2])
 *
 * For `[N, T]` inputs: the mean over the columns. This is the paper's stated value of the p = 2
 * normalized pairwise loss; the literal Eq. 6 ({@linkcode pairwiseDiffNormLoss} with p = 2) is
 * exactly twice this (the paper's proof of Corollary 3 drops a factor 2, see there). The authors'
 * code instead uses `(1 - rho)(N - 1)/N` (see {@linkcode garParts}).
 *
 * **Constant inputs.** Each standard deviation is clipped below at `GAR_EPS` (computed as
 * `sqrt(max(Var, GAR_EPS^2))`), so a constant column has `rho = 0` and the loss is 1, with a finite
 * gradient; never NaN. Float32 rounding can make the value dip a few ulps below 0 at `rho = 1`.
 *
 * @param yTrue labels `[N]` or `[N, T]`, N >= 2
 * @param yPred predictions, same shape
 * @returns the loss, a scalar
 * @throws {LossInputError} on bad shapes, fewer than 2 rows or non-finite values
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { negPearsonLoss } from "./neg_pearson_loss.ts";
 * await tf.setBackend("cpu");
 * const y = tf.tensor1d([1, 2, 3]);
 * assert.ok(Math.abs(negPearsonLoss(y, tf.tensor1d([3, 2, 1])).dataSync()[0] - 2) < 1e-6); // rho = -1
 * ```
 */
export function negPearsonLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const [t, p] = checkPair("negPearsonLoss", yTrue, yPred);
    const eps2 = GAR_EPS * GAR_EPS;
    const fc = tf.sub(p, tf.mean(p, 0, true));
    const yc = tf.sub(t, tf.mean(t, 0, true));
    const sF = tf.sqrt(tf.maximum(tf.mean(tf.square(fc), 0), eps2));
    const sY = tf.sqrt(tf.maximum(tf.mean(tf.square(yc), 0), eps2));
    const rho = tf.div(tf.mean(tf.mul(fc, yc), 0), tf.mul(sF, sY));
    return tf.mean(tf.sub(1, rho)) as tf.Scalar;
  });
}
