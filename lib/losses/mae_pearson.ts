/**
 * MAE-Pearson, the heuristic fused baseline of the paper's synthetic experiments (Section 4.1).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { LossInputError } from "./validate.ts";
import { absSignGrad, stopGradient } from "./ops.ts";
import { checkLabelPair, type LossOf, runMean, runsOf } from "./_runs.ts";

/** Options of {@linkcode maePearson}. */
export interface MaePearsonOptions {
  /**
   * `"paper"` (default): the paper's definition, `β·MAE + (1 − β)·(1 − ρ)` with `β = ρ`.
   * `"code"`: the authors' synthetic script (`synthetic_batch.py`, loss `Pearson`):
   * `(1 − b)·MAE + b·P` with `P = mean(((f − f̄)/s_f − (y − ȳ)/s_y)² / 2)` (s = unbiased std,
   * so `P = (1 − ρ)(N − 1)/N`) and `b = P/2` held constant.
   */
  form?: "paper" | "code";
}

// Lower clip of every standard deviation: 1e-7, the authors' eps (written locally, see NOTES.md).
const STD_FLOOR_SQ = 1e-14;

/**
 * MAE-Pearson: `β·L_MAE + (1 − β)·(1 − ρ(f, y))` where `β` is the current Pearson correlation
 * `ρ(f, y)` of the batch treated as a constant (detached: no gradient flows through β).
 *
 * - ρ uses population moments: `ρ = mean((f − f̄)(y − ȳ)) / (s_f·s_y)` with
 *   `s = sqrt(max(mean((x − x̄)²), 1e-14))`, i.e. each standard deviation is clipped below at 1e-7.
 *   So constant predictions or constant labels give ρ ≈ 0 (the loss is then ≈ 1 − ρ ≈ 1), never
 *   NaN; the gradient stays finite (but scales like 1/1e-7 for constant predictions, as in the
 *   authors' clipped Pearson term of GAR).
 * - Multi-target labels `[N, T]`: ρ is computed per column and averaged (`ρ̄`), the MAE is pooled
 *   over all elements; `β = ρ̄`.
 * - β = ρ follows the paper literally, so when ρ < 0 (e.g. early in training) the MAE term gets a
 *   negative weight. The authors' script (`form: "code"`) weighs differently, with weights in [0, 1];
 *   see {@linkcode MaePearsonOptions}.
 * - Over the runs axis (predictions `[K, N, T]` of K runs against the shared labels) it returns the K losses
 *   `[K]`, value k the loss of `yPred[k]` with its own ρ and β: one broadcast program whatever K, the moments
 *   of each run over its own rows.
 *
 * @param yTrue the labels, `[N]` or `[N, T]`, N ≥ 2
 * @param yPred the predictions, same shape, or `[K, N, T]` (`[K, N, 1]` for `[N]` labels) over the runs axis
 * @param options `form` (default `"paper"`)
 * @returns the scalar loss, or the `[K]` losses over the runs axis
 * @throws {LossInputError} on mismatched shapes, fewer than 2 rows, non-finite values or a bad `form`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { maePearson } from "./mae_pearson.ts";
 * await tf.setBackend("cpu");
 * // Predictions perfectly correlated with the labels: ρ = 1, so the loss is the MAE (= 1 here).
 * const loss = maePearson(tf.tensor1d([1, 2, 3]), tf.tensor1d([2, 3, 4]));
 * assert.ok(Math.abs(loss.dataSync()[0] - 1) < 1e-5);
 * // Two runs at once: predictions [K = 2, N = 3, 1]; the second is anti-correlated (ρ = −1, β = −1)
 * const runs = maePearson(tf.tensor1d([1, 2, 3]), tf.tensor3d([[[2], [3], [4]], [[3], [2], [1]]]));
 * assert.ok(Math.abs(runs.dataSync()[0] - 1) < 1e-5);
 * assert.ok(Math.abs(runs.dataSync()[1] - (-4 / 3 + 2 * 2)) < 1e-5); // β·MAE + (1 − β)(1 − ρ)
 * ```
 */
export function maePearson<P extends tf.Tensor>(
  yTrue: tf.Tensor,
  yPred: P,
  options: MaePearsonOptions = {},
): LossOf<P> {
  const form = options.form ?? "paper";
  if (form !== "paper" && form !== "code") {
    throw new LossInputError(`maePearson: option form must be "paper" or "code", got ${String(form)}`);
  }
  const runs = runsOf(yPred);
  return tf.tidy(() => {
    const { yTrue: t, yPred: p } = checkLabelPair("maePearson", yTrue, yPred, runs);
    // The batch axis: 0 for one run, 1 over the runs axis; every per-run statistic keeps the runs axis.
    const axis = runs === null ? 0 : 1;
    const n = t.shape[0];
    const maeTerm = runMean(absSignGrad(tf.sub(p, t))); // gradient 0 at a zero error, as torch
    const pc = tf.sub(p, tf.mean(p, axis, runs !== null));
    const yc = tf.sub(t, tf.mean(t, 0));
    // The mean over the columns of per-column statistics: `[T]` → scalar, `[K, T]` → `[K]`.
    const columnMean = (x: tf.Tensor) => (runs === null ? tf.mean(x) : tf.mean(x, 1));
    if (form === "paper") {
      const sp = tf.sqrt(tf.maximum(tf.mean(tf.square(pc), axis), STD_FLOOR_SQ));
      const sy = tf.sqrt(tf.maximum(tf.mean(tf.square(yc), 0), STD_FLOOR_SQ));
      const rho = columnMean(tf.div(tf.mean(tf.mul(pc, yc), axis), tf.mul(sp, sy)));
      const beta = stopGradient(rho);
      return tf.add(tf.mul(beta, maeTerm), tf.mul(tf.sub(1, beta), tf.sub(1, rho)));
    }
    // Unbiased (ddof 1) standard deviations, as torch's Tensor.std.
    const sp = tf.sqrt(tf.maximum(tf.div(tf.sum(tf.square(pc), axis, runs !== null), n - 1), STD_FLOOR_SQ));
    const sy = tf.sqrt(tf.maximum(tf.div(tf.sum(tf.square(yc), 0), n - 1), STD_FLOOR_SQ));
    const pearsonTerm = runMean(tf.div(tf.square(tf.sub(tf.div(pc, sp), tf.div(yc, sy))), 2));
    const b = tf.div(stopGradient(pearsonTerm), 2);
    return tf.add(tf.mul(tf.sub(1, b), maeTerm), tf.mul(b, pearsonTerm));
  }) as LossOf<P>;
}
