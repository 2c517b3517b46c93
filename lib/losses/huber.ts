/**
 * The Huber loss baseline (torch `nn.HuberLoss(delta)`).
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

/** Options of {@linkcode huber}. */
export interface HuberOptions {
  /**
   * The switching point δ between the quadratic and the linear part; > 0, default 1. Over the runs axis, one
   * δ for every run or one per run (K values).
   */
  delta?: RunNumbers;
}

/**
 * Huber loss, torch `HuberLoss(delta)`: per element, with error `r = yPred − yTrue`,
 * `0.5·r²` if `|r| < delta`, else `delta·(|r| − 0.5·delta)`; then the mean over all elements
 * (multi-target labels are pooled). The paper tunes `delta ∈ {0.25, 1, 4}`.
 *
 * Over the runs axis (predictions `[K, N, T]` of K runs against the shared labels) it returns the K losses
 * `[K]`, value k the Huber loss of `yPred[k]` with run k's δ: one broadcast program whatever K (per-run δ as
 * a `[K, N, T]` tensor), each run reduced over its own block.
 *
 * @param yTrue the labels, `[N]` or `[N, T]`, N ≥ 2
 * @param yPred the predictions, same shape, or `[K, N, T]` (`[K, N, 1]` for `[N]` labels) over the runs axis
 * @param options `delta` (default 1; per run over the runs axis)
 * @returns the scalar loss, or the `[K]` losses over the runs axis
 * @throws {LossInputError} on mismatched shapes, fewer than 2 rows, non-finite values or `delta ≤ 0` (or not
 *   K values over the runs axis)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { huber } from "./huber.ts";
 * await tf.setBackend("cpu");
 * const loss = huber(tf.tensor1d([0, 0]), tf.tensor1d([0.5, 3]), { delta: 1 });
 * assert.equal(loss.dataSync()[0], (0.125 + 2.5) / 2);
 * // Two runs at once, δ = 1 and δ = 4: predictions [K = 2, N = 2, 1]
 * const runs = huber(tf.tensor1d([0, 0]), tf.tensor3d([[[0.5], [3]], [[0.5], [3]]]), { delta: [1, 4] });
 * assert.deepEqual(Array.from(runs.dataSync()), [(0.125 + 2.5) / 2, (0.125 + 4.5) / 2]);
 * ```
 */
export function huber<P extends tf.Tensor>(
  yTrue: tf.Tensor,
  yPred: P,
  options: HuberOptions = {},
): LossOf<P> {
  const runs = runsOf(yPred);
  const deltas = runOption("huber", "delta", options.delta ?? 1, runs, "positive");
  return tf.tidy(() => {
    const { yTrue: t, yPred: p } = checkLabelPair("huber", yTrue, yPred, runs);
    const delta = runOperand(deltas, p.shape); // per run: [K, N, T] (tf.minimum broadcasts slowly on wasm)
    // With c = min(|r|, delta): 0.5·c² + delta·(|r| − c) is 0.5·r² below delta and
    // delta·(|r| − 0.5·delta) from delta on; at |r| = delta the gradient is delta·sign(r), as torch.
    const a = tf.abs(tf.sub(p, t));
    const c = tf.minimum(a, delta);
    return runMean(tf.add(tf.mul(tf.square(c), 0.5), tf.mul(tf.sub(a, c), delta)));
  }) as LossOf<P>;
}
