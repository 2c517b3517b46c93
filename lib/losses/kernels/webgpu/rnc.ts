/**
 * RnC's WebGPU kernel: four WGSL programs, so that a forward + backward pass is a few dozen kernel
 * launches instead of ~100 (under Deno a WebGPU step costs what its kernel launches cost, ~0.2 ms each
 * on the CPU side: `docs/performance-h100.md`), and no row has to be sorted. It applies for
 * N ≤ {@linkcode RNC_WEBGPU_MAX_N} (registered for `webgpu` by `../mod.ts`; `rnc` dispatches to it).
 *
 * With `g = c·cᵀ` the Gram matrix of the batch-centred features, distances
 * `d_ij = sqrt(max(0, g_ii + g_jj − 2g_ij))`, label distances `l_ij` (`pairwiseL1(y, "sum")`), the row
 * minima `m_i = min_{j≠i} d_ij` and the shifted exp-logits `e_ij = exp((m_i − d_ij)/t)` (0 on the
 * diagonal):
 *
 * - **Row minima** (one thread per row): `m_i`.
 * - **Denominators** (one thread per pair): `C_ij = Σ_{k≠i, l_ik ≥ l_ij} e_ik` — every k at least as far
 *   in label as j, ties included (the authors' `>=` mask) — by a loop over k: O(N³) work, O(N²)
 *   memory, no sort (hence the limit on N).
 * - **Row values** (one thread per row): `Σ_{j≠i} (log C_ij − (m_i − d_ij)/t)`; the loss is their sum
 *   over `N(N − 1)`.
 * - **Gradient** (one thread per pair): `R_ik = Σ_{j≠i, l_ik ≥ l_ij} 1/C_ij` (∂L/∂e_ik up to the
 *   normalisation) and `G_ik = (1 − e_ik·R_ik)/(t·d_ik)` (0 where `d_ik = 0` or `i = k`), the
 *   gradient with respect to the distances over the distances; the backward pass is then
 *   `(rowsum(K)·c − K·c)/(N(N − 1))` with `K = G + Gᵀ`, as in the tensor program.
 *
 * Float32 throughout (WGSL has no float64), as the tensor program: a row whose logits spread by more
 * than ~87 underflows some `C_ij` to 0 and the loss is +∞, as the authors' float32 code would.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { RNC_WEBGPU_MAX_N, rncWebgpuKernel } from "./rnc.ts";
 * await tf.setBackend("cpu");
 * const batch = (n: number) => ({ yTrue: tf.zeros([n, 1]), features: tf.zeros([n, 2]) }) as const;
 * assert.equal(rncWebgpuKernel.applies!(batch(RNC_WEBGPU_MAX_N) as never, { temperature: 2 }), true);
 * assert.equal(rncWebgpuKernel.applies!(batch(RNC_WEBGPU_MAX_N + 1) as never, { temperature: 2 }), false);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { pairwiseL1 } from "../../ops.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";
import { runWebGpuProgram, type WebGpuProgram, type WebGpuUniforms } from "./program.ts";

/** Largest batch for the kernels: their O(N³) work (N = 512: 1.3·10⁸ loop steps) stays small. */
export const RNC_WEBGPU_MAX_N = 512;

const WORKGROUP = 64;

// Shared by the kernels.
const DISTANCE = `
fn pairDistance(i: i32, j: i32) -> f32 {
  let n = uniforms.n;
  return sqrt(max(0.0, gram[i * n + i] + gram[j * n + j] - 2.0 * gram[i * n + j]));
}
`;

const MINIMA_CODE = `${DISTANCE}
fn main(index: i32) {
  if (index >= uniforms.n) { return; }
  var m = 3.4e38;
  for (var j = 0; j < uniforms.n; j = j + 1) {
    if (j != index) { m = min(m, pairDistance(index, j)); }
  }
  result[index] = m;
}
`;

const DENOMINATORS_CODE = `${DISTANCE}
fn main(index: i32) {
  if (index < uniforms.size) {
    let n = uniforms.n;
    let i = index / n;
    let j = index - i * n;
    let lj = labelDist[index];
    let mi = minima[i];
    var c = 0.0;
    for (var k = 0; k < n; k = k + 1) {
      if (k != i && labelDist[i * n + k] >= lj) {
        c = c + exp((mi - pairDistance(i, k)) / uniforms.t);
      }
    }
    setOutputAtIndex(index, c);
  }
}
`;

