/**
 * `deno task reproduce --slurm` (submit the sweep as a job array and its assembling job, or with
 * `--dry-run` only write their scripts; `--resume` continues the last submission) and `--status`
 * (planned vs recorded runs). Internal to `tasks/`.
 *
 * @module
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { dataLocation } from "../lib/data/fetch_dataset.ts";
import { planSweep } from "../lib/experiment/plan_sweep.ts";
import { PROFILES } from "../lib/experiment/profiles.ts";
import { submitSweep, SWEEP_JOB_NAME } from "../lib/experiment/submit_sweep.ts";
import { sweepStatus } from "../lib/experiment/sweep_status.ts";
import { lastSweepSubmission, type SweepSubmission } from "../lib/experiment/sweep_submission.ts";
import { toMarkdown } from "../lib/render/table.ts";
import { arrayRange } from "../lib/slurm/array_range.ts";
import { passThroughEnv } from "../lib/slurm/pass_env.ts";
import { shellQuote } from "../lib/slurm/shell_quote.ts";
import { backendName, fetchData, type ReproduceArgs, selectedDatasets, USAGE } from "./_reproduce.ts";

/** What a submission records of its selection, so that `--resume` submits the same. */
interface Selection {
  profile: string;
  only: string[];
  datasets: string[] | null;
  backend: string;
  groupSize: number;
  jobs: number | null;
  notebooks: ReproduceArgs["notebooks"];
  resources: { partition?: string; time?: string; cpusPerTask?: number; sbatchArgs: string[] };
}

/** The task folder and the project's root (where the jobs run). */
const SCRIPT = fileURLToPath(new URL("./reproduce.ts", import.meta.url));
const PROJECT = dirname(dirname(SCRIPT));

/** The default number of shards: at most this many array tasks, fewer when there are fewer groups. */
const DEFAULT_SHARDS = 10;

const usage = (message: string) => {
  console.error(`${message}\n${USAGE}`);
  return 2;
};

/** A command line to paste; `$ARRAY_JOB_ID` stays expandable. */
const commandLine = (cmd: readonly string[]) =>
  cmd.map((a) => a.includes("$ARRAY_JOB_ID") ? `"${a}"` : shellQuote(a)).join(" ");

/** The selection arguments that reproduce `a`'s plan (for the status line to print). */
function selectionArgs(a: ReproduceArgs, backend: string): string[] {
  return [
    "--profile",
    a.profile.name,
    "--only",
    a.only.join(","),
    ...(a.datasets ? ["--datasets", a.datasets.join(",")] : []),
    "--backend",
    backend,
    "--results",
    a.results,
  ];
}

/**
 * `--resume`: `a` with the last submission's selection and resources (those given anew win among the
 * resources; a selection given anew must be the same); a string is the usage error.
 */
function resumed(a: ReproduceArgs, previous: SweepSubmission): ReproduceArgs | string {
  const s = previous.selection as unknown as Selection;
  const same: Record<string, [unknown, unknown]> = {
    profile: [a.profile.name, s.profile],
    only: [a.only.join(","), s.only.join(",")],
    datasets: [a.datasets?.join(","), s.datasets?.join(",")],
    backend: [a.backend, s.backend],
    "group-size": [a.groupSize, s.groupSize],
    jobs: [a.jobs, s.jobs ?? undefined],
    array: [a.array, previous.shards],
  };
  for (const [option, [now, then]] of Object.entries(same)) {
    if (a.given.has(option) && now !== then) {
      return `--resume continues the submission of ${previous.createdAt} (${previous.dir}), whose --${option} ` +
        `was ${then ?? "not given"}; leave --${option} out, or submit anew without --resume`;
    }
  }
  return {
    ...a,
    profile: PROFILES[s.profile as keyof typeof PROFILES],
    only: s.only,
    datasets: s.datasets ?? undefined,
    backend: s.backend,
    groupSize: s.groupSize,
    jobs: s.jobs ?? undefined,
    array: previous.shards,
    notebooks: a.notebooks ?? s.notebooks,
    partition: a.partition ?? s.resources.partition,
    time: a.time ?? s.resources.time,
    cpusPerTask: a.cpusPerTask ?? s.resources.cpusPerTask,
    sbatchArgs: a.sbatchArgs.length ? a.sbatchArgs : s.resources.sbatchArgs,
  };
}

