/**
 * Reading tensors back asynchronously. Internal to `proofs/`: the webgpu backend cannot
 * `dataSync()` a GPU-resident tensor under Deno (tfjs reads back through a canvas), so every
 * proof computes inside `tf.tidy`, returns the tensors, and reads them here.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/**
 * Reads tensors (awaiting `data()`) and disposes them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { readAndDispose } from "./_read.ts";
 * await tf.setBackend("cpu");
 * const [a, b] = await readAndDispose([tf.scalar(2), tf.tensor1d([1, 3])]);
 * assert.deepEqual([...a, ...b], [2, 1, 3]);
 * ```
 */
export async function readAndDispose(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
  } finally {
    for (const t of tensors) t.dispose();
  }
}
