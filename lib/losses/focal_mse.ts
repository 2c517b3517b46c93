/**
 * The Focal-MSE baseline (Yang et al., 2021), as the authors' `weighted_focal_mse_loss` with
 * `activate = "sigmoid"` and no sample weights.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { focalLoss, type FocalOptions } from "./_focal.ts";
import type { LossOf } from "./_runs.ts";

/** Options of {@linkcode focalMse}: `beta` (> 0, default 0.2) and `gamma` (≥ 0, default 1). */
export type FocalMseOptions = FocalOptions;

/**
 * Focal MSE: `mean( r² · (2·sigmoid(β·|r|) − 1)^γ )` with `r = yPred − yTrue`, the mean over
 * all elements (multi-target labels pooled). The weight is NOT detached: the gradient flows through
 * it, as in torch.
 *
 * Edge case: where `r = 0` exactly the weight is 0; for `γ < 1` torch's gradient there is NaN
 * (0 · ∞), this one is finite (the base of the power is floored at 1e-30, which changes the value
 * only where `|r| < ~1e-29`). For `γ ≥ 1` both agree everywhere.
 *
 * Over the runs axis (predictions `[K, N, T]` of K runs against the shared labels) it returns the K losses
 * `[K]`, value k the loss of `yPred[k]` with run k's β and γ: one broadcast program whatever K, each run
 * reduced over its own block.
 *
 * @param yTrue the labels, `[N]` or `[N, T]`, N ≥ 2
 * @param yPred the predictions, same shape, or `[K, N, T]` (`[K, N, 1]` for `[N]` labels) over the runs axis
 * @param options `beta` (default 0.2), `gamma` (default 1); per run over the runs axis
 * @returns the scalar loss, or the `[K]` losses over the runs axis
 * @throws {LossInputError} on mismatched shapes, fewer than 2 rows, non-finite values, `beta ≤ 0`
 *   or `gamma < 0` (or not K values over the runs axis)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { focalMse } from "./focal_mse.ts";
 * await tf.setBackend("cpu");
 * const loss = focalMse(tf.tensor1d([0, 0]), tf.tensor1d([1, -2]), { beta: 1 });
 * const term = (r: number) => r * r * (2 / (1 + Math.exp(-Math.abs(r))) - 1);
 * assert.ok(Math.abs(loss.dataSync()[0] - (term(1) + term(-2)) / 2) < 1e-6);
 * // Two runs at once, β = 1 and β = 4: predictions [K = 2, N = 2, 1]
 * const runs = focalMse(tf.tensor1d([0, 0]), tf.tensor3d([[[1], [-2]], [[1], [-2]]]), { beta: [1, 4] });
 * assert.ok(Math.abs(runs.dataSync()[0] - loss.dataSync()[0]) < 1e-6);
 * ```
 */
export function focalMse<P extends tf.Tensor>(
  yTrue: tf.Tensor,
  yPred: P,
  options: FocalMseOptions = {},
): LossOf<P> {
  return focalLoss("focalMse", "square", yTrue, yPred, options);
}
