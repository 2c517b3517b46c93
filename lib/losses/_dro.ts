/**
 * The KL-DRO aggregation of Theorem 6 (Eq. 9), computed stably. Internal: shared by
 * `droAggregate` and the fused `gar`; not re-exported by `mod.ts`.
 *
 * For sub-losses `L_1..L_M > 0` (one column of `losses`) and `alpha > 0`:
 *
 *     V = alpha * log((1/M) * sum_i L_i^(1/alpha))
 *       = log L_max + alpha * log1p(mean_i(expm1(z_i))),   z_i = (log L_i - log L_max) / alpha <= 0
 *
 * The reference `L_max` is a constant (detached, Eq. 11): the value is exact for any reference, and
 * with the maximum every `exp(z_i)` lies in (0, 1], so nothing overflows for any alpha; `expm1` /
 * `log1p` keep the large-alpha case (all `z_i` close to 0) accurate in float32.
 *
 * The gradient is `dV/dL_i = w_i / L_i` with `w = softmax(log L / alpha)`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Value and gradient coefficients of the DRO aggregation, column by column. */
export interface DroColumns {
  /** `[1, C]`: the aggregated value of each column (`[K, 1, C]` for `[K, M, C]` sub-losses). */
  value: tf.Tensor;
  /** `[M, C]`: `w_i / L_i`, the derivative of each column's value with respect to its sub-losses. */
  coef: tf.Tensor;
}

/**
 * Aggregates each column of `losses` (`[M, C]`, all entries finite and > 0; or `[K, M, C]`, K stacks of
 * columns) with Eq. 9, over the second-to-last axis. `alpha` is one number, or a tensor that broadcasts
 * against `losses` (one alpha per column, `[1, C]`, or per stack, `[K, 1, 1]`). Plain forward computation (no
 * gradient is recorded through the detached reference: wrap it in a `tf.customGrad` and use `coef`).
 */
export function droColumns(losses: tf.Tensor, alpha: number | tf.Tensor): DroColumns {
  return tf.tidy(() => {
    const logL = tf.log(losses);
    const logMax = tf.max(logL, -2, true);
    const z = tf.div(tf.sub(logL, logMax), alpha);
    const value = tf.add(logMax, tf.mul(alpha, tf.log1p(tf.mean(tf.expm1(z), -2, true))));
    const e = tf.exp(z);
    const w = tf.div(e, tf.sum(e, -2, true));
    const coef = tf.div(w, losses);
    return { value, coef };
  });
}
