/**
 * The Huber loss baseline (torch `nn.HuberLoss(delta)`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkPair } from "./validate.ts";

/** Options of {@linkcode huber}. */
export interface HuberOptions {
  /** The switching point δ between the quadratic and the linear part; > 0, default 1. */
  delta?: number;
}

/**
 * Huber loss, torch `HuberLoss(delta)`: per element, with error `r = yPred − yTrue`,
 * `0.5·r²` if `|r| < delta`, else `delta·(|r| − 0.5·delta)`; then the mean over all elements
 * (multi-target labels are pooled). The paper tunes `delta ∈ {0.25, 1, 4}`.
 *
 * @param yTrue the labels, `[N]` or `[N, T]`, N ≥ 2
 * @param yPred the predictions, same shape
 * @param options `delta` (default 1)
 * @returns the scalar loss
 * @throws {LossInputError} on mismatched shapes, fewer than 2 rows, non-finite values or `delta ≤ 0`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { huber } from "./huber.ts";
 * await tf.setBackend("cpu");
 * const loss = huber(tf.tensor1d([0, 0]), tf.tensor1d([0.5, 3]), { delta: 1 });
 * assert.equal(loss.dataSync()[0], (0.125 + 2.5) / 2);
 * ```
 */
export function huber(yTrue: tf.Tensor, yPred: tf.Tensor, options: HuberOptions = {}): tf.Scalar {
  const delta = checkNumber("huber", "delta", options.delta ?? 1, "positive");
  return tf.tidy(() => {
    const [t, p] = checkPair("huber", yTrue, yPred);
    // With c = min(|r|, delta): 0.5·c² + delta·(|r| − c) is 0.5·r² below delta and
    // delta·(|r| − 0.5·delta) from delta on; at |r| = delta the gradient is delta·sign(r), as torch.
    const a = tf.abs(tf.sub(p, t));
    const c = tf.minimum(a, delta);
    return tf.mean(tf.add(tf.mul(tf.square(c), 0.5), tf.mul(tf.sub(a, c), delta)));
  });
}
