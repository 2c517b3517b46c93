/**
 * The types shared by the stacked FFNN (`stacked_ffnn.ts`) and its two engines (`kernels/host/`,
 * `kernels/tensor/`): K independent runs of one architecture, trained as one program.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/**
 * A training objective over the runs axis: `(yTrue [N, T], output [K, N, T], features [K, N, H]) → [K]`, run k's
 * loss from run k's output and features only (the labels are shared). `usesOutput` / `usesFeatures` say which
 * inputs it reads: a layer the objective does not reach gets no gradient and is left alone by the optimizer, as
 * in PyTorch (RNC's pre-training never reaches the head).
 */
export interface StackedObjective {
  /** The per-run losses `[K]`. */
  loss(yTrue: tf.Tensor2D, output: tf.Tensor3D, features: tf.Tensor3D): tf.Tensor1D;
  /** Whether `loss` reads `output`. */
  usesOutput: boolean;
  /** Whether `loss` reads `features` (the last hidden layer's activations). */
  usesFeatures: boolean;
}

/** The optimiser of every run of a stacked network, with per-run learning rates and weight decays. */
export interface StackedOptimizerOptions {
  /** `"sgd"` (torch.optim.SGD with momentum) or `"adam"` (torch.optim.Adam). */
  kind: "sgd" | "adam";
  /** Initial learning rate of each run (length K). */
  lr: readonly number[];
  /** Weight decay of each run, L2 added to the gradient (length K). */
  weightDecay: readonly number[];
  /** SGD momentum (default 0.9; ignored by Adam). */
  momentum?: number;
}

/** Options of `createStackedFfnn`. */
export interface StackedFfnnOptions {
  /** Number of input features. */
  inputDim: number;
  /** Number of targets. */
  outputDim: number;
  /** Hidden sizes (default `paperHiddenSizes(inputDim)`). */
  hidden?: number[];
  /** Initialisation seed of each run: run k starts exactly as `createFfnn({ seed: seeds[k] })`. K = its length. */
  seeds: readonly number[];
  /** The optimiser. */
  optimizer: StackedOptimizerOptions;
  /** Rows per training batch (the engine's buffers are sized for it). */
  batchSize: number;
  /**
   * `"host"`: the kit's WebAssembly SIMD kernels on host memory (the default on the cpu and wasm backends);
   * `"tensor"`: tfjs ops on the active backend, batched over the runs axis (the default elsewhere, e.g. WebGPU).
   */
  engine?: "host" | "tensor";
}

/** K FFNNs of one architecture trained together: see `createStackedFfnn`. */
export interface StackedFfnn {
  /** Number of runs K. */
  readonly runs: number;
  /** Layer sizes `[inputDim, ...hidden, outputDim]`. */
  readonly sizes: readonly number[];
  /** The engine computing it. */
  readonly engine: "host" | "tensor";
  /** Sets the training rows (row-major `[n, inputDim]`), which `trainStep` picks batches from. */
  setTrainingRows(x: Float32Array, n: number): void;
  /**
   * One optimisation step of every active run on the training rows `rows` (indices into the training rows; the
   * same rows for every run), with the batch labels `yTrue` `[rows.length, T]`: forward, the objective's
   * gradient, backward, the optimiser's update. Returns the per-run losses `[K]` before the update (the caller
   * disposes them).
   */
  trainStep(rows: ArrayLike<number>, yTrue: tf.Tensor2D, objective: StackedObjective): tf.Tensor1D;
  /** The outputs of every run on `x` (row-major `[n, inputDim]`): `[K, n, outputDim]`, row-major. */
  predict(x: Float32Array, n: number): Promise<Float32Array>;
  /** Multiplies every run's learning rate by `factor` (the milestones' step decay). */
  scaleLearningRates(factor: number): void;
  /** The current learning rate of each run. */
  learningRates(): number[];
  /** Stops updating run k (a diverged run): its weights stay as they are from now on. */
  deactivate(k: number): void;
  /** Run k's parameters `[w0, b0, w1, b1, …]` (copies; `w` row-major `[in, out]`). */
  parameters(k: number): Promise<Float32Array[]>;
  /** Frees the network's memory and tensors. */
  dispose(): void;
}
