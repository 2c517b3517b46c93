/**
 * GAR, Gradient Aligned Regression (Zhu, Yang, Jerby, ICML 2025): the KL-DRO aggregation of a
 * pointwise MAE and the two O(N) pairwise losses.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { GAR_EPS } from "./constants.ts";
import { droColumns } from "./_dro.ts";
import { checkMultiTarget, garColumnGradient, garColumnStats, type MultiTarget } from "./_gar_core.ts";
import { checkLabelPair, type LossOf, type RunNumbers, runOperand, runOption, runsOf } from "./_runs.ts";
import { runLossKernel } from "./kernels/mod.ts";

/** Options of {@linkcode gar}. */
export interface GarOptions {
  /**
   * The DRO temperature of Eq. 9, finite and > 0 (default 1; the paper tunes it in {0.1, 1, 10}). Over the
   * runs axis, one alpha for every run or one per run (K values).
   */
  alpha?: RunNumbers;
  /**
   * For `[N, T]` labels: `"pooled"` (default, the authors' `GAR`) aggregates the three sub-losses
   * whose means run over all `N*T` elements; `"perTarget"` (the authors' later `GAR_col`) computes
   * one GAR per column (means over its `N` rows) and returns their average over the `T` columns.
   * Both are the same for `[N]` labels.
   */
  multiTarget?: MultiTarget;
}

/**
 * The GAR loss, Eq. 9 with M = 3:
 *
 *     GAR = alpha * log((L_mae^(1/alpha) + L_var^(1/alpha) + L_pearson^(1/alpha)) / 3)
 *
 * with the three sub-losses computed exactly as {@linkcode garParts} (the authors' definitions,
 * each `+ GAR_EPS`).
 *
 * **Value.** This returns the true value of Eq. 9. The authors' `loss.py` returns
 * `alpha * log(mean((L_i / c)^(1/alpha)))` with a detached factor `c` (the smallest sub-loss for
 * alpha > 1, the largest for alpha < 1, 1 for alpha = 1), i.e. Eq. 11 without its `+ log c`: their
 * value equals this one minus `log c`. The gradients are identical (they differ by a constant).
 *
 * **Gradient.** One fused `tf.customGrad`: the forward pass computes the column statistics once and
 * the backward pass uses the closed form `dGAR/df = sum_k (w_k / L_k) dL_k/df`,
 * `w = softmax(log L / alpha)`, with `dMAE/df = sign(f - y)/n` (sign(0) = 0, as torch),
 * `dVar/df = d/n`, and `dPearson/df_j = (r_j - r̄ - a_j sum_i(r_i a_i)/(N-1)) / (n s_f)`
 * (`n` = number of elements in the outer mean). The gradient with respect to `yTrue` is zero:
 * labels are data.
 *
 * **Kernels.** On cpu and wasm the whole loss is one host pass in float64 (`kernels/host/gar.ts`:
 * tensors live in host memory there and small tfjs ops cost more in dispatch than in arithmetic); on
 * WebGPU it is two WGSL kernels, one for the value (all statistics and the DRO aggregation, in one
 * workgroup) and one for the gradient (`kernels/webgpu/gar.ts`); on any other backend, a program of
 * ordinary tfjs ops with the same closed-form gradient.
 *
 * **Constant inputs.** Constant predictions (a column with `std_ddof1(f) < GAR_EPS`) are divided by
 * the clipped std `GAR_EPS`, as in the authors' code, so the Pearson part is about
 * `mean(b^2)/2 ≈ (N-1)/(2N)` and its gradient `(r_j - r̄)/(n GAR_EPS)` is large but finite (the
 * clipped std is a constant, as torch's clip passes no gradient). Constant labels are handled the
 * same way. Value and gradient are never NaN.
 *
 * **Runs axis.** With predictions `[K, N, T]` of K independent runs against the shared labels, `gar` returns
 * the K losses `[K]`, value k the GAR of `yPred[k]` with run k's alpha. The host kernel loops over the runs
 * in one call, each run by the same float64 code as a single run (so the same bits as `gar` on the slice,
 * whatever the other runs); the WebGPU kernels dispatch one workgroup per run (statistics) and one thread per
 * element (gradient) in one launch each; the tensor program broadcasts over K (alpha per run as `[K, 1, 1]`).
 *
 * @param yTrue labels `[N]` or `[N, T]`, N >= 2
 * @param yPred predictions, same shape, or `[K, N, T]` (`[K, N, 1]` for `[N]` labels) over the runs axis
 * @param options see {@linkcode GarOptions}
 * @returns the loss, a scalar, or the `[K]` losses over the runs axis
 * @throws {LossInputError} on bad shapes, fewer than 2 rows, non-finite values, or a bad `alpha` (or not K
 * of them over the runs axis) or `multiTarget`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { gar } from "./gar.ts";
 * await tf.setBackend("cpu");
 * const y = tf.tensor1d([1, 2, 3, 4]);
 * const f = tf.tensor1d([1.5, 1.5, 3.5, 3.5]);
 * const loss = gar(y, f, { alpha: 1 }).dataSync()[0];
 * assert.ok(Number.isFinite(loss));
 * const g = tf.grad((p: tf.Tensor) => gar(y, p))(f);
 * assert.equal(g.shape[0], 4);
 * // Three runs at once, alpha per run: predictions [K = 3, N = 4, 1], one value per run
 * const runs = gar(y, tf.stack([f, f, f]).reshape([3, 4, 1]), { alpha: [0.1, 1, 10] });
 * assert.equal(runs.dataSync()[1], loss); // run 1 (alpha 1) is the single-run loss, bit for bit
 * ```
 */
export function gar<P extends tf.Tensor>(yTrue: tf.Tensor, yPred: P, options: GarOptions = {}): LossOf<P> {
  const runs = runsOf(yPred);
  const alpha = runOption("gar", "alpha", options.alpha ?? 1, runs, "positive");
  const pooled = checkMultiTarget("gar", options.multiTarget ?? "pooled") === "pooled";
  return tf.tidy(() => {
    const { yTrue: t, yPred: p } = checkLabelPair("gar", yTrue, yPred, runs);
    const alphas = typeof alpha === "number" ? new Array<number>(runs ?? 1).fill(alpha) : alpha;
    const kernel = runLossKernel("gar", { yTrue: t, yPred: p }, { alpha: alphas, pooled });
    if (kernel !== null) return kernel;
    const [rows, cols] = t.shape;
    const op = tf.customGrad((tIn, pIn, save) => {
      const s = garColumnStats(tIn as tf.Tensor2D, pIn as tf.Tensor2D | tf.Tensor3D);
      const parts = tf.add(pooled ? tf.mean(s.parts, -1, true) : s.parts, GAR_EPS); // [3, C] ([K, 3, C])
      const { value, coef } = droColumns(parts, runOperand(alpha));
      (save as tf.GradSaveFunc)([s.delta, s.d, s.a, s.r, s.sF, s.fFree, coef]);
      return {
        value: runs === null ? tf.mean(value) : tf.mean(value, [1, 2]),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [delta, d, a, r, sF, fFree, c] = saved;
          // pooled: one outer mean over N*T elements; perTarget: means over N rows times the 1/T of
          // the average over columns. Both scale the per-element derivative by 1/(N*T).
          const count = rows * cols;
          const g = garColumnGradient({ delta, d, a, r, sF, fFree }, c, count);
          return [tf.zeros([rows, cols]), tf.mul(runs === null ? dy : tf.reshape(dy, [runs, 1, 1]), g)];
        },
      };
    });
    return op(t, p);
  }) as LossOf<P>;
}
