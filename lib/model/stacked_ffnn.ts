/**
 * The stacked FFNN: K independent copies of the paper's network (`ffnn.ts`) — one per training run of a sweep —
 * with their weights stacked on a leading runs axis and trained as one program. Each run starts exactly as the
 * single-run `createFfnn` with its seed, and has its own learning rate, weight decay, optimiser state and
 * milestone schedule; the runs of one call share the training rows of every step (same fold, same shuffling seed).
 *
 * Two engines, one interface ({@linkcode StackedFfnn}):
 * - `"host"` (default on the cpu and wasm backends): the kit's WebAssembly SIMD kernels on host memory
 *   (`kernels/host/`), a call per layer for all K runs; the objective alone runs on tfjs.
 * - `"tensor"` (default elsewhere, e.g. WebGPU): tfjs ops batched over the runs axis (`kernels/tensor/`).
 *
 * Determinism: on the host engine a run's numbers do not depend on which other runs share its call (every kernel
 * computes run k from run k's operands, in an order fixed by the layer sizes), so a run trained alone or in any
 * group gives the same bits.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ffnnInitialValues, ffnnLayerSizes } from "./ffnn.ts";
import { createHostStackedFfnn } from "./kernels/host/stacked_ffnn_host.ts";
import { createTensorStackedFfnn } from "./kernels/tensor/stacked_ffnn_tensor.ts";
import type { StackedFfnn, StackedFfnnOptions } from "./stacked_types.ts";

export type {
  StackedFfnn,
  StackedFfnnOptions,
  StackedObjective,
  StackedOptimizerOptions,
} from "./stacked_types.ts";

/**
 * Builds a stacked FFNN of `options.seeds.length` runs (see the module notes).
 *
 * @throws {Error} for no runs, per-run settings of the wrong length, a bad layer size or batch size
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { createFfnn } from "./ffnn.ts";
 * import { createStackedFfnn } from "./stacked_ffnn.ts";
 * await tf.setBackend("cpu");
 * const net = createStackedFfnn({ inputDim: 3, outputDim: 1, seeds: [5, 6], batchSize: 8,
 *   optimizer: { kind: "sgd", lr: [0.1, 0.01], weightDecay: [1e-4, 1e-4] } });
 * // Run 1 starts as the single-run network with seed 6.
 * const single = createFfnn({ inputDim: 3, outputDim: 1, seed: 6 });
 * const [w0] = await net.parameters(1);
 * assert.deepEqual(Array.from(w0), Array.from(single.variables[0].dataSync()));
 * net.dispose();
 * single.dispose();
 * ```
 */
export function createStackedFfnn(options: StackedFfnnOptions): StackedFfnn {
  const sizes = ffnnLayerSizes(options);
  const K = options.seeds.length;
  if (K < 1) throw new Error("createStackedFfnn: seeds must hold one seed per run (at least one)");
  for (
    const [name, v] of [["lr", options.optimizer.lr], ["weightDecay", options.optimizer.weightDecay]] as const
  ) {
    if (v.length !== K) {
      throw new Error(`createStackedFfnn: optimizer.${name} has ${v.length} values for ${K} runs`);
    }
  }
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
    throw new Error(`createStackedFfnn: batchSize must be a positive integer, got ${options.batchSize}`);
  }
  const initial = options.seeds.map((seed) => ffnnInitialValues(sizes, seed));
  const engine = options.engine ?? (["cpu", "wasm"].includes(tf.getBackend()) ? "host" : "tensor");
  return engine === "host"
    ? createHostStackedFfnn(sizes, initial, options.optimizer, options.batchSize)
    : createTensorStackedFfnn(sizes, initial, options.optimizer);
}
