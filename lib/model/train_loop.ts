/**
 * The kit's training loop (the authors' main.py loop, not `model.fit`): seeded shuffling every
 * epoch, minibatches with the last partial batch dropped, SGD with momentum 0.9 and weight decay
 * added to the gradient (PyTorch `torch.optim.SGD`) or Adam, and step decay ×0.1 at the
 * milestones (by default the end of the epochs at 50 % and 75 % of the run: 50 and 75 of 100).
 *
 * Batch rule: `batch = min(batchSize, nTrain)`, `steps per epoch = floor(nTrain / batch)`, so a
 * training set smaller than the batch size trains on one full-set batch per epoch, and there is
 * never an epoch with zero steps. At least 2 training rows are required (pairwise losses).
 *
 * Shuffling: epoch `e` (0-based) visits the rows in the order `seededPermutation(n, seed·100003 + e)`.
 *
 * The loss's NaN/±Inf data checks are switched off while the loop runs (`withoutFiniteChecks`),
 * after the rows have been checked once here, and restored afterwards.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { seededPermutation } from "../data/split.ts";
import { withoutFiniteChecks } from "../losses/validate.ts";
import { withHostLabels } from "../losses/host_labels.ts";
import type { Ffnn } from "./ffnn.ts";
import { adam, type Optimizer, sgd } from "./optimizer.ts";
import { type Objective, trainStep } from "./train_step.ts";

/** A label-space loss `(yTrue, yPred) → scalar`. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** What {@linkcode trainRegressor} tells `onEpoch` after each epoch. */
export interface EpochInfo {
  /** 1-based epoch just finished. */
  epoch: number;
  /** Total epochs. */
  epochs: number;
  /** Mean training loss over the epoch's steps (NaN once diverged). */
  loss: number;
  /** The learning rate the next epoch uses (after any decay at this epoch's end). */
  lr: number;
  /** The model being trained (evaluate it here). */
  model: Ffnn;
}

/** Options of {@linkcode trainRegressor}. */
export interface TrainOptions {
  /** Label-space loss (truth first); used when `objective` is not given. */
  loss?: LossFn;
  /**
   * The objective of each (0-based) epoch, `(yTrue, output, features) → scalar`; overrides `loss`.
   * RNC uses it to pre-train on features for the first half, then MAE.
   */
  objective?: (epoch: number) => Objective;
  /** Epochs (default 100). */
  epochs?: number;
  /** Initial learning rate (default 0.01, the authors' default). */
  lr?: number;
  /** `"sgd"` (default; momentum 0.9) or `"adam"` (the synthetic runs). */
  optimizer?: "sgd" | "adam";
  /** SGD momentum (default 0.9). */
  momentum?: number;
  /** Weight decay added to the gradient (default 1e-4, the authors' default). */
  weightDecay?: number;
  /** Batch size (default 256; capped at the training-set size). */
  batchSize?: number;
  /** Shuffling seed (default 0). */
  seed?: number;
  /** Epoch counts after which the learning rate is multiplied by 0.1 (default {@linkcode lrMilestones}). */
  milestones?: number[];
  /**
   * On a non-finite epoch loss: `"throw"` (default) an error, or `"stop"` training and report the
   * epoch in {@linkcode TrainResult.divergedAt} (the grid search records such runs as diverged).
   */
  onDiverge?: "throw" | "stop";
  /** Called after each epoch (awaited when it returns a promise). */
  onEpoch?: (info: EpochInfo) => void | Promise<void>;
}

