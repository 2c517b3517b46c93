/**
 * Helpers of the WebGPU loss tests: their options (ignored where no WebGPU adapter exists; CI has
 * Mesa's software one), a loss's value and gradient on the cpu backend (the host passes) and on
 * webgpu, and the kernels a computation records on webgpu.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { probeWebGpuAdapter, selectBackend } from "../../lib/backend.ts";

/** Deno.test options of a WebGPU test. */
export const WEBGPU_TEST = {
  sanitizeOps: false,
  sanitizeResources: false,
  ignore: (await probeWebGpuAdapter()) === null,
} as const;

/** A value and its gradient as plain numbers. */
export interface ValueAndGrad {
  value: number;
  grad: number[];
}

/** Value and gradient of `f` at `x` on the active backend, read back asynchronously (WebGPU under Deno cannot read synchronously). */
async function valueAndGradAsync(f: (x: tf.Tensor) => tf.Scalar, x: number[][]): Promise<ValueAndGrad> {
  const input = tf.tensor2d(x);
  const { value, grad } = tf.valueAndGrad(f)(input);
  const out = { value: (await value.data())[0], grad: Array.from(await grad.data()) };
  tf.dispose([input, value, grad]);
  return out;
}

/**
 * Value and gradient of `f` at `x` (`[N, D]`) on the cpu backend and on webgpu; `f` builds its other
 * inputs itself (they are disposed with the gradient's scope). Leaves the cpu backend active.
 */
export async function onCpuAndWebgpu(
  f: (x: tf.Tensor) => tf.Scalar,
  x: number[][],
): Promise<{ host: ValueAndGrad; gpu: ValueAndGrad }> {
  await selectBackend({ backend: "cpu" });
  const host = await valueAndGradAsync(f, x);
  await selectBackend({ backend: "webgpu" });
  try {
    return { host, gpu: await valueAndGradAsync(f, x) };
  } finally {
    await selectBackend({ backend: "cpu" });
  }
}

/**
 * The kernel names `tf.profile` records for `f` applied to tensors of `inputs` on webgpu (the
 * tensors are made before and disposed after). Leaves the cpu backend active.
 */
export async function webgpuKernels(
  inputs: number[][][],
  f: (...tensors: tf.Tensor2D[]) => tf.Tensor,
): Promise<string[]> {
  await selectBackend({ backend: "webgpu" });
  try {
    const tensors = inputs.map((m) => tf.tensor2d(m));
    const info = await tf.profile(() => f(...tensors));
    tf.dispose([...tensors, info.result as tf.Tensor]);
    return info.kernels.map((k) => k.name);
  } finally {
    await selectBackend({ backend: "cpu" });
  }
}
