/**
 * Host copies of label tensors, for the losses that need label values on the host.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

const registry = new WeakMap<tf.Tensor, Float32Array>();

/**
 * Records the host values of a label tensor (row-major, as `values` was given to `tf.tensor`) and
 * returns the tensor. Losses that need the labels on the host (RankSim picks one row per unique
 * label) read them from here instead of reading the tensor back — which the WebGPU backend cannot do
 * synchronously under Deno once the tensor lives on the GPU. The kit's training loop and benchmarks
 * record every batch's labels; do the same in a loop of your own. The record lives as long as the
 * tensor object (a `WeakMap`); the values are copied to float32, as the tensor holds them.
 *
 * @param tensor the label tensor
 * @param values its values, `tensor.size` of them
 * @returns `tensor`
 * @throws {Error} when the number of values differs from `tensor.size`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { hostLabelsOf, withHostLabels } from "./host_labels.ts";
 * const values = [1, 2, 2];
 * const y = withHostLabels(tf.tensor2d(values, [3, 1]), values);
 * assert.deepEqual(Array.from(hostLabelsOf(y)!), values);
 * ```
 */
export function withHostLabels<T extends tf.Tensor>(tensor: T, values: ArrayLike<number>): T {
  if (values.length !== tensor.size) {
    throw new Error(`withHostLabels: ${values.length} values for a tensor of ${tensor.size} elements`);
  }
  registry.set(tensor, Float32Array.from(values));
  return tensor;
}

/**
 * The host values recorded for `tensor` by {@linkcode withHostLabels}, or `undefined`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { hostLabelsOf } from "./host_labels.ts";
 * assert.equal(hostLabelsOf(tf.tensor1d([1])), undefined);
 * ```
 */
export function hostLabelsOf(tensor: tf.Tensor): Float32Array | undefined {
  return registry.get(tensor);
}
