/**
 * RankSim's row ranks (`rankNormalised`) on the WebGPU backend as one WGSL kernel instead of the
 * tensor program's two row sorts (`tf.topk`, several passes each on WebGPU) and their bookkeeping
 * (~20 kernels): under Deno a WebGPU step costs what its kernel launches cost
 * (`docs/performance-h100.md`). It applies for U ≤ {@linkcode RANKS_WEBGPU_MAX_U} (registered for
 * `webgpu` by `../mod.ts`; `rankSim`'s TrueRanker dispatches to it).
 *
 * One thread per entry: `rank_ij = (1 + #{k : s_ik > s_ij} + #{k > j : s_ik = s_ij}) / U` — the
 * position in the row's descending order, equal values later column first, exactly the tensor
 * program's `rankNormalised`; O(U³) work, O(U²) memory, no sort (hence the limit on U).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { RANKS_WEBGPU_MAX_U, rankNormalisedWebgpuKernel } from "./rank_sim.ts";
 * await tf.setBackend("cpu");
 * const applies = (u: number) => rankNormalisedWebgpuKernel.applies!({ s: tf.zeros([2, u]) as tf.Tensor2D }, {});
 * assert.equal(applies(RANKS_WEBGPU_MAX_U), true);
 * assert.equal(applies(RANKS_WEBGPU_MAX_U + 1), false);
 * ```
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { LossKernel } from "../registry.ts";
import { runWebGpuProgram, type WebGpuProgram } from "./program.ts";

/** Largest row count for the kernel: its O(U³) work (U = 512: 1.3·10⁸ loop steps) stays small. */
export const RANKS_WEBGPU_MAX_U = 512;

const WORKGROUP = 64;

const RANKS_CODE = `
fn main(index: i32) {
  if (index < uniforms.size) {
    let u = uniforms.u;
    let i = index / u;
    let j = index - i * u;
    let v = values[index];
    var ahead = 0;
    for (var k = 0; k < u; k = k + 1) {
      let w = values[i * u + k];
      if (w > v || (w == v && k > j)) { ahead = ahead + 1; }
    }
    setOutputAtIndex(index, f32(ahead + 1) / f32(u));
  }
}
`;

/**
 * `(position + 1)/U` of every entry in its row's descending order (equal values: later column first).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { rowRanksWebgpu } from "./rank_sim.ts";
 * if (tf.getBackend() === "webgpu") { // (a WGSL program runs on the webgpu backend only)
 *   console.log(await rowRanksWebgpu(tf.tensor2d([[3, 1, 3]])).array()); // [[2/3, 1, 1/3]]
 * }
 * ```
 */
export function rowRanksWebgpu(s: tf.Tensor2D): tf.Tensor2D {
  const [rows, u] = s.shape;
  const program: WebGpuProgram = {
    outputShape: [rows, u],
    shaderKey: "garkit_ranksim_ranks",
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil((rows * u) / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    variableNames: ["values"],
    uniforms: "u : i32,",
    size: true,
    getUserCode: () => RANKS_CODE,
  };
  return runWebGpuProgram<tf.Tensor2D>(program, [s], [{ type: "int32", data: [u] }]);
}

/** `rankNormalised` on WebGPU ({@linkcode rowRanksWebgpu}), for rows of at most {@linkcode RANKS_WEBGPU_MAX_U}. */
export const rankNormalisedWebgpuKernel: LossKernel<"rankNormalised"> = {
  kernelName: "rankNormalised",
  kernelFunc: ({ s }) => rowRanksWebgpu(s),
  applies: ({ s }) => s.shape[1] <= RANKS_WEBGPU_MAX_U,
};
