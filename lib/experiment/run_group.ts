/**
 * A group of training runs of the protocol computed as one program: runs that differ only in learning rate,
 * weight decay and the method's parameter (same dataset, method, architecture, epochs, batch size, optimiser,
 * milestones, label standardisation, fold and seed — so the same initialisation and the same minibatch rows at
 * every step) train together on a stacked FFNN (`lib/model/stacked_ffnn.ts`) and are evaluated together after
 * every epoch (every run's validation and test rows in one forward pass). Each run's {@linkcode RunMetrics} is what
 * `executeRun` records for it, computed the same way.
 *
 * Determinism: on the host engine (the cpu and wasm backends) a run's metrics are the same bits whether it is
 * computed alone or in any group; see `stacked_ffnn.ts`.
 *
 * @module
 */
import { createStackedFfnn } from "../model/stacked_ffnn.ts";
import { regressionMetricsOf } from "../model/metrics.ts";
import { averageRanks } from "../stats/average_ranks.ts";
import { trainStacked } from "../model/train_stacked.ts";
import { mean } from "../stats/mean.ts";
import { variance } from "../stats/variance.ts";
import { type MetricCurves, round7, type RunConfig, type RunData, type RunMetrics, runRows } from "./run.ts";
import { methodRunsObjective } from "../methods.ts";

/** The fields of a {@linkcode RunConfig} that may differ within a group. */
export const PER_RUN_FIELDS = ["lr", "weightDecay", "param"] as const;

/**
 * The key that runs must share to be computed as one group: the config without the per-run fields.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupKey } from "./run_group.ts";
 * import type { RunConfig } from "./run.ts";
 * const a: RunConfig = { dataset: "d", method: "GAR", param: 1, lr: 0.1, weightDecay: 1e-4, epochs: 2,
 *   batchSize: 4, optimizer: "sgd", milestones: [1], hidden: [2], fold: 0, folds: 5, standardizeLabels: false,
 *   seed: 0, keepPredictions: false };
 * assert.equal(groupKey(a), groupKey({ ...a, lr: 0.01, param: 10 }));
 * assert.notEqual(groupKey(a), groupKey({ ...a, fold: 1 }));
 * ```
 */
export function groupKey(config: RunConfig): string {
  const shared: Record<string, unknown> = { ...config };
  for (const f of PER_RUN_FIELDS) delete shared[f];
  return JSON.stringify(Object.keys(shared).sort().map((k) => [k, shared[k]]));
}

const KEYS = ["mae", "rmse", "pearson", "spearman", "r2"] as const;

function emptyCurves(): MetricCurves {
  return { mae: [], rmse: [], pearson: [], spearman: [], r2: [] };
}

/** Pushes the five metrics of predictions `pred` (`[n, T]` row-major) against the truth's columns, or nulls. */
function pushMetrics(c: MetricCurves, truth: readonly Float64Array[], pred: Float32Array | null): void {
  const ranks = truthRanks.get(truth) ?? truth.map((t) => averageRanks(t));
  truthRanks.set(truth, ranks);
  const m = pred !== null && pred.every(Number.isFinite) ? regressionMetricsOf(truth, pred, ranks) : null;
  for (const k of KEYS) c[k].push(m ? round7(m[k]) : null);
}

/** The truth columns' ranks, computed once per set of columns (Spearman's truth side). */
const truthRanks = new WeakMap<readonly Float64Array[], number[][]>();

/** The columns of `rows` (`[n][T]`). */
function columns(rows: readonly number[][]): Float64Array[] {
  return rows[0].map((_, j) => Float64Array.from(rows, (r) => r[j]));
}

/** Row-major float32 copy of `rows`. */
function packed(rows: readonly number[][]): Float32Array {
  const w = rows[0].length;
  const out = new Float32Array(rows.length * w);
  rows.forEach((r, i) => out.set(r, i * w));
  return out;
}

/**
 * Trains and evaluates a group of runs that share a {@linkcode groupKey} (see the module notes); returns each
 * run's metrics, in the order of `configs`.
 *
 * @throws {Error} on an empty group, configs with different group keys, a fold out of range, or data the loop
 *   rejects
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { executeGroup } from "./run_group.ts";
 * import type { RunConfig } from "./run.ts";
 * await tf.setBackend("cpu");
 * const rows = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i)]);
 * const data = { train: { x: rows.slice(0, 30), y: rows.slice(0, 30).map(([a, b]) => [a - b]) },
 *   test: { x: rows.slice(30), y: rows.slice(30).map(([a, b]) => [a - b]) } };
 * const base: RunConfig = { dataset: "toy", method: "GAR", param: 1, lr: 0.01, weightDecay: 1e-4, epochs: 2,
 *   batchSize: 8, optimizer: "sgd", milestones: [1], hidden: [4], fold: 0, folds: 3, standardizeLabels: false,
 *   seed: 0, keepPredictions: false };
 * const [a, b] = await executeGroup([base, { ...base, lr: 0.1, param: 10 }], data);
 * assert.equal(a.val!.mae.length, 2);
 * assert.equal(b.test.pearson.length, 2);
 * ```
 */
