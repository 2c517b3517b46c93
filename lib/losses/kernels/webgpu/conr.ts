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
 * The value is `Σ_i loss_i / N`. Over K runs (predictions and features `[K, N, ·]`, the options per run,
 * the label distances shared) both programs run once for all runs — one thread per run and row, or per
 * run and pair — and the products are batched tensor ops: the launches do not grow with K. Float32
 * throughout (WGSL has no float64), as the tensor program.
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

// One thread per run and row (index = k·N + i); options[k] = (w, e) of run k.
const ROWS_CODE = `
fn main(index: i32) {
  if (index >= uniforms.rows) { return; }
  let n = uniforms.n;
  let run = index / n;
  let i = index - run * n;
  let w = options[run * 2];
  let e = options[run * 2 + 1];
  var denominator = 0.0;
  var positives = 0.0;
  var negatives = 0.0;
  var positiveProd = 0.0;
  for (var k = 0; k < n; k = k + 1) {
    let l = labelDist[i * n + k];
    let p = prod[index * n + k];
    let near = l <= w;
    if (near && k != i) {
      positives = positives + 1.0;
      positiveProd = positiveProd + p;
      denominator = denominator + exp(p);
    } else {
      denominator = denominator + 1.0;
      if (!near && predDist[index * n + k] <= w) {
        negatives = negatives + 1.0;
        denominator = denominator + exp(e * l + p);
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

// One thread per run and pair (index = (k·N + i)·N + j).
const GRADIENT_CODE = `
fn main(index: i32) {
  if (index < uniforms.size) {
    let n = uniforms.n;
    let row = index / n;
    let run = row / n;
    let i = row - run * n;
    let k = index - row * n;
    let w = options[run * 2];
    let e = options[run * 2 + 1];
    let hasNegative = rowStats[row * 4 + 2];
    var g = 0.0;
    if (hasNegative > 0.0) {
      let l = labelDist[i * n + k];
      let p = prod[index];
      let positives = rowStats[row * 4 + 1];
      let scaled = max(positives, 1e-5);
      let share = positives / scaled / rowStats[row * 4];
      let near = l <= w;
      if (near && k != i) {
        g = share * exp(p) - 1.0 / scaled;
      } else if (!near && predDist[index] <= w) {
        g = share * exp(e * l + p);
      }
    }
    setOutputAtIndex(index, g * upstream[run] / f32(n));
  }
}
`;

function rowsProgram(runs: number, n: number): WebGpuProgram {
  return {
    outputShape: [runs, n, 4],
    shaderKey: "garkit_conr_rows",
    dispatchLayout: { x: [0, 1, 2] },
    dispatch: [Math.ceil((runs * n) / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    variableNames: ["prod", "labelDist", "predDist", "options"],
    uniforms: "n : i32, rows : i32,",
    getUserCode: () => ROWS_CODE,
  };
}

function gradientProgram(runs: number, n: number): WebGpuProgram {
  return {
    outputShape: [runs, n, n],
    shaderKey: "garkit_conr_gradient",
    dispatchLayout: { x: [0, 1, 2] },
    dispatch: [Math.ceil((runs * n * n) / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    variableNames: ["prod", "labelDist", "predDist", "rowStats", "upstream", "options"],
    uniforms: "n : i32, rows : i32,",
    size: true,
    getUserCode: () => GRADIENT_CODE,
  };
}

/**
 * ConR's values from the products `prod = q·qᵀ / t` of K runs (`[K, N, N]`), the labels (`[N, T]`) and the
 * predictions (`[K, N, T]`; no gradient flows into either), with the gradient kernel as its backward pass.
 */
function conrFromProducts(
  prod: tf.Tensor3D,
  yTrue: tf.Tensor2D,
  yPred: tf.Tensor3D,
  w: number[],
  e: number[],
): tf.Tensor1D {
  const [runs, n] = prod.shape;
  const uniforms: WebGpuUniforms = [{ type: "int32", data: [n] }, { type: "int32", data: [runs * n] }];
  const options = tf.tensor1d(w.flatMap((wk, k) => [wk, e[k]]));
  const op = tf.customGrad((prodIn, yIn, pIn, save) => {
    const labelDist = pairwiseL1(yIn as tf.Tensor2D, "mean");
    const predDist = pairwiseL1(pIn as tf.Tensor3D, "mean");
    const stats = runWebGpuProgram<tf.Tensor3D>(
      rowsProgram(runs, n),
      [prodIn as tf.Tensor, labelDist, predDist, options],
      uniforms,
    );
    (save as tf.GradSaveFunc)([prodIn as tf.Tensor, labelDist, predDist, stats, options]);
    return {
      value: tf.div(tf.sum(tf.slice(stats, [0, 0, 3], [runs, n, 1]).reshape([runs, n]), 1), n) as tf.Tensor1D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [p, l, d, st, o] = saved;
        const g = runWebGpuProgram(gradientProgram(runs, n), [p, l, d, st, dy, o], uniforms);
        return [g, tf.zerosLike(yTrue), tf.zerosLike(yPred)];
      },
    };
  });
  return op(prod, yTrue, yPred) as tf.Tensor1D;
}

/**
 * ConR on WebGPU: `q = l2Normalize(features)`, `prod = gram(q) / t` by batched tensor ops (their gradients
 * too), the rest by {@linkcode conrFromProducts}.
 */
function conrWebgpu(
  { yTrue, yPred, features }: LossKernelInputs<"conr">,
  { w, t, e }: LossKernelAttrs<"conr">,
): tf.Tensor1D {
  const runs = features.shape[0];
  const prod = tf.div(gram(l2Normalize(features)), tf.tensor3d(t, [runs, 1, 1])) as tf.Tensor3D;
  return conrFromProducts(prod, yTrue, yPred, w, e);
}

/** ConR on WebGPU (see {@linkcode conrWebgpu}). */
export const conrWebgpuKernel: LossKernel<"conr"> = { kernelName: "conr", kernelFunc: conrWebgpu };
