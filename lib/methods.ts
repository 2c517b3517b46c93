/**
 * The method registry: every method the kit trains, in one list ({@linkcode METHODS}). An entry gives
 * the method's name as the paper spells it (`paper-tables.json`, the run records, the report), its
 * command-line alias (`deno task train --loss`, `deno task bench --methods`), its training objective
 * as the authors' `main.py` builds it, its parameter grid (the paper's, Appendix B.6), the parameter
 * `deno task train` uses when given none, and what the objective reads (the model output, the last
 * hidden layer's features).
 *
 * | name | alias | parameter: grid | objective (per epoch) |
 * | --- | --- | --- | --- |
 * | `MAE` | `mae` | — | `mae(y, f)` |
 * | `MSE` | `mse` | — | `mse(y, f)` |
 * | `Huber` | `huber` | δ: 0.25, 1, 4 | `huber(y, f, { delta })` |
 * | `FocalMAE` | `focal-mae` | β: 0.25, 1, 4 | `focalMae(y, f, { beta })` |
 * | `FocalMSE` | `focal-mse` | β: 0.25, 1, 4 | `focalMse(y, f, { beta })` |
 * | `RankSim` | `ranksim` | λ: 0.5, 1, 2 | `mae(y, f) + 100·rankSim(y, features, { lambda })` |
 * | `RNC` | `rnc` | τ: 1, 2, 4 | `rnc(y, features, { temperature })` for epochs < round(E/2) (the first lr milestone), then `mae(y, f)` |
 * | `ConR` | `conr` | β: 0.2, 1, 4 | `mae(y, f) + β·conr(y, f, features)` (w = 1, t = 0.07, e = 0.01) |
 * | `GAR` | `gar` | α: 0.1, 1, 10 | `gar(y, f, { alpha })` |
 * | `MAE-Pearson` | `mae-pearson` | — | `maePearson(y, f)` (synthetic baseline) |
 * | `GAR[MAE]`, `GAR[Var]`, `GAR[Pearson]` | `gar-mae`, `gar-var`, `gar-pearson` | α: 1 | `droAggregate([part], α)` = `log(part)` for any α (Table 5) |
 * | `GAR[MAE+Var]`, `GAR[MAE+Pearson]`, `GAR[Var+Pearson]` | `gar-mae-var`, `gar-mae-pearson`, `gar-var-pearson` | α: 0.1, 1, 10 | `droAggregate` of those two {@linkcode garParts} (Table 5) |
 *
 * Table 5's seventh variant, all three parts, is `GAR` itself (`gar` equals `droAggregate` of the
 * three `garParts` in value and gradient, and is faster). A single-part variant does not depend on
 * α (`α·log(L^{1/α}) = log L`); its grid is α = 1 only.
 *
 * For `MAE` and `MSE` the authors' grid repeats a dummy parameter; the kit's grids give them none
 * (`[null]`), which selects the same runs without computing them three times.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { conr } from "./losses/conr.ts";
import { droAggregate } from "./losses/dro_aggregate.ts";
import { focalMae } from "./losses/focal_mae.ts";
import { focalMse } from "./losses/focal_mse.ts";
import { gar } from "./losses/gar.ts";
import { garParts } from "./losses/gar_parts.ts";
import { huber } from "./losses/huber.ts";
import { mae } from "./losses/mae.ts";
import { maePearson } from "./losses/mae_pearson.ts";
import { mse } from "./losses/mse.ts";
import { rankSim } from "./losses/rank_sim.ts";
import { rnc } from "./losses/rnc.ts";
import type { RunNumbers } from "./losses/mod.ts";
import type { StackedObjective } from "./model/stacked_types.ts";
import type { Objective } from "./model/train_step.ts";

/** One method of {@linkcode METHODS}. */
export interface MethodSpec {
  /** The paper's spelling (`paper-tables.json`, the run records). */
  readonly name: string;
  /** The command-line spelling. */
  readonly alias: string;
  /** The parameter grid of the paper's protocol; `[null]` for a method without parameter. */
  readonly grid: readonly (number | null)[];
  /**
   * The parameter `deno task train` uses when none is given: the default of the loss that takes it
   * in `lib/losses/` (Huber δ = 1, focal β = 0.2, RankSim λ = 2, RNC τ = 2, GAR α = 1), else the
   * grid's middle value (ConR's weight β, the GAR[…] variants' α); null without parameter.
   */
  readonly defaultParam: number | null;
  /** Whether the objective reads the last hidden layer's activations. */
  readonly usesFeatures: boolean;
  /** Whether the objective reads the model output. */
  readonly usesOutput: boolean;
  /**
   * The objective of each (0-based) epoch of a run of `epochs` epochs (see {@linkcode Phase}), for the method's
   * parameter: one number (ignored by a method without parameter) or, over the runs axis, one per run.
   * Unchecked: {@linkcode methodObjective} and {@linkcode methodRunsObjective} check the parameters.
   */
  readonly phases: (param: RunNumbers, epochs: number) => (epoch: number) => Phase;
}

