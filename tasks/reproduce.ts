/**
 * `deno task reproduce` — regenerates what the kit can reproduce into `results/`.
 *
 * ```
 * deno task reproduce [--profile standard|smoke|quick|paper] [--only table1,table5,…] [--datasets a,b] [--shard i/n]
 *                     [--jobs N] [--group-size K]
 *                     [--force] [--notebooks|--no-notebooks] [--backend X] [--results DIR] [--json]
 * deno task reproduce --status [selection…] [--array N]
 * deno task reproduce --slurm [selection…] [--array N] [--partition P] [--time HH:MM:SS] [--cpus-per-task C]
 *                     [--sbatch-arg=--OPTION=VALUE]… [--dry-run] [--resume]
 * ```
 *
 * It (1) checks every theorem numerically (`proofs/`), (2) fetches and verifies every dataset of
 * the registry (reporting the unavailable ones with how to obtain them), (3) runs the paper's
 * experiments (`lib/experiment/experiments.ts`: table1, table5, table6, table7, alpha, synthetic,
 * fig6; and `runtime`, the Table 2 benchmark of `lib/bench/runtime_artifact.ts`, rerun every time
 * since times are not cached; `--only` picks some) under a profile (`lib/experiment/profiles.ts`;
 * default `standard`) on the datasets that are available (loaded from the files step 2 obtained),
 * through the run cache `results/runs/` (completed runs are never recomputed unless `--force`; a
 * killed run is simply redone), on a pool of `--jobs` workers (default: one per CPU Slurm gave the
 * task, `SLURM_CPUS_PER_TASK`, else one per core), (4) compares every number of the paper's Tables 1,
 * 5, 6, 7 that the data allows with ours (`results/claims.json`, rule in `lib/paper/claims.ts`), (5)
 * executes the notebooks headless when Jupyter is installed (`--notebooks`: fail without it;
 * `--no-notebooks`: skip), and (6) writes `results/report.md` and `report.html`,
 * `results/tables/*.{md,csv,json}`, `results/figures/*.{svg,png}`, `proofs.json`, `data.json` and
 * `provenance.json` from whatever runs exist (so shards can share one results folder: run `--shard 1/2`
 * and `--shard 2/2`, then any run without `--shard`, or a rerun of either, reports them all).
 *
 * `--shard i/n` (1 ≤ i ≤ n) computes only the groups of runs (`lib/experiment/run_groups.ts`) that
 * shard i of n takes: whole groups, balanced by estimated cost; the n shards are disjoint and cover the
 * sweep. Progress (done/total, cached vs computed, ETA) goes to stderr; the last line on stdout is
 * `computed C, cached K`.
 *
 * Other modes:
 *
 * - `--status`: the selection's runs planned vs recorded in the run cache, per artifact (a table;
 *   `--json` an object), and per shard of `--array N` or of the last Slurm submission of the same plan.
 *   Computes nothing (it fetches the selection's datasets when they are not cached: the keys need them).
 * - `--slurm`: fetches every dataset here (into the data cache the jobs share), plans the sweep, and
 *   submits a Slurm job array whose task i computes shard i of N (`--array N`, default 10 or the number
 *   of groups if fewer; only the shards with runs to compute) and a job that runs after it
 *   (`afterok`) and assembles everything as a plain `reproduce` would; it prints the job IDs and where
 *   the logs go, and returns. The jobs run this Deno binary on this file with absolute paths, and see
 *   the `GAR_*`, `DENO_*` and `XDG_RUNTIME_DIR` variables of this shell. `--partition`, `--time`,
 *   `--cpus-per-task` and `--sbatch-arg` (repeatable, one sbatch option each, e.g.
 *   `--sbatch-arg=--mem=8G`) go to both jobs. `--dry-run` writes the batch scripts and prints the sbatch
 *   commands without submitting. `--resume` continues the last submission (`results/slurm/`): the same
 *   selection and N, only the shards that still miss runs (and are not still queued or running), and a
 *   new assembling job. Each submission keeps its scripts, `submission.json` and `logs/` in
 *   `results/slurm/<time>/`.
 * - `--compute-only` (internal: the array's tasks): only step 3, for the selection's datasets, without
 *   tables; `--plan-digest D` (internal) makes a job refuse a plan other than the one submitted.
 *
 * Environment: `GAR_RESULTS_DIR` (default `results/`), `GAR_BACKEND`, `GAR_DATA_DIR`, `GAR_DATA_MIRROR`.
 * Exit status: 0 when every proof passed, no data file was refused and no notebook failed; 1
 * otherwise; 2 on a usage error.
 *
 * @module
 */
