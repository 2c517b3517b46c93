/**
 * The experiments part of `deno task reproduce`: plan the runs of the selected experiments for the
 * available datasets, key them, take this shard's slice, compute the missing ones on the worker
 * pool (progress on stderr), then build every selected experiment's table from whatever records
 * exist and write `results/tables/<experiment>.json`.
 *
 * @module
 */
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadDataset } from "../data/load_dataset.ts";
import { codeVersion } from "./code_version.ts";
import { EXPERIMENTS, planExperiment, type PlannedRun } from "./experiments.ts";
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
import { shardSlice } from "./shard.ts";

/** Options of {@linkcode runExperiments}. */
export interface RunExperimentsOptions {
  /** Profile. */
  profile: Profile;
  /** Experiment ids. */
  only: string[];
  /** `[i, n]`: this process computes slice i (1-based) of n. */
  shard: [number, number];
  /** Workers (default one per core). */
  jobs?: number;
  /** Recompute runs even when cached. */
  force: boolean;
  /** Active backend (workers select the same). */
  backend: string;
  /** Results folder. */
  resultsDir: string;
  /** Ids of the datasets that are available. */
  available: ReadonlySet<string>;
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

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "?";
  return s < 60
    ? `${s.toFixed(0)}s`
    : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
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
 *   backend: "cpu", resultsDir, available: new Set() });
 * assert.deepEqual([r.computed, r.cached, r.notPresent], [0, 0, ["sine", "squared-sine"]]);
 * await Deno.remove(resultsDir, { recursive: true });
 * ```
 */
export async function runExperiments(o: RunExperimentsOptions): Promise<RunExperimentsResult> {
  const selected = EXPERIMENTS.filter((e) => o.only.includes(e.id));
  const wanted = [...new Set(selected.flatMap((e) => e.datasets))];
  const notPresent = wanted.filter((d) => !o.available.has(d));
  const datasets = new Map<string, RunData>();
  const hashes = new Map<string, string>();
  const grids = new Map<string, { x: number[]; truth: number[] }>();
  for (const id of wanted.filter((d) => o.available.has(d))) {
    const d = await loadDataset(id);
    const data = { train: d.train, test: d.test };
    if ([...data.train.y, ...data.test.y].some((r) => !r.every(Number.isFinite))) {
      notPresent.push(`${id} (missing target values: not supported by the protocol runner)`);
      continue;
    }
    datasets.set(id, data);
    hashes.set(id, await datasetHash(data));
    grids.set(id, {
      x: [...d.train.x, ...d.test.x].map((r) => r[0]),
      truth: [...d.train.y, ...d.test.y].map((r) => r[0]),
    });
  }
  const shapes = Object.fromEntries([...datasets].map(([id, d]) => [id, { features: d.train.x[0].length }]));
  const version = await codeVersion();
  const plans = new Map<string, { runs: PlannedRun[]; keys: string[] }>();
  const inputsByKey = new Map<string, RunKeyInputs>();
  for (const e of selected) {
    const runs = planExperiment(e, o.profile, shapes);
    const keys: string[] = [];
    for (const r of runs) {
      const inputs: RunKeyInputs = {
        config: r.config,
        datasetSha256: hashes.get(r.dataset)!,
        seed: r.config.seed,
        backend: o.backend,
        codeVersion: version,
        tfjs: tf.version.tfjs,
      };
      const key = await runKey(inputs);
      keys.push(key);
      inputsByKey.set(key, inputs);
    }
    plans.set(e.id, { runs, keys });
  }
  const mine = shardSlice([...inputsByKey.keys()], o.shard[0], o.shard[1]);
  const todo: { key: string; inputs: RunKeyInputs }[] = [];
  let cached = 0;
  for (const key of mine) {
    if (!o.force && await hasRecord(o.resultsDir, key)) cached++;
    else todo.push({ key, inputs: inputsByKey.get(key)! });
  }
  const total = mine.length;
  console.error(
    `experiments: ${selected.map((e) => e.id).join(", ")} (profile ${o.profile.name}, shard ${
      o.shard.join("/")
    }): ` +
      `${total} runs, ${cached} cached, ${todo.length} to compute` +
      (notPresent.length ? `; not present: ${notPresent.join(", ")}` : ""),
  );
  let computed = 0;
  let busy = 0;
  const started = performance.now();
  const tty = Deno.stderr.isTerminal();
  let lastPrint = 0;
  await runPool(todo, {
    jobs: o.jobs,
    backend: o.backend,
    resultsDir: o.resultsDir,
    datasets,
    onDone: (_t, seconds) => {
      computed++;
      busy += seconds;
      const elapsed = (performance.now() - started) / 1000;
      const eta = (elapsed / computed) * (todo.length - computed);
      const now = performance.now();
      if (tty || now - lastPrint > 5000 || computed === todo.length) {
        lastPrint = now;
        const line = `  ${cached + computed}/${total} done (cached ${cached}, computed ${computed}) ` +
          `elapsed ${fmtTime(elapsed)} ETA ${fmtTime(eta)}`;
        if (tty) Deno.stderr.writeSync(new TextEncoder().encode(`\r${line}   `));
        else console.error(line);
      }
    },
  });
  if (tty && todo.length) Deno.stderr.writeSync(new TextEncoder().encode("\n"));
  await Deno.mkdir(join(o.resultsDir, "tables"), { recursive: true });
  const reports: ExperimentSummary[] = [];
  for (const e of selected) {
    const plan = plans.get(e.id)!;
    const records = new Map<string, RunRecord>();
    for (const k of plan.keys) {
      const r = await readRecord(o.resultsDir, k);
      if (r) records.set(k, r);
    }
    const report = summarizeExperiment(e.id, plan.runs, plan.keys, records, (id) => grids.get(id)!);
    await writeFileAtomic(
      join(o.resultsDir, "tables", `${e.id}.json`),
      JSON.stringify({ profile: o.profile.name, title: e.title, ...report }) + "\n",
    );
    reports.push(report);
  }
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
      computeSeconds: busy,
      datasetSha256: Object.fromEntries(hashes),
    },
  };
}
