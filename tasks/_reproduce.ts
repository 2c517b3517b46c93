/**
 * `deno task reproduce`'s command line and what its modes share: the arguments parsed and checked, the
 * backend's name, the datasets fetched. Internal to `tasks/`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { requestedBackend, selectBackend } from "../lib/backend.ts";
import { datasetEntries } from "../lib/data/registry.ts";
import { dataLocation, type DatasetStatus, fetchDataset } from "../lib/data/fetch_dataset.ts";
import { EXPERIMENTS } from "../lib/experiment/experiments.ts";
import { DEFAULT_PROFILE, type Profile, PROFILES } from "../lib/experiment/profiles.ts";

/** What `--only` accepts: the experiments' ids and `runtime`. */
export const ARTIFACTS: readonly string[] = [...EXPERIMENTS.map((e) => e.id), "runtime"];

/** The task's usage line. */
export const USAGE =
  "usage: deno task reproduce [--profile standard|smoke|quick|paper] [--only table1,…] [--datasets a,b] " +
  "[--shard i/n] [--jobs N] [--group-size K] [--force] [--notebooks|--no-notebooks] " +
  "[--backend webgpu|wasm|cpu|auto] [--results DIR] [--json]\n" +
  "       deno task reproduce --status [selection…] [--array N]\n" +
  "       deno task reproduce --slurm [selection…] [--array N] [--partition P] [--time HH:MM:SS] " +
  "[--cpus-per-task C] [--sbatch-arg=--OPTION=VALUE]… [--dry-run] [--resume]";

/** Options only `--slurm` takes (`--array` also goes with `--status`). */
const SLURM_ONLY = ["partition", "time", "cpus-per-task", "sbatch-arg", "dry-run", "resume"] as const;

/** The command line, parsed and checked. */
export interface ReproduceArgs {
  /** The profile (`--profile`, default `standard`, `DEFAULT_PROFILE`). */
  profile: Profile;
  /** The artifacts (`--only`, default all of them, `runtime` among them). */
  only: string[];
  /** `--datasets`. */
  datasets?: string[];
  /** `--shard i/n` (default 1/1). */
  shard: [number, number];
  /** `--jobs`. */
  jobs?: number;
  /** `--group-size`. */
  groupSize?: number;
  /** `--force`. */
  force: boolean;
  /** `--notebooks` / `--no-notebooks` (null: neither). */
  notebooks: "notebooks" | "no-notebooks" | null;
  /** `--backend` (as given). */
  backend?: string;
  /** The results folder, absolute. */
  results: string;
  /** `--json`. */
  json: boolean;
  /** `--status`. */
  status: boolean;
  /** `--slurm`. */
  slurm: boolean;
  /** `--compute-only` (internal: the array tasks of `--slurm`). */
  computeOnly: boolean;
  /** `--plan-digest` (internal: the plan `--slurm` submitted). */
  planDigest?: string;
  /** `--array`. */
  array?: number;
  /** `--partition`. */
  partition?: string;
  /** `--time`. */
  time?: string;
  /** `--cpus-per-task`. */
  cpusPerTask?: number;
  /** `--sbatch-arg` (repeatable). */
  sbatchArgs: string[];
  /** `--dry-run`. */
  dryRun: boolean;
  /** `--resume`. */
  resume: boolean;
  /** The selection options given explicitly (`profile`, `only`, …), for `--resume`'s check. */
  given: Set<string>;
}

/**
 * Where `results/` lives: `--results`, else `GAR_RESULTS_DIR`, else `results/` in the project.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultsDir } from "./_reproduce.ts";
 * assert.equal(resultsDir("/tmp/gar-results"), "/tmp/gar-results");
 * ```
 */
export function resultsDir(option?: string): string {
  return resolve(
    option ?? Deno.env.get("GAR_RESULTS_DIR") ?? fileURLToPath(new URL("../results", import.meta.url)),
  );
}

const positive = (name: string, v: string | undefined): number | string | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : `--${name}: expected a positive integer, got "${v}"`;
};

/**
 * Parses and checks `args`; a string is the usage error to print (`--help` gives `"help"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseReproduceArgs } from "./_reproduce.ts";
 * const a = parseReproduceArgs(["--slurm", "--array", "3", "--only", "table1", "--sbatch-arg=--mem=4G"]);
 * assert.ok(typeof a !== "string");
 * assert.deepEqual([a.slurm, a.array, a.only, a.sbatchArgs, a.profile.name], [true, 3, ["table1"], ["--mem=4G"], "standard"]);
 * assert.match(parseReproduceArgs(["--dry-run"]) as string, /--dry-run goes with --slurm/);
 * // a value that starts with a dash needs the = form
 * assert.match(parseReproduceArgs(["--slurm", "--sbatch-arg", "--mem=4G"]) as string, /--sbatch-arg=-XYZ/);
 * assert.match(parseReproduceArgs(["--slurm", "--shard", "1/2"]) as string, /--shard/);
 * ```
 */
