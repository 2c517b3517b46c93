/**
 * The focal regression losses' shared body (Yang et al., 2021; the authors' `weighted_focal_*_loss`
 * with `activate = "sigmoid"` and no sample weights). Internal: `focalMae` and `focalMse` call it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  checkLabelPair,
  type LossOf,
  runMean,
  type RunNumbers,
  runOperand,
  runOption,
  runsOf,
} from "./_runs.ts";

/** Options shared by the focal losses; over the runs axis, each one number for every run or one per run. */
export interface FocalOptions {
  /** Scale β inside the sigmoid; > 0, default 0.2 (the paper tunes β ∈ {0.25, 1, 4}). */
  beta?: RunNumbers;
  /** Exponent γ of the weight; ≥ 0, default 1. */
  gamma?: RunNumbers;
}

/**
 * `mean( base(r) · (2·sigmoid(β·|r|) − 1)^γ )` with `r = yPred − yTrue` and `base` = `|r|` or `r²`,
 * the mean over all elements. The weight is not detached (as in torch). Where `r = 0` the weight is 0;
 * for `γ < 1` torch's gradient there is NaN (0 · ∞), this one is finite (the base of the power is
 * floored at 1e-30, which changes the value only where `|r| < ~1e-29`).
 *
 * Over the runs axis (`yPred` `[K, N, T]`) the K means `[K]`, with per-run β as a `[K, 1, 1]` tensor. Runs
 * that mix γ values select each run's weight (`w` for γ = 1, 1 for γ = 0, the floored power otherwise) with
 * `tf.where`: the same values, and gradients that differ from the single-run ones by signed zeros at most.
 */
export function focalLoss<P extends tf.Tensor>(
  fn: string,
  base: "abs" | "square",
  yTrue: tf.Tensor,
  yPred: P,
  options: FocalOptions,
): LossOf<P> {
  const runs = runsOf(yPred);
  const betas = runOption(fn, "beta", options.beta ?? 0.2, runs, "positive");
  const gammas = runOption(fn, "gamma", options.gamma ?? 1, runs, "nonNegative");
  return tf.tidy(() => {
    const { yTrue: t, yPred: p } = checkLabelPair(fn, yTrue, yPred, runs);
    const r = tf.sub(p, t);
    const w = tf.sub(tf.mul(tf.sigmoid(tf.mul(tf.abs(r), runOperand(betas))), 2), 1);
    let factor: tf.Tensor;
    if (typeof gammas !== "number") factor = mixedFactor(w, gammas);
    else if (gammas === 1) factor = w;
    else if (gammas === 0) factor = tf.onesLike(w);
    else factor = tf.pow(tf.maximum(w, 1e-30), gammas);
    return runMean(tf.mul(base === "abs" ? tf.abs(r) : tf.square(r), factor));
  }) as LossOf<P>;
}

/**
 * The focal factor of runs with different γ (`w` `[K, N, T]`, one γ per run): each run's own form. Operands
 * of the full shape (`tf.pow` and `tf.where` broadcast slowly on wasm).
 */
function mixedFactor(w: tf.Tensor, gammas: number[]): tf.Tensor {
  const flags = (is: (g: number) => boolean) =>
    tf.cast(runOperand(gammas.map((g) => (is(g) ? 1 : 0)), w.shape) as tf.Tensor, "bool");
  const power = tf.pow(tf.maximum(w, 1e-30), runOperand(gammas, w.shape));
  return tf.where(flags((g) => g === 1), w, tf.where(flags((g) => g === 0), tf.onesLike(w), power));
}
