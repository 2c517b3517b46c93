/**
 * The sweep benchmark (`deno task bench --sweep`): for each dataset present, Table 1's grid of the `paper` profile
 * (every learning rate × weight decay × method parameter) for one fold, trained one run at a time on the
 * single-run path (`executeRun`, what the kit did before grouping) and as one group (`executeGroup`), in the same
 * process: runs per hour both ways, and the group's arithmetic rate against a large matrix product's rate on the
 * same backend.
 *
 * Both ways train every run of the grid (a diverged run stops early either way). Runs have `epochs` epochs (default 10; the protocol's
 * 100 cost ten times as much either way, so the ratio is the same).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { EXPERIMENTS, planExperiment } from "../experiment/experiments.ts";
import { PROFILES } from "../experiment/profiles.ts";
import { executeRun, type RunConfig, type RunData } from "../experiment/run.ts";
import { executeGroup } from "../experiment/run_group.ts";
import { kFold } from "../experiment/kfold.ts";
import { methodByName } from "../methods.ts";

/** One row of the sweep benchmark. */
export interface SweepRow {
  /** Dataset id. */
  dataset: string;
  /** Method, CLI spelling. */
  method: string;
  /** Backend. */
  backend: string;
  /** Runs of the grid (one fold). */
  runs: number;
  /** Epochs of each run. */
  epochs: number;
  /** Runs per hour trained one at a time on the single-run path. */
  singleRunsPerHour: number;
  /** Runs per hour trained as one group. */
  batchedRunsPerHour: number;
  /** `batchedRunsPerHour / singleRunsPerHour`. */
  speedup: number;
  /** The group's arithmetic (the layers' multiply-adds ×2, training and evaluation) per second, in GFLOP/s. */
  gflops: number;
  /** A large matrix product's rate on the backend, measured in the same process, in GFLOP/s. */
  matmulGflops: number;
}

/** Options of {@linkcode sweepBenchmark}. */
export interface SweepBenchmarkOptions {
  /** The datasets: id → rows. */
  datasets: ReadonlyMap<string, RunData>;
  /** Methods (the paper's names; default Table 1's nine). */
  methods?: readonly string[];
  /** Epochs per run (default 10). */
  epochs?: number;
  /** Called with a line of progress. */
  onProgress?: (line: string) => void;
}

/**
 * GFLOP/s of a `[n, n] × [n, n]` product on the active backend (median of 5 after a warm-up).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { matmulGflops } from "./sweep.ts";
 * await tf.setBackend("cpu");
 * assert.ok((await matmulGflops(64)) > 0);
 * ```
 */
export async function matmulGflops(n = 512): Promise<number> {
  const a = tf.randomUniform([n, n]), b = tf.randomUniform([n, n]);
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    if (i > 0) times.push(performance.now() - t0);
  }
  tf.dispose([a, b]);
  times.sort((x, y) => x - y);
  return (2 * n ** 3) / (times[2] / 1000) / 1e9;
}

/** Floating-point operations of one run of `config` on `data` (training steps and per-epoch evaluation). */
function runFlops(config: RunConfig, data: RunData): number {
  const sizes = [data.train.x[0].length, ...config.hidden, data.train.y[0].length];
  let all = 0, below = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    all += sizes[l] * sizes[l + 1];
    if (l > 0) below += sizes[l] * sizes[l + 1];
  }
  const fold = kFold(data.train.x.length, config.folds)[config.fold ?? 0];
  const fit = config.fold === null ? data.train.x.length : fold.train.length;
  const evalRows = (config.fold === null ? 0 : fold.val.length) + data.test.x.length;
  const batch = Math.min(config.batchSize, fit);
  const steps = Math.floor(fit / batch);
  // Forward, the weight gradient and (but for the first layer) the input gradient: 2 flops a multiply-add.
  const train = steps * batch * 2 * (2 * all + below);
  return config.epochs * (train + 2 * evalRows * all);
}

/**
 * Runs the sweep benchmark (see the module notes); one row per dataset and method.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { sweepBenchmark } from "./sweep.ts";
 * await tf.setBackend("cpu");
 * const rows = Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(i), i % 3]);
 * const data = { train: { x: rows.slice(0, 50), y: rows.slice(0, 50).map((r) => [r[0] + r[2]]) },
 *   test: { x: rows.slice(50), y: rows.slice(50).map((r) => [r[0] + r[2]]) } };
 * const [row] = await sweepBenchmark({ datasets: new Map([["concrete", data]]), methods: ["MAE"], epochs: 1 });
 * assert.equal(row.runs, 9); // 3 learning rates × 3 weight decays
 * assert.ok(row.speedup > 0 && row.gflops > 0);
 * ```
 */
export async function sweepBenchmark(options: SweepBenchmarkOptions): Promise<SweepRow[]> {
  const epochs = options.epochs ?? 10;
  const table1 = EXPERIMENTS.find((e) => e.id === "table1")!;
  const methods = options.methods ?? table1.methods;
  const matmul = await matmulGflops();
  options.onProgress?.(`matmul [512, 512]: ${matmul.toFixed(1)} GFLOP/s`);
  const rows: SweepRow[] = [];
  for (const [dataset, data] of options.datasets) {
    const shapes = { [dataset]: { features: data.train.x[0].length } };
    const planned = planExperiment(
      { ...table1, datasets: [dataset], methods: methods as typeof table1.methods },
      PROFILES.paper,
      shapes,
    );
    for (const method of methods) {
      const configs = planned
        .filter((p) => p.method === method && p.config.fold === 0)
        .map((p) => ({
          ...p.config,
          epochs,
          milestones: [Math.round(0.5 * epochs), Math.round(0.75 * epochs)],
        }));
      if (configs.length === 0) continue;
      let t0 = performance.now();
      for (const c of configs) await executeRun(c, data);
      const single = (performance.now() - t0) / 1000 / configs.length;
      t0 = performance.now();
      const metrics = await executeGroup(configs, data);
      const group = (performance.now() - t0) / 1000;
      // A diverged run stops computing at its divergence epoch: its arithmetic up to there.
      const flops = configs.reduce(
        (sum, c, k) => sum + runFlops(c, data) * (metrics[k].divergedAt ?? c.epochs) / c.epochs,
        0,
      );
      const row: SweepRow = {
        dataset,
        method: methodByName(method).alias,
        backend: tf.getBackend(),
        runs: configs.length,
        epochs,
        singleRunsPerHour: 3600 / single,
        batchedRunsPerHour: (3600 * configs.length) / group,
        speedup: single * configs.length / group,
        gflops: flops / group / 1e9,
        matmulGflops: matmul,
      };
      rows.push(row);
      options.onProgress?.(
        `${dataset} ${row.method}: ${row.runs} runs, one at a time ${single.toFixed(2)} s/run, group ` +
          `${(group / row.runs).toFixed(3)} s/run: ${row.speedup.toFixed(1)}×, ${
            row.gflops.toFixed(1)
          } GFLOP/s`,
      );
    }
  }
  return rows;
}
