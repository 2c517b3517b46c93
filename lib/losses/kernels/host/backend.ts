/**
 * The backends whose tensors live in host memory, where the losses' host kernels run (`mod.ts`
 * registers them for these backends), and the arithmetic of their matrix products.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { MATMUL_TFJS_CPU, MATMUL_XNNPACK } from "./rows/matmul.ts";

/** The tfjs backends whose tensors live in host memory: reading a few numbers back is free there. */
export const HOST_BACKENDS: readonly string[] = ["cpu", "wasm"];

/**
 * True on the backends whose tensors live in host memory ({@linkcode HOST_BACKENDS}).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { hostBackend } from "./backend.ts";
 * await tf.setBackend("cpu");
 * assert.equal(hostBackend(), true);
 * ```
 */
export function hostBackend(): boolean {
  return HOST_BACKENDS.includes(tf.getBackend());
}

/**
 * The arithmetic of the active host backend's 2-D `tf.matMul`, as `rows/matmul.ts` reproduces it on the host:
 * {@linkcode MATMUL_XNNPACK} on wasm, {@linkcode MATMUL_TFJS_CPU} on cpu.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { hostMatMulFlavour } from "./backend.ts";
 * import { MATMUL_TFJS_CPU } from "./rows/matmul.ts";
 * await tf.setBackend("cpu");
 * assert.equal(hostMatMulFlavour(), MATMUL_TFJS_CPU);
 * ```
 */
export function hostMatMulFlavour(): number {
  return tf.getBackend() === "wasm" ? MATMUL_XNNPACK : MATMUL_TFJS_CPU;
}
