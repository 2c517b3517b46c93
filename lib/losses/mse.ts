/**
 * Mean squared error, L_c^MSE of the paper (torch `nn.MSELoss`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkLabelPair, type LossOf, runMean, runsOf } from "./_runs.ts";

/**
 * Mean squared error over all elements: `mean (yPred − yTrue)²` (torch `MSELoss`, reduction
 * `mean`). Labels `[N]` or `[N, T]`; multi-target labels are pooled (mean over N·T elements).
 *
 * Over the runs axis (predictions `[K, N, T]` of K runs against the shared labels) it returns the K losses
 * `[K]`, value k the MSE of `yPred[k]`: one broadcast program whatever K, each run reduced over its own
 * block.
 *
 * @param yTrue the labels, `[N]` or `[N, T]`, N ≥ 2
 * @param yPred the predictions, same shape, or `[K, N, T]` (`[K, N, 1]` for `[N]` labels) over the runs axis
 * @returns the scalar loss, or the `[K]` losses over the runs axis
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
 * // Two runs at once: predictions [K = 2, N = 3, 1]
 * const runs = mse(tf.tensor1d([1, 2, 3]), tf.tensor3d([[[2], [2], [1]], [[1], [2], [5]]]));
 * assert.deepEqual(Array.from(runs.dataSync(), (v) => Math.round(v * 1e6) / 1e6), [1.666667, 1.333333]);
 * ```
 */
export function mse<P extends tf.Tensor>(yTrue: tf.Tensor, yPred: P): LossOf<P> {
  const runs = runsOf(yPred);
  return tf.tidy(() => {
    const { yTrue: t, yPred: p } = checkLabelPair("mse", yTrue, yPred, runs);
    return runMean(tf.square(tf.sub(p, t)));
  }) as LossOf<P>;
}
