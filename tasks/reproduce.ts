/**
 * `deno task reproduce` — regenerates what the kit can reproduce into `results/`.
 *
 * ```
 * deno task reproduce [--profile standard|smoke|quick|paper] [--only table1,table5,…] [--datasets a,b] [--shard i/n]
 *                     [--jobs N] [--group-size K]
 *                     [--force] [--notebooks|--no-notebooks] [--backend X] [--results DIR] [--json]
 * ```
 *
 * It (1) checks every theorem numerically (`proofs/`), (2) fetches and verifies every dataset of
 * the registry (reporting the unavailable ones with how to obtain them), (3) runs the paper's
 * experiments (`lib/experiment/experiments.ts`: table1, table5, table6, table7, alpha, synthetic,
 * fig6; and `runtime`, the Table 2 benchmark of `lib/bench/runtime_artifact.ts`, rerun every time
 * since times are not cached; `--only` picks some) under a profile (`lib/experiment/profiles.ts`;
 * default `standard`) on the datasets that are available (loaded from the files step 2 obtained),
 * through the run cache `results/runs/` (completed runs are never recomputed unless `--force`; a
 * killed run is simply redone), on a pool of `--jobs` workers (default: one per core), (4) compares every number of the paper's Tables 1, 5, 6, 7 that the data
 * allows with ours (`results/claims.json`, rule in `lib/paper/claims.ts`), (5) executes the
 * notebooks headless when Jupyter is installed (`--notebooks`: fail without it; `--no-notebooks`:
 * skip), and (6) writes `results/report.md` and `report.html`, `results/tables/*.{md,csv,json}`,
 * `results/figures/*.{svg,png}`, `proofs.json`, `data.json` and `provenance.json` from whatever runs
 * exist (so shards can share one results folder: run `--shard 1/2` and `--shard 2/2`, then any run
 * without `--shard`, or a rerun of either, reports them all).
 *
 * `--shard i/n` (1 ≤ i ≤ n) computes only the runs whose position in the key-sorted list of all
 * runs of the selected experiments is ≡ i − 1 (mod n): disjoint slices that cover the grid.
 * Progress (done/total, cached vs computed, ETA) goes to stderr; the last line on stdout is
 * `computed C, cached K`.
 *
 * Environment: `GAR_RESULTS_DIR` (default `results/`), `GAR_BACKEND`, `GAR_DATA_DIR`, `GAR_DATA_MIRROR`.
 * Exit status: 0 when every proof passed, no data file was refused and no notebook failed; 1
 * otherwise; 2 on a usage error.
 *
 * @module
 */
import { writeFileAtomic } from "../lib/fs/write_file_atomic.ts";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { type BackendName, describeBackend, selectBackend } from "../lib/backend.ts";
import { datasetEntries } from "../lib/data/registry.ts";
import { dataLocation, type DatasetStatus, fetchDataset } from "../lib/data/fetch_dataset.ts";
import { runProofs } from "../proofs/mod.ts";
import { runExperiments } from "../lib/experiment/orchestrate.ts";
import { formatSeconds, stderrProgress } from "./_progress.ts";
import { DEFAULT_PROFILE, PROFILES } from "../lib/experiment/profiles.ts";
import { EXPERIMENTS } from "../lib/experiment/experiments.ts";
import { loadPaperTables } from "../lib/paper/paper_tables.ts";
import { reproductionClaims, writeReproduction } from "../lib/paper/reproduction.ts";
import { PROJECT_NOTEBOOKS } from "../lib/paper/notebooks.ts";
import { executeNotebooks, type NotebooksRun } from "../lib/process/jupyter.ts";
import { runtimeArtifact } from "../lib/bench/runtime_artifact.ts";
import { gitCommit } from "../lib/process/git_commit.ts";

/** What `--only` accepts: the experiments' ids and `runtime`. */
const ARTIFACTS = [...EXPERIMENTS.map((e) => e.id), "runtime"];

const USAGE =
  "usage: deno task reproduce [--profile standard|smoke|quick|paper] [--only table1,…] [--datasets a,b] " +
  "[--shard i/n] [--jobs N] [--group-size K] [--force] [--notebooks|--no-notebooks] [--backend webgpu|wasm|cpu|auto] [--results DIR] [--json]";

