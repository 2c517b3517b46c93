/**
 * GAR's WebGPU kernel: two WGSL programs, one for the forward pass, one for the gradient (registered
 * for `webgpu` by `../mod.ts`; `gar` dispatches to it), each over the runs axis in one launch.
 *
 * - **Statistics kernel** (one workgroup of 256 threads per run, so that no partial results cross
 *   workgroups): per column, three strided passes over the run's rows with tree reductions in workgroup
 *   memory — the means; the centred sums Σf_c², Σy_c², Σd² (d = f_c − y_c, summed directly, not as
 *   Σf_c² + Σy_c² − 2Σf_c·y_c, which cancels in float32 when f ≈ y) and Σ|δ|; then, with the
 *   clipped stds, Σr² and Σr·a. Thread 0 then forms the three sub-losses (+ `GAR_EPS`), the stable
 *   DRO aggregation of Eq. 11 with the run's alpha (pooled over columns, or per column and averaged) and
 *   the gradient coefficients `w_k / L_k`. Output: `[the K values, then per run and column: mean f, mean y,
 *   s_f, s_y, Σr·a/(N−1) (0 when s_f is clipped), c_MAE, c_Var, c_Pearson, MAE, Var, Pearson]`.
 * - **Gradient kernel** (one thread per element of every run): the closed form of `garColumnGradient`,
 *   `dy_k · [c_MAE·sign(δ) + c_Var·d + (c_Pearson / s_f)(r − a·Σr·a/(N−1))] / (N·T)`.
 *
 * Definitions and conventions are those of the tensor program (`../../_gar_core.ts`: ddof-1 std
 * clipped at `GAR_EPS`, no gradient through a clipped std, `sign(0) = 0`), in float32 (WGSL has no
 * float64).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { garWebgpuKernel } from "./gar.ts";
 * assert.equal(garWebgpuKernel.kernelName, "gar");
 * assert.equal(garWebgpuKernel.applies, undefined); // any batch
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { GAR_EPS } from "../../constants.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";
import { runWebGpuProgram, type WebGpuProgram } from "./program.ts";

/** Stats per column in the statistics kernel's output. */
const STRIDE = 11;
const WORKGROUP = 256;

// One workgroup per run (workgroupId.x); the run's predictions start at run·N·T, its statistics at
// K + run·T·STRIDE, after the K values.
const STATS_CODE = `
const GAR_EPS_F: f32 = ${GAR_EPS.toExponential()};
const WG: i32 = ${WORKGROUP};
const STRIDE: i32 = ${STRIDE};
var<workgroup> acc: array<vec4<f32>, ${WORKGROUP}>;

fn reduceAcc(tid: i32) -> vec4<f32> {
  workgroupBarrier();
  var s = WG / 2;
  loop {
    if (s == 0) { break; }
    if (tid < s) { acc[tid] = acc[tid] + acc[tid + s]; }
    workgroupBarrier();
    s = s / 2;
  }
  let total = acc[0];
  workgroupBarrier();
  return total;
}

// The DRO aggregation of three sub-losses (Eq. 11, stable form): (value, w_0 / L_0, w_1 / L_1, w_2 / L_2).
fn dro(l0: f32, l1: f32, l2: f32, alpha: f32) -> vec4<f32> {
  let g0 = log(l0);
  let g1 = log(l1);
  let g2 = log(l2);
  let gMax = max(g0, max(g1, g2));
  let e = vec3<f32>(exp((g0 - gMax) / alpha), exp((g1 - gMax) / alpha), exp((g2 - gMax) / alpha));
  let total = e.x + e.y + e.z;
  let value = gMax + alpha * log(total / 3.0);
  return vec4<f32>(value, e.x / total / l0, e.y / total / l1, e.z / total / l2);
}

fn main(index: i32) {
  let tid = i32(localIndex);
  let run = i32(workgroupId.x);
  let n = uniforms.n;
  let cols = uniforms.cols;
  let nf = f32(n);
  let off = run * n * cols;
  let out = uniforms.runs + run * cols * STRIDE;
  let alpha = alphas[run];
  for (var c = 0; c < cols; c = c + 1) {
    var a = vec4<f32>(0.0);
    for (var i = tid; i < n; i = i + WG) {
      let k = i * cols + c;
      a = a + vec4<f32>(yPred[off + k], yTrue[k], 0.0, 0.0);
    }
    acc[tid] = a;
    let s1 = reduceAcc(tid);
    let mf = s1.x / nf;
    let my = s1.y / nf;
    a = vec4<f32>(0.0);
    for (var i = tid; i < n; i = i + WG) {
      let k = i * cols + c;
      let fc = yPred[off + k] - mf;
      let yc = yTrue[k] - my;
      let d = fc - yc;
      a = a + vec4<f32>(fc * fc, yc * yc, d * d, abs(yPred[off + k] - yTrue[k]));
    }
    acc[tid] = a;
    let s2 = reduceAcc(tid);
    let rawF = sqrt(s2.x / (nf - 1.0));
    let sF = max(rawF, GAR_EPS_F);
    let sY = max(sqrt(s2.y / (nf - 1.0)), GAR_EPS_F);
    a = vec4<f32>(0.0);
    for (var i = tid; i < n; i = i + WG) {
      let k = i * cols + c;
      let av = (yPred[off + k] - mf) / sF;
      let r = av - (yTrue[k] - my) / sY;
      a = a + vec4<f32>(r * r, r * av, 0.0, 0.0);
    }
    acc[tid] = a;
    let s3 = reduceAcc(tid);
    if (tid == 0) {
      let base = out + c * STRIDE;
      result[base] = mf;
      result[base + 1] = my;
      result[base + 2] = sF;
      result[base + 3] = sY;
      result[base + 4] = select(0.0, s3.y / (nf - 1.0), rawF >= GAR_EPS_F);
      result[base + 8] = s2.w / nf;
      result[base + 9] = s2.z / (2.0 * nf);
      result[base + 10] = s3.x / (2.0 * nf);
    }
  }
  if (tid == 0) {
    if (uniforms.pooled == 1) {
      var m = vec3<f32>(0.0);
      for (var c = 0; c < cols; c = c + 1) {
        let base = out + c * STRIDE;
        m = m + vec3<f32>(result[base + 8], result[base + 9], result[base + 10]);
      }
      m = m / f32(cols);
      let v = dro(m.x + GAR_EPS_F, m.y + GAR_EPS_F, m.z + GAR_EPS_F, alpha);
      for (var c = 0; c < cols; c = c + 1) {
        let base = out + c * STRIDE;
        result[base + 5] = v.y;
        result[base + 6] = v.z;
        result[base + 7] = v.w;
      }
      result[run] = v.x;
    } else {
      var total = 0.0;
      for (var c = 0; c < cols; c = c + 1) {
        let base = out + c * STRIDE;
        let v = dro(result[base + 8] + GAR_EPS_F, result[base + 9] + GAR_EPS_F, result[base + 10] + GAR_EPS_F, alpha);
        result[base + 5] = v.y;
        result[base + 6] = v.z;
        result[base + 7] = v.w;
        total = total + v.x;
      }
      result[run] = total / f32(cols);
    }
  }
}
`;

