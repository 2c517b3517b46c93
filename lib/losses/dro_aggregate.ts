/**
 * The KL-DRO aggregation of several sub-losses (Theorem 6, Eq. 9).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, finiteChecksEnabled, LossInputError, tryReadSync } from "./validate.ts";
import { droColumns } from "./_dro.ts";

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
 * @param losses the sub-losses, each a scalar tensor (size 1), finite and > 0
 * @param alpha the DRO temperature, finite and > 0
 * @returns the aggregated loss, a scalar
 * @throws {LossInputError} on an empty array (`losses`), a bad `alpha`, or a sub-loss that is not a
 * size-1 tensor, not finite or not > 0 (naming `losses[i]`)
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
 * ```
 */
export function droAggregate(losses: tf.Scalar[], alpha: number): tf.Scalar {
  const fn = "droAggregate";
  if (!Array.isArray(losses) || losses.length === 0) {
    throw new LossInputError(`${fn}: losses must be a non-empty array of scalar tensors`);
  }
  checkNumber(fn, "alpha", alpha, "positive");
  losses.forEach((l, i) => {
    if (!(l instanceof tf.Tensor) || l.size !== 1) {
      throw new LossInputError(`${fn}: losses[${i}] must be a scalar tf.Tensor (size 1)`);
    }
  });
  return tf.tidy(() => {
    const stacked = tf.stack(losses.map((l) => tf.reshape(l, [1]))) as tf.Tensor2D; // [M, 1]
    const values = finiteChecksEnabled() ? tryReadSync(stacked) ?? [] : [];
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]) || !(values[i] > 0)) {
        throw new LossInputError(`${fn}: losses[${i}] must be finite and > 0, got ${values[i]}`);
      }
    }
    const op = tf.customGrad((x, save) => {
      const { value, coef } = droColumns(x as tf.Tensor2D, alpha);
      (save as tf.GradSaveFunc)([coef]);
      return {
        value: tf.reshape(value, []) as tf.Scalar,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]),
      };
    });
    return op(stacked) as tf.Scalar;
  });
}
