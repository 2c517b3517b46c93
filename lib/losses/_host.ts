/**
 * Whether the active backend keeps tensors in host memory, where the losses take their host passes.
 * Internal: not re-exported by `mod.ts`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** True on backends whose tensors live in host memory (cpu, wasm): reading a few numbers back is free there. */
export function hostBackend(): boolean {
  const b = tf.getBackend();
  return b === "cpu" || b === "wasm";
}
