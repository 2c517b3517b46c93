/**
 * ConR's host kernel: the whole regularizer on the backends whose tensors live in host memory (cpu,
 * wasm), one matrix product on the backend around float64 row kernels (`rows/conr.ts`,
 * `rows/symmetrize.ts`) that the host pool shares between threads.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { conrHostKernel } from "./conr.ts";
 * await tf.setBackend("cpu");
 * // No row has a negative (a far label whose prediction is close), so the loss is 0.
 * const y = tf.tensor2d([[0], [0.5], [5]]);
 * const inputs = { yTrue: y, yPred: y, features: tf.tensor2d([[1, 0], [0, 1], [1, 1]]) };
 * assert.equal(conrHostKernel.kernelFunc(inputs, { w: 1, t: 0.07, e: 0.01 }).dataSync()[0], 0);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { pairwiseL1 } from "../../ops.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";
import { readInto, tensorFromHost } from "./heap_io.ts";
import { normalizeRows, normalizeRowsGradient } from "./normalize.ts";
import { rowArrays, runRows } from "./pool.ts";
import { conrRows, symmetrizeRows } from "./rows/mod.ts";

/**
 * ConR on the host-memory backends (cpu, wasm): the features are normalised on the host
 * ({@linkcode normalizeRows}), the cosine products `q·qᵀ / t` come from one matrix product on the
 * backend, and the masks from the float32 label and prediction distances that `pairwiseL1` computes
 * in the tensor program (formed on the host for one column, read back from `pairwiseL1` for
 * several). The value and its gradient with respect to the products,
 * `Γ_ik = ∂L/∂prod_ik = h_i / N · [m_i / max(m_i, 1e-5) · (P_ik + G_ik·exp(e·l_ik))·exp(prod_ik) / D_i
 * − P_ik / max(m_i, 1e-5)]` (m_i = Σ_j P_ij, h_i = [row i has a negative]), are one float64 pass, the
 * row kernel `conrRows` (`rows/conr.ts`), and so is `Γ + Γᵀ` (`symmetrizeRows`); the host pool
 * shares both between threads. The backward pass is `(Γ + Γᵀ)·q / t` on the backend and the
 * normalisation's gradient on the host. Five tfjs ops in all.
 */
function conrHost(
  { yTrue: y, yPred: p, features: x }: LossKernelInputs<"conr">,
  { w, t, e }: LossKernelAttrs<"conr">,
): tf.Scalar {
  const [n, d] = x.shape;
  const oneColumn = y.shape[1] === 1;
  const all = Array.from({ length: n }, (_, i) => i);
  // The labels and predictions enter the op as inputs with a zero gradient, so that a gradient
  // asked with respect to yTrue or yPred is zero (as the tensor program's), not an error.
  const op = tf.customGrad((features, yIn, pIn, save) => {
    const q = new Float32Array(n * d), norms = new Float64Array(n);
    normalizeRows((features as tf.Tensor).dataSync(), d, all, q, norms);
    const qTensor = tf.tensor2d(q, [n, d]);
    // The label and prediction sides (the values, or the distance matrices), the outputs, and
    // Γ + Γᵀ with its row sums.
    const arrays = rowArrays({
      prod: ["f32", n * n],
      labels: oneColumn ? ["f32", n] : undefined,
      preds: oneColumn ? ["f32", n] : undefined,
      labelDist: oneColumn ? undefined : ["f32", n * n],
      predDist: oneColumn ? undefined : ["f32", n * n],
      grad: ["f32", n * n],
      rowValue: ["f64", n],
      k: ["f32", n * n],
      rowSum: ["f64", n],
    });
    // One column: the values (the kernel forms the float32 distances); several: the distance
    // matrices of the tensor program.
    (arrays.labels ?? arrays.labelDist)!.set(
      oneColumn ? (yIn as tf.Tensor).dataSync() as Float32Array : meanL1Distances(yIn as tf.Tensor2D),
    );
    (arrays.preds ?? arrays.predDist)!.set(
      oneColumn ? (pIn as tf.Tensor).dataSync() as Float32Array : meanL1Distances(pIn as tf.Tensor2D),
    );
    const prod = tf.tidy(() => tf.div(tf.matMul(qTensor, tf.transpose(qTensor)), t));
    readInto(prod, arrays.prod);
    prod.dispose();
    runRows(conrRows, n, arrays, { w, e });
    const { rowValue } = arrays;
    let total = 0;
    for (let i = 0; i < n; i++) total += rowValue[i];
    runRows(symmetrizeRows, n, { g: arrays.grad, k: arrays.k, rowSum: arrays.rowSum }, {});
    (save as tf.GradSaveFunc)([qTensor, tensorFromHost(arrays.k, [n, n])]);
    return {
      value: tf.scalar(total / n),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [qs, g] = saved as tf.Tensor2D[];
        const dq = tf.tidy(() => tf.mul(tf.div(tf.matMul(g, qs), t), dy));
        const dx = normalizeRowsGradient(q, dq.dataSync(), norms, all, n, d);
        dq.dispose();
        return [tf.tensor2d(dx, [n, d]), tf.zerosLike(y), tf.zerosLike(p)];
      },
    };
  });
  return op(x, y, p) as tf.Scalar;
}

/** `pairwiseL1(m, "mean")` read back from the tensor program (several columns). */
function meanL1Distances(m: tf.Tensor2D): Float32Array {
  const d = pairwiseL1(m, "mean");
  const values = d.dataSync() as Float32Array;
  d.dispose();
  return values;
}

/** ConR on the host backends (see {@linkcode conrHost}). */
export const conrHostKernel: LossKernel<"conr"> = { kernelName: "conr", kernelFunc: conrHost };
