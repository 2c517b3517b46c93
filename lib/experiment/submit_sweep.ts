/**
 * A sweep as a Slurm job array (`deno task reproduce --slurm`): task i computes shard i of n
 * (`--compute-only --shard i/n`, whole groups balanced by cost) into the shared results folder, and an
 * assembling job, `afterok` on the array, runs the normal `reproduce` over the same selection — every
 * run is then cached, so it computes nothing and writes the report, tables, figures, claims and
 * notebooks. Both refuse to run a plan other than the one submitted (`--plan-digest`).
 *
 * Only the shards with a run missing from the cache are submitted. On a resume (`previous`: the last
 * submission of the same plan), shards whose task of the earlier array Slurm still has queued or
 * running are not submitted again: the new assembling job waits for those tasks too; the earlier
 * assembling job, if still pending, is cancelled (the new one replaces it).
 *
 * @module
 */
import { join } from "node:path";
import type { BatchResources } from "../slurm/batch_script.ts";
import type { SlurmCommandOptions } from "../slurm/command.ts";
import { jobTasks } from "../slurm/job_tasks.ts";
import { scancel } from "../slurm/scancel.ts";
import { shellQuote } from "../slurm/shell_quote.ts";
import { submitArrayJob } from "../slurm/submit_array_job.ts";
import { isFinished } from "../slurm/task_state.ts";
import { type PlannedSweep, type SweepStatus, sweepStatus } from "./sweep_status.ts";
import { submissionsDir, type SweepSubmission, writeSweepSubmission } from "./sweep_submission.ts";

/** The job name of the array; the assembling job's is `gar-reproduce-assemble`. */
export const SWEEP_JOB_NAME = "gar-reproduce";

/** Options of {@linkcode submitSweep}. */
export interface SubmitSweepOptions {
  /** The sweep's plan (`planSweep`): its runs, groups and digest. */
  plan: PlannedSweep & { digest: string };
  /** The shared results folder (absolute): the run cache, the report, and `slurm/` for the submissions. */
  resultsDir: string;
  /** n: task i computes shard i of n. */
  shards: number;
  /** The Deno binary the jobs run (absolute: `Deno.execPath()`). */
  deno: string;
  /** The `reproduce` task the jobs run (absolute path of `tasks/reproduce.ts`). */
  script: string;
  /** The folder the jobs run in (the project's root, where `deno.json` is). */
  workdir: string;
  /** Arguments of both jobs: the selection (`--profile`, `--only`, `--backend`, `--results`, …). */
  args: readonly string[];
  /** Further arguments of the array's tasks only (`--jobs`, `--force`). */
  taskArgs?: readonly string[];
  /** Further arguments of the assembling job only (`--no-notebooks`). */
  assembleArgs?: readonly string[];
  /** Resources of each job (partition, time, CPUs per task, further sbatch options). */
  resources?: BatchResources;
  /** Environment variables both scripts export (`passThroughEnv`). */
  env?: Readonly<Record<string, string>>;
  /** Submit every shard that has groups, recorded or not (`--force`). */
  all?: boolean;
  /** The submission this one resumes (see the module notes). */
  previous?: SweepSubmission | null;
  /** What was selected, kept in the record for `--resume`. */
  selection?: Record<string, unknown>;
  /** Write the scripts and the record, submit nothing. */
  dryRun?: boolean;
  /** How to run Slurm's commands (a private cluster's `SLURM_CONF`, a signal bounding them). */
  slurm?: SlurmCommandOptions;
}

/** What {@linkcode submitSweep} did: the record (also written to its folder) and the counts it acted on. */
export interface SubmittedSweep {
  /** The submission, as written to `<dir>/submission.json`. */
  submission: SweepSubmission;
  /** The plan's status when submitted, with its n shards. */
  status: SweepStatus;
  /** Shards left to tasks of the resumed submission that Slurm still has queued or running. */
  stillActive: number[];
}

