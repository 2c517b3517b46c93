/**
 * The kit's dense (fully connected) layer op, `x·W + b`, with an exact hand-written gradient that
 * gives every backend its fast path.
 *
 * tfjs's own matMul gradient calls `matMul` with `transposeA`/`transposeB` flags. On the wasm
 * backend those flagged products are 10–20× slower than an explicit `tf.transpose` followed by a
 * plain `matMul` (XNNPACK only has a fast kernel for the plain layout), so on wasm this op
 * transposes explicitly; elsewhere it keeps the flags, which the GPU and cpu kernels handle
 * without an extra copy. The gradients are the same products either way (exact up to float32
 * summation order).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

function product(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, transposeB: boolean): tf.Tensor2D {
  if (tf.getBackend() !== "wasm") return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}

/**
 * `x·W + b` for `x` `[N, in]`, `W` `[in, out]`, `b` `[out]`, differentiable in all three.
 *
 * @param x inputs `[N, in]`
 * @param w weights `[in, out]`
 * @param b bias `[out]`
 * @returns `[N, out]`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { dense } from "./dense.ts";
 * await tf.setBackend("cpu");
 * const x = tf.tensor2d([[1, 2]]), w = tf.tensor2d([[1, 0, 1], [0, 1, 1]]), b = tf.tensor1d([0, 0, 1]);
 * assert.deepEqual(Array.from(dense(x, w, b).dataSync()), [1, 2, 4]);
 * const [gx, gw] = tf.grads((x: tf.Tensor, w: tf.Tensor) => dense(x as tf.Tensor2D, w as tf.Tensor2D, b).sum())([x, w]);
 * assert.deepEqual(Array.from(gx.dataSync()), [2, 2]);
 * assert.deepEqual(Array.from(gw.dataSync()), [1, 1, 1, 2, 2, 2]);
 * ```
 */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((xi, wi, bi, save) => {
    const [xx, ww] = [xi as tf.Tensor2D, wi as tf.Tensor2D];
    (save as tf.GradSaveFunc)([xx, ww]);
    return {
      value: tf.add(tf.matMul(xx, ww), bi as tf.Tensor1D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as tf.Tensor2D[];
        const g = dy as tf.Tensor2D;
        return [product(g, sw, false, true), product(sx, g, true, false), tf.sum(g, 0)];
      },
    };
  });
  return (op as unknown as (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D)(x, w, b);
}