/** What {@linkcode trainRegressor} did. */
export interface TrainResult {
  /** Epochs run (fewer than asked when training stopped on divergence). */
  epochs: number;
  /** Batch size used. */
  batchSize: number;
  /** Optimiser steps per epoch. */
  stepsPerEpoch: number;
  /** Mean training loss of each epoch. */
  lossHistory: number[];
  /** 1-based epoch whose loss was not finite (with `onDiverge: "stop"`), else null. */
  divergedAt: number | null;
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

function checkRows(x: readonly number[][], y: readonly number[][]): void {
  const n = x.length;
  if (n < 2) throw new Error(`training needs at least 2 rows, got ${n}`);
  if (y.length !== n) throw new Error(`x has ${n} rows but y has ${y.length}`);
  for (const [name, rows] of [["x", x], ["y", y]] as const) {
    const w = rows[0].length;
    rows.forEach((r, i) => {
      if (r.length !== w) throw new Error(`${name} row ${i} has ${r.length} values, expected ${w}`);
      if (!r.every(Number.isFinite)) throw new Error(`${name} row ${i} has a NaN or infinite value`);
    });
  }
}

/**
 * Trains `model` on `(x, y)` rows with minibatches (see the module notes for the rules).
 *
 * @throws {Error} on fewer than 2 training rows, mismatched or non-finite rows, or (by default) a
 *   non-finite loss (divergence)
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
 * const r = await trainRegressor(model, x, y, { loss, epochs: 3 });
 * assert.equal(r.stepsPerEpoch, 1);
 * assert.equal(r.lossHistory.length, 3);
 * model.dispose();
 * ```
 */
export async function trainRegressor(
  model: Ffnn,
  x: readonly number[][],
  y: readonly number[][],
  options: TrainOptions,
): Promise<TrainResult> {
  checkRows(x, y);
  const n = x.length;
  const epochs = options.epochs ?? 100;
  const batch = Math.min(options.batchSize ?? 256, n);
  const steps = Math.floor(n / batch);
  const milestones = options.milestones ?? lrMilestones(epochs);
  const seed = options.seed ?? 0;
  const loss = options.loss;
  const objectiveAt = options.objective ??
    (() => {
      if (!loss) throw new Error("trainRegressor: give `loss` or `objective`");
      const o: Objective = (t, p) => loss(t, p);
      return () => o;
    })();
  const lr0 = options.lr ?? 0.01;
  const weightDecay = options.weightDecay ?? 1e-4;
  const optimizer: Optimizer = options.optimizer === "adam"
    ? adam(model.variables, { lr: lr0, weightDecay })
    : sgd(model.variables, { lr: lr0, momentum: options.momentum ?? 0.9, weightDecay });
  const xs = tf.tensor2d(x as number[][], [n, x[0].length], "float32");
  const targets = y[0].length;
  const yHost = Float32Array.from((y as number[][]).flat());
  const lossHistory: number[] = [];
  let divergedAt: number | null = null;
  const run = async () => {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const objective = objectiveAt(epoch);
      const perm = seededPermutation(n, seed * 100003 + epoch);
      let total: tf.Scalar = tf.scalar(0);
      for (let s = 0; s < steps; s++) {
        const rows = perm.slice(s * batch, (s + 1) * batch);
        const idx = tf.tensor1d(rows, "int32");
        const xb = tf.gather(xs, idx) as tf.Tensor2D;
        // Labels from the host, recorded for the losses that need their values (RankSim on WebGPU).
        const yValues = new Float32Array(batch * targets);
        rows.forEach((r, i) => yValues.set(yHost.subarray(r * targets, (r + 1) * targets), i * targets));
        const yb = withHostLabels(tf.tensor2d(yValues, [batch, targets]), yValues);
        const value = trainStep(model, optimizer, xb, yb, objective);
        const next = tf.add(total, value) as tf.Scalar;
        [idx, xb, yb, value, total].forEach((t) => t.dispose());
        total = next;
      }
      const mean = (await total.data())[0] / steps;
      total.dispose();
      if (!Number.isFinite(mean)) {
        if (options.onDiverge !== "stop") {
          throw new Error(`training diverged at epoch ${epoch + 1} (loss ${mean}); try a smaller --lr`);
        }
        divergedAt = epoch + 1;
        break;
      }
      lossHistory.push(mean);
      if (milestones.includes(epoch + 1)) optimizer.setLearningRate(optimizer.learningRate * 0.1);
      await options.onEpoch?.({ epoch: epoch + 1, epochs, loss: mean, lr: optimizer.learningRate, model });
    }
  };
  try {
    await withoutFiniteChecks(run);
  } finally {
    xs.dispose();
    optimizer.dispose();
  }
  return { epochs: lossHistory.length, batchSize: batch, stepsPerEpoch: steps, lossHistory, divergedAt };
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
 * const model = createFfnn({ inputDim: 2, outputDim: 1 });
 * const p = await predictRows(model, [[0, 1], [1, 0]]);
 * assert.equal(p.length, 2);
 * model.dispose();
 * ```
 */
export async function predictRows(
  model: Ffnn,
  x: readonly number[][],
  chunk = 4096,
): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < x.length; i += chunk) {
    const part = x.slice(i, i + chunk) as number[][];
    const output = tf.tidy(() =>
      model.apply(tf.tensor2d(part, [part.length, part[0].length], "float32")).output
    );
    const values = await output.data() as Float32Array;
    output.dispose();
    const cols = model.outputDim;
    for (let r = 0; r < part.length; r++) {
      out.push(Array.from(values.subarray(r * cols, (r + 1) * cols)));
    }
  }
  return out;
}
