/**
 * The training objectives of the paper's methods, as the authors' `main.py` builds them, keyed by
 * the method names used in `paper-tables.json`:
 *
 * | method | parameter | objective (per epoch) |
 * | --- | --- | --- |
 * | `MAE` | — | `mae(y, f)` |
 * | `MSE` | — | `mse(y, f)` |
 * | `Huber` | δ | `huber(y, f, { delta })` |
 * | `FocalMAE` | β | `focalMae(y, f, { beta })` |
 * | `FocalMSE` | β | `focalMse(y, f, { beta })` |
 * | `RankSim` | λ | `mae(y, f) + 100·rankSim(y, features, { lambda })` |
 * | `RNC` | τ | `rnc(y, features, { temperature })` for epochs < ⌊E/2⌋ (the first milestone), then `mae(y, f)` |
 * | `ConR` | β | `mae(y, f) + β·conr(y, f, features)` (w = 1, t = 0.07, e = 0.01) |
 * | `GAR` | α | `gar(y, f, { alpha })` |
 * | `MAE-Pearson` | — | `maePearson(y, f)` (synthetic baseline) |
 * | `GAR[MAE]`, `GAR[Var]`, `GAR[Pearson]` | α | `droAggregate([part], α)` = `log(part)` for any α (Table 5) |
 * | `GAR[MAE+Var]`, `GAR[MAE+Pearson]`, `GAR[Var+Pearson]` | α | `droAggregate` of those two {@linkcode garParts} (Table 5) |
 *
 * Table 5's seventh variant, all three parts, is `GAR` itself (`gar` equals `droAggregate` of the
 * three `garParts` in value and gradient, and is faster). A single-part variant does not depend on
 * α (`α·log(L^{1/α}) = log L`); the grids give it α = 1 only.
 *
 * For `MAE` and `MSE` the authors' grid repeats a dummy parameter; the kit's grids give them none
 * (`param: null`), which selects the same runs without computing them three times.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { conr } from "../losses/conr.ts";
import { droAggregate } from "../losses/dro_aggregate.ts";
import { focalMae } from "../losses/focal_mae.ts";
import { focalMse } from "../losses/focal_mse.ts";
import { gar } from "../losses/gar.ts";
import { garParts } from "../losses/gar_parts.ts";
import { huber } from "../losses/huber.ts";
import { mae } from "../losses/mae.ts";
import { maePearson } from "../losses/mae_pearson.ts";
import { mse } from "../losses/mse.ts";
import { rankSim } from "../losses/rank_sim.ts";
import { rnc } from "../losses/rnc.ts";
import type { Objective } from "../model/train_step.ts";

/** Every method name the kit trains. */
export const METHODS = [
  "MAE",
  "MSE",
  "Huber",
  "FocalMAE",
  "FocalMSE",
  "RankSim",
  "RNC",
  "ConR",
  "GAR",
  "MAE-Pearson",
  "GAR[MAE]",
  "GAR[Var]",
  "GAR[Pearson]",
  "GAR[MAE+Var]",
  "GAR[MAE+Pearson]",
  "GAR[Var+Pearson]",
] as const;
/** One of {@linkcode METHODS}. */
export type Method = typeof METHODS[number];

const PARAMLESS: readonly Method[] = ["MAE", "MSE", "MAE-Pearson"];

function ablation(parts: ("mae" | "variance" | "pearson")[], alpha: number): Objective {
  return (y, f) => {
    const p = garParts(y, f);
    return droAggregate(parts.map((k) => p[k]), alpha);
  };
}

/**
 * The objective of each (0-based) epoch for `method` with parameter `param` in a run of `epochs`
 * epochs (see the module table). `param` must be null for `MAE`, `MSE`, `MAE-Pearson` and a
 * positive number otherwise.
 *
 * @throws {Error} for an unknown method or a missing / superfluous parameter
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { methodObjective } from "./methods.ts";
 * await tf.setBackend("cpu");
 * const at = methodObjective("RNC", 2, 100);
 * const y = tf.tensor2d([[0], [1], [2]]), f = tf.tensor2d([[0], [1], [3]]);
 * assert.ok(Math.abs(at(60)(y, f, f).dataSync()[0] - 1 / 3) < 1e-6); // after pre-training: MAE
 * ```
 */
export function methodObjective(
  method: Method,
  param: number | null,
  epochs: number,
): (epoch: number) => Objective {
  if (!(METHODS as readonly string[]).includes(method)) {
    throw new Error(`unknown method "${method}"; use one of ${METHODS.join(", ")}`);
  }
  if (PARAMLESS.includes(method)) {
    if (param !== null) throw new Error(`method ${method} takes no parameter (got ${param})`);
  } else if (param === null || !(Number.isFinite(param) && param > 0)) {
    throw new Error(`method ${method} needs a positive parameter (got ${param})`);
  }
  const v = param as number;
  const fixed = (o: Objective) => () => o;
  const withMae =
    (extra: (y: tf.Tensor2D, f: tf.Tensor2D, h: tf.Tensor2D) => tf.Scalar): Objective => (y, f, h) =>
      tf.add(mae(y, f), extra(y, f, h)) as tf.Scalar;
  switch (method) {
    case "MAE":
      return fixed((y, f) => mae(y, f));
    case "MSE":
      return fixed((y, f) => mse(y, f));
    case "Huber":
      return fixed((y, f) => huber(y, f, { delta: v }));
    case "FocalMAE":
      return fixed((y, f) => focalMae(y, f, { beta: v }));
    case "FocalMSE":
      return fixed((y, f) => focalMse(y, f, { beta: v }));
    case "RankSim":
      return fixed(withMae((y, _f, h) => tf.mul(rankSim(y, h, { lambda: v }), 100) as tf.Scalar));
    case "RNC": {
      const pre: Objective = (y, _f, h) => rnc(y, h, { temperature: v });
      const post: Objective = (y, f) => mae(y, f);
      const switchAt = Math.round(0.5 * epochs);
      return (epoch) => (epoch < switchAt ? pre : post);
    }
    case "ConR":
      return fixed(withMae((y, f, h) => tf.mul(conr(y, f, h), v) as tf.Scalar));
    case "GAR":
      return fixed((y, f) => gar(y, f, { alpha: v }));
    case "MAE-Pearson":
      return fixed((y, f) => maePearson(y, f));
    case "GAR[MAE]":
      return fixed(ablation(["mae"], v));
    case "GAR[Var]":
      return fixed(ablation(["variance"], v));
    case "GAR[Pearson]":
      return fixed(ablation(["pearson"], v));
    case "GAR[MAE+Var]":
      return fixed(ablation(["mae", "variance"], v));
    case "GAR[MAE+Pearson]":
      return fixed(ablation(["mae", "pearson"], v));
    case "GAR[Var+Pearson]":
      return fixed(ablation(["variance", "pearson"], v));
  }
}
