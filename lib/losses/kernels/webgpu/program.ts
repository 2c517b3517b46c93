/**
 * Running a WGSL program of the kit on tfjs's WebGPU backend: the part of tfjs-backend-webgpu's
 * program interface the kit's kernels use (`gar.ts`, `conr.ts`, `rnc.ts`, `rank_sim.ts`), and one
 * call that runs a program and returns its output as a float32 tensor.
 *
 * Under Deno a shader that does not compile runs as nothing, silently (no error; the output keeps
 * stale or zero data): every program needs a value test. WGSL reserves many words (`active`,
 * `filter`, `target`, …).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** A WebGPU program as tfjs-backend-webgpu takes it. */
export interface WebGpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  variableNames: string[];
  uniforms?: string;
  size?: boolean;
  getUserCode: () => string;
}

/** The values of a program's own uniforms, in their declaration order. */
export type WebGpuUniforms = { type: "int32" | "float32"; data: number[] }[];

interface WebGpuBackendLike {
  runWebGPUProgram(
    program: WebGpuProgram,
    inputs: tf.TensorInfo[],
    outputDtype: "float32",
    uniforms?: WebGpuUniforms,
  ): tf.TensorInfo;
}

/**
 * Runs `program` on `inputs` on the active (WebGPU) backend; its float32 output as a tensor.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { runWebGpuProgram, type WebGpuProgram } from "./program.ts";
 * const program: WebGpuProgram = {
 *   outputShape: [3],
 *   shaderKey: "example_double",
 *   dispatchLayout: { x: [0] },
 *   dispatch: [1, 1, 1],
 *   workgroupSize: [64, 1, 1],
 *   variableNames: ["x"],
 *   size: true,
 *   getUserCode: () => "fn main(index: i32) { if (index < uniforms.size) { setOutputAtIndex(index, 2.0 * x[index]); } }",
 * };
 * if (tf.getBackend() === "webgpu") { // (a WGSL program runs on the webgpu backend only)
 *   console.log(await runWebGpuProgram(program, [tf.tensor1d([1, 2, 3])], []).data()); // 2, 4, 6
 * }
 * ```
 */
export function runWebGpuProgram<T extends tf.Tensor = tf.Tensor>(
  program: WebGpuProgram,
  inputs: tf.TensorInfo[],
  uniforms: WebGpuUniforms,
): T {
  const backend = tf.backend() as unknown as WebGpuBackendLike;
  const info = backend.runWebGPUProgram(program, inputs, "float32", uniforms);
  return tf.engine().makeTensorFromTensorInfo(info) as T;
}
