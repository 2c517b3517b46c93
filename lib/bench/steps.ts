/**
 * The training step of the paper's FFNN built from the kit's `dense` op against the same network
 * built from plain tfjs ops (`tf.matMul` + `tf.add`, tfjs's own gradient), side by side.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createFfnn, type Ffnn } from "../model/ffnn.ts";
import { alternatingStepTimes } from "./_step_timing.ts";
import { plainApply } from "./plain_apply.ts";

/** Result of one model size. */
export interface StepRow {
  /** Hidden sizes. */
  hidden: number[];
  /** Input features. */
  inputDim: number;
  /** Batch size. */
  batchSize: number;
  /** The tfjs backend. */
  backend: string;
  /** Median ms of one training step with the kit's `dense`. */
  denseMs: number;
  /** Median ms of one training step with `tf.matMul` + `tf.add`. */
  plainMs: number;
  /** `plainMs / denseMs`. */
  speedup: number;
}

/** Options of {@linkcode denseStepBenchmark}. */
export interface StepOptions {
  /** Model sizes as `[inputDim, hidden]` (default the paper's two: `[81, [128, 256, 128, 64]]`, `[8, [16, 32, 16, 8]]`). */
  models?: [number, number[]][];
  /** Batch size (default 256). */
  batchSize?: number;
  /** Timed rounds (default 15); each round runs `stepsPerRound` steps of each variant, alternating. */
  rounds?: number;
  /** Steps per round (default 10). */
  stepsPerRound?: number;
}

/**
 * Times one SGD training step (MSE objective) of each model size, built from `dense` and from plain
 * ops, alternating in rounds so that drift hits both alike; reports medians of the per-round means.
 * Runs on the active backend.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { denseStepBenchmark } from "./steps.ts";
 * await tf.setBackend("cpu");
 * const [row] = await denseStepBenchmark({ models: [[3, [4]]], batchSize: 8, rounds: 1, stepsPerRound: 1 });
 * assert.ok(row.denseMs > 0 && row.plainMs > 0);
 * ```
 */
export async function denseStepBenchmark(options: StepOptions = {}): Promise<StepRow[]> {
  const models = options.models ?? [[81, [128, 256, 128, 64]], [8, [16, 32, 16, 8]]];
  const batchSize = options.batchSize ?? 256;
  const rounds = options.rounds ?? 15, perRound = options.stepsPerRound ?? 10;
  const mse = (t: tf.Tensor2D, p: tf.Tensor2D) => tf.mean(tf.square(tf.sub(p, t))) as tf.Scalar;
  const rows: StepRow[] = [];
  for (const [inputDim, hidden] of models) {
    const x = tf.randomNormal([batchSize, inputDim], 0, 1, "float32", 1) as tf.Tensor2D;
    const y = tf.randomNormal([batchSize, 1], 0, 1, "float32", 2) as tf.Tensor2D;
    const kit = createFfnn({ inputDim, outputDim: 1, hidden, seed: 0 });
    const plainModel = createFfnn({ inputDim, outputDim: 1, hidden, seed: 0 });
    const plain: Ffnn = { ...plainModel, apply: (input) => plainApply(plainModel, input) };
    const [denseMs, plainMs] = await alternatingStepTimes(
      [{ model: kit, objective: mse }, { model: plain, objective: mse }],
      x,
      y,
      rounds,
      perRound,
    );
    rows.push({
      hidden: [...hidden],
      inputDim,
      batchSize,
      backend: tf.getBackend(),
      denseMs,
      plainMs,
      speedup: plainMs / denseMs,
    });
    kit.dispose();
    plainModel.dispose();
    tf.dispose([x, y]);
  }
  return rows;
}