export function parseReproduceArgs(args: string[]): ReproduceArgs | string {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        backend: { type: "string" },
        results: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
        profile: { type: "string" },
        only: { type: "string" },
        shard: { type: "string" },
        jobs: { type: "string" },
        "group-size": { type: "string" },
        datasets: { type: "string" },
        force: { type: "boolean", default: false },
        notebooks: { type: "boolean", default: false },
        "no-notebooks": { type: "boolean", default: false },
        status: { type: "boolean", default: false },
        slurm: { type: "boolean", default: false },
        array: { type: "string" },
        partition: { type: "string" },
        time: { type: "string" },
        "cpus-per-task": { type: "string" },
        "sbatch-arg": { type: "string", multiple: true },
        "dry-run": { type: "boolean", default: false },
        resume: { type: "boolean", default: false },
        "compute-only": { type: "boolean", default: false },
        "plan-digest": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return (e as Error).message;
  }
  if (values.help) return "help";
  if (values.notebooks && values["no-notebooks"]) return "--notebooks and --no-notebooks exclude each other";
  const modes = (["status", "slurm", "compute-only"] as const).filter((m) => values[m]);
  if (modes.length > 1) return `--${modes[0]} and --${modes[1]} exclude each other`;
  for (const o of SLURM_ONLY) {
    const v = values[o];
    if (!values.slurm && v !== undefined && v !== false) return `--${o} goes with --slurm`;
  }
  if (values.array !== undefined && !values.slurm && !values.status) {
    return "--array goes with --slurm or --status";
  }
  if ((values.slurm || values.status) && values.shard !== undefined) {
    return `--shard: --${modes[0]} plans every shard itself (use --array N)`;
  }
  if ((values.slurm || values.status) && values["plan-digest"] !== undefined) {
    return `--plan-digest is internal to the jobs of --slurm`;
  }
  if (values.status && values.force) return "--force: --status computes nothing";
  if (values.resume && values.force) return "--force: --resume continues a sweep (submit anew instead)";
  const profile = PROFILES[(values.profile ?? DEFAULT_PROFILE) as keyof typeof PROFILES];
  if (!profile) {
    return `--profile: unknown profile "${values.profile}"; use ${Object.keys(PROFILES).join(", ")}`;
  }
  const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean) ?? [...ARTIFACTS];
  const unknown = only.filter((id) => !ARTIFACTS.includes(id));
  if (unknown.length) return `--only: unknown artifact "${unknown[0]}"; use ${ARTIFACTS.join(", ")}`;
  let shard: [number, number] = [1, 1];
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || +m[1] < 1 || +m[1] > +m[2]) {
      return `--shard: expected i/n with 1 ≤ i ≤ n, got "${values.shard}"`;
    }
    shard = [+m[1], +m[2]];
  }
  const numbers: Record<string, number | undefined> = {};
  for (const name of ["jobs", "group-size", "array", "cpus-per-task"] as const) {
    const n = positive(name, values[name]);
    if (typeof n === "string") return n;
    numbers[name] = n;
  }
  const known = datasetEntries().map((e) => e.id);
  const datasets = values.datasets?.split(",").map((s) => s.trim()).filter(Boolean);
  const strange = datasets?.filter((d) => !known.includes(d)) ?? [];
  if (strange.length) return `--datasets: unknown dataset "${strange[0]}"; use ${known.join(", ")}`;
  try {
    requestedBackend(values.backend);
  } catch (e) {
    return (e as Error).message;
  }
  const given = new Set(
    (["profile", "only", "datasets", "backend", "group-size", "jobs", "array"] as const).filter((o) =>
      values[o] !== undefined
    ),
  );
  return {
    profile,
    only,
    datasets,
    shard,
    jobs: numbers.jobs,
    groupSize: numbers["group-size"],
    force: values.force,
    notebooks: values.notebooks ? "notebooks" : values["no-notebooks"] ? "no-notebooks" : null,
    backend: values.backend,
    results: resultsDir(values.results),
    json: values.json,
    status: values.status,
    slurm: values.slurm,
    computeOnly: values["compute-only"],
    planDigest: values["plan-digest"],
    array: numbers.array,
    partition: values.partition,
    time: values.time,
    cpusPerTask: numbers["cpus-per-task"],
    sbatchArgs: values["sbatch-arg"] ?? [],
    dryRun: values["dry-run"],
    resume: values.resume,
    given,
  };
}

/**
 * The name of the backend the runs use (part of their keys): the one asked for (`--backend`,
 * `GAR_BACKEND`) without starting it, else the one `selectBackend` picks here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backendName } from "./_reproduce.ts";
 * assert.equal(await backendName("wasm"), "wasm");
 * ```
 */
export async function backendName(option?: string): Promise<string> {
  const wanted = requestedBackend(option);
  return wanted !== "auto" ? wanted : (await selectBackend({ backend: "auto" })).backend;
}

/**
 * The datasets of the selected experiments (`--only`, `--datasets`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectedDatasets } from "./_reproduce.ts";
 * assert.deepEqual(selectedDatasets(["synthetic", "runtime"]), ["sine", "squared-sine"]);
 * assert.deepEqual(selectedDatasets(["synthetic"], ["sine"]), ["sine"]);
 * ```
 */
export function selectedDatasets(only: readonly string[], datasets?: readonly string[]): string[] {
  const ids = EXPERIMENTS.filter((e) => only.includes(e.id)).flatMap((e) => e.datasets);
  return [...new Set(ids)].filter((d) => datasets === undefined || datasets.includes(d));
}

/**
 * Fetches and verifies the datasets `ids` (default: every registered one) into the data cache,
 * reporting each on stderr unless `quiet`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fetchData } from "./_reproduce.ts";
 * assert.deepEqual(await fetchData([]), []);
 * ```
 */
export async function fetchData(ids?: readonly string[], quiet = false): Promise<DatasetStatus[]> {
  const location = dataLocation();
  const data: DatasetStatus[] = [];
  for (const id of ids ?? datasetEntries().map((e) => e.id)) {
    const status = await fetchDataset(id, { location });
    data.push(status);
    if (!quiet) console.error(`  ${id}: ${status.available ? "available" : "not present"}`);
  }
  return data;
}
