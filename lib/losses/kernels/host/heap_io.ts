/**
 * Moving float32 data between tensors and the host arrays of the host kernels without the
 * intermediate copies of `dataSync()` and `tf.tensor(copy)`: on wasm a fresh 256 KiB array costs
 * ~50 µs to allocate, more than copying into an existing one (~10 µs).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { readInto, tensorFromHost } from "./heap_io.ts";
 * await tf.setBackend("cpu");
 * const values = Float32Array.of(1, 2, 3, 4);
 * const t = tensorFromHost<tf.Rank.R2>(values, [2, 2]);
 * values.fill(0); // the tensor keeps its own copy
 * const back = new Float32Array(4);
 * readInto(t, back);
 * assert.deepEqual(Array.from(back), [1, 2, 3, 4]);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

interface HeapBackend {
  typedArrayFromHeap?: (t: tf.Tensor) => Float32Array;
}

/**
 * Copies the values of the float32 tensor `t` into `target` (same length): on wasm straight from a
 * view of the backend's heap, elsewhere from `dataSync()` (the cpu backend returns its own array).
 */
export function readInto(t: tf.Tensor, target: Float32Array): void {
  const backend = tf.backend() as unknown as HeapBackend;
  if (
    tf.getBackend() === "wasm" && t.dtype === "float32" && typeof backend.typedArrayFromHeap === "function"
  ) {
    target.set(backend.typedArrayFromHeap(t));
  } else {
    target.set(t.dataSync() as Float32Array);
  }
}

/**
 * A float32 tensor holding the current values of `values`, which the caller may overwrite
 * afterwards: the wasm backend copies them into its heap on creation; other backends (the cpu one
 * keeps the array it is given) get a copy.
 */
export function tensorFromHost<R extends tf.Rank>(values: Float32Array, shape: tf.ShapeMap[R]): tf.Tensor<R> {
  const data = tf.getBackend() === "wasm" ? values : values.slice();
  return tf.tensor(data, shape, "float32") as tf.Tensor<R>;
}
