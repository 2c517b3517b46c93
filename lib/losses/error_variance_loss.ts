/**
 * The O(N) error-variance loss (Theorem 1, Eq. 5).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkPair } from "./validate.ts";

/**
 * The variance of the prediction errors, Theorem 1 / Eq. 5:
 *
 *     L_diff^MSE = Var(f - y) = (1/N) sum_i ((f_i - f̄) - (y_i - ȳ))^2      (population, ddof 0)
 *
 * which equals the O(N²) pairwise loss {@linkcode pairwiseDiffLoss} with `l = (a - b)^2 / 2`
 * (`(1/N²) sum_ij (delta_i - delta_j)^2 / 2 = Var(delta)`). For `[N, T]` inputs: the mean over the
 * columns of each column's variance. Note that the authors' code (and {@linkcode garParts}) uses
 * half of this, `mean(d^2 / 2)`. Constant inputs are fine: the variance is then simply computed
 * (finite value and gradient, no eps needed).
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
 * import { errorVarianceLoss } from "./error_variance_loss.ts";
 * await tf.setBackend("cpu");
 * // errors [0, 2]: variance 1; a constant offset costs nothing
 * assert.ok(Math.abs(errorVarianceLoss(tf.tensor1d([0, 0]), tf.tensor1d([5, 7])).dataSync()[0] - 1) < 1e-6);
 * ```
 */
export function errorVarianceLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const [t, p] = checkPair("errorVarianceLoss", yTrue, yPred);
    const delta = tf.sub(p, t);
    const centred = tf.sub(delta, tf.mean(delta, 0, true));
    return tf.mean(tf.mean(tf.square(centred), 0)) as tf.Scalar;
  });
}
