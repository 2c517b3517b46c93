/**
 * GAR's host kernel: the whole loss, value and closed-form gradient, as one float64 pass on the
 * backends whose tensors live in host memory (cpu, wasm). Same definitions as the tensor program's
 * `garColumnStats` / `garColumnGradient` (`../../_gar_core.ts`), in float64 instead of float32.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { garHostKernel } from "./gar.ts";
 * await tf.setBackend("cpu");
 * const y = tf.tensor2d([[1], [2], [3], [4]]);
 * const loss = garHostKernel.kernelFunc({ yTrue: y, yPred: y }, { alpha: 1, pooled: true });
 * assert.ok(Number.isFinite(loss.dataSync()[0]));
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { GAR_EPS } from "../../constants.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";

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
function garHost(
  { yTrue, yPred }: LossKernelInputs<"gar">,
  { alpha, pooled }: LossKernelAttrs<"gar">,
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

/** GAR on the host backends (see {@linkcode garHost}). */
export const garHostKernel: LossKernel<"gar"> = { kernelName: "gar", kernelFunc: garHost };
