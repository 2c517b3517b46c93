/**
 * The Focal-MAE baseline (Yang et al., 2021), as the authors' `weighted_focal_mae_loss` with
 * `activate = "sigmoid"` and no sample weights.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkPair } from "./_validate.ts";

/** Options of {@linkcode focalMae}. */
export interface FocalMaeOptions {
  /** Scale β inside the sigmoid; > 0, default 0.2 (the paper tunes β ∈ {0.25, 1, 4}). */
  beta?: number;
  /** Exponent γ of the weight; ≥ 0, default 1. */
  gamma?: number;
}

/**
 * Focal MAE: `mean( |r| · (2·sigmoid(β·|r|) − 1)^γ )` with `r = yPred − yTrue`, the mean over
 * all elements (multi-target labels pooled). The weight is NOT detached: the gradient flows through
 * it, as in torch.
 *
 * Edge case: where `r = 0` exactly the weight is 0; for `γ < 1` torch's gradient there is NaN
 * (0 · ∞), this one is finite (the base of the power is floored at 1e-30, which changes the value
 * only where `|r| < ~1e-29`). For `γ ≥ 1` both agree everywhere.
 *
 * @param yTrue the labels, `[N]` or `[N, T]`, N ≥ 2
 * @param yPred the predictions, same shape
 * @param options `beta` (default 0.2), `gamma` (default 1)
 * @returns the scalar loss
 * @throws {LossInputError} on mismatched shapes, fewer than 2 rows, non-finite values, `beta ≤ 0`
 *   or `gamma < 0`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { focalMae } from "./focal_mae.ts";
 * await tf.setBackend("cpu");
 * const loss = focalMae(tf.tensor1d([0, 0]), tf.tensor1d([1, -2]), { beta: 1 });
 * const term = (r: number) => Math.abs(r) * (2 / (1 + Math.exp(-Math.abs(r))) - 1);
 * assert.ok(Math.abs(loss.dataSync()[0] - (term(1) + term(-2)) / 2) < 1e-6);
 * ```
 */
export function focalMae(yTrue: tf.Tensor, yPred: tf.Tensor, options: FocalMaeOptions = {}): tf.Scalar {
  const beta = checkNumber("focalMae", "beta", options.beta ?? 0.2, "positive");
  const gamma = checkNumber("focalMae", "gamma", options.gamma ?? 1, "nonNegative");
  return tf.tidy(() => {
    const [t, p] = checkPair("focalMae", yTrue, yPred);
    const r = tf.sub(p, t);
    const w = tf.sub(tf.mul(tf.sigmoid(tf.mul(tf.abs(r), beta)), 2), 1);
    let factor: tf.Tensor;
    if (gamma === 1) factor = w;
    else if (gamma === 0) factor = tf.onesLike(w);
    // Base floored at 1e-30: finite gradient at r = 0 for γ < 1 (where the term is 0 anyway).
    else factor = tf.pow(tf.maximum(w, 1e-30), gamma);
    return tf.mean(tf.mul(tf.abs(r), factor));
  });
}
