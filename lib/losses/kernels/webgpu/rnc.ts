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
 * Over K runs (features `[K, N, D]`, one temperature each; the label distances shared) every program
 * runs once for all runs — one thread per run and row, or per run and pair — and the Gram matrices, the
 * sums and the backward products are batched tensor ops: the launches do not grow with K.
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
 * const batch = (n: number) => ({ yTrue: tf.zeros([n, 1]), features: tf.zeros([3, n, 2]) }) as const;
 * assert.equal(rncWebgpuKernel.applies!(batch(RNC_WEBGPU_MAX_N) as never, { temperature: [2, 2, 2] }), true);
 * assert.equal(rncWebgpuKernel.applies!(batch(RNC_WEBGPU_MAX_N + 1) as never, { temperature: [2, 2, 2] }), false);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { pairwiseL1 } from "../../ops.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";
import { runWebGpuProgram, type WebGpuProgram, type WebGpuUniforms } from "./program.ts";

/** Largest batch for the kernels: their O(N³) work (N = 512: 1.3·10⁸ loop steps per run) stays small. */
export const RNC_WEBGPU_MAX_N = 512;

const WORKGROUP = 64;

// Shared by the kernels: the distance of rows i and j of the run whose Gram matrix starts at base.
const DISTANCE = `
fn pairDistance(base: i32, i: i32, j: i32) -> f32 {
  let n = uniforms.n;
  return sqrt(max(0.0, gram[base + i * n + i] + gram[base + j * n + j] - 2.0 * gram[base + i * n + j]));
}
`;

// One thread per run and row (index = k·N + i).
const MINIMA_CODE = `${DISTANCE}
fn main(index: i32) {
  if (index < uniforms.size) {
    let n = uniforms.n;
    let k = index / n;
    let i = index - k * n;
    let base = k * n * n;
    var m = 3.4e38;
    for (var j = 0; j < n; j = j + 1) {
      if (j != i) { m = min(m, pairDistance(base, i, j)); }
    }
    setOutputAtIndex(index, m);
  }
}
`;

// One thread per run and pair (index = (k·N + i)·N + j).
const DENOMINATORS_CODE = `${DISTANCE}
fn main(index: i32) {
  if (index < uniforms.size) {
    let n = uniforms.n;
    let k = index / (n * n);
    let ij = index - k * n * n;
    let i = ij / n;
    let j = ij - i * n;
    let base = k * n * n;
    let lj = labelDist[ij];
    let mi = minima[k * n + i];
    let t = temperatures[k];
    var c = 0.0;
    for (var l = 0; l < n; l = l + 1) {
      if (l != i && labelDist[i * n + l] >= lj) {
        c = c + exp((mi - pairDistance(base, i, l)) / t);
      }
    }
    setOutputAtIndex(index, c);
  }
}
`;

// One thread per run and row.
const VALUES_CODE = `${DISTANCE}
fn main(index: i32) {
  if (index < uniforms.size) {
    let n = uniforms.n;
    let k = index / n;
    let i = index - k * n;
    let base = k * n * n;
    let t = temperatures[k];
    var v = 0.0;
    for (var j = 0; j < n; j = j + 1) {
      if (j != i) {
        v = v + log(denominators[base + i * n + j]) - (minima[index] - pairDistance(base, i, j)) / t;
      }
    }
    setOutputAtIndex(index, v);
  }
}
`;

// One thread per run and pair.
const GRADIENT_CODE = `${DISTANCE}
fn main(index: i32) {
  if (index < uniforms.size) {
    let n = uniforms.n;
    let k = index / (n * n);
    let il = index - k * n * n;
    let i = il / n;
    let l = il - i * n;
    let base = k * n * n;
    let d = pairDistance(base, i, l);
    let t = temperatures[k];
    var g = 0.0;
    if (l != i && d > 0.0) {
      let ll = labelDist[il];
      var r = 0.0;
      for (var j = 0; j < n; j = j + 1) {
        if (j != i && ll >= labelDist[i * n + j]) { r = r + 1.0 / denominators[base + i * n + j]; }
      }
      let e = exp((minima[k * n + i] - d) / t);
      g = (1.0 - e * r) / (t * d);
    }
    setOutputAtIndex(index, g);
  }
}
`;

function program(key: string, code: string, outputShape: number[], inputs: string[]): WebGpuProgram {
  const threads = outputShape.reduce((a, b) => a * b, 1);
  return {
    outputShape,
    shaderKey: `garkit_rnc_${key}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    variableNames: inputs,
    uniforms: "n : i32,",
    size: true,
    getUserCode: () => code,
  };
}

/**
 * RnC on WebGPU (see the module doc) for labels `[N, T]` shared by K runs of features `[K, N, D]`, one
 * temperature per run; the K losses. The gradient flows into the features only.
 */
function rncWebgpu(
  { yTrue: y, features: x }: LossKernelInputs<"rnc">,
  { temperature }: LossKernelAttrs<"rnc">,
): tf.Tensor1D {
  const [runs, n] = x.shape;
  const uniforms: WebGpuUniforms = [{ type: "int32", data: [n] }];
  const run = (p: WebGpuProgram, inputs: tf.Tensor[]) => runWebGpuProgram(p, inputs, uniforms);
  const labelDist = pairwiseL1(y, "sum");
  const temperatures = tf.tensor1d(temperature);
  const op = tf.customGrad((input, save) => {
    const c = tf.sub(input as tf.Tensor3D, tf.mean(input as tf.Tensor3D, 1, true)) as tf.Tensor3D;
    const gram = tf.matMul(c, tf.transpose(c, [0, 2, 1])); // explicit transpose: one plain product
    const minima = run(program("minima", MINIMA_CODE, [runs, n], ["gram"]), [gram]);
    const denominators = run(
      program("denominators", DENOMINATORS_CODE, [runs, n, n], [
        "gram",
        "labelDist",
        "minima",
        "temperatures",
      ]),
      [gram, labelDist, minima, temperatures],
    );
    const values = run(
      program("values", VALUES_CODE, [runs, n], ["gram", "minima", "denominators", "temperatures"]),
      [gram, minima, denominators, temperatures],
    );
    (save as tf.GradSaveFunc)([c, gram, labelDist, minima, denominators, temperatures]);
    return {
      value: tf.div(tf.sum(values, 1), n * (n - 1)) as tf.Tensor1D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [cs, gs, ls, ms, ds, ts] = saved;
        const g = run(
          program("gradient", GRADIENT_CODE, [runs, n, n], [
            "gram",
            "labelDist",
            "minima",
            "denominators",
            "temperatures",
          ]),
          [gs, ls, ms, ds, ts],
        ) as tf.Tensor3D;
        const k = tf.add(g, tf.transpose(g, [0, 2, 1]));
        // (The centring's own gradient would subtract the row mean of this, which is 0: K is symmetric.)
        const grad = tf.div(
          tf.sub(tf.mul(tf.sum(k, 2, true), cs), tf.matMul(k, cs as tf.Tensor3D)),
          n * (n - 1),
        );
        return tf.mul(grad, dy.reshape([runs, 1, 1]));
      },
    };
  });
  return op(x) as tf.Tensor1D;
}

/** RnC on WebGPU (see {@linkcode rncWebgpu}), for batches of at most {@linkcode RNC_WEBGPU_MAX_N} rows. */
export const rncWebgpuKernel: LossKernel<"rnc"> = {
  kernelName: "rnc",
  kernelFunc: rncWebgpu,
  applies: ({ yTrue }) => yTrue.shape[0] <= RNC_WEBGPU_MAX_N,
};