/**
 * `--slurm`: fetches every dataset here (into the shared cache), plans the sweep, and submits the
 * shards with runs to compute as a job array and the assembling job after it (see
 * `lib/experiment/submit_sweep.ts`); prints the job IDs and where the logs go. Returns the exit code.
 */
export async function slurmMode(args: ReproduceArgs): Promise<number> {
  let a = args;
  await Deno.mkdir(a.results, { recursive: true });
  const previous = a.resume ? await lastSweepSubmission(a.results) : null;
  if (a.resume) {
    if (previous === null) return usage(`--resume: no Slurm submission recorded in ${a.results}/slurm`);
    const r = resumed(a, previous);
    if (typeof r === "string") return usage(r);
    a = r;
  }
  const backend = await backendName(a.backend);
  console.error("data: fetching and verifying every registered dataset (into the cache the jobs share) …");
  const data = await fetchData();
  const experiments = a.only.filter((id) => id !== "runtime");
  const plan = await planSweep({
    profile: a.profile,
    only: experiments,
    onlyDatasets: a.datasets,
    groupSize: a.groupSize,
    backend,
    datasets: data,
  });
  if (previous !== null && previous.digest !== plan.digest) {
    console.error(
      `--resume: the plan changed since the submission of ${previous.createdAt} (the code, the data or the ` +
        `backend): its records do not serve this one; submit anew with --slurm (without --resume)`,
    );
    return 1;
  }
  const shards = a.array ?? Math.max(1, Math.min(DEFAULT_SHARDS, plan.groups.length));
  const selection: Selection = {
    profile: a.profile.name,
    only: a.only,
    datasets: a.datasets ?? null,
    backend,
    groupSize: plan.groupSize,
    jobs: a.jobs ?? null,
    notebooks: a.notebooks,
    resources: { partition: a.partition, time: a.time, cpusPerTask: a.cpusPerTask, sbatchArgs: a.sbatchArgs },
  };
  const common = [...selectionArgs(a, backend), "--group-size", `${plan.groupSize}`];
  const { submission, status, stillActive } = await submitSweep({
    plan,
    resultsDir: a.results,
    shards,
    deno: Deno.execPath(),
    script: SCRIPT,
    workdir: PROJECT,
    args: common,
    taskArgs: [...(a.jobs ? ["--jobs", `${a.jobs}`] : []), ...(a.force ? ["--force"] : [])],
    assembleArgs: a.notebooks ? [`--${a.notebooks}`] : [],
    resources: {
      partition: a.partition,
      time: a.time,
      cpusPerTask: a.cpusPerTask,
      sbatchArgs: a.sbatchArgs,
    },
    env: { ...passThroughEnv(Deno.env.toObject()), GAR_DATA_DIR: dataLocation().cacheDir },
    all: a.force,
    previous,
    selection: selection as unknown as Record<string, unknown>,
    dryRun: a.dryRun,
  });
  const s = submission;
  if (a.json) {
    console.log(JSON.stringify({ ...s, stillActive, status }, null, 2));
    return 0;
  }
  const tasks = s.taskIds.length ? `shards ${arrayRange(s.taskIds)} of ${s.shards}` : "no shard";
  const toCompute = `${status.total.missing} of ${status.total.planned} runs to compute`;
  if (s.dryRun) {
    console.log(`slurm (dry run): nothing submitted; ${tasks} (${toCompute}), then the assembling job.`);
    console.log(`  scripts: ${[s.arrayScript, s.assembleScript].filter((x) => x !== null).join(", ")}`);
    console.log(`  logs: ${s.logDir}/`);
    console.log("submit them with:");
    const [first, ...rest] = s.commands.map(commandLine);
    console.log(s.arrayScript !== null ? `ARRAY_JOB_ID=$(${first})` : first);
    for (const line of rest) console.log(line);
    return 0;
  }
  const after = [...(s.arrayJobId === null ? [] : [`${s.arrayJobId}`]), ...s.assembleAfter];
  if (stillActive.length) {
    console.log(
      `slurm: shards ${arrayRange(stillActive)} are still queued or running in job ${previous!.arrayJobId}`,
    );
  }
  console.log(
    `slurm: ${
      s.arrayJobId === null ? "no job array" : `job array ${s.arrayJobId}`
    } (${tasks}; ${toCompute}), ` +
      `assembling job ${s.assembleJobId}${after.length ? ` (afterok:${after.join(":")})` : ""}`,
  );
  console.log(`  scripts: ${[s.arrayScript, s.assembleScript].filter((x) => x !== null).join(", ")}`);
  console.log(
    `  logs: ${s.logDir}/` +
      (s.arrayJobId === null ? "" : `${SWEEP_JOB_NAME}-${s.arrayJobId}_<shard>.out, `) +
      `${SWEEP_JOB_NAME}-assemble-${s.assembleJobId}.out`,
  );
  const status_ = ["deno", "task", "reproduce", "--status", ...selectionArgs(a, backend)];
  console.log(`  progress: ${status_.map(shellQuote).join(" ")}`);
  console.log(`  after a failure: deno task reproduce --slurm --resume --results ${shellQuote(a.results)}`);
  return 0;
}

