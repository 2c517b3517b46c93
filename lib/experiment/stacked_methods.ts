/**
 * The protocol's methods over the runs axis: the objective of each epoch for K runs of one method with per-run
 * parameters, `(yTrue [N, T], output [K, N, T], features [K, N, H]) → [K]`, run k's value and gradient equal to
 * `methodObjective(method, params[k], epochs)`'s on run k's slice.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { StackedObjective } from "../model/stacked_types.ts";
import { type Method, methodByName, methodObjective } from "../methods.ts";

/** Which network outputs each method's objective reads (before and after RNC's switch). */
function uses(method: Method, post: boolean): { usesOutput: boolean; usesFeatures: boolean } {
  if (method === "RNC") return { usesOutput: post, usesFeatures: !post };
  const { usesOutput, usesFeatures } = methodByName(method);
  return { usesOutput, usesFeatures };
}

/**
 * The objective of each (0-based) epoch for K runs of `method` with parameters `params` (length K; null for the
 * parameter-free methods), in a run of `epochs` epochs.
 *
 * @throws {Error} as `methodObjective` does, for any run's parameter
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { stackedMethodObjective } from "./stacked_methods.ts";
 * await tf.setBackend("cpu");
 * const at = stackedMethodObjective("Huber", [0.5, 4], 100);
 * const y = tf.tensor2d([[0], [0]]), out = tf.tensor3d([[[1], [1]], [[1], [1]]]);
 * const v = at(0).loss(y, out, tf.zeros([2, 2, 3])).dataSync();
 * assert.ok(Math.abs(v[0] - 0.375) < 1e-6 && Math.abs(v[1] - 0.5) < 1e-6); // δ = 0.5: δ(|e| − δ/2); δ = 4: e²/2
 * ```
 */
export function stackedMethodObjective(
  method: Method,
  params: readonly (number | null)[],
  epochs: number,
): (epoch: number) => StackedObjective {
  const single = params.map((p) => methodObjective(method, p, epochs));
  const switchAt = Math.round(0.5 * epochs);
  return (epoch) => {
    const objectives = single.map((o) => o(epoch));
    return {
      ...uses(method, epoch >= switchAt),
      loss: (y, output, features) => {
        // One run: no unstack (tfjs's gradient of a one-way unstack fails).
        if (objectives.length === 1) {
          const [, n, t] = output.shape, h = features.shape[2];
          return tf.reshape(objectives[0](y, output.reshape([n, t]), features.reshape([n, h])), [1]);
        }
        const outs = tf.unstack(output), feats = tf.unstack(features);
        return tf.stack(
          objectives.map((o, k) => o(y, outs[k] as tf.Tensor2D, feats[k] as tf.Tensor2D)),
        ) as tf.Tensor1D;
      },
    };
  };
}
