/**
 * GAR's host kernel: the whole loss, value and closed-form gradient, as one float64 pass on the
 * backends whose tensors live in host memory (cpu, wasm), over the runs axis too (one call loops over the K
 * runs, each by the same per-run code). Same definitions as the tensor program's `garColumnStats` /
 * `garColumnGradient` (`../../_gar_core.ts`), in float64 instead of float32.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { garHostKernel } from "./gar.ts";
 * await tf.setBackend("cpu");
 * const y = tf.tensor2d([[1], [2], [3], [4]]);
 * const loss = garHostKernel.kernelFunc({ yTrue: y, yPred: y }, { alpha: [1], pooled: true });
 * assert.ok(Number.isFinite(loss.dataSync()[0]));
 * // Two runs: predictions [K = 2, N = 4, 1], one alpha per run; one value per run
 * const twoRuns = tf.stack([y, y]) as tf.Tensor3D;
 * const runs = garHostKernel.kernelFunc({ yTrue: y, yPred: twoRuns }, { alpha: [1, 2], pooled: true });
 * assert.deepEqual(runs.shape, [2]);
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

/** One run's forward pass: its value, and a writer of its gradient. */
interface GarRun {
  value: number;
  /** Writes `scale` times the run's gradient into `g` at the run's offset. */
  gradient: (scale: number, g: Float32Array) => void;
}

/**
 * GAR of one run, the `n × cols` block of `pv` at `offset` against the labels `tv`, in float64: the forward
 * pass, and its closed-form gradient on demand. The same code for every run, whatever the others.
 */
function garRun(
  tv: ArrayLike<number>,
  pv: ArrayLike<number>,
  offset: number,
  n: number,
  cols: number,
  alpha: number,
  pooled: boolean,
): GarRun {
  const mf = new Float64Array(cols), my = new Float64Array(cols);
  for (let i = 0, k = 0; i < n; i++) {
    for (let c = 0; c < cols; c++, k++) {
      mf[c] += pv[offset + k];
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
      const fc = pv[offset + k] - mf[c], yc = tv[k] - my[c];
      sff[c] += fc * fc;
      syy[c] += yc * yc;
      sfy[c] += fc * yc;
      sAbs[c] += Math.abs(pv[offset + k] - tv[k]);
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
  return {
    value: mean(dro.map((d) => d.value)),
    gradient: (scale, g) => {
      // d GAR/d f = [cMae sign δ + cVar d + (cPear/s_f)(r − a·ra)] / (N·T), d = f_c − y_c, r = a − b.
      const coef = Array.from({ length: cols }, (_, c) => dro[pooled ? 0 : c].coef);
      for (let i = 0, k = 0; i < n; i++) {
        for (let c = 0; c < cols; c++, k++) {
          const cMae = coef[c][0], cVar = coef[c][1], cPear = coef[c][2];
          const fc = pv[offset + k] - mf[c], yc = tv[k] - my[c];
          const a = fc / sF[c], r = a - yc / sY[c], delta = pv[offset + k] - tv[k];
          g[offset + k] = scale *
            (cMae * Math.sign(delta) + cVar * (fc - yc) + cPear / sF[c] * (r - a * ra[c]));
        }
      }
    },
  };
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
 *
 * Over the runs axis (predictions `[K, N, T]`) one call loops over the K runs, each by the same per-run code
 * on its own block (so run k's value and gradient are the bits of a single-run call on that slice, whatever
 * the other runs), and returns the K values `[K]` and one `[K, N, T]` gradient. The work is O(K·N·T) and
 * light, so it stays on the main thread (the host pool would not pay for itself).
 */
function garHost(
  { yTrue, yPred }: LossKernelInputs<"gar">,
  { alpha, pooled }: LossKernelAttrs<"gar">,
): tf.Tensor1D | tf.Scalar {
  const [n, cols] = yTrue.shape;
  const runs = yPred.rank === 3 ? yPred.shape[0] : null;
  const op = tf.customGrad((tIn, pIn) => {
    const tv = (tIn as tf.Tensor).dataSync(), pv = (pIn as tf.Tensor).dataSync();
    const fits = alpha.slice(0, runs ?? 1).map((a, k) => garRun(tv, pv, k * n * cols, n, cols, a, pooled));
    const values = fits.map((f) => f.value);
    return {
      value: runs === null ? tf.scalar(values[0]) : tf.tensor1d(values),
      gradFunc: (dy: tf.Tensor) => {
        const dyv = dy.dataSync();
        const g = new Float32Array(fits.length * n * cols);
        fits.forEach((f, k) => f.gradient(dyv[k] / (n * cols), g));
        return [tf.zerosLike(tIn as tf.Tensor), tf.tensor(g, (pIn as tf.Tensor).shape)];
      },
    };
  });
  return op(yTrue, yPred) as tf.Tensor1D | tf.Scalar;
}

/** GAR on the host backends (see {@linkcode garHost}). */
export const garHostKernel: LossKernel<"gar"> = { kernelName: "gar", kernelFunc: garHost };
