/**
 * A minimal training loop with the paper's tabular protocol settings: SGD with momentum 0.9 and
 * weight decay added to the gradient (PyTorch `torch.optim.SGD` semantics), batch 256 with the last
 * partial batch dropped, learning rate ×0.1 at the end of the epochs at 50 % and 75 % of the run
 * (the authors' milestones 50 and 75 of 100). The protocol work (issue #4) may replace it.
 *
 * Batch rule: `batch = min(batchSize, nTrain)`, `steps per epoch = floor(nTrain / batch)`, so a
 * training set smaller than the batch size trains on one full-set batch per epoch, and there is
 * never an epoch with zero steps. At least 2 training rows are required (pairwise losses).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { seededPermutation } from "../data/split.ts";

/** A loss `(yTrue, yPred) → scalar`. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Options of {@linkcode trainRegressor}. */
export interface TrainOptions {
  /** Loss function (truth first). */
  loss: LossFn;
  /** Epochs (default 100). */
  epochs?: number;
  /** Initial learning rate (default 0.01, the authors' default). */
  lr?: number;
  /** SGD momentum (default 0.9). */
  momentum?: number;
  /** Weight decay added to the gradient (default 1e-4, the authors' default). */
  weightDecay?: number;
  /** Batch size (default 256; capped at the training-set size). */
  batchSize?: number;
  /** Shuffling seed (default 0). */
  seed?: number;
  /** Called after each epoch. */
  onEpoch?: (info: { epoch: number; epochs: number; loss: number; lr: number }) => void;
}

/** What {@linkcode trainRegressor} did. */
export interface TrainResult {
  /** Epochs run. */
  epochs: number;
  /** Batch size used. */
  batchSize: number;
  /** Optimiser steps per epoch. */
  stepsPerEpoch: number;
  /** Mean training loss of each epoch. */
  lossHistory: number[];
}

/**
 * The epochs after which the learning rate is multiplied by 0.1: `round(0.5·E)` and `round(0.75·E)`
 * (50 and 75 for the paper's 100 epochs).
 *
 * @example
 * ```ts
 * import { lrMilestones } from "./train_loop.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(lrMilestones(100), [50, 75]);
 * ```
 */
export function lrMilestones(epochs: number): number[] {
  return [Math.round(0.5 * epochs), Math.round(0.75 * epochs)];
}

/**
 * Trains `model` on `(x, y)` rows with minibatch SGD (see the module notes for the rules).
 *
 * @throws {Error} on fewer than 2 training rows, mismatched rows, or a non-finite loss (divergence)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createFfnn } from "./ffnn.ts";
 * import { trainRegressor } from "./train_loop.ts";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * const x = [[0], [1], [2], [3]], y = [[0], [2], [4], [6]];
 * const model = createFfnn({ inputDim: 1, outputDim: 1, seed: 0 });
 * const loss = (t: tf.Tensor, p: tf.Tensor) => tf.losses.meanSquaredError(t, p) as tf.Scalar;
 * const r = trainRegressor(model, x, y, { loss, epochs: 3 });
 * assert.equal(r.stepsPerEpoch, 1);
 * assert.equal(r.lossHistory.length, 3);
 * ```
 */
export function trainRegressor(
  model: tf.LayersModel,
  x: readonly number[][],
  y: readonly number[][],
  options: TrainOptions,
): TrainResult {
  const n = x.length;
  if (n < 2) throw new Error(`training needs at least 2 rows, got ${n}`);
  if (y.length !== n) throw new Error(`x has ${n} rows but y has ${y.length}`);
  const epochs = options.epochs ?? 100;
  const momentum = options.momentum ?? 0.9;
  const wd = options.weightDecay ?? 1e-4;
  const batch = Math.min(options.batchSize ?? 256, n);
  const steps = Math.floor(n / batch);
  const milestones = lrMilestones(epochs);
  let lr = options.lr ?? 0.01;
  const xs = tf.tensor2d(x as number[][], [n, x[0].length], "float32");
  const ys = tf.tensor2d(y as number[][], [n, y[0].length], "float32");
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const bufs = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const lossHistory: number[] = [];
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const perm = seededPermutation(n, (options.seed ?? 0) * 100003 + epoch);
      let total = 0;
      for (let s = 0; s < steps; s++) {
        const idx = tf.tensor1d(perm.slice(s * batch, (s + 1) * batch), "int32");
        const value = tf.tidy(() => {
          const xb = tf.gather(xs, idx);
          const yb = tf.gather(ys, idx);
          const { value, grads } = tf.variableGrads(
            () => options.loss(yb, model.apply(xb, { training: true }) as tf.Tensor),
            vars,
          );
          vars.forEach((v, k) => {
            const g = tf.add(grads[v.name], tf.mul(v, wd));
            const b = epoch === 0 && s === 0 ? g : tf.add(tf.mul(bufs[k], momentum), g);
            bufs[k].assign(b);
            v.assign(tf.sub(v, tf.mul(b, lr)));
          });
          return value.dataSync()[0];
        });
        idx.dispose();
        if (!Number.isFinite(value)) {
          throw new Error(`training diverged at epoch ${epoch + 1} (loss ${value}); try a smaller --lr`);
        }
        total += value;
      }
      lossHistory.push(total / steps);
      if (milestones.includes(epoch + 1)) lr *= 0.1;
      options.onEpoch?.({ epoch: epoch + 1, epochs, loss: total / steps, lr });
    }
  } finally {
    xs.dispose();
    ys.dispose();
    bufs.forEach((b) => b.dispose());
  }
  return { epochs, batchSize: batch, stepsPerEpoch: steps, lossHistory };
}

/**
 * Predictions of `model` for `x` rows, in chunks, as float64 rows.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createFfnn } from "./ffnn.ts";
 * import { predictRows } from "./train_loop.ts";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * const p = predictRows(createFfnn({ inputDim: 2, outputDim: 1 }), [[0, 1], [1, 0]]);
 * assert.equal(p.length, 2);
 * ```
 */
export function predictRows(model: tf.LayersModel, x: readonly number[][], chunk = 4096): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < x.length; i += chunk) {
    const part = x.slice(i, i + chunk) as number[][];
    const data = tf.tidy(() => {
      const p = model.predict(tf.tensor2d(part, [part.length, part[0].length], "float32")) as tf.Tensor;
      return { values: p.dataSync(), cols: p.shape[1] ?? 1 };
    });
    for (let r = 0; r < part.length; r++) {
      out.push(Array.from(data.values.subarray(r * data.cols, (r + 1) * data.cols)));
    }
  }
  return out;
}
