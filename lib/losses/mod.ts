/**
 * The GAR losses and the paper's baselines for TensorFlow.js.
 *
 * Label-space losses take `(yTrue, yPred, options?)` (truth first, the tfjs convention), accept `[N]` or
 * `[N, T]` tensors and return a `tf.Scalar`, so they work directly as tfjs-layers losses.
 * Feature-space regularizers take the labels and a `[N, D]` feature matrix.
 *
 * The runs axis: called with predictions `[K, N, T]` — K independent training runs of a stacked network,
 * against labels that every run shares — a label-space loss returns the K losses as a `tf.Tensor1D` (value k
 * = the loss of `yPred[k]`; the type follows the input rank, {@linkcode LossOf}), and a numeric option takes
 * one number for every run or one per run ({@linkcode RunNumbers}). `garParts` then returns three `[K]` parts
 * and `droAggregate` takes `[K]` sub-losses (the Table 5 ablations). Their cost in tfjs kernels does not grow
 * with K; on cpu and wasm run k's value and gradient are the single-run loss's bits, whatever the other runs.
 * The feature-space regularizers (`rankSim`, `rnc`, `conr`) take features `[K, N, D]` (ConR also predictions
 * `[K, N, T]`) the same way; on cpu and wasm one host kernel computes the labels' side once and every run's side
 * in typed-array passes shared by the host pool, run k's bits those of its single-run call.
 *
 * The folder, by role:
 * - one public loss per file (re-exported here), `constants.ts`, `host_labels.ts`, and `validate.ts`:
 *   the input checks and the switch of their NaN/±Inf data checks (`setFiniteChecks`,
 *   `withoutFiniteChecks`);
 * - `kernels/`: each loss's faster implementations per backend — `kernels/host/` (cpu and wasm:
 *   float64 host passes and their worker pool) and `kernels/webgpu/` (WGSL programs) — registered
 *   apart from the losses (`kernels/registry.ts`, tfjs-core's pattern): a loss dispatches once to the
 *   kernel of the active backend, and runs its own tensor program where none applies (the kernels of
 *   the feature-space losses take K runs; a single-run call is K = 1);
 * - `reference/`: the float64 oracles of the tests;
 * - internal: `ops.ts` (differentiable building blocks, shared with the kernels) and the `_` files
 *   (`_runs.ts`: the runs axis of the label-space losses).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { gar, mae } from "./mod.ts";
 * const y = tf.tensor1d([1, 2, 3, 4]);
 * const f = tf.tensor1d([1.5, 1.5, 3.5, 3.5]);
 * assert.ok(Number.isFinite(gar(y, f, { alpha: 1 }).dataSync()[0]));
 * assert.equal(mae(y, f).dataSync()[0], 0.5);
 * ```
 *
 * @module
 */
// GAR (Eq. 9–11, Algorithm 1) and its KL-DRO aggregation (Theorem 6)
export * from "./gar.ts";
export * from "./gar_parts.ts";
export * from "./dro_aggregate.ts";
export * from "./constants.ts";
export type { MultiTarget } from "./_gar_core.ts";
// The pairwise losses (Eq. 3, Eq. 6) and their O(N) equivalents (Eq. 5, Eq. 7)
export * from "./pairwise_diff_loss.ts";
export * from "./pairwise_diff_norm_loss.ts";
export * from "./error_variance_loss.ts";
export * from "./neg_pearson_loss.ts";
// Baselines
export * from "./mae.ts";
export * from "./mse.ts";
export * from "./huber.ts";
export * from "./focal_mae.ts";
export * from "./focal_mse.ts";
export * from "./mae_pearson.ts";
export * from "./rank_sim.ts";
export * from "./rnc.ts";
export * from "./conr.ts";
// Label values on the host (RankSim on WebGPU)
export * from "./host_labels.ts";
// Input checking
export { LossInputError, setFiniteChecks, withoutFiniteChecks } from "./validate.ts";
// The runs axis of the label-space losses
export type { LossOf, RunNumbers } from "./_runs.ts";
