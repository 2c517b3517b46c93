/**
 * One training run of the protocol: a (dataset, method, parameter, lr, weight decay, fold, seed)
 * configuration trained with the kit's loop, evaluated on the fold's validation rows and on the
 * test rows after every epoch.
 *
 * Determinism: the network's initialisation (seed `seed·1000 + fold`), the shuffling (seed `seed`)
 * and every metric are deterministic functions of the config and the data on a given backend, and
 * every recorded number is rounded to 7 significant digits, so equal inputs give byte-identical
 * metrics.
 *
 * @module
 */
import { columnStats } from "../data/standardize.ts";
import { createFfnn } from "../model/ffnn.ts";
import { regressionMetrics } from "../model/metrics.ts";
import { predictRows, trainRegressor } from "../model/train_loop.ts";
import { kFold } from "./kfold.ts";
import { mean } from "../stats/mean.ts";
import { variance } from "../stats/variance.ts";
import { type Method, methodObjective } from "../methods.ts";

/** Everything that defines a run (it is part of the run's cache key). */
export interface RunConfig {
  /** Registry dataset id. */
  dataset: string;
  /** Method (see `lib/methods.ts`). */
  method: Method;
  /** The method's parameter (α, δ, β, λ, τ), null for parameter-free methods. */
  param: number | null;
  /** Initial learning rate. */
  lr: number;
  /** Weight decay (L2 added to the gradient). */
  weightDecay: number;
  /** Epochs. */
  epochs: number;
  /** Batch size (the last partial batch is dropped; see `train_loop.ts` for small sets). */
  batchSize: number;
  /** `"sgd"` (momentum 0.9; tabular) or `"adam"` (synthetic). */
  optimizer: "sgd" | "adam";
  /** Epochs after which the learning rate is multiplied by 0.1. */
  milestones: number[];
  /** Hidden layer sizes. */
  hidden: number[];
  /** Cross-validation fold (0-based) of `folds`, or null to train on the whole training part. */
  fold: number | null;
  /** Number of folds of the cross-validation (ignored when `fold` is null). */
  folds: number;
  /** Standardise the labels with the training part's mean and population std (Table 7). */
  standardizeLabels: boolean;
  /** Seed of the initialisation and the shuffling. */
  seed: number;
  /** Keep the last epoch's predictions for every row (train and test; the synthetic figures). */
  keepPredictions: boolean;
}

/** The rows a run uses. */
export interface RunData {
  /** The training part (folds are cut from it). */
  train: { x: number[][]; y: number[][] };
  /** The test part. */
  test: { x: number[][]; y: number[][] };
}

/** Per-epoch values of the five metrics (null where undefined, e.g. after divergence). */
export interface MetricCurves {
  /** MAE per epoch. */
  mae: (number | null)[];
  /** RMSE per epoch. */
  rmse: (number | null)[];
  /** Pearson per epoch. */
  pearson: (number | null)[];
  /** Spearman per epoch. */
  spearman: (number | null)[];
  /** R² per epoch. */
  r2: (number | null)[];
}

/** The deterministic result of a run. */
export interface RunMetrics {
  /** Epochs configured (every curve has this length). */
  epochs: number;
  /** 1-based epoch at which the training loss stopped being finite, else null. */
  divergedAt: number | null;
  /** Mean training loss per epoch. */
  trainLoss: (number | null)[];
  /** Validation curves (null when `fold` is null). */
  val: MetricCurves | null;
  /** Test curves. */
  test: MetricCurves;
  /** Mean of the test predictions per epoch (first target; Fig. 12). */
  testPredMean: (number | null)[];
  /** Population std of the test predictions per epoch (first target; Fig. 12). */
  testPredStd: (number | null)[];
  /** Truth mean and population std of the test rows (first target; Fig. 12). */
  testTruth: { mean: number; std: number };
  /** With `keepPredictions`: the last epoch's predictions of the train rows then the test rows. */
  predictions?: { train: (number | null)[][]; test: (number | null)[][] };
}

/**
 * Rounds to 7 significant digits (so run records are byte-identical across runs); non-finite → null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { round7 } from "./run.ts";
 * assert.equal(round7(Math.PI), 3.141593);
 * assert.equal(round7(Number.NaN), null);
 * ```
 */
export function round7(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(7)) : null;
}

const KEYS = ["mae", "rmse", "pearson", "spearman", "r2"] as const;

function emptyCurves(): MetricCurves {
  return { mae: [], rmse: [], pearson: [], spearman: [], r2: [] };
}

function pushMetrics(c: MetricCurves, y: number[][], pred: number[][] | null): void {
  const m = pred && pred.every((r) => r.every(Number.isFinite)) ? regressionMetrics(y, pred) : null;
  for (const k of KEYS) c[k].push(m ? round7(m[k]) : null);
}

/** The rows a run sees: labels standardised if asked, and its fold's training and validation parts. */
export interface RunRows {
  /** The training part (labels standardised if the config says so). */
  train: { x: number[][]; y: number[][] };
  /** The test part (likewise). */
  test: { x: number[][]; y: number[][] };
  /** The rows the run trains on: the fold's training rows, or the whole training part. */
  fit: { x: number[][]; y: number[][] };
  /** The fold's validation rows, or null without a fold. */
  val: { x: number[][]; y: number[][] } | null;
}

