/**
 * The training loop of a stacked FFNN (`stacked_ffnn.ts`): the single-run loop of `train_loop.ts` — seeded
 * shuffling every epoch, minibatches with the last partial batch dropped, step decay ×0.1 at the milestones —
 * for K runs at once, with one rule added per run: a run whose epoch loss is not finite stops there (recorded as
 * diverged at that epoch, its weights left alone from then on) while the others go on untouched.
 *
 * Batch rule and shuffling are those of `trainRegressor`: `batch = min(batchSize, n)`, `floor(n / batch)` steps
 * per epoch, epoch `e` (0-based) visits the rows in the order `seededPermutation(n, seed·100003 + e)`. The loss's
 * NaN/±Inf data checks are off while the loop runs (the rows are checked once here).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { seededPermutation } from "../data/split.ts";
import { withoutFiniteChecks } from "../losses/validate.ts";
import { withHostLabels } from "../losses/host_labels.ts";
import type { StackedFfnn, StackedObjective } from "./stacked_types.ts";

/** What {@linkcode trainStacked} tells `onEpoch` after each epoch. */
export interface StackedEpochInfo {
  /** 1-based epoch just finished. */
  epoch: number;
  /** Total epochs. */
  epochs: number;
  /** Each run's mean training loss over the epoch's steps; null for a run that has diverged (now or before). */
  losses: (number | null)[];
  /** The network (evaluate it here; diverged runs' outputs are not meaningful). */
  net: StackedFfnn;
}

/** Options of {@linkcode trainStacked}. */
export interface StackedTrainOptions {
  /** The objective of each (0-based) epoch. */
  objective: (epoch: number) => StackedObjective;
  /** Epochs. */
  epochs: number;
  /** Batch size (capped at the number of rows). */
  batchSize: number;
  /** Shuffling seed. */
  seed: number;
  /** Epoch counts after which every run's learning rate is multiplied by 0.1. */
  milestones: readonly number[];
  /** Called after each epoch in which at least one run is still training (awaited). */
  onEpoch?: (info: StackedEpochInfo) => void | Promise<void>;
}

/** What {@linkcode trainStacked} did. */
export interface StackedTrainResult {
  /** Batch size used. */
  batchSize: number;
  /** Optimiser steps per epoch. */
  stepsPerEpoch: number;
  /** Each run's mean training loss per completed epoch. */
  lossHistory: number[][];
  /** Each run's 1-based epoch whose loss was not finite, else null. */
  divergedAt: (number | null)[];
}

function checkRows(x: Float32Array, y: Float32Array, n: number): void {
  if (n < 2) throw new Error(`training needs at least 2 rows, got ${n}`);
  for (const [name, v] of [["x", x], ["y", y]] as const) {
    const bad = v.findIndex((e) => !Number.isFinite(e));
    if (bad >= 0) {
      throw new Error(`${name} row ${Math.floor(bad / (v.length / n))} has a NaN or infinite value`);
    }
  }
}

/**
 * Trains every run of `net` on the rows `x` (row-major `[n, inputDim]`) and `y` (`[n, T]`); see the module notes.
 *
 * @throws {Error} on fewer than 2 rows or non-finite values
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { createStackedFfnn } from "./stacked_ffnn.ts";
 * import { trainStacked } from "./train_stacked.ts";
 * await tf.setBackend("cpu");
 * const net = createStackedFfnn({ inputDim: 1, outputDim: 1, hidden: [4], seeds: [0, 0], batchSize: 4,
 *   optimizer: { kind: "sgd", lr: [0.01, 1e6], weightDecay: [0, 0] } });
 * const x = Float32Array.of(0, 1, 2, 3), y = Float32Array.of(0, 2, 4, 6);
 * const mse = { usesOutput: true, usesFeatures: false,
 *   loss: (t: tf.Tensor2D, out: tf.Tensor3D) => tf.mean(tf.square(tf.sub(out, t)), [1, 2]) as tf.Tensor1D };
 * const r = await trainStacked(net, x, y, { objective: () => mse, epochs: 20, batchSize: 4, seed: 0, milestones: [] });
 * assert.equal(r.divergedAt[0], null); // lr 0.01 trains
 * assert.ok(r.divergedAt[1] !== null); // lr 1e6 blows up, alone
 * net.dispose();
 * ```
 */
export async function trainStacked(
  net: StackedFfnn,
  x: Float32Array,
  y: Float32Array,
  options: StackedTrainOptions,
): Promise<StackedTrainResult> {
  const n = x.length / net.sizes[0];
  const targets = net.sizes.at(-1)!;
  checkRows(x, y, n);
  const K = net.runs;
  const batch = Math.min(options.batchSize, n);
  const steps = Math.floor(n / batch);
  const lossHistory: number[][] = Array.from({ length: K }, () => []);
  const divergedAt: (number | null)[] = new Array(K).fill(null);
  net.setTrainingRows(x, n);
  await withoutFiniteChecks(async () => {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const objective = options.objective(epoch);
      const perm = seededPermutation(n, options.seed * 100003 + epoch);
      let total: tf.Tensor1D = tf.zeros([K]);
      for (let s = 0; s < steps; s++) {
        const rows = perm.slice(s * batch, (s + 1) * batch);
        // Labels from the host, recorded for the losses that need their values (RankSim on WebGPU).
        const yValues = new Float32Array(batch * targets);
        rows.forEach((r, i) => yValues.set(y.subarray(r * targets, (r + 1) * targets), i * targets));
        const yb = withHostLabels(tf.tensor2d(yValues, [batch, targets]), yValues);
        const losses = net.trainStep(rows, yb, objective);
        const next = tf.add(total, losses) as tf.Tensor1D;
        tf.dispose([yb, losses, total]);
        total = next;
      }
      const sums = await total.data();
      total.dispose();
      const losses: (number | null)[] = [];
      for (let k = 0; k < K; k++) {
        if (divergedAt[k] !== null) {
          losses.push(null);
          continue;
        }
        const mean = sums[k] / steps;
        if (Number.isFinite(mean)) {
          lossHistory[k].push(mean);
          losses.push(mean);
        } else {
          divergedAt[k] = epoch + 1;
          net.deactivate(k);
          losses.push(null);
        }
      }
      if (divergedAt.every((d) => d !== null)) break;
      if (options.milestones.includes(epoch + 1)) net.scaleLearningRates(0.1);
      await options.onEpoch?.({ epoch: epoch + 1, epochs: options.epochs, losses, net });
    }
  });
  return { batchSize: batch, stepsPerEpoch: steps, lossHistory, divergedAt };
}