/**
 * One epoch's objective, in both forms: `loss(yTrue, output, features)` with `output` `[N, T]` and `features`
 * `[N, H]` (one run: a scalar) or `output` `[K, N, T]` and `features` `[K, N, H]` (K runs: the K losses, `[K]`),
 * and which of the network's outputs it reads.
 */
export interface Phase {
  /** The loss (a scalar, or `[K]` over the runs axis). */
  loss: (yTrue: tf.Tensor2D, output: tf.Tensor, features: tf.Tensor) => tf.Tensor;
  /** Whether `loss` reads the output. */
  usesOutput: boolean;
  /** Whether `loss` reads the features. */
  usesFeatures: boolean;
}

type Loss = Phase["loss"];

/** The same label-space loss every epoch. */
const labelSpace = (loss: Loss) => () => ({ loss, usesOutput: true, usesFeatures: false });

/** `mae(y, f) + extra(y, f, features)` every epoch (RankSim, ConR). */
const withMae = (extra: Loss) => () => ({
  loss: ((y, f, h) => tf.add(mae(y, f), extra(y, f, h))) as Loss,
  usesOutput: true,
  usesFeatures: true,
});

/** A weight per run: the number, or the K numbers as a `[K]` tensor. */
const weight = (v: RunNumbers): number | tf.Tensor1D => typeof v === "number" ? v : tf.tensor1d([...v]);

/** Table 5's GAR variant: the KL-DRO aggregation (Eq. 9) of some of GAR's parts. */
function ablation(parts: ("mae" | "variance" | "pearson")[], alpha: RunNumbers): () => Phase {
  return labelSpace((y, f) => {
    const p = garParts(y, f);
    return droAggregate(parts.map((k) => p[k]) as tf.Scalar[], alpha as number);
  });
}

/** What a label-space objective reads: the output, not the features. */
const OUTPUT_ONLY = { usesFeatures: false, usesOutput: true } as const;
const ALPHAS = [0.1, 1, 10];
const SINGLE_PART = { grid: [1], defaultParam: 1, ...OUTPUT_ONLY } as const;
const TWO_PARTS = { grid: ALPHAS, defaultParam: 1, ...OUTPUT_ONLY } as const;