/**
 * The rows a run of `config` sees (see {@linkcode RunRows}): labels standardised with the training part's mean
 * and population std when `standardizeLabels`, then the fold's split of the training part.
 *
 * @throws {Error} on a fold out of range
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runRows } from "./run.ts";
 * const rows = Array.from({ length: 10 }, (_, i) => [i]);
 * const data = { train: { x: rows, y: rows }, test: { x: [[0]], y: [[0]] } };
 * const { fit, val } = runRows({ fold: 0, folds: 5, standardizeLabels: false }, data);
 * assert.deepEqual([fit.x.length, val!.x.length], [8, 2]);
 * ```
 */
export function runRows(
  config: Pick<RunConfig, "fold" | "folds" | "standardizeLabels">,
  data: RunData,
): RunRows {
  let { train, test } = data;
  if (config.standardizeLabels) {
    const s = columnStats(train.y);
    const z = (rows: number[][]) => rows.map((r) => r.map((v, j) => (v - s.mean[j]) / (s.std[j] || 1)));
    train = { x: train.x, y: z(train.y) };
    test = { x: test.x, y: z(test.y) };
  }
  if (config.fold === null) return { train, test, fit: train, val: null };
  const f = kFold(train.x.length, config.folds)[config.fold];
  if (!f) throw new Error(`fold ${config.fold} out of range 0..${config.folds - 1}`);
  return {
    train,
    test,
    fit: { x: f.train.map((i) => train.x[i]), y: f.train.map((i) => train.y[i]) },
    val: { x: f.val.map((i) => train.x[i]), y: f.val.map((i) => train.y[i]) },
  };
}

/**
 * Trains and evaluates one run (see the module notes).
 *
 * @throws {Error} on a fold out of range or data the loop rejects
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { executeRun } from "./run.ts";
 * await tf.setBackend("cpu");
 * const rows = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i)]);
 * const data = { train: { x: rows.slice(0, 30), y: rows.slice(0, 30).map(([a, b]) => [a - b]) },
 *   test: { x: rows.slice(30), y: rows.slice(30).map(([a, b]) => [a - b]) } };
 * const m = await executeRun({ dataset: "toy", method: "GAR", param: 1, lr: 0.01, weightDecay: 1e-4, epochs: 2,
 *   batchSize: 8, optimizer: "sgd", milestones: [1], hidden: [4], fold: 0, folds: 3, standardizeLabels: false,
 *   seed: 0, keepPredictions: false }, data);
 * assert.equal(m.val!.mae.length, 2);
 * ```
 */
export async function executeRun(config: RunConfig, data: RunData): Promise<RunMetrics> {
  const { train, test, fit, val } = runRows(config, data);
  const model = createFfnn({
    inputDim: train.x[0].length,
    outputDim: train.y[0].length,
    hidden: config.hidden,
    seed: config.seed * 1000 + (config.fold ?? 0),
  });
  const curves = { val: val ? emptyCurves() : null, test: emptyCurves() };
  const trainLoss: (number | null)[] = [];
  const predMean: (number | null)[] = [];
  const predStd: (number | null)[] = [];
  let last: number[][] | null = null;
  try {
    const result = await trainRegressor(model, fit.x, fit.y, {
      objective: methodObjective(config.method, config.param, config.epochs),
      epochs: config.epochs,
      lr: config.lr,
      weightDecay: config.weightDecay,
      batchSize: config.batchSize,
      optimizer: config.optimizer,
      milestones: config.milestones,
      seed: config.seed,
      onDiverge: "stop",
      onEpoch: async ({ loss, model }) => {
        trainLoss.push(round7(loss));
        if (val && curves.val) pushMetrics(curves.val, val.y, await predictRows(model, val.x));
        const p = await predictRows(model, test.x);
        pushMetrics(curves.test, test.y, p);
        const first = p.map((r) => r[0]);
        predMean.push(round7(mean(first)));
        predStd.push(round7(Math.sqrt(variance(first))));
        last = p;
      },
    });
    for (let e = trainLoss.length; e < config.epochs; e++) {
      trainLoss.push(null);
      if (curves.val) pushMetrics(curves.val, [], null);
      pushMetrics(curves.test, [], null);
      predMean.push(null);
      predStd.push(null);
    }
    const truth = test.y.map((r) => r[0]);
    const out: RunMetrics = {
      epochs: config.epochs,
      divergedAt: result.divergedAt,
      trainLoss,
      val: curves.val,
      test: curves.test,
      testPredMean: predMean,
      testPredStd: predStd,
      testTruth: {
        mean: round7(mean(truth)) ?? 0,
        std: round7(Math.sqrt(variance(truth))) ?? 0,
      },
    };
    if (config.keepPredictions) {
      const finiteOrNull = (rows: number[][]) => rows.map((r) => r.map(round7));
      const diverged = result.divergedAt !== null;
      out.predictions = {
        train: diverged ? train.x.map(() => [null]) : finiteOrNull(await predictRows(model, train.x)),
        test: diverged || !last ? test.x.map(() => [null]) : finiteOrNull(last),
      };
    }
    return out;
  } finally {
    model.dispose();
  }
}