export async function executeGroup(configs: readonly RunConfig[], data: RunData): Promise<RunMetrics[]> {
  if (configs.length === 0) throw new Error("executeGroup: no runs");
  const config = configs[0];
  const key = groupKey(config);
  configs.forEach((c, i) => {
    if (groupKey(c) !== key) throw new Error(`executeGroup: run ${i} does not share run 0's group key`);
  });
  const { train, test, fit, val } = runRows(config, data);
  const K = configs.length;
  const T = train.y[0].length;
  const net = createStackedFfnn({
    inputDim: train.x[0].length,
    outputDim: T,
    hidden: config.hidden,
    seeds: configs.map(() => config.seed * 1000 + (config.fold ?? 0)),
    batchSize: Math.min(config.batchSize, fit.x.length),
    optimizer: {
      kind: config.optimizer,
      lr: configs.map((c) => c.lr),
      weightDecay: configs.map((c) => c.weightDecay),
    },
  });
  const curves = configs.map(() => ({ val: val ? emptyCurves() : null, test: emptyCurves() }));
  const trainLoss: (number | null)[][] = configs.map(() => []);
  const predMean: (number | null)[][] = configs.map(() => []);
  const predStd: (number | null)[][] = configs.map(() => []);
  const last: (Float32Array | null)[] = configs.map(() => null);
  const xVal = val ? packed(val.x) : null;
  const xTest = packed(test.x);
  const valTruth = val ? columns(val.y) : [];
  const testTruth = columns(test.y);
  const slice = (all: Float32Array, k: number, n: number) => all.subarray(k * n * T, (k + 1) * n * T);
  try {
    const result = await trainStacked(net, packed(fit.x), packed(fit.y), {
      objective: methodRunsObjective(config.method, configs.map((c) => c.param), config.epochs),
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      milestones: config.milestones,
      onEpoch: async ({ losses }) => {
        const pv = val && xVal ? await net.predict(xVal, val.x.length) : null;
        const pt = await net.predict(xTest, test.x.length);
        for (let k = 0; k < K; k++) {
          if (losses[k] === null) continue;
          trainLoss[k].push(round7(losses[k]!));
          if (val && pv) pushMetrics(curves[k].val!, valTruth, slice(pv, k, val.x.length));
          const p = slice(pt, k, test.x.length);
          pushMetrics(curves[k].test, testTruth, p);
          const first = Array.from({ length: test.x.length }, (_, i) => p[i * T]);
          predMean[k].push(round7(mean(first)));
          predStd[k].push(round7(Math.sqrt(variance(first))));
          last[k] = p.slice();
        }
      },
    });
    const truth = test.y.map((r) => r[0]);
    const truthStats = { mean: round7(mean(truth)) ?? 0, std: round7(Math.sqrt(variance(truth))) ?? 0 };
    const trainPred = config.keepPredictions ? await net.predict(packed(train.x), train.x.length) : null;
    return configs.map((_, k) => {
      for (let e = trainLoss[k].length; e < config.epochs; e++) {
        trainLoss[k].push(null);
        if (curves[k].val) pushMetrics(curves[k].val!, [], null);
        pushMetrics(curves[k].test, [], null);
        predMean[k].push(null);
        predStd[k].push(null);
      }
      const out: RunMetrics = {
        epochs: config.epochs,
        divergedAt: result.divergedAt[k],
        trainLoss: trainLoss[k],
        val: curves[k].val,
        test: curves[k].test,
        testPredMean: predMean[k],
        testPredStd: predStd[k],
        testTruth: truthStats,
      };
      if (config.keepPredictions) {
        const rows = (p: Float32Array, n: number) =>
          Array.from({ length: n }, (_, i) => Array.from(p.subarray(i * T, (i + 1) * T), round7));
        const diverged = result.divergedAt[k] !== null;
        out.predictions = {
          train: diverged
            ? train.x.map(() => [null])
            : rows(slice(trainPred!, k, train.x.length), train.x.length),
          test: diverged || !last[k] ? test.x.map(() => [null]) : rows(last[k]!, test.x.length),
        };
      }
      return out;
    });
  } finally {
    net.dispose();
  }
}
