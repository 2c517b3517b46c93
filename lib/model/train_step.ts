/**
 * One optimisation step of an {@linkcode Ffnn} on a batch.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Ffnn } from "./ffnn.ts";
import type { Optimizer } from "./optimizer.ts";

/**
 * A training objective: `(yTrue [N, T], output [N, T], features [N, H]) → scalar`. Label-space
 * losses ignore `features`; RankSim, RNC and ConR use them.
 */
export type Objective = (yTrue: tf.Tensor2D, output: tf.Tensor2D, features: tf.Tensor2D) => tf.Scalar;

/**
 * One optimisation step on a batch: forward, gradient of `objective` with respect to
 * `model.variables`, `optimizer.step` (a variable the objective does not reach gets a null gradient
 * and is left alone, as in PyTorch). Returns the batch loss (before the update) as a scalar
 * tensor that the caller disposes (read it with `await loss.data()` to avoid a sync stall, or
 * accumulate several on the device). All intermediates are freed.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { createFfnn } from "./ffnn.ts";
 * import { sgd } from "./optimizer.ts";
 * import { trainStep } from "./train_step.ts";
 * await tf.setBackend("cpu");
 * const model = createFfnn({ inputDim: 2, outputDim: 1, seed: 0 });
 * const opt = sgd(model.variables, { lr: 0.05, momentum: 0.9 });
 * const x = tf.tensor2d([[0, 1], [1, 0], [1, 1], [0, 0]]), y = tf.tensor2d([[1], [2], [3], [0]]);
 * const mse = (t: tf.Tensor2D, p: tf.Tensor2D) => tf.mean(tf.square(tf.sub(p, t))) as tf.Scalar;
 * const first = trainStep(model, opt, x, y, mse);
 * let last = first;
 * for (let i = 0; i < 50; i++) { if (last !== first) last.dispose(); last = trainStep(model, opt, x, y, mse); }
 * assert.ok(last.dataSync()[0] < first.dataSync()[0]);
 * ```
 */
export function trainStep(
  model: Ffnn,
  optimizer: Optimizer,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  objective: Objective,
): tf.Scalar {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const { output, features } = model.apply(x);
      return objective(y, output, features);
    }, model.variables);
    optimizer.step(model.variables.map((v) => grads[v.name] ?? null));
    return value;
  });
}
