/**
 * RnC's host kernel: the whole loss on the backends whose tensors live in host memory (cpu, wasm),
 * one matrix product on the backend around float64 row kernels (`rows/rnc.ts`, `rows/symmetrize.ts`)
 * that the host pool shares between threads.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { rncHostKernel } from "./rnc.ts";
 * await tf.setBackend("cpu");
 * // Two rows: each anchor has one other row, whose probability is 1: the loss is 0.
 * const inputs = { yTrue: tf.tensor2d([[0], [1]]), features: tf.tensor2d([[0, 0], [3, 4]]) };
 * const loss = rncHostKernel.kernelFunc(inputs, { temperature: 2 });
 * assert.ok(Math.abs(loss.dataSync()[0]) < 1e-6);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { pairwiseL1, unaryCustomGrad } from "../../ops.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";
import { readInto, tensorFromHost } from "./heap_io.ts";
import { sortedIndex } from "./order.ts";
import { rowArrays, runRows } from "./pool.ts";
import { rncRows, symmetrizeRows } from "./rows/mod.ts";

/**
 * RnC on the host-memory backends (cpu, wasm): the features are centred on the host (float64 column
 * means), their Gram matrix `g = c·cᵀ` is one matrix product on the backend, read back once, and
 * everything per anchor — the distances `sqrt(max(0, g_ii + g_jj − 2g_ij))` (from one Gram matrix, so
 * a row's distance to itself is exactly 0), the order by label distance, the exp-logits, the
 * cumulative denominators, the tie-group weights, the value and the analytic gradient with respect to
 * the distances — is the row kernel `rncRows` (`rows/rnc.ts`), a float64 pass over `[N, N]` that the
 * host pool shares between threads, and so is `K = G + Gᵀ` with its row sums,
 * `G_ij = ∂L/∂d_ij / d_ij` (0 where `d_ij = 0`). The backward pass is then on the backend:
 * `∂L/∂f = (rowsum(K)·c − K·c) / (N(N − 1))`, as in the tensor program's `featureGradient` (`rnc.ts`).
 * The label distances are the float32 values of `pairwiseL1`, so tie groups are those of the tensor
 * program. Differences: float64 instead of float32 in the exp/log/sums (no `exp` underflow, so no +∞
 * loss when one row's logits spread by more than ~87).
 */
function rncHost(
  { yTrue: y, features: x }: LossKernelInputs<"rnc">,
  { temperature }: LossKernelAttrs<"rnc">,
): tf.Scalar {
  const n = y.shape[0];
  const oneColumn = y.shape[1] === 1;
  // One target: the labels (the kernel forms the float32 distances and their order without a sort
  // per row); several: the distance matrix of the tensor program.
  const labelSide = oneColumn
    ? Float32Array.from(y.dataSync() as Float32Array)
    : Float32Array.from(pairwiseL1(y, "sum").dataSync() as Float32Array);
  const d = x.shape[1];
  const f = unaryCustomGrad((input, save) => {
    // The batch-centred features (float64 means), and their Gram matrix on the backend.
    const xv = input.dataSync(), c = new Float32Array(n * d);
    for (let t = 0; t < d; t++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += xv[i * d + t];
      mean /= n;
      for (let i = 0; i < n; i++) c[i * d + t] = xv[i * d + t] - mean;
    }
    const centred = tf.tensor2d(c, [n, d]);
    const gramC = tf.tidy(() => tf.matMul(centred, tf.transpose(centred))); // explicit transpose: fast on wasm
    // The label side (labels and their sorted index, or the distance matrix), the outputs, and
    // K = G + Gᵀ with its row sums.
    const arrays = rowArrays({
      gram: ["f32", n * n],
      labels: oneColumn ? ["f32", n] : undefined,
      sorted: oneColumn ? ["i32", n] : undefined,
      labelDist: oneColumn ? undefined : ["f32", n * n],
      g: ["f32", n * n],
      rowValue: ["f64", n],
      k: ["f32", n * n],
      kRowSum: ["f64", n],
    });
    readInto(gramC, arrays.gram);
    gramC.dispose();
    if (oneColumn) {
      arrays.labels!.set(labelSide);
      arrays.sorted!.set(sortedIndex(labelSide));
    } else {
      arrays.labelDist!.set(labelSide);
    }
    runRows(rncRows, n, arrays, { temperature });
    const { g, rowValue, k, kRowSum } = arrays;
    runRows(symmetrizeRows, n, { g, k, rowSum: kRowSum }, {});
    let total = 0;
    for (let i = 0; i < n; i++) total += rowValue[i];
    save([
      centred,
      tensorFromHost(k, [n, n]),
      tf.tensor2d(Float32Array.from(kRowSum), [n, 1]),
    ]);
    return {
      value: tf.scalar(total / (n * (n - 1))),
      gradFunc: (dy, saved) => {
        const [c, kk, rowSum] = saved as tf.Tensor2D[];
        return tf.tidy(() => tf.mul(tf.div(tf.sub(tf.mul(rowSum, c), tf.matMul(kk, c)), n * (n - 1)), dy));
      },
    };
  });
  return f(x) as tf.Scalar;
}

/** RnC on the host backends (see {@linkcode rncHost}). */
export const rncHostKernel: LossKernel<"rnc"> = { kernelName: "rnc", kernelFunc: rncHost };