import { writeFileAtomic } from "../lib/fs/write_file_atomic.ts";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { type BackendName, describeBackend, selectBackend } from "../lib/backend.ts";
import { dataLocation } from "../lib/data/fetch_dataset.ts";
import { runProofs } from "../proofs/mod.ts";
import { runExperiments, type RunExperimentsOptions } from "../lib/experiment/orchestrate.ts";
import { formatSeconds, stderrProgress } from "./_progress.ts";
import { EXPERIMENTS } from "../lib/experiment/experiments.ts";
import { loadPaperTables } from "../lib/paper/paper_tables.ts";
import { reproductionClaims, writeReproduction } from "../lib/paper/reproduction.ts";
import { PROJECT_NOTEBOOKS } from "../lib/paper/notebooks.ts";
import { executeNotebooks, type NotebooksRun } from "../lib/process/jupyter.ts";
import { runtimeArtifact } from "../lib/bench/runtime_artifact.ts";
import { gitCommit } from "../lib/process/git_commit.ts";
import { slurmJobEnv } from "../lib/slurm/job_env.ts";
import { defaultJobs } from "../lib/experiment/pool.ts";
import { fetchData, parseReproduceArgs, type ReproduceArgs, selectedDatasets, USAGE } from "./_reproduce.ts";
import { slurmMode, statusMode } from "./_reproduce_slurm.ts";

export { resultsDir } from "./_reproduce.ts";

