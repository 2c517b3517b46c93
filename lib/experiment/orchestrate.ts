/**
 * The experiments part of `deno task reproduce` (and of the notebooks' `loadExperiment`), in four
 * steps:
 *
 * 1. plan (`plan_sweep.ts`): load the selected experiments' datasets that `fetchDataset` found available
 *    (nothing is fetched twice), key every run, group the runs (`run_groups.ts`: runs that differ only in
 *    learning rate, weight decay and the method's parameter train together as one program);
 * 2. shard: `--shard i/n` takes whole groups, balanced by cost (`shardGroups`); a process may insist on
 *    the plan it was started for (`planDigest`: the job array of `reproduce --slurm`);
 * 3. compute: this shard's groups with a run not in the cache are computed, whole, on the worker pool;
 * 4. summarise (unless `report: false`): every selected experiment's table from whatever records exist,
 *    written to `results/tables/<experiment>.json`.
 *
 * Progress (the plan, then each computed group's runs with an ETA) goes to the callbacks; the caller prints it.
 *
 * The rest of `lib/experiment/`: `experiments.ts` (what runs: the paper's experiments as data) and
 * `profiles.ts` (how much of it), `run.ts` (one training run) and `kfold.ts`, `run_cache.ts` (the
 * content-addressed cache, keyed with `code_version.ts` and `canonical_json.ts`), `run_group.ts`
 * (a group of runs as one program), `run_groups.ts` (grouping, sharding by group) and `group_size.ts`,
 * `plan_sweep.ts` (the plan), `sweep_status.ts` (planned vs recorded, per experiment and per shard),
 * `pool.ts` and `worker.ts` (parallel groups), `submit_sweep.ts` and `sweep_submission.ts` (the sweep as a
 * Slurm job array, `lib/slurm/`), `select.ts`, `aggregate.ts` and `summary.ts` (the tables), and
 * `load_experiment.ts` (one experiment for a notebook). The methods and their objectives are the
 * registry `lib/methods.ts`.
 *
 * @module
 */
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { runPool } from "./pool.ts";
import { type ExperimentSummary, summarizeExperiment } from "./summary.ts";
import { hasRecord, readRecord, type RunRecord } from "./run_cache.ts";
import { type RunGroup, shardGroups } from "./run_groups.ts";
import {
  type LoadedDataset,
  planSweep,
  type SweepPlan,
  type SweepRun,
  type SweepSelection,
} from "./plan_sweep.ts";

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

/** Options of {@linkcode runExperiments}: the selection (the backend is the active one: workers select the same), and how. */
export interface RunExperimentsOptions extends SweepSelection {
  /** `[i, n]`: this process computes slice i (1-based) of n. */
  shard: [number, number];
  /** Workers (default: the CPUs Slurm gave the task, `SLURM_CPUS_PER_TASK`, else one per core). */
  jobs?: number;
  /** Recompute runs even when cached. */
  force: boolean;
  /** Results folder. */
  resultsDir: string;
  /**
   * Refuse to compute (throw) unless the plan's digest ({@linkcode SweepPlan.digest}) is this one: the
   * plan a job array's tasks were submitted for (changed code, data or selection would change it).
   */
  planDigest?: string;
  /** Summarise the experiments into tables (default true); false: only compute (`reports` is empty). */
  report?: boolean;
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
  /** The selected experiments' tables (also written to `results/tables/<id>.json`); none with `report: false`. */
  reports: ExperimentSummary[];
  /** Code version, tfjs version, profile, shard. */
  provenance: Record<string, unknown>;
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
  const plan = await planSweep(o);
  if (o.planDigest !== undefined && plan.digest !== o.planDigest) {
    const [now, then] = [plan.digest.slice(0, 12), o.planDigest.slice(0, 12)];
    throw new Error(
      `the plan differs from the one this process was started for (digest ${now}, expected ${then}): ` +
        "the code, the data or the selection changed since; plan anew",
    );
  }
  const mine = shardGroups(plan.groups, o.shard[0], o.shard[1]);
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
    experiments: plan.runs.map((e) => e.experiment.id),
    total,
    cached,
    toCompute,
    groups: todo.length,
    notPresent: plan.notPresent,
  });
  const { computed, seconds } = await computeRuns(todo, { cached, total, toCompute }, o, plan.datasets);
  const reports = o.report === false ? [] : await summarise(plan, o);
  return {
    computed,
    cached,
    notPresent: plan.notPresent,
    reports,
    provenance: {
      codeVersion: plan.codeVersion,
      tfjs: tf.version.tfjs,
      profile: o.profile.name,
      shard: o.shard,
      computed,
      cached,
      computeSeconds: seconds,
      datasetSha256: Object.fromEntries([...plan.datasets].map(([id, d]) => [id, d.sha256])),
    },
  };
}

/** A group of this shard with runs missing from the cache (`recorded`: the others). */
interface GroupToCompute {
  group: RunGroup<SweepRun>;
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
async function summarise(plan: SweepPlan, o: RunExperimentsOptions): Promise<ExperimentSummary[]> {
  await Deno.mkdir(join(o.resultsDir, "tables"), { recursive: true });
  const reports: ExperimentSummary[] = [];
  for (const { experiment, runs, keys } of plan.runs) {
    const records = new Map<string, RunRecord>();
    for (const k of keys) {
      const r = await readRecord(o.resultsDir, k);
      if (r) records.set(k, r);
    }
    const report = summarizeExperiment(
      experiment.id,
      runs,
      keys,
      records,
      (id) => plan.datasets.get(id)!.points,
    );
    await writeFileAtomic(
      join(o.resultsDir, "tables", `${experiment.id}.json`),
      JSON.stringify({ profile: o.profile.name, title: experiment.title, ...report }) + "\n",
    );
    reports.push(report);
  }
  return reports;
}
