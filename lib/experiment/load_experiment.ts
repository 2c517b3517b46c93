/**
 * One experiment's report for a notebook: fetches (and verifies) the experiment's datasets, then
 * runs it through the run cache ({@linkcode runExperiments}): runs already computed — by
 * `deno task reproduce` or an earlier notebook session — are read, the missing ones computed.
 *
 * @module
 */
import { dataLocation, type DatasetStatus, fetchDataset } from "../data/fetch_dataset.ts";
import { EXPERIMENTS } from "./experiments.ts";
import { runExperiments, type RunExperimentsOptions } from "./orchestrate.ts";
import { PROFILES } from "./profiles.ts";
import type { ExperimentSummary } from "./summary.ts";

/** What {@linkcode loadExperiment} returns. */
export interface LoadedExperiment {
  /** The experiment's title. */
  title: string;
  /** Its report (tables are also written to `results/tables/<id>.json`). */
  report: ExperimentSummary;
  /** The status of each of its datasets (the unavailable ones say how to obtain them). */
  data: DatasetStatus[];
  /** Runs computed now and found in the cache. */
  computed: number;
  /** Runs found in the cache. */
  cached: number;
}

/**
 * The report of experiment `id` under `profile`, reusing `resultsDir`'s run cache.
 *
 * @param options.backend the tfjs backend of the runs (part of the cache key)
 * @param options.jobs workers for runs that are not cached (default one per core)
 * @param options.onPlanned called once the runs are planned (see {@linkcode runExperiments})
 * @param options.onProgress called after each computed run
 *
 * @example
 * ```ts ignore
 * import { loadExperiment } from "./load_experiment.ts";
 * const { report } = await loadExperiment("table1", { profile: "smoke", resultsDir: "results", backend: "wasm" });
 * ```
 */
export async function loadExperiment(
  id: string,
  options:
    & { profile: string; resultsDir: string; backend: string; jobs?: number }
    & Pick<RunExperimentsOptions, "onPlanned" | "onProgress">,
): Promise<LoadedExperiment> {
  const experiment = EXPERIMENTS.find((e) => e.id === id);
  if (!experiment) {
    throw new Error(
      `loadExperiment: unknown experiment "${id}"; use ${EXPERIMENTS.map((e) => e.id).join(", ")}`,
    );
  }
  const profile = PROFILES[options.profile as keyof typeof PROFILES];
  if (!profile) {
    throw new Error(`loadExperiment: unknown profile "${options.profile}"; use smoke, quick or paper`);
  }
  const location = dataLocation();
  const data: DatasetStatus[] = [];
  for (const d of experiment.datasets) data.push(await fetchDataset(d, { location }));
  const result = await runExperiments({
    profile,
    only: [id],
    shard: [1, 1],
    jobs: options.jobs,
    force: false,
    backend: options.backend,
    resultsDir: options.resultsDir,
    datasets: data,
    onPlanned: options.onPlanned,
    onProgress: options.onProgress,
  });
  return {
    title: experiment.title,
    report: result.reports[0],
    data,
    computed: result.computed,
    cached: result.cached,
  };
}
