/**
 * The literal O(N²) pairwise label-difference loss (Eq. 3).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkPair, LossInputError } from "./validate.ts";

/** An elementwise loss on pairwise differences: `(dPred, dTrue) => loss`, all `[N, N, T]`. */
export type PairwiseElementLoss = (dPred: tf.Tensor, dTrue: tf.Tensor) => tf.Tensor;

/** Options of {@linkcode pairwiseDiffLoss}. */
export interface PairwiseDiffLossOptions {
  /**
   * The individual loss `l(a, b)` on `a = f_i - f_j`, `b = y_i - y_j`: `"halfSquared"` (default,
   * `(a - b)^2 / 2`), `"absolute"` (`|a - b|`, derivative `sign`, 0 at 0) or a function applied
   * elementwise to the `[N, N, T]` difference tensors that returns a tensor of that shape.
   */
  loss?: "halfSquared" | "absolute" | PairwiseElementLoss;
}

/**
 * The pairwise label-difference loss of Eq. 3, computed literally in O(N²):
 *
 *     L_diff = (1/N²) sum_i sum_j l(f_i - f_j, y_i - y_j)
 *
 * over all N² ordered pairs (the diagonal included, as in the paper). For `[N, T]` inputs the mean
 * also runs over the T columns (pairs are formed within each column). With `"halfSquared"`,
 * Theorem 1 gives `L_diff = Var(f - y)` (population variance), i.e. {@linkcode errorVarianceLoss}.
 * Meant for checking the O(N) forms and for custom `l`; it needs `[N, N, T]` memory.
 *
 * @param yTrue labels `[N]` or `[N, T]`, N >= 2
 * @param yPred predictions, same shape
 * @param options see {@linkcode PairwiseDiffLossOptions}
 * @returns the loss, a scalar
 * @throws {LossInputError} on bad shapes, fewer than 2 rows, non-finite values, an unknown `loss`,
 * or a `loss` function whose result is not a tensor of shape `[N, N, T]`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { pairwiseDiffLoss } from "./pairwise_diff_loss.ts";
 * await tf.setBackend("cpu");
 * // errors 0, 2: every pair's difference matches except (0,1) and (1,0): (2^2/2 * 2) / 4 = 1 = Var([0, 2])
 * const v = pairwiseDiffLoss(tf.tensor1d([0, 0]), tf.tensor1d([0, 2])).dataSync()[0];
 * assert.ok(Math.abs(v - 1) < 1e-6);
 * ```
 */
export function pairwiseDiffLoss(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: PairwiseDiffLossOptions = {},
): tf.Scalar {
  const fn = "pairwiseDiffLoss";
  const loss = options.loss ?? "halfSquared";
  if (loss !== "halfSquared" && loss !== "absolute" && typeof loss !== "function") {
    throw new LossInputError(
      `${fn}: option loss must be "halfSquared", "absolute" or a function, got ${String(loss)}`,
    );
  }
  return tf.tidy(() => {
    const [t, p] = checkPair(fn, yTrue, yPred);
    const [n, cols] = p.shape;
    const dPred = tf.sub(tf.expandDims(p, 1), tf.expandDims(p, 0)); // [N, N, T]: f_i - f_j
    const dTrue = tf.sub(tf.expandDims(t, 1), tf.expandDims(t, 0));
    let elementwise: tf.Tensor;
    if (loss === "halfSquared") {
      elementwise = tf.div(tf.square(tf.sub(dPred, dTrue)), 2);
    } else if (loss === "absolute") {
      const x = tf.sub(dPred, dTrue);
      elementwise = tf.mul(x, tf.sign(x));
    } else {
      elementwise = loss(dPred, dTrue);
      if (
        !(elementwise instanceof tf.Tensor) || elementwise.rank !== 3 || elementwise.shape[0] !== n ||
        elementwise.shape[1] !== n || elementwise.shape[2] !== cols
      ) {
        throw new LossInputError(
          `${fn}: option loss (a function) must return a tensor of shape [${n}, ${n}, ${cols}], got ${
            elementwise instanceof tf.Tensor ? `[${elementwise.shape.join(", ")}]` : typeof elementwise
          }`,
        );
      }
    }
    // Two-stage reduction: a single float32 pass over N²·T terms loses several digits on wasm
    // (the mean of 16.7M copies of 0.1 came out 15% high); partial sums of N terms each do not.
    return tf.mean(tf.mean(tf.mean(elementwise, 1), 0)) as tf.Scalar;
  });
}