// One thread per element of every run: element e of run k is index k·N·T + e (e also indexes the labels).
const GRADIENT_CODE = `
const STRIDE: i32 = ${STRIDE};
fn main(index: i32) {
  if (index < uniforms.size) {
    let run = index / uniforms.count;
    let e = index - run * uniforms.count;
    let c = e % uniforms.cols;
    let base = uniforms.runs + (run * uniforms.cols + c) * STRIDE;
    let sF = stats[base + 2];
    let fv = yPred[index];
    let yv = yTrue[e];
    let fc = fv - stats[base];
    let yc = yv - stats[base + 1];
    let av = fc / sF;
    let r = av - yc / stats[base + 3];
    let scale = upstream[run] / f32(uniforms.count);
    setOutputAtIndex(index, scale * (stats[base + 5] * sign(fv - yv) + stats[base + 6] * (fc - yc) +
      stats[base + 7] / sF * (r - av * stats[base + 4])));
  }
}
`;

function statsProgram(runs: number, cols: number): WebGpuProgram {
  return {
    outputShape: [runs * (1 + cols * STRIDE)],
    shaderKey: "garkit_gar_stats",
    dispatchLayout: { x: [0] },
    dispatch: [runs, 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    variableNames: ["yTrue", "yPred", "alphas"],
    uniforms: "n : i32, cols : i32, runs : i32, pooled : i32,",
    getUserCode: () => STATS_CODE,
  };
}

function gradientProgram(shape: number[]): WebGpuProgram {
  const size = shape.reduce((p, v) => p * v, 1);
  const workgroup = 64;
  return {
    outputShape: shape,
    shaderKey: "garkit_gar_gradient",
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [Math.ceil(size / workgroup), 1, 1],
    workgroupSize: [workgroup, 1, 1],
    variableNames: ["yTrue", "yPred", "stats", "upstream"],
    uniforms: "cols : i32, count : i32, runs : i32,",
    size: true,
    getUserCode: () => GRADIENT_CODE,
  };
}

/**
 * GAR (Eq. 9) with its closed-form gradient on the WebGPU backend: one kernel for the values (plus a
 * K-element slice; and a reshape to a scalar for one run), one for the gradient with respect to `yPred` (and
 * a zero fill for `yTrue`), each one launch for all K runs.
 */
function garWebgpu(
  { yTrue, yPred }: LossKernelInputs<"gar">,
  { alpha, pooled }: LossKernelAttrs<"gar">,
): tf.Tensor1D | tf.Scalar {
  const [rows, cols] = yTrue.shape;
  const runs = yPred.rank === 3 ? yPred.shape[0] : 1;
  const alphas = tf.tensor1d(alpha.slice(0, runs));
  const op = tf.customGrad((tIn, pIn, save) => {
    const stats = runWebGpuProgram<tf.Tensor1D>(
      statsProgram(runs, cols),
      [tIn as tf.Tensor, pIn as tf.Tensor, alphas],
      [
        { type: "int32", data: [rows] },
        { type: "int32", data: [cols] },
        { type: "int32", data: [runs] },
        { type: "int32", data: [pooled ? 1 : 0] },
      ],
    );
    // The inputs are saved too: `gar`'s tidy disposes its reshaped copies once the forward pass returns.
    (save as tf.GradSaveFunc)([tIn as tf.Tensor, pIn as tf.Tensor, stats]);
    const values = tf.slice(stats, [0], [runs]);
    return {
      value: yPred.rank === 3 ? values : tf.reshape(values, []),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const g = runWebGpuProgram(gradientProgram(saved[1].shape), [saved[0], saved[1], saved[2], dy], [
          { type: "int32", data: [cols] },
          { type: "int32", data: [rows * cols] },
          { type: "int32", data: [runs] },
        ]);
        return [tf.zeros(saved[0].shape), g];
      },
    };
  });
  return op(yTrue, yPred) as tf.Tensor1D | tf.Scalar;
}

/** GAR on WebGPU (see {@linkcode garWebgpu}). */
export const garWebgpuKernel: LossKernel<"gar"> = { kernelName: "gar", kernelFunc: garWebgpu };
