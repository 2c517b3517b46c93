/**
 * The plan of a sweep, computed without training anything: the selected experiments' datasets loaded
 * (those `fetchDataset` found available), every run and its run-cache key, and the runs' groups
 * (`run_groups.ts`). `runExperiments` computes and reports a plan; `sweepStatus` counts what of it is
 * recorded; `deno task reproduce --slurm` splits it between the tasks of a job array.
 *
 * Every process that plans the same selection with the same code, data and backend gets the same
 * plan (the same keys, groups and {@linkcode SweepPlan.digest}), which is what lets shards of one
 * sweep run anywhere.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { DatasetStatus } from "../data/fetch_dataset.ts";
import { loadDataset } from "../data/load_dataset.ts";
import { sha256Hex } from "../data/sha256.ts";
import { canonicalJson } from "./canonical_json.ts";
import { codeVersion } from "./code_version.ts";
import { type Experiment, EXPERIMENTS, planExperiment, type PlannedRun } from "./experiments.ts";
import { maxGroupSize } from "./group_size.ts";
import type { Profile } from "./profiles.ts";
import type { RunConfig, RunData } from "./run.ts";
import { datasetHash, runKey, type RunKeyInputs } from "./run_cache.ts";
import { groupRuns, type RunGroup } from "./run_groups.ts";

/** What a sweep is made of: the selection, and the datasets as `fetchDataset` reported them. */
export interface SweepSelection {
  /** Profile. */
  profile: Profile;
  /** Experiment ids (of `EXPERIMENTS`; not used when `experiments` is given). */
  only: readonly string[];
  /** Experiments to run instead of `EXPERIMENTS` filtered by `only` (e.g. `deno task compare`'s, on a user's table). */
  experiments?: readonly Experiment[];
  /** Datasets in memory by id (e.g. a user's table): used as they are, instead of loading a registry dataset. */
  tables?: ReadonlyMap<string, RunData>;
  /** Restricts the experiments to these dataset ids (the others are not run, as if not selected). */
  onlyDatasets?: readonly string[];
  /** The most runs a group trains together (default: as many as the memory budget allows, `group_size.ts`). */
  groupSize?: number;
  /** The runs' backend (part of their keys). */
  backend: string;
  /**
   * The datasets as `fetchDataset` reported them; the available ones are loaded from the files it
   * obtained. A dataset of the selected experiments that is not listed counts as not present.
   */
  datasets: readonly DatasetStatus[];
}

/** A dataset as the runs see it. */
export interface LoadedDataset {
  /** Its rows. */
  data: RunData;
  /** {@linkcode datasetHash} of the rows. */
  sha256: string;
  /** First feature and first target of every row (the synthetic figures' x and truth). */
  points: { x: number[]; truth: number[] };
}

/** An experiment's planned runs and their keys (`keys[i]` is the key of `runs[i]`). */
export interface ExperimentRuns {
  /** The experiment (its datasets restricted by `onlyDatasets`). */
  experiment: Experiment;
  /** Its runs on the datasets present. */
  runs: PlannedRun[];
  /** Their keys. */
  keys: string[];
}

/** A run of the sweep: its key, config and key inputs. */
export interface SweepRun {
  /** Its cache key. */
  key: string;
  /** Its config. */
  config: RunConfig;
  /** What the key was computed from. */
  inputs: RunKeyInputs;
}

/** What {@linkcode planSweep} returns. */
export interface SweepPlan {
  /** Each selected experiment's runs, in the order of `EXPERIMENTS`. */
  runs: ExperimentRuns[];
  /** The distinct runs' groups, by id (`run_groups.ts`). */
  groups: RunGroup<SweepRun>[];
  /** The group size bound the groups were made with. */
  groupSize: number;
  /** Datasets of the selected experiments that are not available (with the reason where it is not absence). */
  notPresent: string[];
  /** The loaded datasets, by id. */
  datasets: ReadonlyMap<string, LoadedDataset>;
  /** The code version the keys hold (`code_version.ts`). */
  codeVersion: string;
  /**
   * sha256 of the group size and the sorted keys: equal digests mean equal plans (same runs, same
   * groups, so the same shards).
   */
  digest: string;
}

/**
 * Plans the sweep of `selection` (see the module notes): loads the available datasets, keys every run,
 * groups the runs. Trains nothing and reads nothing of the run cache.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planSweep } from "./plan_sweep.ts";
 * import { PROFILES } from "./profiles.ts";
 * // No dataset available: no runs; the datasets are named as not present.
 * const plan = await planSweep({ profile: PROFILES.smoke, only: ["synthetic"], backend: "cpu", datasets: [] });
 * assert.deepEqual([plan.groups.length, plan.notPresent], [0, ["sine", "squared-sine"]]);
 * assert.match(plan.digest, /^[0-9a-f]{64}$/);
 * ```
 */
export async function planSweep(selection: SweepSelection): Promise<SweepPlan> {
  const selected = (selection.experiments ?? EXPERIMENTS.filter((e) => selection.only.includes(e.id))).map((
    e,
  ) =>
    selection.onlyDatasets
      ? { ...e, datasets: e.datasets.filter((d) => selection.onlyDatasets!.includes(d)) }
      : e
  );
  const { loaded, notPresent } = await loadData(selected, selection.datasets, selection.tables);
  const version = await codeVersion();
  const { runs, inputsByKey } = await keyRuns(selected, selection, loaded, version);
  const planned = [...inputsByKey].map(([key, inputs]) => ({ key, config: inputs.config, inputs }));
  const shape = (id: string) => {
    const d = loaded.get(id)!.data;
    return { inputDim: d.train.x[0].length, rows: d.train.x.length };
  };
  const groupSize = selection.groupSize ??
    maxGroupSize(planned.map((r) => ({ config: r.config, inputDim: shape(r.config.dataset).inputDim })));
  const groups = groupRuns(planned, groupSize, shape);
  const keys = [...inputsByKey.keys()].sort();
  const digest = await sha256Hex(new TextEncoder().encode(canonicalJson({ groupSize, keys })));
  return { runs, groups, groupSize, notPresent, datasets: loaded, codeVersion: version, digest };
}

/**
 * The selected experiments' available datasets, the in-memory `tables` first (a dataset with missing targets is
 * not present).
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

/** Every selected experiment's runs on the loaded datasets, keyed; the key inputs by key. */
async function keyRuns(
  selected: readonly Experiment[],
  selection: SweepSelection,
  loaded: ReadonlyMap<string, LoadedDataset>,
  version: string,
): Promise<{ runs: ExperimentRuns[]; inputsByKey: Map<string, RunKeyInputs> }> {
  const shapes = Object.fromEntries(
    [...loaded].map(([id, d]) => [id, { features: d.data.train.x[0].length }]),
  );
  const runs: ExperimentRuns[] = [];
  const inputsByKey = new Map<string, RunKeyInputs>();
  for (const experiment of selected) {
    const planned = planExperiment(experiment, selection.profile, shapes);
    const keys: string[] = [];
    for (const r of planned) {
      const inputs: RunKeyInputs = {
        config: r.config,
        datasetSha256: loaded.get(r.dataset)!.sha256,
        seed: r.config.seed,
        backend: selection.backend,
        codeVersion: version,
        tfjs: tf.version.tfjs,
      };
      const key = await runKey(inputs);
      keys.push(key);
      inputsByKey.set(key, inputs);
    }
    runs.push({ experiment, runs: planned, keys });
  }
  return { runs, inputsByKey };
}
