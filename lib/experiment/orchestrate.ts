/**
 * The experiments part of `deno task reproduce` (and of the notebooks' `loadExperiment`), in four
 * steps:
 *
 * 1. load data: the selected experiments' datasets that `fetchDataset` found available, from the
 *    files it obtained (nothing is fetched twice), or the tables in memory the caller gives (with its own
 *    experiments: `deno task compare` on a user's table);
 * 2. plan and key: every run of the selected experiments and its run-cache key;
 * 3. compute: the runs are grouped (`run_groups.ts`: runs that differ only in learning rate, weight
 *    decay and the method's parameter train together as one program); this shard's groups with a run
 *    not in the cache are computed, whole, on the worker pool;
 * 4. summarise: every selected experiment's table from whatever records exist, written to
 *    `results/tables/<experiment>.json`.
 *
 * Progress (the plan, then each computed group's runs with an ETA) goes to the callbacks; the caller prints it.
 *
 * The rest of `lib/experiment/`: `experiments.ts` (what runs: the paper's experiments as data) and
 * `profiles.ts` (how much of it), `run.ts` (one training run) and `kfold.ts`, `run_cache.ts` (the
 * content-addressed cache, keyed with `code_version.ts` and `canonical_json.ts`), `run_group.ts`
 * (a group of runs as one program) and `run_groups.ts` (grouping, sharding by group), `pool.ts` and `worker.ts`
 * (parallel groups), `select.ts`, `aggregate.ts` and `summary.ts` (the
 * tables), and `load_experiment.ts` (one experiment for a notebook). The methods and their
 * objectives are the registry `lib/methods.ts`.
 *
 * @module
 */
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { DatasetStatus } from "../data/fetch_dataset.ts";
import { loadDataset } from "../data/load_dataset.ts";
import { codeVersion } from "./code_version.ts";
import { type Experiment, EXPERIMENTS, planExperiment, type PlannedRun } from "./experiments.ts";
import { runPool } from "./pool.ts";
import type { Profile } from "./profiles.ts";
import { type ExperimentSummary, summarizeExperiment } from "./summary.ts";
import type { RunData } from "./run.ts";
import {
  datasetHash,
  hasRecord,
  readRecord,
  runKey,
  type RunKeyInputs,
  type RunRecord,
} from "./run_cache.ts";
import { groupRuns, type RunGroup, shardGroups } from "./run_groups.ts";
import { maxGroupSize } from "./group_size.ts";

/** What {@linkcode RunExperimentsOptions.onPlanned} is told once the runs are planned. */
export interface ExperimentPlan {
  /** The selected experiments' ids, in the order of `EXPERIMENTS`. */
  experiments: string[];
  /** Runs of this shard. */
  total: number;
  /** Of them, found in the cache. */
  cached: number;
  /** Of them, to compute now. */
  toCompute: number;
  /** Groups to compute (whole: a group with a cached run recomputes it without writing it again). */
  groups: number;
  /** Datasets of the selected experiments that are not available (with the reason where it is not absence). */
  notPresent: string[];
}

/** What {@linkcode RunExperimentsOptions.onProgress} is told after each computed group. */
export interface ExperimentProgress {
  /** Runs of this shard done: cached plus computed. */
  done: number;
  /** Runs of this shard. */
  total: number;
  /** Runs found in the cache. */
  cached: number;
  /** Runs computed so far. */
  computed: number;
  /** Runs to compute in all. */
  toCompute: number;
  /** Seconds since computing started. */
  elapsedSeconds: number;
  /** Estimated seconds left, at the pace so far. */
  etaSeconds: number;
}

/** Options of {@linkcode runExperiments}. */
export interface RunExperimentsOptions {
  /** Profile. */
  profile: Profile;
  /** Experiment ids (of `EXPERIMENTS`; not used when `experiments` is given). */
  only: string[];
  /** Experiments to run instead of `EXPERIMENTS` filtered by `only` (e.g. `deno task compare`'s, on a user's table). */
  experiments?: readonly Experiment[];
  /** `[i, n]`: this process computes slice i (1-based) of n. */
  shard: [number, number];
  /** Workers (default one per core). */
  jobs?: number;
  /** Restricts the experiments to these dataset ids (the others are not run, as if not selected). */
  onlyDatasets?: readonly string[];
  /** The most runs a group trains together (default: as many as the memory budget allows, `group_size.ts`). */
  groupSize?: number;
  /** Recompute runs even when cached. */
  force: boolean;
  /** Active backend (workers select the same). */
  backend: string;
  /** Results folder. */
  resultsDir: string;
  /**
   * The datasets as `fetchDataset` reported them; the available ones are loaded from the files it
   * obtained. A dataset of the selected experiments that is not listed counts as not present.
   */
  datasets: readonly DatasetStatus[];
  /** Datasets in memory by id (e.g. a user's table): used as they are, instead of loading a registry dataset. */
  tables?: ReadonlyMap<string, RunData>;
  /** Called once the runs are planned and the cache looked up, before computing. */
  onPlanned?: (plan: ExperimentPlan) => void;
  /** Called after each computed run. */
  onProgress?: (progress: ExperimentProgress) => void;
}