/** A new folder `<resultsDir>/slurm/<UTC time>` (one per submission). */
async function newSubmissionDir(resultsDir: string): Promise<{ dir: string; createdAt: string }> {
  await Deno.mkdir(submissionsDir(resultsDir), { recursive: true });
  for (;;) {
    const createdAt = new Date().toISOString();
    const dir = join(submissionsDir(resultsDir), createdAt.replaceAll(":", "-").replace(".", "-"));
    try {
      await Deno.mkdir(dir);
      return { dir, createdAt };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}

/**
 * Submits the sweep `options.plan` as a job array and its assembling job (see the module notes), or
 * with `dryRun` only writes their scripts; records the submission in `<resultsDir>/slurm/<time>/`.
 * Throws a `SlurmCommandError` when Slurm refuses a job (nothing is left queued then).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { submitSweep } from "./submit_sweep.ts";
 * import type { RunConfig } from "./run.ts";
 * const resultsDir = await Deno.makeTempDir();
 * const group = (id: string) => ({ id, runs: [{ key: id, config: {} as RunConfig }], cost: 1 });
 * const plan = { runs: [{ experiment: { id: "table1" }, keys: ["aa", "bb"] }], groups: [group("aa"), group("bb")], digest: "d1" };
 * const { submission } = await submitSweep({
 *   plan, resultsDir, shards: 2, deno: "/opt/deno", script: "/kit/tasks/reproduce.ts", workdir: "/kit",
 *   args: ["--profile", "smoke", "--results", resultsDir], dryRun: true,
 * });
 * assert.deepEqual(submission.taskIds, [1, 2]);
 * const script = await Deno.readTextFile(submission.arrayScript!);
 * assert.match(script, /^#SBATCH --array=1-2$/m);
 * assert.match(script, /^exec \/opt\/deno run -A \/kit\/tasks\/reproduce.ts --compute-only --shard "\$SLURM_ARRAY_TASK_ID\/2" --plan-digest d1 --profile smoke/m);
 * assert.match(await Deno.readTextFile(submission.assembleScript), /^exec \/opt\/deno run -A \/kit\/tasks\/reproduce.ts --plan-digest d1 --profile smoke/m);
 * await Deno.remove(resultsDir, { recursive: true });
 * ```
 */
export async function submitSweep(options: SubmitSweepOptions): Promise<SubmittedSweep> {
  const n = options.shards;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`submitSweep: shards is a positive integer, got ${n}`);
  }
  const status = await sweepStatus(options.plan, options.resultsDir, { shards: n });
  let taskIds = status.shards!
    .filter((s) => options.all === true ? s.groups > 0 : s.groupsMissing > 0)
    .map((s) => s.shard);
  // A resume: the earlier array's tasks that Slurm still has queued or running keep their shards.
  const previous = options.previous ?? null;
  const stillActive: number[] = [];
  const assembleAfter: string[] = [];
  if (previous !== null && previous.arrayJobId !== null && !options.dryRun) {
    for (const t of await jobTasks(previous.arrayJobId, options.slurm)) {
      if (t.taskId === null || isFinished(t.state)) continue;
      stillActive.push(t.taskId);
      assembleAfter.push(t.id);
    }
    taskIds = taskIds.filter((id) => !stillActive.includes(id));
  }
  if (previous !== null && previous.assembleJobId !== null && !options.dryRun) {
    const [job] = await jobTasks(previous.assembleJobId, options.slurm);
    if (job?.state === "PENDING") await scancel(previous.assembleJobId, options.slurm);
  }
  const { dir, createdAt } = await newSubmissionDir(options.resultsDir);
  const words = (args: readonly string[]) => args.map(shellQuote).join(" ");
  const deno = words(["exec", options.deno, "run", "-A", options.script]);
  const common = words(["--plan-digest", options.plan.digest, ...options.args]);
  const job = await submitArrayJob({
    dir,
    workdir: options.workdir,
    jobName: SWEEP_JOB_NAME,
    taskIds,
    taskCommand: `${deno} --compute-only --shard "$SLURM_ARRAY_TASK_ID/${n}" ${common}` +
      (options.taskArgs?.length ? ` ${words(options.taskArgs)}` : ""),
    assembleCommand: `${deno} ${common}` +
      (options.assembleArgs?.length ? ` ${words(options.assembleArgs)}` : ""),
    resources: options.resources,
    assembleAfter,
    env: options.env,
    dryRun: options.dryRun,
  }, options.slurm);
  const submission: SweepSubmission = {
    dir,
    createdAt,
    dryRun: options.dryRun === true,
    shards: n,
    taskIds,
    arrayJobId: job.arrayJobId,
    assembleJobId: job.assembleJobId,
    assembleAfter,
    digest: options.plan.digest,
    planned: status.total.planned,
    toCompute: status.total.missing,
    arrayScript: job.arrayScript,
    assembleScript: job.assembleScript,
    logDir: job.logDir,
    commands: job.commands,
    selection: options.selection ?? {},
  };
  await writeSweepSubmission(submission);
  return { submission, status, stillActive };
}
