/**
 * The backends whose tensors live in host memory, where the losses' host kernels run (`mod.ts`
 * registers them for these backends).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

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