/** Every method the kit trains (see the module table), in the order of the paper's tables. */
export const METHODS = [
  {
    name: "MAE",
    alias: "mae",
    grid: [null],
    defaultParam: null,
    ...OUTPUT_ONLY,
    phases: () => labelSpace((y, f) => mae(y, f)),
  },
  {
    name: "MSE",
    alias: "mse",
    grid: [null],
    defaultParam: null,
    ...OUTPUT_ONLY,
    phases: () => labelSpace((y, f) => mse(y, f)),
  },
  {
    name: "Huber",
    alias: "huber",
    grid: [0.25, 1, 4],
    defaultParam: 1,
    ...OUTPUT_ONLY,
    phases: (v) => labelSpace((y, f) => huber(y, f, { delta: v })),
  },
  {
    name: "FocalMAE",
    alias: "focal-mae",
    grid: [0.25, 1, 4],
    defaultParam: 0.2,
    ...OUTPUT_ONLY,
    phases: (v) => labelSpace((y, f) => focalMae(y, f, { beta: v })),
  },
  {
    name: "FocalMSE",
    alias: "focal-mse",
    grid: [0.25, 1, 4],
    defaultParam: 0.2,
    ...OUTPUT_ONLY,
    phases: (v) => labelSpace((y, f) => focalMse(y, f, { beta: v })),
  },
  {
    name: "RankSim",
    alias: "ranksim",
    grid: [0.5, 1, 2],
    defaultParam: 2,
    usesFeatures: true,
    usesOutput: true,
    phases: (v) => withMae((y, _f, h) => tf.mul(rankSim(y, h as tf.Tensor2D, { lambda: v as number }), 100)),
  },
  {
    name: "RNC",
    alias: "rnc",
    grid: [1, 2, 4],
    defaultParam: 2,
    usesFeatures: true,
    usesOutput: false,
    phases: (v, epochs) => {
      const pre: Phase = {
        loss: (y, _f, h) => rnc(y, h as tf.Tensor2D, { temperature: v as number }),
        usesOutput: false,
        usesFeatures: true,
      };
      const post: Phase = { loss: (y, f) => mae(y, f), usesOutput: true, usesFeatures: false };
      const switchAt = Math.round(0.5 * epochs);
      return (epoch) => (epoch < switchAt ? pre : post);
    },
  },
  {
    name: "ConR",
    alias: "conr",
    grid: [0.2, 1, 4],
    defaultParam: 1,
    usesFeatures: true,
    usesOutput: true,
    phases: (v) => withMae((y, f, h) => tf.mul(conr(y, f as tf.Tensor2D, h as tf.Tensor2D), weight(v))),
  },
  {
    name: "GAR",
    alias: "gar",
    grid: ALPHAS,
    defaultParam: 1,
    ...OUTPUT_ONLY,
    phases: (v) => labelSpace((y, f) => gar(y, f, { alpha: v })),
  },
  {
    name: "MAE-Pearson",
    alias: "mae-pearson",
    grid: [null],
    defaultParam: null,
    ...OUTPUT_ONLY,
    phases: () => labelSpace((y, f) => maePearson(y, f)),
  },
  { name: "GAR[MAE]", alias: "gar-mae", ...SINGLE_PART, phases: (v) => ablation(["mae"], v) },
  { name: "GAR[Var]", alias: "gar-var", ...SINGLE_PART, phases: (v) => ablation(["variance"], v) },
  {
    name: "GAR[Pearson]",
    alias: "gar-pearson",
    ...SINGLE_PART,
    phases: (v) => ablation(["pearson"], v),
  },
  {
    name: "GAR[MAE+Var]",
    alias: "gar-mae-var",
    ...TWO_PARTS,
    phases: (v) => ablation(["mae", "variance"], v),
  },
  {
    name: "GAR[MAE+Pearson]",
    alias: "gar-mae-pearson",
    ...TWO_PARTS,
    phases: (v) => ablation(["mae", "pearson"], v),
  },
  {
    name: "GAR[Var+Pearson]",
    alias: "gar-var-pearson",
    ...TWO_PARTS,
    phases: (v) => ablation(["variance", "pearson"], v),
  },
] as const satisfies readonly MethodSpec[];

/** A method's name: one of the `name`s of {@linkcode METHODS}. */
export type Method = typeof METHODS[number]["name"];
/** A method's command-line alias: one of the `alias`es of {@linkcode METHODS}. */
export type MethodAlias = typeof METHODS[number]["alias"];
/** An entry of {@linkcode METHODS}. */
export type MethodEntry = typeof METHODS[number];

const BY_NAME = new Map<string, MethodEntry>(METHODS.map((m) => [m.name, m]));
const BY_ALIAS = new Map<string, MethodEntry>(METHODS.map((m) => [m.alias, m]));

/**
 * The registry entry of a method by its name (`"GAR"`).
 *
 * @throws {Error} for an unknown name (listing the known ones)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { methodByName } from "./methods.ts";
 * assert.equal(methodByName("RNC").usesOutput, false);
 * assert.throws(() => methodByName("L1"), /unknown method "L1"; use one of MAE, MSE/);
 * ```
 */
