/**
 * ConR's host kernel: the whole regularizer of K runs on the backends whose tensors live in host memory (cpu,
 * wasm), in WebAssembly row kernels (`rows/conr.ts`, `rows/normalize.ts`, `rows/gram.ts`, `rows/symmetrize.ts`)
 * that the host pool shares between threads — no tfjs op per run.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { conrHostKernel } from "./conr.ts";
 * await tf.setBackend("cpu");
 * // No row has a negative (a far label whose prediction is close), so both runs' losses are 0.
 * const y = tf.tensor2d([[0], [0.5], [5]]);
 * const x = tf.tensor3d([[[1, 0], [0, 1], [1, 1]], [[1, 2], [0, 1], [3, 1]]]);
 * const inputs = { yTrue: y, yPred: tf.stack([y, y]) as tf.Tensor3D, features: x };
 * const loss = conrHostKernel.kernelFunc(inputs, { w: [1, 1], t: [0.07, 0.07], e: [0.01, 0.01] });
 * assert.deepEqual(Array.from(loss.dataSync()), [0, 0]);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { pairwiseL1 } from "../../ops.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";
import { readInto } from "./heap_io.ts";
import { rowArrays, runRows } from "./pool.ts";
import {
  normalizeRuns,
  normalizeRunsGradient,
  runsGram,
  runsSymmetrize,
  runTotals,
  upstreamTimes,
} from "./runs.ts";
import { conrRows } from "./rows/mod.ts";

/**
 * ConR on the host-memory backends (cpu, wasm) for labels `[N, T]` shared by K runs of predictions `[K, N, T]`
 * and features `[K, N, D]`, with per-run options; returns the K losses. The label distances (the float32 values
 * of the tensor program's `pairwiseL1`: formed on the host for one column, read back from `pairwiseL1` for
 * several) are computed once for all runs; per run, the features are normalised ({@linkcode normalizeRuns}), `q·qᵀ`
 * is a float32 Gram matrix (`gramRows`), the cosine products `prod = q·qᵀ / t` its float32 products with 1/t,
 * and the prediction distances are those of `pairwiseL1` (per run: formed in the row kernel for one column, from
 * one `pairwiseL1` of all runs for several). The value and its gradient with respect to the products,
 * `Γ_ik = ∂L/∂prod_ik = h_i / N · [m_i / max(m_i, 1e-5) · (P_ik + G_ik·exp(e·l_ik))·exp(prod_ik) / D_i −
 * P_ik / max(m_i, 1e-5)]` (m_i = Σ_j P_ij, h_i = [row i has a negative]), are one SIMD pass per row, the row kernel
 * `conrRows` (float32 exponentials shifted by the row's largest exponent, so that none overflows whatever t;
 * float64 sums and log); the gradient with respect to the features up to the upstream factor (linear in it),
 * `(Γ + Γᵀ)·q / t` (`symmetrizeRows`) through the normalisation's gradient, is computed in the forward pass. A run's
 * value and gradient are those of its single-run call (K = 1) whatever runs share the call, and whatever the
 * threads.
 */
function conrHost(
  { yTrue: y, yPred: p, features: x }: LossKernelInputs<"conr">,
  { w, t, e }: LossKernelAttrs<"conr">,
): tf.Tensor1D {
  const [runs, n, d] = x.shape;
  const oneColumn = y.shape[1] === 1;
  // The labels and predictions enter the op as inputs with a zero gradient, so that a gradient
  // asked with respect to yTrue or yPred is zero (as the tensor program's), not an error.
  const op = tf.customGrad((features, yIn, pIn) => {
    const arrays = rowArrays({
      x: ["f32", runs * n * d],
      rows: ["i32", n], // (every row, each its own index: also the gradient's `at`)
      q: ["f32", runs * n * d],
      norms: ["f64", runs * n],
      gram: ["f32", runs * n * n],
      labelDist: ["f32", n * n],
      preds: oneColumn ? ["f32", runs * n] : undefined,
      predDist: oneColumn ? undefined : ["f32", runs * n * n],
      w: ["f64", runs],
      t: ["f64", runs],
      e: ["f64", runs],
      grad: ["f32", runs * n * n],
      rowValue: ["f64", runs * n],
      scale: ["f64", runs],
      dq: ["f32", runs * n * d],
      dx: ["f32", runs * n * d],
    });
    const { x: xs, rows, q, norms, gram, grad, scale, dq, dx } = arrays;
    readInto(features as tf.Tensor, xs);
    for (let i = 0; i < n; i++) rows[i] = i;
    normalizeRuns(xs, rows, q, norms, runs, n, d);
    runsGram(q, gram, runs, n, d);
    // One column: the values (the float32 distances are formed here and in the row kernel); several: the
    // distance matrices of the tensor program.
    if (oneColumn) {
      oneColumnDistances((yIn as tf.Tensor).dataSync() as Float32Array, arrays.labelDist);
      arrays.preds!.set((pIn as tf.Tensor).dataSync() as Float32Array);
    } else {
      arrays.labelDist.set(meanL1Distances(yIn as tf.Tensor));
      arrays.predDist!.set(meanL1Distances(pIn as tf.Tensor));
    }
    arrays.w.set(w);
    arrays.t.set(t);
    arrays.e.set(e);
    runRows(conrRows, runs * n, arrays, {});
    const totals = runTotals(arrays.rowValue, runs);
    // The gradient up to the upstream factor (linear in it): (Γ + Γᵀ)·q / t (times the float32 1/t), then through
    // the normalisation.
    for (let k = 0; k < runs; k++) scale[k] = 1 / t[k];
    runsSymmetrize(grad, q, scale, dq, runs, n, false);
    normalizeRunsGradient(q, dq, norms, rows, dx, runs, n, d, n);
    const dxBase = dx.slice();
    return {
      value: tf.tensor1d(Float32Array.from(totals, (total) => total / n)),
      gradFunc: (dy: tf.Tensor) => {
        const gradient = tf.tensor3d(upstreamTimes(dxBase, dy.dataSync()), [runs, n, d]);
        return [gradient, tf.zerosLike(y), tf.zerosLike(p)];
      },
    };
  });
  return op(x, y, p) as tf.Tensor1D;
}

/** `|y_j − y_i|` of one label column in float32 (the values of `pairwiseL1`), into `out` (`[N, N]`). */
function oneColumnDistances(y: Float32Array, out: Float32Array): void {
  const n = y.length;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = Math.abs(Math.fround(y[j] - y[i]));
  }
}

/** `pairwiseL1(m, "mean")` of `[N, T]` labels or `[K, N, T]` predictions, read back from the tensor program. */
function meanL1Distances(m: tf.Tensor): Float32Array {
  const d = pairwiseL1(m as tf.Tensor2D | tf.Tensor3D, "mean");
  const values = d.dataSync() as Float32Array;
  d.dispose();
  return values;
}

/** ConR on the host backends (see {@linkcode conrHost}). */
export const conrHostKernel: LossKernel<"conr"> = { kernelName: "conr", kernelFunc: conrHost };
