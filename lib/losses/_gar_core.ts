/**
 * Column statistics of the three GAR sub-losses and their closed-form gradient. Internal: shared by
 * `garParts` and the fused `gar`; not re-exported by `mod.ts`.
 *
 * For truth `y` and prediction `f` of shape `[N, T]` (statistics over the batch axis 0, per column):
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
import { LossInputError } from "./_validate.ts";

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

/** The per-column pieces of the three sub-losses. */
export interface GarColumnStats {
  /** `[N, T]`: `f - y`. */
  delta: tf.Tensor2D;
  /** `[N, T]`: `(f - mean f) - (y - mean y)`. */
  d: tf.Tensor2D;
  /** `[N, T]`: `(f - mean f) / s_f`. */
  a: tf.Tensor2D;
  /** `[N, T]`: `a - b`. */
  r: tf.Tensor2D;
  /** `[1, T]`: the clipped `s_f`. */
  sF: tf.Tensor2D;
  /** `[1, T]`: 1 where `s_f` is not clipped (the std carries gradient), 0 where it is clipped. */
  fFree: tf.Tensor2D;
  /** `[3, T]`: per-column `mean|delta|`, `mean d^2/2`, `mean r^2/2` (no eps added). */
  parts: tf.Tensor2D;
}

/**
 * Computes {@linkcode GarColumnStats} with ordinary differentiable tfjs ops whose autodiff follows
 * torch's conventions (`|x|` has derivative `sign(x)` with `sign(0) = 0`; the clipped std passes no
 * gradient).
 */
export function garColumnStats(yTrue: tf.Tensor2D, yPred: tf.Tensor2D): GarColumnStats {
  const n = yTrue.shape[0];
  const eps2 = GAR_EPS * GAR_EPS;
  const delta = tf.sub(yPred, yTrue) as tf.Tensor2D;
  // |x| as x * sign(x): torch's derivative sign(x), 0 at 0 (tfjs' abs gives -1 at 0).
  const absDelta = tf.mul(delta, tf.sign(delta));
  const fc = tf.sub(yPred, tf.mean(yPred, 0, true));
  const yc = tf.sub(yTrue, tf.mean(yTrue, 0, true));
  const d = tf.sub(fc, yc) as tf.Tensor2D;
  const varF = tf.div(tf.sum(tf.square(fc), 0, true), n - 1);
  const varY = tf.div(tf.sum(tf.square(yc), 0, true), n - 1);
  const sF = tf.sqrt(tf.maximum(varF, eps2)) as tf.Tensor2D;
  const sY = tf.sqrt(tf.maximum(varY, eps2));
  const a = tf.div(fc, sF) as tf.Tensor2D;
  const r = tf.sub(a, tf.div(yc, sY)) as tf.Tensor2D;
  const fFree = tf.cast(tf.greaterEqual(varF, eps2), "float32") as tf.Tensor2D;
  const parts = tf.concat([
    tf.mean(absDelta, 0, true),
    tf.div(tf.mean(tf.square(d), 0, true), 2),
    tf.div(tf.mean(tf.square(r), 0, true), 2),
  ], 0) as tf.Tensor2D;
  return { delta, d, a, r, sF, fFree, parts };
}

/**
 * The closed-form gradient `sum_k coef_k * dL_k/df` of the three per-column means, where
 * `coef` (`[3, C]`, C = 1 or T) weights MAE, variance and Pearson parts and `count` is the number
 * of elements each outer mean runs over (`N*T` pooled, `N` per column).
 *
 * - `dMAE/df = sign(delta) / count`
 * - `dVar/df = (d - mean d) / count` (the mean is 0 up to rounding)
 * - `dPearson/df_j = (r_j - mean r - [s_f free] * a_j * sum_i(r_i a_i) / (N - 1)) / (count * s_f)`
 */
export function garColumnGradient(
  s: Pick<GarColumnStats, "delta" | "d" | "a" | "r" | "sF" | "fFree">,
  coef: tf.Tensor2D,
  count: number,
): tf.Tensor2D {
  const n = s.delta.shape[0];
  const [cMae, cVar, cPear] = tf.split(coef, 3, 0);
  const gMae = tf.mul(tf.sign(s.delta), cMae);
  const gVar = tf.mul(tf.sub(s.d, tf.mean(s.d, 0, true)), cVar);
  const ra = tf.div(tf.mul(tf.sum(tf.mul(s.r, s.a), 0, true), s.fFree), n - 1);
  const gPear = tf.div(
    tf.mul(tf.sub(tf.sub(s.r, tf.mean(s.r, 0, true)), tf.mul(s.a, ra)), cPear),
    s.sF,
  );
  return tf.div(tf.addN([gMae, gVar, gPear]), count) as tf.Tensor2D;
}

/**
 * The DRO aggregation of Eq. 9 for one column of sub-losses, in float64: value and `w_i / L_i`.
 * Same stable form as `droColumns` (reference = the largest sub-loss).
 */