export function methodByName(name: string): MethodEntry {
  return lookUp(BY_NAME, name, (m) => m.name);
}

/**
 * The registry entry of a method by its command-line alias (`"gar"`).
 *
 * @throws {Error} for an unknown alias (listing the known ones)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { methodByAlias } from "./methods.ts";
 * assert.equal(methodByAlias("focal-mae").name, "FocalMAE");
 * assert.throws(() => methodByAlias("l1"), /unknown method "l1"; use one of mae, mse/);
 * ```
 */
export function methodByAlias(alias: string): MethodEntry {
  return lookUp(BY_ALIAS, alias, (m) => m.alias);
}

function lookUp(
  index: Map<string, MethodEntry>,
  key: string,
  spell: (m: MethodEntry) => string,
): MethodEntry {
  const found = index.get(key);
  if (found === undefined) {
    throw new Error(`unknown method "${key}"; use one of ${METHODS.map(spell).join(", ")}`);
  }
  return found;
}

/**
 * The middle value of a method's grid (the second of three; the only one of a one-value grid): the
 * parameter of the `smoke` and `quick` profiles and of the runtime benchmark.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { middleParam } from "./methods.ts";
 * assert.equal(middleParam("ConR"), 1);
 * assert.equal(middleParam("MAE"), null);
 * ```
 */
export function middleParam(method: Method): number | null {
  const grid = methodByName(method).grid;
  return grid[Math.floor(grid.length / 2)];
}

/**
 * The objective of each (0-based) epoch for `method` with parameter `param` in a run of `epochs`
 * epochs (see the module table). `param` must be null for a method without parameter (`MAE`, `MSE`,
 * `MAE-Pearson`) and a positive number otherwise.
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
  const spec = methodByName(method);
  checkParam(spec, param);
  const at = spec.phases(param ?? 0, epochs);
  return (epoch) => {
    const { loss } = at(epoch);
    return (y, f, h) => loss(y, f, h) as tf.Scalar;
  };
}

function checkParam(spec: MethodEntry, param: number | null): void {
  if (spec.grid[0] === null) {
    if (param !== null) throw new Error(`method ${spec.name} takes no parameter (got ${param})`);
  } else if (param === null || !(Number.isFinite(param) && param > 0)) {
    throw new Error(`method ${spec.name} needs a positive parameter (got ${param})`);
  }
}

/**
 * The objective of each (0-based) epoch for K runs of `method` over the runs axis (a stacked network's output
 * `[K, N, T]` and features `[K, N, H]`, `lib/model/stacked_ffnn.ts`): run k's loss is
 * {@linkcode methodObjective}`(method, params[k], epochs)`'s on run k's slice, the same formula with each
 * parameter per run. `params` has one entry per run (null for a method without parameter).
 *
 * @throws {Error} for an unknown method, no runs, or a missing / superfluous parameter of any run
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { methodRunsObjective } from "./methods.ts";
 * await tf.setBackend("cpu");
 * const at = methodRunsObjective("Huber", [0.5, 4], 100);
 * const y = tf.tensor2d([[0], [0]]), out = tf.tensor3d([[[1], [1]], [[1], [1]]]);
 * const v = at(0).loss(y, out, tf.zeros([2, 2, 3])).dataSync();
 * assert.ok(Math.abs(v[0] - 0.375) < 1e-6 && Math.abs(v[1] - 0.5) < 1e-6); // δ = 0.5: δ(|e| − δ/2); δ = 4: e²/2
 * ```
 */
export function methodRunsObjective(
  method: Method,
  params: readonly (number | null)[],
  epochs: number,
): (epoch: number) => StackedObjective {
  const spec = methodByName(method);
  if (params.length === 0) throw new Error(`method ${method}: no runs`);
  params.forEach((p) => checkParam(spec, p));
  const at = spec.phases(params.map((p) => p ?? 0), epochs);
  return (epoch) => {
    const { loss, usesOutput, usesFeatures } = at(epoch);
    return { loss: (y, f, h) => loss(y, f, h) as tf.Tensor1D, usesOutput, usesFeatures };
  };
}