/** What {@linkcode runExperiments} did. */
export interface RunExperimentsResult {
  /** Runs computed now. */
  computed: number;
  /** Runs of this shard found in the cache. */
  cached: number;
  /** Datasets of the selected experiments that are not available. */
  notPresent: string[];
  /** The selected experiments' tables (also written to `results/tables/<id>.json`). */
  reports: ExperimentSummary[];
  /** Code version, tfjs version, profile, shard. */
  provenance: Record<string, unknown>;
}

/** A dataset as the runs see it. */
interface LoadedDataset {
  /** Its rows. */
  data: RunData;
  /** {@linkcode datasetHash} of the rows. */
  sha256: string;
  /** First feature and first target of every row (the synthetic figures' x and truth). */
  points: { x: number[]; truth: number[] };
}

/** An experiment's planned runs and their keys (`keys[i]` is the key of `runs[i]`). */
interface ExperimentRuns {
  experiment: Experiment;
  runs: PlannedRun[];
  keys: string[];
}

/**
 * Runs (or finds in the cache) the selected experiments and reports them (see the module notes).
 *
 * @example
 * ```ts
 * import { runExperiments } from "./orchestrate.ts";
 * import { PROFILES } from "./profiles.ts";
 * import assert from "node:assert/strict";
 * const resultsDir = await Deno.makeTempDir();
 * // No dataset available: nothing runs, the table says so.
 * const r = await runExperiments({ profile: PROFILES.smoke, only: ["synthetic"], shard: [1, 1], force: false,
 *   backend: "cpu", resultsDir, datasets: [] });
 * assert.deepEqual([r.computed, r.cached, r.notPresent], [0, 0, ["sine", "squared-sine"]]);
 * await Deno.remove(resultsDir, { recursive: true });
 * ```
 */
export async function runExperiments(o: RunExperimentsOptions): Promise<RunExperimentsResult> {
  const selected = (o.experiments ?? EXPERIMENTS.filter((e) => o.only.includes(e.id))).map((e) =>
    o.onlyDatasets ? { ...e, datasets: e.datasets.filter((d) => o.onlyDatasets!.includes(d)) } : e
  );
  const { loaded, notPresent } = await loadData(selected, o.datasets, o.tables);
  const version = await codeVersion();
  const { experiments, inputsByKey } = await planRuns(selected, o, loaded, version);
  const planned = [...inputsByKey].map(([key, inputs]) => ({ key, config: inputs.config, inputs }));
  const shape = (id: string) => {
    const d = loaded.get(id)!.data;
    return { inputDim: d.train.x[0].length, rows: d.train.x.length };
  };
  const groups = groupRuns(
    planned,
    o.groupSize ??
      maxGroupSize(planned.map((r) => ({ config: r.config, inputDim: shape(r.config.dataset).inputDim }))),
    shape,
  );
  const mine = shardGroups(groups, o.shard[0], o.shard[1]);
  const todo: GroupToCompute[] = [];
  let cached = 0, total = 0;
  for (const g of mine) {
    const recorded: string[] = [];
    for (const r of g.runs) if (!o.force && await hasRecord(o.resultsDir, r.key)) recorded.push(r.key);
    total += g.runs.length;
    cached += recorded.length;
    if (recorded.length < g.runs.length) todo.push({ group: g, recorded });
  }
  const toCompute = total - cached;
  o.onPlanned?.({
    experiments: selected.map((e) => e.id),
    total,
    cached,
    toCompute,
    groups: todo.length,
    notPresent,
  });
  const { computed, seconds } = await computeRuns(todo, { cached, total, toCompute }, o, loaded);
  const reports = await summarise(experiments, o, loaded);
  return {
    computed,
    cached,
    notPresent,
    reports,
    provenance: {
      codeVersion: version,
      tfjs: tf.version.tfjs,
      profile: o.profile.name,
      shard: o.shard,
      computed,
      cached,
      computeSeconds: seconds,
      datasetSha256: Object.fromEntries([...loaded].map(([id, d]) => [id, d.sha256])),
    },
  };
}

/**
 * Step 1: the selected experiments' available datasets, the in-memory `tables` first (a dataset with missing
 * targets is not present).
 */
