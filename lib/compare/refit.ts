/**
 * The refit behind `deno task compare`'s scatter plot: the configuration (lr, weight decay, parameter) that the
 * protocol's selection (`select.ts`) chose most often for the validation MAE over the 5 folds — the metric that
 * a predicted-vs-true plot shows; ties go to the one chosen most often over all 5 metrics, then to the first in
 * the grid — trained again on the whole training part for the median (the lower one) of the epochs selected
 * with it for MAE, with the same learning-rate schedule, keeping its predictions of the test rows. (The
 * configuration selected for a correlation can be far off in MAE: on raw labels GAR's Pearson does not depend on
 * an offset it may not have learnt.) The runs go through the run cache like the CV runs (a config with
 * `fold: null`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { codeVersion } from "../experiment/code_version.ts";
import type { Experiment } from "../experiment/experiments.ts";
import { planExperiment } from "../experiment/experiments.ts";
import { runPool } from "../experiment/pool.ts";
import type { Profile } from "../experiment/profiles.ts";
import type { RunConfig, RunData, RunMetrics } from "../experiment/run.ts";
import { datasetHash, hasRecord, readRecord, runKey, type RunKeyInputs } from "../experiment/run_cache.ts";
import { METRICS, selectBest } from "../experiment/select.ts";
import type { Method } from "../methods.ts";

/** A refit: the configuration chosen, how often it was selected, and the run's metrics. */
export interface Refit {
  /** The method. */
  method: Method;
  /** The refit's config (`fold: null`, `epochs`: the median selected epoch, predictions kept). */
  config: RunConfig;
  /** In how many folds the MAE selection chose this (lr, weight decay, parameter). */
  selected: number;
  /** Of how many folds. */
  folds: number;
  /** The refit run's metrics (test curves; predictions of the test rows in the run's label units). */
  metrics: RunMetrics;
}

/** Options of {@linkcode refitSelected}. */
export interface RefitOptions {
  /** The experiment whose CV runs were run (one dataset). */
  experiment: Experiment;
  /** Its profile. */
  profile: Profile;
  /** The dataset's rows. */
  data: RunData;
  /** The backend of the runs (part of the cache key). */
  backend: string;
  /** The results folder of the run cache. */
  resultsDir: string;
  /** Workers (default one per core). */
  jobs?: number;
  /** Recompute the refits even when cached. */
  force?: boolean;
}

/**
 * The refits of `methods` (see the module notes); a method whose CV runs are not all in the cache is left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refitSelected } from "./refit.ts";
 * import { compareProfile } from "./grids.ts";
 * const rows = Array.from({ length: 20 }, (_, i) => [i]);
 * const experiment = { id: "compare", title: "t", kind: "cv" as const, datasets: ["d"], methods: ["MAE" as const] };
 * const refits = await refitSelected(["MAE"], { experiment, profile: compareProfile("quick", 2), backend: "cpu",
 *   resultsDir: await Deno.makeTempDir(), data: { train: { x: rows, y: rows }, test: { x: rows, y: rows } } });
 * assert.deepEqual(refits, []); // no CV run in this cache
 * ```
 */
export async function refitSelected(methods: readonly Method[], o: RefitOptions): Promise<Refit[]> {
  const [dataset] = o.experiment.datasets;
  const keyed = {
    datasetSha256: await datasetHash(o.data),
    backend: o.backend,
    codeVersion: await codeVersion(),
    tfjs: tf.version.tfjs,
  };
  const inputsOf = (config: RunConfig): RunKeyInputs => ({ ...keyed, config, seed: config.seed });
  const planned = planExperiment(o.experiment, o.profile, {
    [dataset]: { features: o.data.train.x[0].length },
  });
  const chosen: Omit<Refit, "metrics">[] = [];
  for (const method of methods) {
    const runs = planned.filter((r) => r.method === method);
    const records = await Promise.all(
      runs.map(async (r) => await readRecord(o.resultsDir, await runKey(inputsOf(r.config)))),
    );
    if (runs.length === 0 || records.some((r) => r === null)) continue;
    const candidates = records.map((r, i) => ({
      fold: runs[i].config.fold!,
      val: r!.metrics.val!,
      test: r!.metrics.test,
    }));
    // per configuration: the epochs of its MAE selections, and how often any metric selected it
    const byConfig = new Map<string, { config: RunConfig; maeEpochs: number[]; all: number }>();
    for (const metric of METRICS) {
      for (const s of selectBest(candidates, metric)) {
        const c = runs[s.candidate].config;
        const k = JSON.stringify([c.lr, c.weightDecay, c.param]);
        if (!byConfig.has(k)) byConfig.set(k, { config: c, maeEpochs: [], all: 0 });
        const tally = byConfig.get(k)!;
        tally.all++;
        if (metric === "mae") tally.maeEpochs.push(s.epoch);
      }
    }
    const score = (t: { maeEpochs: number[]; all: number }) => t.maeEpochs.length * 1000 + t.all;
    let best: { config: RunConfig; maeEpochs: number[]; all: number } | null = null;
    for (const t of byConfig.values()) {
      if (t.maeEpochs.length > 0 && (best === null || score(t) > score(best))) best = t;
    }
    if (best === null) continue;
    const sorted = [...best.maeEpochs].sort((a, b) => a - b);
    const epochs = sorted[Math.floor((sorted.length - 1) / 2)];
    chosen.push({
      method,
      config: { ...best.config, fold: null, epochs, keepPredictions: true },
      selected: best.maeEpochs.length,
      folds: new Set(candidates.map((c) => c.fold)).size,
    });
  }
  const keys = await Promise.all(chosen.map((c) => runKey(inputsOf(c.config))));
  const missing = [];
  for (let i = 0; i < chosen.length; i++) {
    if (o.force || !await hasRecord(o.resultsDir, keys[i])) {
      missing.push({ runs: [{ key: keys[i], inputs: inputsOf(chosen[i].config) }] });
    }
  }
  await runPool(missing, {
    jobs: o.jobs,
    backend: o.backend,
    resultsDir: o.resultsDir,
    datasets: new Map([[dataset, o.data]]),
  });
  const out: Refit[] = [];
  for (let i = 0; i < chosen.length; i++) {
    const record = await readRecord(o.resultsDir, keys[i]);
    if (record) out.push({ ...chosen[i], metrics: record.metrics });
  }
  return out;
}
