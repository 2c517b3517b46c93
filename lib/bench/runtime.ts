/**
 * The runtime comparison of the paper's Table 2: milliseconds per training epoch ("all time") and
 * per epoch of loss forward + backward ("loss time") for every method, with ratios to MAE measured
 * in the same run. The methods and their objectives come from the registry (`lib/methods.ts`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { withoutFiniteChecks } from "../losses/validate.ts";
import { withHostLabels } from "../losses/host_labels.ts";
import { createFfnn, type Ffnn, paperHiddenSizes } from "../model/ffnn.ts";
import { type Optimizer, sgd } from "../model/optimizer.ts";
import { type Objective, trainStep } from "../model/train_step.ts";
import { TABLE1_METHODS } from "../experiment/experiments.ts";
import { type MethodAlias, methodByAlias, methodByName, methodObjective, middleParam } from "../methods.ts";
import type { BenchTable } from "./synthetic_supercon.ts";
import { median } from "../stats/median.ts";
import { permutation, permuteRows, settle } from "./_timing.ts";

/** The methods benchmarked by default: Table 1's nine (the paper's Table 2 times them), by alias. */
export const BENCH_METHODS: readonly MethodAlias[] = TABLE1_METHODS.map((m) => methodByName(m).alias);

/** One row of the runtime table. */
export interface RuntimeRow {
  /** The method (its alias in `lib/methods.ts`). */
  method: MethodAlias;
  /** The dataset id. */
  dataset: string;
  /** The tfjs backend it ran on. */
  backend: string;
  /** Median over the measured epochs of the wall-clock time of one training epoch, ms. */
  allTimeMs: number;
  /** Median over the measured epochs of the summed loss forward + backward time of one epoch, ms. */
  lossTimeMs: number;
  /**
   * Median over the measured epochs of the epoch's all time ÷ MAE's in the same epoch (paired: the
   * methods take turns within each epoch, so a slow stretch of a shared machine hits both sides).
   */
  allRatioToMae: number;
  /** The same for the loss time. */
  lossRatioToMae: number;
  /** All time of each measured epoch, ms (absent in artifacts written before it was recorded). */
  allEpochMs?: number[];
  /** Loss time of each measured epoch, ms (likewise). */
  lossEpochMs?: number[];
  /** Measured epochs (after the warm-up). */
  epochs: number;
  /** Batches per epoch (the last partial batch is dropped). */
  batchesPerEpoch: number;
  /** Batch size. */
  batchSize: number;
  /** Hidden sizes of the FFNN. */
  hidden: number[];
}

/** Options of {@linkcode runtimeBenchmark}. */
export interface RuntimeOptions {
  /** The tables to train on (e.g. from `loadBenchTables`). */
  tables: readonly BenchTable[];
  /** The methods (default {@linkcode BENCH_METHODS}); `mae` is added when absent (the ratios need it). */
  methods?: readonly MethodAlias[];
  /**
   * Measured epochs per method (default: at least 5 — the reported figure is their median — and
   * enough for 200 measured training steps: the epochs of the small tables last milliseconds, and a
   * shared machine's hiccups move single ones by 20 %).
   */
  epochs?: number;
  /** Warm-up epochs per method, not measured (default: at least 1, and enough for 20 steps). */
  warmupEpochs?: number;
  /** Batch size (default 256, the paper's). */
  batchSize?: number;
  /** At most this many batches per epoch (default: all; for quick runs and tests). */
  maxBatches?: number;
  /** Hidden sizes (default: the paper's by feature count, {@linkcode paperHiddenSizes}). */
  hidden?: number[];
  /** Seed of the model initialisation and of the epoch shuffles (default 0). */
  seed?: number;
  /** Receives one line per finished dataset and epoch. */
  onProgress?: (line: string) => void;
}

/** A method as the benchmark runs it. */
interface BenchSpec {
  /** The method's alias. */
  method: MethodAlias;
  /** The training objective. */
  objective: Objective;
  /** Whether the objective reads the last hidden layer's activations (then "loss time" includes their gradient). */
  usesFeatures: boolean;
  /** Whether the objective reads the model output. */
  usesOutput: boolean;
}

/**
 * A method's objective exactly as the protocol trains it (`methodObjective` of `lib/methods.ts`),
 * with the middle value of its parameter grid (the runtime does not depend on the value): `ranksim`
 * is `mae + 100 · rankSim(y, features)`, `conr` is `mae + β · conr(y, output, features)`, and `rnc` is
 * its feature pre-training phase (the second phase trains with MAE and costs what MAE costs).
 */
