/**
 * Mean absolute error, the conventional regression loss L_c^MAE of the paper (torch `nn.L1Loss`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkPair } from "./validate.ts";
import { absSignGrad } from "./ops.ts";

/**
 * Mean absolute error over all elements: `mean |yPred − yTrue|` (torch `L1Loss`, reduction
 * `mean`). Labels `[N]` or `[N, T]`; multi-target labels are pooled (mean over N·T elements).
 * The gradient at a zero error is 0 (the subgradient torch uses; tfjs's own `abs` would give −1).
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
 * import { mae } from "./mae.ts";
 * await tf.setBackend("cpu");
 * const loss = mae(tf.tensor1d([1, 2, 3]), tf.tensor1d([2, 2, 1]));
 * assert.equal(loss.dataSync()[0], 1); // (1 + 0 + 2) / 3
 * ```
 */
export function mae(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const [t, p] = checkPair("mae", yTrue, yPred);
    return tf.mean(absSignGrad(tf.sub(p, t)));
  });
}