async function loadData(
  selected: readonly Experiment[],
  statuses: readonly DatasetStatus[],
  tables?: ReadonlyMap<string, RunData>,
): Promise<{ loaded: Map<string, LoadedDataset>; notPresent: string[] }> {
  const wanted = [...new Set(selected.flatMap((e) => e.datasets))];
  const available = new Map(statuses.filter((s) => s.available).map((s) => [s.id, s]));
  const notPresent = wanted.filter((d) => !available.has(d) && !tables?.has(d));
  const loaded = new Map<string, LoadedDataset>();
  for (const id of wanted.filter((d) => tables?.has(d) || available.has(d))) {
    const d = tables?.get(id) ?? await loadDataset(id, { status: available.get(id) });
    const data = { train: d.train, test: d.test };
    if ([...data.train.y, ...data.test.y].some((r) => !r.every(Number.isFinite))) {
      notPresent.push(`${id} (missing target values: not supported by the protocol runner)`);
      continue;
    }
    loaded.set(id, {
      data,
      sha256: await datasetHash(data),
      points: {
        x: [...d.train.x, ...d.test.x].map((r) => r[0]),
        truth: [...d.train.y, ...d.test.y].map((r) => r[0]),
      },
    });
  }
  return { loaded, notPresent };
}

/** Step 2: every selected experiment's runs on the loaded datasets, keyed; the key inputs by key. */
async function planRuns(
  selected: readonly Experiment[],
  o: RunExperimentsOptions,
  loaded: ReadonlyMap<string, LoadedDataset>,
  version: string,
): Promise<{ experiments: ExperimentRuns[]; inputsByKey: Map<string, RunKeyInputs> }> {
  const shapes = Object.fromEntries(
    [...loaded].map(([id, d]) => [id, { features: d.data.train.x[0].length }]),
  );
  const experiments: ExperimentRuns[] = [];
  const inputsByKey = new Map<string, RunKeyInputs>();
  for (const experiment of selected) {
    const runs = planExperiment(experiment, o.profile, shapes);
    const keys: string[] = [];
    for (const r of runs) {
      const inputs: RunKeyInputs = {
        config: r.config,
        datasetSha256: loaded.get(r.dataset)!.sha256,
        seed: r.config.seed,
        backend: o.backend,
        codeVersion: version,
        tfjs: tf.version.tfjs,
      };
      const key = await runKey(inputs);
      keys.push(key);
      inputsByKey.set(key, inputs);
    }
    experiments.push({ experiment, runs, keys });
  }
  return { experiments, inputsByKey };
}

/** A group of this shard with runs missing from the cache (`recorded`: the others). */
interface GroupToCompute {
  group: RunGroup<{ key: string; config: RunKeyInputs["config"]; inputs: RunKeyInputs }>;
  recorded: string[];
}

/**
 * Step 3: computes the groups `todo` on the worker pool, the costliest first, reporting after each group; the
 * count of runs written and the busy seconds.
 */
async function computeRuns(
  todo: readonly GroupToCompute[],
  counts: { cached: number; total: number; toCompute: number },
  o: RunExperimentsOptions,
  loaded: ReadonlyMap<string, LoadedDataset>,
): Promise<{ computed: number; seconds: number }> {
  let computed = 0;
  let seconds = 0;
  let costDone = 0;
  const costTotal = todo.reduce((sum, t) => sum + t.group.cost, 0);
  const started = performance.now();
  const tasks = [...todo].sort((a, b) => b.group.cost - a.group.cost).map((t) => ({
    runs: t.group.runs.map((r) => ({ key: r.key, inputs: r.inputs })),
    recorded: t.recorded,
    cost: t.group.cost,
  }));
  await runPool(tasks, {
    jobs: o.jobs,
    backend: o.backend,
    resultsDir: o.resultsDir,
    datasets: new Map([...loaded].map(([id, d]) => [id, d.data])),
    onDone: (task, groupSeconds, written) => {
      computed += written;
      seconds += groupSeconds;
      costDone += (task as (typeof tasks)[number]).cost;
      const elapsedSeconds = (performance.now() - started) / 1000;
      o.onProgress?.({
        done: counts.cached + computed,
        total: counts.total,
        cached: counts.cached,
        computed,
        toCompute: counts.toCompute,
        elapsedSeconds,
        // By the estimated cost of the groups left (groups differ in size and model).
        etaSeconds: costDone > 0 ? (elapsedSeconds / costDone) * (costTotal - costDone) : NaN,
      });
    },
  });
  return { computed, seconds };
}

/** Step 4: each experiment's table from the records found, written to `results/tables/<id>.json`. */
async function summarise(
  experiments: readonly ExperimentRuns[],
  o: RunExperimentsOptions,
  loaded: ReadonlyMap<string, LoadedDataset>,
): Promise<ExperimentSummary[]> {
  await Deno.mkdir(join(o.resultsDir, "tables"), { recursive: true });
  const reports: ExperimentSummary[] = [];
  for (const { experiment, runs, keys } of experiments) {
    const records = new Map<string, RunRecord>();
    for (const k of keys) {
      const r = await readRecord(o.resultsDir, k);
      if (r) records.set(k, r);
    }
    const report = summarizeExperiment(experiment.id, runs, keys, records, (id) => loaded.get(id)!.points);
    await writeFileAtomic(
      join(o.resultsDir, "tables", `${experiment.id}.json`),
      JSON.stringify({ profile: o.profile.name, title: experiment.title, ...report }) + "\n",
    );
    reports.push(report);
  }
  return reports;
}