/**
 * Where `results/` lives: `--results`, else `GAR_RESULTS_DIR`, else `results/` in the project.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultsDir } from "./reproduce.ts";
 * assert.equal(resultsDir("/tmp/gar-results"), "/tmp/gar-results");
 * ```
 */
export function resultsDir(option?: string): string {
  return resolve(
    option ?? Deno.env.get("GAR_RESULTS_DIR") ?? fileURLToPath(new URL("../results", import.meta.url)),
  );
}

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
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        backend: { type: "string" },
        results: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
        profile: { type: "string", default: DEFAULT_PROFILE },
        only: { type: "string" },
        shard: { type: "string" },
        jobs: { type: "string" },
        "group-size": { type: "string" },
        datasets: { type: "string" },
        force: { type: "boolean", default: false },
        notebooks: { type: "boolean", default: false },
        "no-notebooks": { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const usage = (m: string) => {
    console.error(`${m}\n${USAGE}`);
    return 2;
  };
  if (values.notebooks && values["no-notebooks"]) {
    return usage("--notebooks and --no-notebooks exclude each other");
  }
  const profile = PROFILES[values.profile as keyof typeof PROFILES];
  if (!profile) {
    return usage(`--profile: unknown profile "${values.profile}"; use ${Object.keys(PROFILES).join(", ")}`);
  }
  const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean) ?? ARTIFACTS;
  const unknown = only.filter((id) => !ARTIFACTS.includes(id));
  if (unknown.length) return usage(`--only: unknown artifact "${unknown[0]}"; use ${ARTIFACTS.join(", ")}`);
  let shard: [number, number] = [1, 1];
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || +m[1] < 1 || +m[1] > +m[2]) {
      return usage(`--shard: expected i/n with 1 ≤ i ≤ n, got "${values.shard}"`);
    }
    shard = [+m[1], +m[2]];
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
    return usage(`--jobs: expected a positive integer, got "${values.jobs}"`);
  }
  const groupSize = values["group-size"] === undefined ? undefined : Number(values["group-size"]);
  if (groupSize !== undefined && !(Number.isInteger(groupSize) && groupSize >= 1)) {
    return usage(`--group-size: expected a positive integer, got "${values["group-size"]}"`);
  }
  const known = datasetEntries().map((e) => e.id);
  const onlyDatasets = values.datasets?.split(",").map((s) => s.trim()).filter(Boolean);
  const strange = onlyDatasets?.filter((d) => !known.includes(d)) ?? [];
  if (strange.length) return usage(`--datasets: unknown dataset "${strange[0]}"; use ${known.join(", ")}`);
  const started = performance.now();
  const out = resultsDir(values.results);
  await Deno.mkdir(out, { recursive: true });
  const choice = await selectBackend({ backend: values.backend as BackendName | "auto" | undefined });
  console.error(describeBackend(choice));

  console.error("proofs: checking Theorems 1, 4, 6 and Corollaries 2, 3 …");
  const proofs = await runProofs({
    onResult: (r, s) => console.error(`  ${r.id}: ${r.passed ? "PASS" : "FAIL"} (${s.toFixed(1)}s)`),
  });

  console.error("data: fetching and verifying every registered dataset …");
  const location = dataLocation();
  const data: DatasetStatus[] = [];
  for (const entry of datasetEntries()) {
    const status = await fetchDataset(entry.id, { location });
    data.push(status);
    console.error(`  ${entry.id}: ${status.available ? "available" : "not present"}`);
  }
  const refused = data.flatMap((d) => d.files).filter((f) => f.state === "refused");

  const progress = stderrProgress();
  let lastPrint = 0;
  const experiments = await runExperiments({
    profile,
    only: only.filter((id) => id !== "runtime"),
    shard,
    jobs,
    groupSize,
    onlyDatasets,
    force: values.force,
    backend: choice.backend,
    resultsDir: out,
    datasets: data,
    onPlanned: (p) =>
      console.error(
        `experiments: ${p.experiments.join(", ")} (profile ${profile.name}, shard ${shard.join("/")}): ` +
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
  if (!values["no-notebooks"]) {
    console.error("notebooks: executing headless …");
    notebooks = await executeNotebooks(PROJECT_NOTEBOOKS, {
      resultsDir: out,
      env: { GAR_PROFILE: profile.name, GAR_RESULTS_DIR: out, GAR_NOTEBOOK_BACKEND: choice.backend },
      required: values.notebooks,
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
  if (values.json) console.log(JSON.stringify(summary, null, 2));
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
