/**
 * Column statistics of the three GAR sub-losses and their closed-form gradient. Internal: shared by
 * `garParts` and the fused `gar`; not re-exported by `mod.ts`.
 *
 * For truth `y` and prediction `f` of shape `[N, T]` (statistics over the batch axis, per column; over the
 * runs axis `f` is `[K, N, T]` against the shared `y`, and every statistic keeps the leading K: the batch
 * axis is the second to last, `-2`, in both forms):
 * - `delta = f - y`, `mae = mean_i |delta|`;
 * - `d = (f - mean f) - (y - mean y)`, `variance = mean_i d^2 / 2`;
 * - `s = max(std_ddof1, GAR_EPS)` (computed as `sqrt(max(var_ddof1, GAR_EPS^2))`, the same value as
 *   the authors' `clip(std, eps)` and a finite gradient when the column is constant),
 *   `a = (f - mean f) / s_f`, `b = (y - mean y) / s_y`, `r = a - b`, `pearson = mean_i r^2 / 2`.
 *
 * The per-column means returned here carry no `GAR_EPS`; the callers add it to each sub-loss.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { GAR_EPS } from "./constants.ts";
import { LossInputError } from "./validate.ts";

/** How `[N, T]` labels are reduced: the authors' pooled means, or one GAR per column, averaged. */
export type MultiTarget = "pooled" | "perTarget";

/** Validates the `multiTarget` option, naming it in the error. */
export function checkMultiTarget(fn: string, value: unknown): MultiTarget {
  if (value !== "pooled" && value !== "perTarget") {
    throw new LossInputError(
      `${fn}: option multiTarget must be "pooled" or "perTarget", got ${
        JSON.stringify(value) ?? String(value)
      }`,
    );
  }
  return value;
}

/**
 * The per-column pieces of the three sub-losses (the shapes of one run; over the runs axis each has a leading
 * K).
 */
export interface GarColumnStats {
  /** `[N, T]`: `f - y`. */
  delta: tf.Tensor;
  /** `[N, T]`: `(f - mean f) - (y - mean y)`. */
  d: tf.Tensor;
  /** `[N, T]`: `(f - mean f) / s_f`. */
  a: tf.Tensor;
  /** `[N, T]`: `a - b`. */
  r: tf.Tensor;
  /** `[1, T]`: the clipped `s_f`. */
  sF: tf.Tensor;
  /** `[1, T]`: 1 where `s_f` is not clipped (the std carries gradient), 0 where it is clipped. */
  fFree: tf.Tensor;
  /** `[3, T]`: per-column `mean|delta|`, `mean d^2/2`, `mean r^2/2` (no eps added). */
  parts: tf.Tensor;
}

/**
 * Computes {@linkcode GarColumnStats} with ordinary differentiable tfjs ops whose autodiff follows
 * torch's conventions (`|x|` has derivative `sign(x)` with `sign(0) = 0`; the clipped std passes no
 * gradient).
 */
export function garColumnStats(yTrue: tf.Tensor2D, yPred: tf.Tensor2D | tf.Tensor3D): GarColumnStats {
  const n = yTrue.shape[0];
  const eps2 = GAR_EPS * GAR_EPS;
  const delta = tf.sub(yPred, yTrue);
  // |x| as x * sign(x): torch's derivative sign(x), 0 at 0 (tfjs' abs gives -1 at 0).
  const absDelta = tf.mul(delta, tf.sign(delta));
  const fc = tf.sub(yPred, tf.mean(yPred, -2, true));
  const yc = tf.sub(yTrue, tf.mean(yTrue, -2, true));
  const d = tf.sub(fc, yc);
  const varF = tf.div(tf.sum(tf.square(fc), -2, true), n - 1);
  const varY = tf.div(tf.sum(tf.square(yc), -2, true), n - 1);
  const sF = tf.sqrt(tf.maximum(varF, eps2));
  const sY = tf.sqrt(tf.maximum(varY, eps2));
  const a = tf.div(fc, sF);
  const r = tf.sub(a, tf.div(yc, sY));
  const fFree = tf.cast(tf.greaterEqual(varF, eps2), "float32");
  const parts = tf.concat([
    tf.mean(absDelta, -2, true),
    tf.div(tf.mean(tf.square(d), -2, true), 2),
    tf.div(tf.mean(tf.square(r), -2, true), 2),
  ], -2);
  return { delta, d, a, r, sF, fFree, parts };
}

/**
 * The closed-form gradient `sum_k coef_k * dL_k/df` of the three per-column means, where
 * `coef` (`[3, C]`, C = 1 or T; `[K, 3, C]` over the runs axis) weights MAE, variance and Pearson parts and
 * `count` is the number of elements each outer mean runs over (`N*T` pooled, `N` per column).
 *
 * - `dMAE/df = sign(delta) / count`
 * - `dVar/df = (d - mean d) / count` (the mean is 0 up to rounding)
 * - `dPearson/df_j = (r_j - mean r - [s_f free] * a_j * sum_i(r_i a_i) / (N - 1)) / (count * s_f)`
 */
export function garColumnGradient(
  s: Pick<GarColumnStats, "delta" | "d" | "a" | "r" | "sF" | "fFree">,
  coef: tf.Tensor,
  count: number,
): tf.Tensor {
  const n = s.delta.shape[s.delta.rank - 2];
  const [cMae, cVar, cPear] = tf.split(coef, 3, -2);
  const gMae = tf.mul(tf.sign(s.delta), cMae);
  const gVar = tf.mul(tf.sub(s.d, tf.mean(s.d, -2, true)), cVar);
  const ra = tf.div(tf.mul(tf.sum(tf.mul(s.r, s.a), -2, true), s.fFree), n - 1);
  const gPear = tf.div(
    tf.mul(tf.sub(tf.sub(s.r, tf.mean(s.r, -2, true)), tf.mul(s.a, ra)), cPear),
    s.sF,
  );
  return tf.div(tf.addN([gMae, gVar, gPear]), count);
}
