/**
 * The methods of the runtime comparison (the paper's Table 2) as training objectives on the kit's
 * FFNN: `(yTrue, output, features) → scalar`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Objective } from "../model/train_step.ts";
import { conr } from "../losses/conr.ts";
import { focalMae } from "../losses/focal_mae.ts";
import { focalMse } from "../losses/focal_mse.ts";
import { gar } from "../losses/gar.ts";
import { huber } from "../losses/huber.ts";
import { mae } from "../losses/mae.ts";
import { mse } from "../losses/mse.ts";
import { rankSim } from "../losses/rank_sim.ts";
import { rnc } from "../losses/rnc.ts";

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

/** RankSim's regularizer weight in the authors' training loop. */
const RANKSIM_GAMMA = 100;

/**
 * The objective of a method with the paper's default parameters (the middle of each grid where
 * the runtime does not depend on the value):
 * - `mae`, `mse`; `huber` δ = 1; `focal-mae`, `focal-mse` β = 1, γ = 1;
 * - `ranksim`: `mae + 100 · rankSim(y, features)`, λ = 2;
 * - `rnc`: `rnc(y, features)`, temperature 2 — the feature pre-training phase of the tabular protocol
 *   (the second phase trains with MAE and costs what MAE costs);
 * - `conr`: `mae + 1 · conr(y, output, features)` (β = 1, w = 1, t = 0.07, e = 0.01);
 * - `gar`: α = 1.
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
  const label = (fn: (t: tf.Tensor2D, p: tf.Tensor2D) => tf.Scalar): BenchObjective => ({
    method,
    objective: (t, p) => fn(t, p),
    usesFeatures: false,
    usesOutput: true,
  });
  switch (method) {
    case "mae":
      return label((t, p) => mae(t, p));
    case "mse":
      return label((t, p) => mse(t, p));
    case "huber":
      return label((t, p) => huber(t, p, { delta: 1 }));
    case "focal-mae":
      return label((t, p) => focalMae(t, p, { beta: 1 }));
    case "focal-mse":
      return label((t, p) => focalMse(t, p, { beta: 1 }));
    case "gar":
      return label((t, p) => gar(t, p, { alpha: 1 }));
    case "ranksim":
      return {
        method,
        objective: (t, p, f) => mae(t, p).add(rankSim(t, f, { lambda: 2 }).mul(RANKSIM_GAMMA)),
        usesFeatures: true,
        usesOutput: true,
      };
    case "rnc":
      return {
        method,
        // The `0 · sum(output)` term gives the head's variables a (zero) gradient: `trainStep`
        // differentiates with respect to every variable, and the pre-training loss does not reach the head.
        objective: (t, p, f) => rnc(t, f, { temperature: 2 }).add(tf.mul(tf.sum(p), 0)),
        usesFeatures: true,
        usesOutput: false,
      };
    case "conr":
      return {
        method,
        objective: (t, p, f) => mae(t, p).add(conr(t, p, f, { w: 1, t: 0.07, e: 0.01 })),
        usesFeatures: true,
        usesOutput: true,
      };
    default:
      throw new Error(`unknown method "${method}"; use one of ${BENCH_METHODS.join(", ")}`);
  }
}