const VALUES_CODE = `${DISTANCE}
fn main(index: i32) {
  if (index >= uniforms.n) { return; }
  let n = uniforms.n;
  var v = 0.0;
  for (var j = 0; j < n; j = j + 1) {
    if (j != index) {
      v = v + log(denominators[index * n + j]) - (minima[index] - pairDistance(index, j)) / uniforms.t;
    }
  }
  result[index] = v;
}
`;

const GRADIENT_CODE = `${DISTANCE}
fn main(index: i32) {
  if (index < uniforms.size) {
    let n = uniforms.n;
    let i = index / n;
    let k = index - i * n;
    let d = pairDistance(i, k);
    var g = 0.0;
    if (k != i && d > 0.0) {
      let lk = labelDist[index];
      var r = 0.0;
      for (var j = 0; j < n; j = j + 1) {
        if (j != i && lk >= labelDist[i * n + j]) { r = r + 1.0 / denominators[i * n + j]; }
      }
      let e = exp((minima[i] - d) / uniforms.t);
      g = (1.0 - e * r) / (uniforms.t * d);
    }
    setOutputAtIndex(index, g);
  }
}
`;

function program(key: string, code: string, n: number, perPair: boolean, inputs: string[]): WebGpuProgram {
  const threads = perPair ? n * n : n;
  return {
    outputShape: perPair ? [n, n] : [n],
    shaderKey: `garkit_rnc_${key}`,
    dispatchLayout: perPair ? { x: [0, 1] } : { x: [0] },
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    variableNames: inputs,
    uniforms: "n : i32, t : f32,",
    size: perPair,
    getUserCode: () => code,
  };
}

/**
 * RnC on WebGPU (see the module doc) for labels `[N, T]` and features `[N, D]`; the gradient flows into
 * the features only.
 */
function rncWebgpu(
  { yTrue: y, features: x }: LossKernelInputs<"rnc">,
  { temperature }: LossKernelAttrs<"rnc">,
): tf.Scalar {
  const n = y.shape[0];
  const uniforms: WebGpuUniforms = [
    { type: "int32", data: [n] },
    { type: "float32", data: [temperature] },
  ];
  const run = (p: WebGpuProgram, inputs: tf.Tensor[]) => runWebGpuProgram(p, inputs, uniforms);
  const labelDist = pairwiseL1(y, "sum");
  const op = tf.customGrad((input, save) => {
    const c = tf.sub(input as tf.Tensor2D, tf.mean(input as tf.Tensor2D, 0)) as tf.Tensor2D;
    const gram = tf.matMul(c, tf.transpose(c)); // explicit transpose: one plain product
    const minima = run(program("minima", MINIMA_CODE, n, false, ["gram"]), [gram]);
    const denominators = run(
      program("denominators", DENOMINATORS_CODE, n, true, ["gram", "labelDist", "minima"]),
      [gram, labelDist, minima],
    );
    const values = run(
      program("values", VALUES_CODE, n, false, ["gram", "minima", "denominators"]),
      [gram, minima, denominators],
    );
    (save as tf.GradSaveFunc)([c, gram, labelDist, minima, denominators]);
    return {
      value: tf.div(tf.sum(values), n * (n - 1)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [cs, gs, ls, ms, ds] = saved;
        const g = run(
          program("gradient", GRADIENT_CODE, n, true, ["gram", "labelDist", "minima", "denominators"]),
          [gs, ls, ms, ds],
        ) as tf.Tensor2D;
        const k = tf.add(g, tf.transpose(g));
        // (The centring's own gradient would subtract the row mean of this, which is 0: K is symmetric.)
        const grad = tf.div(
          tf.sub(tf.mul(tf.sum(k, 1, true), cs), tf.matMul(k, cs as tf.Tensor2D)),
          n * (n - 1),
        );
        return tf.mul(grad, dy);
      },
    };
  });
  return op(x) as tf.Scalar;
}

/** RnC on WebGPU (see {@linkcode rncWebgpu}), for batches of at most {@linkcode RNC_WEBGPU_MAX_N} rows. */
export const rncWebgpuKernel: LossKernel<"rnc"> = {
  kernelName: "rnc",
  kernelFunc: rncWebgpu,
  applies: ({ yTrue }) => yTrue.shape[0] <= RNC_WEBGPU_MAX_N,
};
