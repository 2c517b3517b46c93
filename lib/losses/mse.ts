/**
 * Mean squared error, L_c^MSE of the paper (torch `nn.MSELoss`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkPair } from "./validate.ts";

/**
 * Mean squared error over all elements: `mean (yPred − yTrue)²` (torch `MSELoss`, reduction
 * `mean`). Labels `[N]` or `[N, T]`; multi-target labels are pooled (mean over N·T elements).
 *
 * @param yTrue the labels, `[N]` or `[N, T]`, N ≥ 2
 * @param yPred the predictions, same shape
 * @returns the scalar loss
 * @throws {LossInputError} on mismatched shapes, fewer than 2 rows or non-finite values
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { mse } from "./mse.ts";
 * await tf.setBackend("cpu");
 * const loss = mse(tf.tensor1d([1, 2, 3]), tf.tensor1d([2, 2, 1]));
 * assert.ok(Math.abs(loss.dataSync()[0] - 5 / 3) < 1e-6); // (1 + 0 + 4) / 3
 * ```
 */
export function mse(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const [t, p] = checkPair("mse", yTrue, yPred);
    return tf.mean(tf.square(tf.sub(p, t)));
  });
}