function benchSpec(alias: MethodAlias): BenchSpec {
  const m = methodByAlias(alias);
  const objective = methodObjective(m.name, middleParam(m.name), 2)(0);
  return { method: m.alias, objective, usesFeatures: m.usesFeatures, usesOutput: m.usesOutput };
}

interface Runner {
  spec: BenchSpec;
  model: Ffnn;
  optimizer: Optimizer;
  all: number[];
  loss: number[];
}

/**
 * Trains one FFNN per method on each table (SGD, momentum 0.9, lr 1e-3, weight decay 1e-4, batches of
 * `batchSize` with the last partial batch dropped, a seeded shuffle per epoch shared by all methods)
 * and times, per epoch:
 *
 * - **all time**: the whole training epoch — creating the batch tensors, forward, loss, backward and
 *   optimizer step for every batch, until the last step's loss is read back;
 * - **loss time**: on the same batches, with the model outputs and last-hidden-layer features computed
 *   beforehand (detached, untimed), the loss forward + backward (gradients with respect to the
 *   outputs and/or features the method reads), summed over the batches.
 *
 * Methods are interleaved epoch by epoch (the order rotates every epoch) so that machine drift hits
 * all of them alike. Reports medians over the measured epochs. Runs on the active tfjs backend; the
 * losses' finite checks are switched off while it runs (a training loop validates its data once).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { runtimeBenchmark } from "./runtime.ts";
 * import { syntheticSuperconductivity } from "./synthetic_supercon.ts";
 * await tf.setBackend("cpu");
 * const table = syntheticSuperconductivity({ rows: 40, features: 3 });
 * const rows = await runtimeBenchmark({ tables: [table], methods: ["gar"], epochs: 1, warmupEpochs: 0, batchSize: 16, hidden: [4] });
 * assert.equal(rows.find((r) => r.method === "mae")!.allRatioToMae, 1);
 * ```
 */
export async function runtimeBenchmark(options: RuntimeOptions): Promise<RuntimeRow[]> {
  const requested = options.methods ?? BENCH_METHODS;
  for (const m of requested) methodByAlias(m); // validates the names
  const methods: MethodAlias[] = requested.includes("mae") ? [...requested] : ["mae", ...requested];
  const batchSize = options.batchSize ?? 256;
  const seed = options.seed ?? 0;
  if (options.epochs !== undefined && !(Number.isInteger(options.epochs) && options.epochs >= 1)) {
    throw new Error(`runtimeBenchmark: epochs must be an integer ≥ 1`);
  }
  if (
    options.warmupEpochs !== undefined &&
    !(Number.isInteger(options.warmupEpochs) && options.warmupEpochs >= 0)
  ) {
    throw new Error(`runtimeBenchmark: warmupEpochs must be ≥ 0`);
  }
  if (!(Number.isInteger(batchSize) && batchSize >= 2)) {
    throw new Error(`runtimeBenchmark: batchSize must be ≥ 2`);
  }
  const backend = tf.getBackend();
  const rows: RuntimeRow[] = [];
  await withoutFiniteChecks(async () => {
    for (const table of options.tables) {
      const batches = Math.min(Math.floor(table.rows / batchSize), options.maxBatches ?? Infinity);
      if (batches < 1) throw new Error(`runtimeBenchmark: ${table.id} has fewer rows than one batch`);
      const epochs = options.epochs ?? Math.max(5, Math.ceil(200 / batches));
      const warmup = options.warmupEpochs ?? Math.max(1, Math.ceil(20 / batches));
      const hidden = options.hidden ?? paperHiddenSizes(table.features);
      const runners: Runner[] = methods.map((m) => {
        const model = createFfnn({ inputDim: table.features, outputDim: table.targets, hidden, seed });
        const optimizer = sgd(model.variables, { lr: 1e-3, momentum: 0.9, weightDecay: 1e-4 });
        return { spec: benchSpec(m), model, optimizer, all: [], loss: [] };
      });
      try {
        for (let e = 0; e < warmup + epochs; e++) {
          const order = permutation(table.rows, seed * 7919 + e);
          const px = permuteRows(table.x, table.features, order);
          const py = permuteRows(table.y, table.targets, order);
          for (let k = 0; k < runners.length; k++) {
            const r = runners[(k + e) % runners.length];
            const all = await timeEpoch(r, px, py, table, batches, batchSize);
            const loss = await timeLoss(r, px, py, table, batches, batchSize);
            if (e >= warmup) {
              r.all.push(all);
              r.loss.push(loss);
            }
          }
          options.onProgress?.(
            `${table.id} epoch ${e + 1}/${warmup + epochs}${e < warmup ? " (warm-up)" : ""}: ` +
              runners.map((r) => `${r.spec.method} ${r.all.at(-1)?.toFixed(0) ?? "-"} ms`).join(", "),
          );
        }
        const maeRunner = runners.find((r) => r.spec.method === "mae")!;
        const paired = (mine: number[], mae: number[]) => median(mine.map((v, e) => v / mae[e]));
        for (const r of runners) {
          if (!requested.includes(r.spec.method) && r.spec.method !== "mae") continue;
          rows.push({
            method: r.spec.method,
            dataset: table.id,
            backend,
            allTimeMs: median(r.all),
            lossTimeMs: median(r.loss),
            allRatioToMae: r === maeRunner ? 1 : paired(r.all, maeRunner.all),
            lossRatioToMae: r === maeRunner ? 1 : paired(r.loss, maeRunner.loss),
            allEpochMs: [...r.all],
            lossEpochMs: [...r.loss],
            epochs,
            batchesPerEpoch: batches,
            batchSize,
            hidden: [...hidden],
          });
        }
      } finally {
        for (const r of runners) {
          r.model.dispose();
          r.optimizer.dispose();
        }
      }
    }
  });
  return rows;
}