function writeJson(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Runs the task with command-line arguments; returns the exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./reproduce.ts";
 * assert.equal(await main(["--no-such-flag"]), 2);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  const parsed = parseReproduceArgs(args);
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  if (typeof parsed === "string") {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  if (parsed.status) return await statusMode(parsed);
  if (parsed.slurm) return await slurmMode(parsed);
  if (parsed.computeOnly) return await computeOnly(parsed);
  return await reproduce(parsed);
}

/** The progress callbacks of `runExperiments`, printing to stderr. */
function progressPrinter(a: ReproduceArgs): Pick<RunExperimentsOptions, "onPlanned" | "onProgress"> & {
  end: () => void;
} {
  const progress = stderrProgress();
  let lastPrint = 0;
  return {
    onPlanned: (p) =>
      console.error(
        `experiments: ${p.experiments.join(", ")} (profile ${a.profile.name}, shard ${a.shard.join("/")}): ` +
          `${p.total} runs, ${p.cached} cached, ${p.toCompute} to compute in ${p.groups} groups` +
          (p.notPresent.length ? `; not present: ${p.notPresent.join(", ")}` : ""),
      ),
    onProgress: (p) => {
      const now = performance.now();
      const due = now - lastPrint > 5000 || p.computed === p.toCompute;
      if (due) lastPrint = now;
      progress.show(
        `  ${p.done}/${p.total} done (cached ${p.cached}, computed ${p.computed}) ` +
          `elapsed ${formatSeconds(p.elapsedSeconds)} ETA ${formatSeconds(p.etaSeconds)}`,
        due,
      );
    },
    end: () => progress.end(),
  };
}

/**
 * `--compute-only` (a task of `--slurm`'s job array): this shard's runs of the selection into the run
 * cache, nothing else (no proofs, tables, report or notebooks).
 */
async function computeOnly(a: ReproduceArgs): Promise<number> {
  await Deno.mkdir(a.results, { recursive: true });
  // Selected here as in a full run, not only named: the WebGPU probe of `selectBackend` keeps the Vulkan
  // driver loaded in this thread; were the pool's workers its only users, their teardown would unload it
  // while the process exits, which crashes the exit (SIGSEGV in an exit handler) now and then.
  const choice = await selectBackend({ backend: a.backend as BackendName | "auto" | undefined });
  console.error(describeBackend(choice));
  const job = slurmJobEnv();
  console.error(
    `compute-only: shard ${a.shard.join("/")} on ${Deno.hostname()}` +
      (job.jobId === null ? "" : `, Slurm job ${job.jobId}`) +
      (job.arrayTaskId === null ? "" : ` (array ${job.arrayJobId}, task ${job.arrayTaskId})`) +
      (job.cpusPerTask === null ? "" : `, ${job.cpusPerTask} CPU(s)`) +
      `, ${a.jobs ?? defaultJobs()} worker(s)`,
  );
  const data = await fetchData(selectedDatasets(a.only, a.datasets), true);
  const progress = progressPrinter(a);
  const experiments = await runExperiments({
    profile: a.profile,
    only: a.only.filter((id) => id !== "runtime"),
    shard: a.shard,
    jobs: a.jobs,
    groupSize: a.groupSize,
    onlyDatasets: a.datasets,
    force: a.force,
    backend: choice.backend,
    resultsDir: a.results,
    datasets: data,
    planDigest: a.planDigest,
    report: false,
    onPlanned: progress.onPlanned,
    onProgress: progress.onProgress,
  });
  if (experiments.computed > 0) progress.end();
  const summary = { shard: a.shard, computed: experiments.computed, cached: experiments.cached };
  if (a.json) console.log(JSON.stringify(summary, null, 2));
  else console.log(`computed ${experiments.computed}, cached ${experiments.cached}`);
  return 0;
}

/** The whole reproduction (see the module notes). */
async function reproduce(a: ReproduceArgs): Promise<number> {
  const { profile, only, shard } = a;
  const out = a.results;
  const started = performance.now();
  await Deno.mkdir(out, { recursive: true });
  const choice = await selectBackend({ backend: a.backend as BackendName | "auto" | undefined });
  console.error(describeBackend(choice));

  console.error("proofs: checking Theorems 1, 4, 6 and Corollaries 2, 3 …");
  const proofs = await runProofs({
    onResult: (r, s) => console.error(`  ${r.id}: ${r.passed ? "PASS" : "FAIL"} (${s.toFixed(1)}s)`),
  });

  console.error("data: fetching and verifying every registered dataset …");
  const location = dataLocation();
  const data = await fetchData();
  const refused = data.flatMap((d) => d.files).filter((f) => f.state === "refused");

  const progress = progressPrinter(a);
  const experiments = await runExperiments({
    profile,
    only: only.filter((id) => id !== "runtime"),
    shard,
    jobs: a.jobs,
    groupSize: a.groupSize,
    onlyDatasets: a.datasets,
    force: a.force,
    backend: choice.backend,
    resultsDir: out,
    datasets: data,
    planDigest: a.planDigest,
    onPlanned: progress.onPlanned,
    onProgress: progress.onProgress,
  });
  if (experiments.computed > 0) progress.end();

  let runtime: Awaited<ReturnType<typeof runtimeArtifact>> | undefined;
  if (only.includes("runtime")) {
    console.error(`runtime: Table 2 benchmark (profile ${profile.name}) …`);
    runtime = await runtimeArtifact(profile.name, out, { onProgress: (line) => console.error(`  ${line}`) });
  }

  const paperTables = await loadPaperTables();
  const claims = reproductionClaims(paperTables, experiments.reports, runtime?.rows);

  const provenance = {
    deno: Deno.version.deno,
    tfjs: tf.version.tfjs,
    backend: choice.backend,
    adapter: choice.adapter,
    dataCache: location.cacheDir,
    dataMirror: location.mirror,
    dataHashes: Object.fromEntries(
      data.flatMap((d) => d.files).filter((f) => f.actual).map((f) => [f.path, f.actual]),
    ),
    git: await gitCommit(fileURLToPath(new URL("..", import.meta.url))),
    profile: profile.name,
    experiments: experiments.provenance,
    wallSeconds: (performance.now() - started) / 1000,
    finishedAt: new Date().toISOString(),
  };
  await writeJson(join(out, "proofs.json"), proofs);
  await writeJson(join(out, "data.json"), data);
  await writeJson(join(out, "provenance.json"), provenance);
  await writeJson(join(out, "claims.json"), claims);

  // Notebooks: executed when Jupyter is there (required with --notebooks; skipped with --no-notebooks).
  let notebooks: NotebooksRun | undefined;
  if (a.notebooks !== "no-notebooks") {
    console.error("notebooks: executing headless …");
    notebooks = await executeNotebooks(PROJECT_NOTEBOOKS, {
      resultsDir: out,
      env: { GAR_PROFILE: profile.name, GAR_RESULTS_DIR: out, GAR_NOTEBOOK_BACKEND: choice.backend },
      required: a.notebooks === "notebooks",
      throwOnFailure: false,
      log: (line) => console.error(`  ${line}`),
    });
    console.error(`  ${notebooks.message}`);
  }
  await writeReproduction(out, {
    profile,
    proofs,
    data,
    experiments: experiments.reports.map((report) => ({
      title: EXPERIMENTS.find((e) => e.id === report.experiment)?.title ?? report.experiment,
      report,
    })),
    claims,
    runtime: runtime?.rows,
    scaling: runtime?.scaling,
    paper: paperTables,
    notebooks,
    provenance,
    onWarning: (message) => console.error(message),
  });

  const failed = proofs.filter((p) => !p.passed).map((p) => p.id);
  const notebooksFailed = notebooks?.notebooks.some((n) => n.status === "failed") ?? false;
  const summary = {
    results: out,
    proofsPassed: proofs.length - failed.length,
    proofsFailed: failed,
    datasetsAvailable: data.filter((d) => d.available).map((d) => d.id),
    datasetsMissing: data.filter((d) => !d.available).map((d) => d.id),
    filesRefused: refused.map((f) => f.path),
    computed: experiments.computed,
    cached: experiments.cached,
    claims: claims.summary,
    notebooks: notebooks?.message ?? "not executed (--no-notebooks)",
    notPresent: experiments.notPresent,
  };
  if (a.json) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log(
      `results written to ${out} (report.md, report.html, claims.json, tables/, figures/, notebooks/, proofs.json, data.json, provenance.json)`,
    );
    console.log(
      `proofs: ${summary.proofsPassed}/${proofs.length} passed${failed.length ? `; FAILED: ${failed}` : ""}`,
    );
    console.log(`data: available ${summary.datasetsAvailable.join(", ") || "none"}`);
    if (summary.datasetsMissing.length) {
      console.log(`data: not present ${summary.datasetsMissing.join(", ")}`);
    }
    const n = claims.summary.numeric;
    console.log(`claims: ${n.agrees} agree, ${n.differs} differ, ${n["not run"]} not run (claims.json)`);
    console.log(`computed ${experiments.computed}, cached ${experiments.cached}`);
  }
  return failed.length === 0 && refused.length === 0 && !notebooksFailed ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
