/**
 * Mean absolute error, the conventional regression loss L_c^MAE of the paper (torch `nn.L1Loss`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { absSignGrad } from "./ops.ts";
import { checkLabelPair, type LossOf, runMean, runsOf } from "./_runs.ts";

/**
 * Mean absolute error over all elements: `mean |yPred − yTrue|` (torch `L1Loss`, reduction
 * `mean`). Labels `[N]` or `[N, T]`; multi-target labels are pooled (mean over N·T elements).
 * The gradient at a zero error is 0 (the subgradient torch uses; tfjs's own `abs` would give −1).
 *
 * Over the runs axis (predictions `[K, N, T]` of K runs against the shared labels) it returns the K losses
 * `[K]`, value k the MAE of `yPred[k]`: one broadcast program whatever K, each run reduced over its own
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
 * import { mae } from "./mae.ts";
 * await tf.setBackend("cpu");
 * const loss = mae(tf.tensor1d([1, 2, 3]), tf.tensor1d([2, 2, 1]));
 * assert.equal(loss.dataSync()[0], 1); // (1 + 0 + 2) / 3
 * // Two runs at once: predictions [K = 2, N = 3, 1]
 * const runs = mae(tf.tensor1d([1, 2, 3]), tf.tensor3d([[[2], [2], [1]], [[1], [2], [3]]]));
 * assert.deepEqual(Array.from(runs.dataSync()), [1, 0]);
 * ```
 */
export function mae<P extends tf.Tensor>(yTrue: tf.Tensor, yPred: P): LossOf<P> {
  const runs = runsOf(yPred);
  return tf.tidy(() => {
    const { yTrue: t, yPred: p } = checkLabelPair("mae", yTrue, yPred, runs);
    return runMean(absSignGrad(tf.sub(p, t)));
  }) as LossOf<P>;
}
