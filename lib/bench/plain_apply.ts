/**
 * The kit's FFNN evaluated with plain tfjs ops, the baseline of the dense-layer benchmark.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Ffnn } from "../model/ffnn.ts";

/**
 * The same FFNN (same initial weights) with every layer computed by `plain(x, w, b) =
 * tf.add(tf.matMul(x, w), b)` instead of the kit's `dense`: the "plain tfjs" model (tfjs's own matMul
 * gradient, with `transposeA`/`transposeB` products). Returns what `model.apply` returns.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { createFfnn } from "../model/ffnn.ts";
 * import { plainApply } from "./plain_apply.ts";
 * await tf.setBackend("cpu");
 * const model = createFfnn({ inputDim: 2, outputDim: 1, hidden: [3], seed: 1 });
 * const x = tf.tensor2d([[1, 2]]);
 * const a = plainApply(model, x).output.dataSync()[0], b = model.apply(x).output.dataSync()[0];
 * assert.ok(Math.abs(a - b) < 1e-6);
 * ```
 */
export function plainApply(model: Ffnn, x: tf.Tensor2D): { output: tf.Tensor2D; features: tf.Tensor2D } {
  const v = model.variables;
  const layers = v.length / 2;
  let h = x, features = x;
  for (let l = 0; l < layers; l++) {
    const z = tf.add(tf.matMul(h, v[2 * l] as tf.Tensor2D), v[2 * l + 1]) as tf.Tensor2D;
    if (l < layers - 1) {
      h = tf.elu(z);
      features = h;
    } else h = z;
  }
  return { output: h, features };
}