function droHost(losses: number[], alpha: number): { value: number; coef: number[] } {
  const logL = losses.map(Math.log);
  const logMax = Math.max(...logL);
  const z = logL.map((l) => (l - logMax) / alpha);
  const value = logMax + alpha * Math.log1p(z.reduce((s, v) => s + Math.expm1(v), 0) / losses.length);
  const e = z.map(Math.exp);
  const total = e.reduce((s, v) => s + v, 0);
  return { value, coef: e.map((v, i) => v / total / losses[i]) };
}

/**
 * GAR as one fused host kernel for the backends whose tensors live in host memory (cpu, wasm), where
 * a loss built from small tensor ops costs far more in per-kernel overhead (tens of µs per kernel on
 * wasm) than in arithmetic. The batch is read once (`dataSync`, a memory copy on these backends);
 * the forward pass is two float64 passes over it (column means; then the centred sums
 * `Σf_c², Σy_c², Σf_c·y_c, Σ|δ|`, from which `Σd² = Σf_c² + Σy_c² − 2Σf_c·y_c` and
 * `Σr² = Σf_c²/s_f² + Σy_c²/s_y² − 2Σf_c·y_c/(s_f s_y)`, exact enough in float64); the backward pass
 * is one float64 pass writing the closed-form gradient of `garColumnGradient`, uploaded as one
 * tensor. Same definitions as `garColumnStats` / `garColumnGradient`, computed in float64 instead
 * of float32. The gradient is only computed when asked for.
 */
export function garHostFused(
  yTrue: tf.Tensor2D,
  yPred: tf.Tensor2D,
  alpha: number,
  pooled: boolean,
): tf.Scalar {
  const [n, cols] = yPred.shape;
  const op = tf.customGrad((tIn, pIn) => {
    const tv = (tIn as tf.Tensor).dataSync(), pv = (pIn as tf.Tensor).dataSync();
    const mf = new Float64Array(cols), my = new Float64Array(cols);
    for (let i = 0, k = 0; i < n; i++) {
      for (let c = 0; c < cols; c++, k++) {
        mf[c] += pv[k];
        my[c] += tv[k];
      }
    }
    for (let c = 0; c < cols; c++) {
      mf[c] /= n;
      my[c] /= n;
    }
    const sff = new Float64Array(cols), syy = new Float64Array(cols), sfy = new Float64Array(cols);
    const sAbs = new Float64Array(cols);
    for (let i = 0, k = 0; i < n; i++) {
      for (let c = 0; c < cols; c++, k++) {
        const fc = pv[k] - mf[c], yc = tv[k] - my[c];
        sff[c] += fc * fc;
        syy[c] += yc * yc;
        sfy[c] += fc * yc;
        sAbs[c] += Math.abs(pv[k] - tv[k]);
      }
    }
    const sF = new Float64Array(cols), sY = new Float64Array(cols), ra = new Float64Array(cols);
    const mae: number[] = [], variance: number[] = [], pearson: number[] = [];
    for (let c = 0; c < cols; c++) {
      const vF = sff[c] / (n - 1), vY = syy[c] / (n - 1);
      sF[c] = Math.max(Math.sqrt(vF), GAR_EPS);
      sY[c] = Math.max(Math.sqrt(vY), GAR_EPS);
      const aa = sff[c] / (sF[c] * sF[c]), ab = sfy[c] / (sF[c] * sY[c]);
      mae.push(sAbs[c] / n);
      variance.push(Math.max(sff[c] + syy[c] - 2 * sfy[c], 0) / (2 * n));
      pearson.push(Math.max(aa + syy[c] / (sY[c] * sY[c]) - 2 * ab, 0) / (2 * n));
      // Σ r·a / (N − 1), only while the std of f is not clipped (the clipped std carries no gradient).
      ra[c] = Math.sqrt(vF) >= GAR_EPS ? (aa - ab) / (n - 1) : 0;
    }
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const groups = pooled
      ? [[mean(mae), mean(variance), mean(pearson)]]
      : mae.map((m, c) => [m, variance[c], pearson[c]]);
    const dro = groups.map((g) => droHost(g.map((v) => v + GAR_EPS), alpha));
    const value = mean(dro.map((d) => d.value));
    return {
      value: tf.scalar(value),
      gradFunc: (dy: tf.Tensor) => {
        // d GAR/d f = [cMae sign δ + cVar d + (cPear/s_f)(r − a·ra)] / (N·T), d = f_c − y_c, r = a − b.
        const scale = dy.dataSync()[0] / (n * cols);
        const g = new Float32Array(n * cols);
        for (let i = 0, k = 0; i < n; i++) {
          for (let c = 0; c < cols; c++, k++) {
            const [cMae, cVar, cPear] = dro[pooled ? 0 : c].coef;
            const fc = pv[k] - mf[c], yc = tv[k] - my[c];
            const a = fc / sF[c], r = a - yc / sY[c], delta = pv[k] - tv[k];
            g[k] = scale * (cMae * Math.sign(delta) + cVar * (fc - yc) + cPear / sF[c] * (r - a * ra[c]));
          }
        }
        return [tf.zerosLike(tIn as tf.Tensor), tf.tensor(g, [n, cols])];
      },
    };
  });
  return op(yTrue, yPred) as tf.Scalar;
}
