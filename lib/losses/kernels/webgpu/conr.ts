/**
 * ConR's WebGPU kernel: the cosine products `q·qᵀ / t` by tensor ops, the per-pair part as two WGSL
 * programs, so that a forward + backward pass is a few dozen kernel launches instead of ~110 (under
 * Deno a WebGPU step costs what its kernel launches cost, ~0.2 ms each on the CPU side:
 * `docs/performance-h100.md`). Registered for `webgpu` by `../mod.ts`; `conr` dispatches to it.
 *
 * With `prod = q·qᵀ / t`, label distances `l` and prediction distances `d` (`[N, N]`, float32, as
 * `pairwiseL1(…, "mean")` gives them), positives `P_ik = [l_ik ≤ w][i ≠ k]`, negatives
 * `G_ik = [l_ik > w][d_ik ≤ w]`:
 *
 * - **Row kernel** (one thread per row): `D_i = Σ_k (P_ik·exp(prod_ik) + G_ik·exp(e·l_ik + prod_ik)
 *   + [not P_ik])` (the authors' Σ over every k, where a non-positive adds exp(0) = 1),
 *   `m_i = Σ_k P_ik`, `h_i = [some G_ik]`, and `loss_i = h_i·Σ_k P_ik (log D_i − prod_ik) / max(m_i, 1e-5)`.
 *   Output `[N, 4]`: `(D_i, m_i, h_i, loss_i)`.
 * - **Gradient kernel** (one thread per pair): `∂L/∂prod_ik = dy·h_i/N · (m_i/max(m_i, 1e-5)) ·
 *   (P_ik·exp(prod_ik) + G_ik·exp(e·l_ik + prod_ik))/D_i − dy·h_i/N · P_ik/max(m_i, 1e-5)`.
 *
 * The value is `Σ_i loss_i / N`. Float32 throughout (WGSL has no float64), as the tensor program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { conrWebgpuKernel } from "./conr.ts";
 * assert.equal(conrWebgpuKernel.kernelName, "conr");
 * assert.equal(conrWebgpuKernel.applies, undefined); // any batch
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { gram, l2Normalize, pairwiseL1 } from "../../ops.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";
import { runWebGpuProgram, type WebGpuProgram, type WebGpuUniforms } from "./program.ts";

const WORKGROUP = 64;

const ROWS_CODE = `
fn main(index: i32) {
  let n = uniforms.n;
  if (index >= n) { return; }
  let row = index * n;
  var denominator = 0.0;
  var positives = 0.0;
  var negatives = 0.0;
  var positiveProd = 0.0;
  for (var k = 0; k < n; k = k + 1) {
    let l = labelDist[row + k];
    let p = prod[row + k];
    let near = l <= uniforms.w;
    if (near && k != index) {
      positives = positives + 1.0;
      positiveProd = positiveProd + p;
      denominator = denominator + exp(p);
    } else {
      denominator = denominator + 1.0;
      if (!near && predDist[row + k] <= uniforms.w) {
        negatives = negatives + 1.0;
        denominator = denominator + exp(uniforms.e * l + p);
      }
    }
  }
  let hasNegative = select(0.0, 1.0, negatives > 0.0);
  let loss = hasNegative * (positives * log(denominator) - positiveProd) / max(positives, 1e-5);
  result[index * 4] = denominator;
  result[index * 4 + 1] = positives;
  result[index * 4 + 2] = hasNegative;
  result[index * 4 + 3] = loss;
}
`;

const GRADIENT_CODE = `
fn main(index: i32) {
  if (index < uniforms.size) {
    let n = uniforms.n;
    let i = index / n;
    let k = index - i * n;
    let hasNegative = rowStats[i * 4 + 2];
    var g = 0.0;
    if (hasNegative > 0.0) {
      let l = labelDist[index];
      let p = prod[index];
      let positives = rowStats[i * 4 + 1];
      let scaled = max(positives, 1e-5);
      let share = positives / scaled / rowStats[i * 4];
      let near = l <= uniforms.w;
      if (near && k != i) {
        g = share * exp(p) - 1.0 / scaled;
      } else if (!near && predDist[index] <= uniforms.w) {
        g = share * exp(uniforms.e * l + p);
      }
    }
    setOutputAtIndex(index, g * upstream[0] / f32(n));
  }
}
`;

function rowsProgram(n: number): WebGpuProgram {
  return {
    outputShape: [n, 4],
    shaderKey: "garkit_conr_rows",
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(n / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    variableNames: ["prod", "labelDist", "predDist"],
    uniforms: "n : i32, w : f32, e : f32,",
    getUserCode: () => ROWS_CODE,
  };
}

function gradientProgram(n: number): WebGpuProgram {
  return {
    outputShape: [n, n],
    shaderKey: "garkit_conr_gradient",
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil((n * n) / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    variableNames: ["prod", "labelDist", "predDist", "rowStats", "upstream"],
    uniforms: "n : i32, w : f32, e : f32,",
    size: true,
    getUserCode: () => GRADIENT_CODE,
  };
}

/**
 * ConR's value from the products `prod = q·qᵀ / t` (`[N, N]`), the labels and the predictions
 * (`[N, T]`; no gradient flows into either), with the gradient kernel as its backward pass.
 */
function conrFromProducts(
  prod: tf.Tensor2D,
  yTrue: tf.Tensor2D,
  yPred: tf.Tensor2D,
  w: number,
  e: number,
): tf.Scalar {
  const n = prod.shape[0];
  const uniforms: WebGpuUniforms = [
    { type: "int32", data: [n] },
    { type: "float32", data: [w] },
    { type: "float32", data: [e] },
  ];
  const op = tf.customGrad((prodIn, yIn, pIn, save) => {
    const labelDist = pairwiseL1(yIn as tf.Tensor2D, "mean");
    const predDist = pairwiseL1(pIn as tf.Tensor2D, "mean");
    const stats = runWebGpuProgram<tf.Tensor2D>(
      rowsProgram(n),
      [prodIn as tf.Tensor, labelDist, predDist],
      uniforms,
    );
    (save as tf.GradSaveFunc)([prodIn as tf.Tensor, labelDist, predDist, stats]);
    return {
      value: tf.div(tf.sum(tf.slice(stats, [0, 3], [n, 1])), n) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const g = runWebGpuProgram(gradientProgram(n), [...saved, dy], uniforms);
        return [g, tf.zerosLike(yTrue), tf.zerosLike(yPred)];
      },
    };
  });
  return op(prod, yTrue, yPred) as tf.Scalar;
}

/**
 * ConR on WebGPU: `q = l2Normalize(features)`, `prod = gram(q) / t` by tensor ops (their gradients
 * too), the rest by {@linkcode conrFromProducts}.
 */
function conrWebgpu(
  { yTrue, yPred, features }: LossKernelInputs<"conr">,
  { w, t, e }: LossKernelAttrs<"conr">,
): tf.Scalar {
  return conrFromProducts(tf.div(gram(l2Normalize(features)), t), yTrue, yPred, w, e);
}

/** ConR on WebGPU (see {@linkcode conrWebgpu}). */
export const conrWebgpuKernel: LossKernel<"conr"> = { kernelName: "conr", kernelFunc: conrWebgpu };
