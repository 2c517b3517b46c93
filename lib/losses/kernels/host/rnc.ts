/**
 * RnC's host kernel: the whole loss of K runs on the backends whose tensors live in host memory (cpu, wasm), in
 * WebAssembly row kernels (`rows/rnc.ts`, `rows/gram.ts`, `rows/symmetrize.ts`) that the host pool shares between
 * threads — no tfjs op per run.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { rncHostKernel } from "./rnc.ts";
 * await tf.setBackend("cpu");
 * // Two rows: each anchor has one other row, whose probability is 1: the loss is 0 (two runs).
 * const inputs = { yTrue: tf.tensor2d([[0], [1]]), features: tf.tensor3d([[[0, 0], [3, 4]], [[1, 0], [0, 1]]]) };
 * const loss = rncHostKernel.kernelFunc(inputs, { temperature: [2, 1] });
 * assert.deepEqual(Array.from(loss.dataSync(), (v) => Math.abs(v) < 1e-6), [true, true]);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { pairwiseL1, unaryCustomGrad } from "../../ops.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";
import { sortedIndex } from "./order.ts";
import { rowArrays, runRows } from "./pool.ts";
import { runsGram, runsSymmetrize, runTotals, upstreamTimes } from "./runs.ts";
import { readInto } from "./heap_io.ts";
import { rncCentreRows, rncLabelRows, rncRows } from "./rows/mod.ts";

/**
 * RnC on the host-memory backends (cpu, wasm) for labels `[N, T]` shared by K runs of features `[K, N, D]`, one
 * temperature per run; returns the K losses. One read of the features, then everything on the host:
 *
 * - the label side, once for all runs (`rncLabelRows`): per anchor, the other rows in order of decreasing label
 *   distance and the tie groups of that order (the label distances are the float32 values of `pairwiseL1`, so
 *   the groups are the tensor program's);
 * - per run: the features centred (`rncCentreRows`: float64 column means) and their Gram matrix `g = c·cᵀ`
 *   (`gramRows`, float32); per anchor, four runs at a time (`rncRows`), the distances
 *   `sqrt(max(0, g_ii + g_jj − 2g_ij))` (from one Gram matrix, so a row's distance to itself is exactly 0), the
 *   logits and their exponentials in float32, the cumulative denominators, the logs and the value in float64,
 *   and the analytic gradient with respect to the distances, `G_ij = ∂L/∂d_ij / d_ij` (0 where `d_ij = 0`); and
 *   the gradient before the upstream factor, `Σ_j (G + Gᵀ)_ij·(c_i − c_j) / (N(N − 1))` (`symmetrizeRows`).
 *
 * Every run's value and gradient are those of its single-run call (K = 1) whatever runs share the call, and
 * whatever the threads. The backward pass only multiplies by the upstream gradient. Differences from the tensor
 * program: float64 log and sums; float32 exponentials, but float64 ones for a run whose denominators would reach
 * float32's underflow (its first below 2^-60), so that no +∞ loss comes from logits spread by more than ~87.
 */
function rncHost(
  { yTrue: y, features: x }: LossKernelInputs<"rnc">,
  { temperature }: LossKernelAttrs<"rnc">,
): tf.Tensor1D {
  const [runs, n, d] = x.shape;
  const oneColumn = y.shape[1] === 1;
  // One target: the labels (the kernel forms the float32 distances and their order without a sort
  // per row); several: the distance matrix of the tensor program.
  const labelSide = oneColumn
    ? Float32Array.from(y.dataSync() as Float32Array)
    : Float32Array.from(pairwiseL1(y, "sum").dataSync() as Float32Array);
  const f = unaryCustomGrad((input) => {
    const arrays = rowArrays({
      features: ["f32", runs * n * d],
      centred: ["f32", runs * n * d],
      gram: ["f32", runs * n * n],
      labels: oneColumn ? ["f32", n] : undefined,
      sorted: oneColumn ? ["i32", n] : undefined,
      labelDist: oneColumn ? undefined : ["f32", n * n],
      order: ["i32", n * n],
      weight: ["i32", n * n],
      temperature: ["f64", runs],
      g: ["f32", runs * n * n],
      rowValue: ["f64", runs * n],
      scale: ["f64", runs],
      grad: ["f32", runs * n * d],
    });
    const { features, centred: c, gram, g, rowValue, scale } = arrays;
    readInto(input, features);
    runRows(rncCentreRows, runs, { features, centred: c }, { n, d });
    runsGram(c, gram, runs, n, d);
    if (oneColumn) {
      arrays.labels!.set(labelSide);
      arrays.sorted!.set(sortedIndex(labelSide));
    } else {
      arrays.labelDist!.set(labelSide);
    }
    runRows(rncLabelRows, n, arrays, {});
    arrays.temperature.set(temperature);
    runRows(rncRows, Math.ceil(runs / 4) * n, arrays, {}); // (four runs a row)
    // The gradient up to the upstream factor: Σ_j K_ij·(c_i − c_j) / (N(N − 1)).
    scale.fill(1 / (n * (n - 1)));
    runsSymmetrize(g, c, scale, arrays.grad, runs, n, true);
    const totals = runTotals(rowValue, runs), grad = arrays.grad.slice();
    return {
      value: tf.tensor1d(Float32Array.from(totals, (total) => total / (n * (n - 1)))),
      gradFunc: (dy) => tf.tensor3d(upstreamTimes(grad, dy.dataSync()), [runs, n, d]),
    };
  });
  return f(x) as tf.Tensor1D;
}

/** RnC on the host backends (see {@linkcode rncHost}). */
export const rncHostKernel: LossKernel<"rnc"> = { kernelName: "rnc", kernelFunc: rncHost };
