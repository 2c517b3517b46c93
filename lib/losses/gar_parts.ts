/**
 * The three sub-losses of GAR, exactly as the authors compute them.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { GAR_EPS } from "./constants.ts";
import { checkMultiTarget, garColumnStats, type MultiTarget } from "./_gar_core.ts";
import { checkLabelPair, type LossOf, runsOf } from "./_runs.ts";

/** Options of {@linkcode garParts}. */
export interface GarPartsOptions {
  /**
   * `"pooled"` (default, the authors' behaviour): the outer means run over all `N*T` elements.
   * `"perTarget"`: each column's parts, then their average over the columns. Since every column has
   * `N` rows, the two give the same three numbers (a mean over `N*T` elements is the mean of the
   * column means); the option exists for symmetry with {@linkcode gar}, where the two differ.
   */
  multiTarget?: MultiTarget;
}

/**
 * The three GAR sub-losses, each already including `+ GAR_EPS`: scalars (`L` = `tf.Scalar`), or over the runs
 * axis the K runs' values (`L` = `tf.Tensor1D`, `[K]`).
 */
export interface GarParts<L extends tf.Tensor = tf.Scalar> {
  /** `L_c^MAE = mean |f - y| + eps`. */
  mae: L;
  /** The authors' `L_diff^MSE`: `mean(((f - f̄) - (y - ȳ))^2 / 2) + eps` = half the error variance + eps. */
  variance: L;
  /**
   * The authors' `L_diffnorm^{p=2}`: `mean(((f - f̄)/s_f - (y - ȳ)/s_y)^2 / 2) + eps` with `s` the
   * unbiased (ddof 1) std per column clipped below at eps; equals `(1 - rho)(N - 1)/N + eps`.
   */
  pearson: L;
}

/**
 * The three sub-losses GAR aggregates, exactly as the authors' `loss.py` computes them (each
 * `+ GAR_EPS`; means per column over the batch axis 0, outer means over all `N*T` elements):
 * - `mae = mean|f - y| + eps`
 * - `variance = mean(((f - f̄) - (y - ȳ))^2 / 2) + eps`
 * - `pearson = mean(((f - f̄)/s_f - (y - ȳ)/s_y)^2 / 2) + eps`, `s = max(std_ddof1, eps)`
 *
 * Differentiable with ordinary autodiff and torch's conventions: `d|x|/dx = sign(x)` (0 at 0) and
 * no gradient through a clipped std. Unlike torch, a constant column gives a finite gradient (the
 * std is computed as `sqrt(max(var, eps^2))`). Aggregating the parts with
 * {@linkcode droAggregate} gives {@linkcode gar} (value and gradient), which is fused and faster.
 *
 * Over the runs axis (predictions `[K, N, T]` of K runs against the shared labels) each part is the `[K]`
 * tensor of the K runs' values, run k's from `yPred[k]` alone: one broadcast program whatever K, the
 * statistics of each run over its own rows. `droAggregate` takes such parts (the Table 5 ablations over the
 * runs axis: `droAggregate([parts.mae, parts.variance], alpha)`).
 *
 * @param yTrue labels `[N]` or `[N, T]`
 * @param yPred predictions, same shape, or `[K, N, T]` (`[K, N, 1]` for `[N]` labels) over the runs axis
 * @param options see {@linkcode GarPartsOptions}
 * @returns `{ mae, variance, pearson }`, three scalars, or three `[K]` tensors over the runs axis
 * @throws {LossInputError} on bad shapes, fewer than 2 rows, non-finite values or a bad `multiTarget`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { garParts } from "./gar_parts.ts";
 * await tf.setBackend("cpu");
 * const { mae, variance, pearson } = garParts(tf.tensor1d([1, 2, 3]), tf.tensor1d([2, 3, 4]));
 * assert.ok(Math.abs(mae.dataSync()[0] - 1) < 1e-6); // every error is 1
 * assert.ok(variance.dataSync()[0] < 1e-6); // constant error: no variance
 * assert.ok(pearson.dataSync()[0] < 1e-6); // perfectly correlated
 * // Two runs at once: predictions [K = 2, N = 3, 1]; each part is [K]
 * const runs = garParts(tf.tensor1d([1, 2, 3]), tf.tensor3d([[[2], [3], [4]], [[1], [2], [3]]]));
 * assert.deepEqual(runs.mae.shape, [2]);
 * assert.ok(Math.abs(runs.mae.dataSync()[0] - 1) < 1e-6 && runs.mae.dataSync()[1] < 1e-6);
 * ```
 */
export function garParts<P extends tf.Tensor>(
  yTrue: tf.Tensor,
  yPred: P,
  options: GarPartsOptions = {},
): GarParts<LossOf<P>> {
  checkMultiTarget("garParts", options.multiTarget ?? "pooled");
  const runs = runsOf(yPred);
  return tf.tidy(() => {
    const { yTrue: t, yPred: p } = checkLabelPair("garParts", yTrue, yPred, runs);
    // pooled and perTarget coincide: mean over N*T = mean over columns of the column means.
    const parts = tf.add(tf.mean(garColumnStats(t, p).parts, -1), GAR_EPS); // [3] ([K, 3])
    const [mae, variance, pearson] = tf.unstack(parts, runs === null ? 0 : 1) as LossOf<P>[];
    return { mae, variance, pearson };
  });
}