function batchTensors(
  px: Float32Array,
  py: Float32Array,
  table: BenchTable,
  b: number,
  batchSize: number,
): [tf.Tensor2D, tf.Tensor2D] {
  const { features: d, targets: t } = table;
  const y = py.subarray(b * batchSize * t, (b + 1) * batchSize * t);
  return [
    tf.tensor2d(px.subarray(b * batchSize * d, (b + 1) * batchSize * d), [batchSize, d]),
    withHostLabels(tf.tensor2d(y, [batchSize, t]), y), // RankSim reads them on WebGPU
  ];
}

async function timeEpoch(
  r: Runner,
  px: Float32Array,
  py: Float32Array,
  table: BenchTable,
  batches: number,
  batchSize: number,
): Promise<number> {
  const t0 = performance.now();
  let last: tf.Scalar | null = null;
  for (let b = 0; b < batches; b++) {
    const [x, y] = batchTensors(px, py, table, b, batchSize);
    const loss = trainStep(r.model, r.optimizer, x, y, r.spec.objective);
    x.dispose();
    y.dispose();
    last?.dispose();
    last = loss;
  }
  await settle([last!]);
  return performance.now() - t0;
}

async function timeLoss(
  r: Runner,
  px: Float32Array,
  py: Float32Array,
  table: BenchTable,
  batches: number,
  batchSize: number,
): Promise<number> {
  const inputs: { y: tf.Tensor2D; output: tf.Tensor2D; features: tf.Tensor2D }[] = [];
  for (let b = 0; b < batches; b++) {
    const [x, y] = batchTensors(px, py, table, b, batchSize);
    const { output, features } = tf.tidy(() => r.model.apply(x));
    x.dispose();
    inputs.push({ y, output, features });
  }
  await settle([tf.add(inputs[inputs.length - 1].output, 0)]); // the forward passes are not timed
  const { objective, usesOutput, usesFeatures } = r.spec;
  const t0 = performance.now();
  let last: tf.Tensor[] = [];
  for (const { y, output, features } of inputs) {
    const grads = tf.tidy(() => {
      if (usesOutput && usesFeatures) {
        return tf.grads((o, f) => objective(y, o as tf.Tensor2D, f as tf.Tensor2D))([output, features]);
      }
      if (usesFeatures) return [tf.grad((f) => objective(y, output, f as tf.Tensor2D))(features)];
      return [tf.grad((o) => objective(y, o as tf.Tensor2D, features))(output)];
    });
    tf.dispose(last);
    last = grads;
  }
  await settle(last);
  const ms = performance.now() - t0;
  for (const i of inputs) tf.dispose([i.y, i.output, i.features]);
  return ms;
}
