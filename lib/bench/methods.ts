/**
 * The methods of the runtime comparison (the paper's Table 2) as training objectives on the kit's
 * FFNN: `(yTrue, output, features) → scalar`.
 *
 * @module
 */
import type { Objective } from "../model/train_step.ts";
import { type Method, methodObjective } from "../experiment/methods.ts";
import { METHOD_GRIDS } from "../experiment/profiles.ts";

/** The benchmarked methods, in the order of the paper's tables. */
export const BENCH_METHODS = [
  "mae",
  "mse",
  "huber",
  "focal-mae",
  "focal-mse",
  "ranksim",
  "rnc",
  "conr",
  "gar",
] as const;
/** One of {@linkcode BENCH_METHODS}. */
export type BenchMethod = typeof BENCH_METHODS[number];

/** A method as the benchmark runs it. */
export interface BenchObjective {
  /** The method. */
  method: BenchMethod;
  /** The training objective. */
  objective: Objective;
  /** Whether the objective reads the last hidden layer's activations (then "loss time" includes their gradient). */
  usesFeatures: boolean;
  /** Whether the objective reads the model output. */
  usesOutput: boolean;
}

/** The protocol's (and the paper's tables') name of each benchmarked method (`lib/experiment/methods.ts` defines the objectives). */
export const PROTOCOL_NAME: Readonly<Record<BenchMethod, Method>> = {
  "mae": "MAE",
  "mse": "MSE",
  "huber": "Huber",
  "focal-mae": "FocalMAE",
  "focal-mse": "FocalMSE",
  "ranksim": "RankSim",
  "rnc": "RNC",
  "conr": "ConR",
  "gar": "GAR",
};

/**
 * The objective of a method exactly as the protocol trains it (`methodObjective` of
 * `lib/experiment/methods.ts`), with the middle value of its parameter grid (the runtime does not
 * depend on the value): `ranksim` is `mae + 100 · rankSim(y, features)`, `conr` is
 * `mae + β · conr(y, output, features)`, and `rnc` is its feature pre-training phase (the second
 * phase trains with MAE and costs what MAE costs).
 *
 * @throws {Error} for an unknown method
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { benchObjective } from "./methods.ts";
 * await tf.setBackend("cpu");
 * const { objective, usesFeatures } = benchObjective("mae");
 * const y = tf.tensor2d([[0], [1]]), out = tf.tensor2d([[1], [1]]);
 * assert.equal(objective(y, out, tf.zeros([2, 3])).dataSync()[0], 0.5);
 * assert.equal(usesFeatures, false);
 * ```
 */
export function benchObjective(method: BenchMethod): BenchObjective {
  const name = PROTOCOL_NAME[method];
  if (name === undefined) {
    throw new Error(`unknown method "${method}"; use one of ${BENCH_METHODS.join(", ")}`);
  }
  const grid = METHOD_GRIDS[name];
  const param = grid[Math.floor(grid.length / 2)];
  return {
    method,
    objective: methodObjective(name, param, 2)(0),
    usesFeatures: method === "ranksim" || method === "rnc" || method === "conr",
    usesOutput: method !== "rnc",
  };
}
