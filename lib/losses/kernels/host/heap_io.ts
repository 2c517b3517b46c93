/**
 * Moving float32 data between tensors and the host arrays of the host kernels without the
 * intermediate copies of `dataSync()` and `tf.tensor(copy)`: on wasm a fresh 256 KiB array costs
 * ~50 µs to allocate, more than copying into an existing one (~10 µs).
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
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { readInto } from "./heap_io.ts";
 * await tf.setBackend("cpu");
 * const target = new Float32Array(3);
 * readInto(tf.tensor1d([1, 2, 3]), target);
 * assert.deepEqual(Array.from(target), [1, 2, 3]);
 * ```
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
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { tensorFromHost } from "./heap_io.ts";
 * await tf.setBackend("cpu");
 * const values = Float32Array.of(1, 2);
 * const t = tensorFromHost<tf.Rank.R1>(values, [2]);
 * values[0] = 9; // the tensor holds the values at creation
 * assert.deepEqual(Array.from(t.dataSync()), [1, 2]);
 * ```
 */
export function tensorFromHost<R extends tf.Rank>(values: Float32Array, shape: tf.ShapeMap[R]): tf.Tensor<R> {
  const data = tf.getBackend() === "wasm" ? values : values.slice();
  return tf.tensor(data, shape, "float32") as tf.Tensor<R>;
}
