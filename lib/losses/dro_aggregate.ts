/**
 * The KL-DRO aggregation of several sub-losses (Theorem 6, Eq. 9).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { finiteChecksEnabled, LossInputError, tryReadSync } from "./validate.ts";
import { droColumns } from "./_dro.ts";
import { type RunNumbers, runOption } from "./_runs.ts";

/**
 * Aggregates `M >= 1` positive sub-losses with the KL-regularised DRO of Theorem 6 (Eq. 9):
 *
 *     alpha * log((1/M) * sum_i L_i^(1/alpha))  =  max_{p in simplex} sum_i p_i log L_i - alpha KL(p || 1/M)
 *
 * `exp` of the value is the power mean of order `1/alpha`: it tends to the maximum as alpha -> 0, is
 * the arithmetic mean at alpha = 1 (the value is `log mean L_i` exactly) and tends to the geometric
 * mean as alpha -> infinity. With one sub-loss the value is `log L_1` for every alpha.
 *
 * Computed stably as Eq. 11 with a detached reference, the maximum:
 * `log L_max + alpha * log1p(mean_i(expm1((log L_i - log L_max) / alpha)))`; every exponential lies
 * in (0, 1], so value and gradient stay finite in float32 for alpha in [1e-3, 1e3] and sub-losses
 * from 1e-12 to 1e12 (and beyond). The gradient is `dV/dL_i = w_i / L_i` with
 * `w = softmax(log L / alpha)` (a custom gradient: no autodiff through the reference).
 *
 * Validation reads the M scalars back (one small sync; off with `setFiniteChecks(false)`, and skipped
 * on WebGPU under Deno, which cannot read synchronously): each must be finite and > 0.
 *
 * **Runs axis.** With sub-losses that are `[K]` tensors (rank 1: run k's sub-losses at index k, as
 * {@linkcode garParts} returns them over the runs axis) it aggregates each run's M sub-losses with that run's
 * alpha (`alpha` one number for every run, or K numbers) and returns the K values `[K]`: one program whatever
 * K, run k's value and gradient from its own column only. This is how the Table 5 ablations run over the
 * runs axis: `droAggregate([parts.mae, parts.variance], alpha)`.
 *
 * @param losses the sub-losses, each a scalar tensor (size 1), finite and > 0; or each `[K]` over the runs
 *   axis (rank 1: a `[1]` sub-loss is one run, and gives a `[1]` value)
 * @param alpha the DRO temperature, finite and > 0 (over the runs axis: one for every run, or K of them)
 * @returns the aggregated loss, a scalar, or the `[K]` aggregated losses over the runs axis
 * @throws {LossInputError} on an empty array (`losses`), a bad `alpha` (or not K of them), a sub-loss that is
 * not a size-1 tensor (over the runs axis: not `[K]` like `losses[0]`), not finite or not > 0 (naming
 * `losses[i]`)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { droAggregate } from "./dro_aggregate.ts";
 * await tf.setBackend("cpu");
 * // alpha = 1: log of the arithmetic mean
 * const v = droAggregate([tf.scalar(1), tf.scalar(3)], 1).dataSync()[0];
 * assert.ok(Math.abs(v - Math.log(2)) < 1e-6);
 * // Over the runs axis: two runs' sub-losses as [K = 2] tensors, alpha per run
 * const runs = droAggregate([tf.tensor1d([1, 2]), tf.tensor1d([3, 2])], [1, 0.5]).dataSync();
 * assert.ok(Math.abs(runs[0] - Math.log(2)) < 1e-6 && Math.abs(runs[1] - Math.log(2)) < 1e-6);
 * ```
 */
export function droAggregate<L extends tf.Scalar | tf.Tensor1D>(
  losses: L[],
  alpha: [L] extends [tf.Tensor1D] ? RunNumbers : number,
): [L] extends [tf.Tensor1D] ? tf.Tensor1D : tf.Scalar {
  const fn = "droAggregate";
  if (!Array.isArray(losses) || losses.length === 0) {
    throw new LossInputError(`${fn}: losses must be a non-empty array of scalar tensors`);
  }
  // The runs axis: every sub-loss [K], like the first one (a [1] sub-loss is one run).
  const runs = losses[0] instanceof tf.Tensor && losses[0].rank === 1 ? losses[0].shape[0] : null;
  const alphas = runOption(fn, "alpha", alpha, runs, "positive");
  losses.forEach((l, i) => {
    if (runs !== null && !(l instanceof tf.Tensor && l.rank === 1 && l.shape[0] === runs)) {
      throw new LossInputError(
        `${fn}: losses[${i}] must be a [${runs}] tf.Tensor like losses[0] (one value per run)`,
      );
    }
    if (!(l instanceof tf.Tensor) || (runs === null && l.size !== 1)) {
      throw new LossInputError(`${fn}: losses[${i}] must be a scalar tf.Tensor (size 1)`);
    }
  });
  type Out = [L] extends [tf.Tensor1D] ? tf.Tensor1D : tf.Scalar;
  return tf.tidy(() => {
    // [M, K] (K = 1 for scalars)
    const stacked = tf.stack(runs === null ? losses.map((l) => tf.reshape(l, [1])) : losses) as tf.Tensor2D;
    const values = finiteChecksEnabled() ? tryReadSync(stacked) ?? [] : [];
    for (let j = 0; j < values.length; j++) {
      if (!Number.isFinite(values[j]) || !(values[j] > 0)) {
        const i = Math.floor(j / (runs ?? 1)), at = runs === null ? "" : ` (run ${j % runs})`;
        throw new LossInputError(`${fn}: losses[${i}] must be finite and > 0, got ${values[j]}${at}`);
      }
    }
    const op = tf.customGrad((x, save) => {
      // alpha per column (run): one number, or [1, K] when the runs' alphas differ
      const a = typeof alphas === "number" ? alphas : tf.tensor2d(alphas, [1, alphas.length]);
      const { value, coef } = droColumns(x as tf.Tensor2D, a);
      (save as tf.GradSaveFunc)([coef]);
      return {
        value: tf.reshape(value, runs === null ? [] : [runs]),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]),
      };
    });
    return op(stacked) as Out;
  });
}
