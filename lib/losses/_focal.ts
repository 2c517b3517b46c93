/**
 * The focal regression losses' shared body (Yang et al., 2021; the authors' `weighted_focal_*_loss`
 * with `activate = "sigmoid"` and no sample weights). Internal: `focalMae` and `focalMse` call it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkPair } from "./validate.ts";

/** Options shared by the focal losses. */
export interface FocalOptions {
  /** Scale β inside the sigmoid; > 0, default 0.2 (the paper tunes β ∈ {0.25, 1, 4}). */
  beta?: number;
  /** Exponent γ of the weight; ≥ 0, default 1. */
  gamma?: number;
}

/**
 * `mean( base(r) · (2·sigmoid(β·|r|) − 1)^γ )` with `r = yPred − yTrue` and `base` = `|r|` or `r²`,
 * the mean over all elements. The weight is not detached (as in torch). Where `r = 0` the weight is 0;
 * for `γ < 1` torch's gradient there is NaN (0 · ∞), this one is finite (the base of the power is
 * floored at 1e-30, which changes the value only where `|r| < ~1e-29`).
 */
export function focalLoss(
  fn: string,
  base: "abs" | "square",
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: FocalOptions,
): tf.Scalar {
  const beta = checkNumber(fn, "beta", options.beta ?? 0.2, "positive");
  const gamma = checkNumber(fn, "gamma", options.gamma ?? 1, "nonNegative");
  return tf.tidy(() => {
    const [t, p] = checkPair(fn, yTrue, yPred);
    const r = tf.sub(p, t);
    const w = tf.sub(tf.mul(tf.sigmoid(tf.mul(tf.abs(r), beta)), 2), 1);
    let factor: tf.Tensor;
    if (gamma === 1) factor = w;
    else if (gamma === 0) factor = tf.onesLike(w);
    else factor = tf.pow(tf.maximum(w, 1e-30), gamma);
    return tf.mean(tf.mul(base === "abs" ? tf.abs(r) : tf.square(r), factor));
  });
}