/**
 * `--status`: the selection's runs planned vs recorded, per artifact (and per shard of `--array N`, or
 * of the last Slurm submission of the same plan); computes nothing. Returns the exit code.
 */
export async function statusMode(a: ReproduceArgs): Promise<number> {
  const backend = await backendName(a.backend);
  const data = await fetchData(selectedDatasets(a.only, a.datasets), true);
  const plan = await planSweep({
    profile: a.profile,
    only: a.only.filter((id) => id !== "runtime"),
    onlyDatasets: a.datasets,
    groupSize: a.groupSize,
    backend,
    datasets: data,
  });
  const last = await lastSweepSubmission(a.results);
  const submission = last !== null && last.digest === plan.digest ? last : null;
  const shards = a.array ?? submission?.shards;
  const status = await sweepStatus(plan, a.results, { shards });
  const notCached = a.only.includes("runtime") ? ["runtime"] : [];
  if (a.json) {
    const slurm = submission === null ? null : {
      dir: submission.dir,
      arrayJobId: submission.arrayJobId,
      assembleJobId: submission.assembleJobId,
      shards: submission.shards,
      taskIds: submission.taskIds,
    };
    console.log(JSON.stringify(
      {
        results: a.results,
        profile: a.profile.name,
        backend,
        digest: plan.digest,
        ...status,
        notPresent: plan.notPresent,
        notCached,
        slurm,
      },
      null,
      2,
    ));
    return 0;
  }
  const row = (name: string, c: { planned: number; recorded: number; missing: number }) => ({
    artifact: name,
    planned: c.planned,
    recorded: c.recorded,
    missing: c.missing,
  });
  const columns = ["artifact", "planned", "recorded", "missing"].map((key) => ({ key, digits: 0 }));
  console.log(`runs of profile ${a.profile.name} (backend ${backend}) in ${a.results}/runs:`);
  console.log(
    toMarkdown({
      columns,
      rows: [...status.artifacts.map((s) => row(s.artifact, s)), row("all (distinct)", status.total)],
    }).trimEnd(),
  );
  if (status.shards) {
    const where = submission === null ? "" : ` (Slurm job array ${submission.arrayJobId ?? "not submitted"})`;
    console.log(
      `shards of ${shards}${where}: ` +
        status.shards.map((s) => `${s.shard}: ${s.recorded}/${s.planned}`).join(", "),
    );
  }
  if (notCached.length) console.log("runtime (Table 2) is a benchmark, not cached: every reproduce runs it");
  if (plan.notPresent.length) console.log(`not present: ${plan.notPresent.join(", ")}`);
  return 0;
}
