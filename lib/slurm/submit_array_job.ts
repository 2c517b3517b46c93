/**
 * A job array and the job that assembles its results: the scripts, and their submission with an
 * `afterok` dependency. What `deno task reproduce --slurm` submits: task i computes shard i of N,
 * the assembling job writes the report once every task has succeeded.
 *
 * @module
 */
import { join } from "node:path";
import { type BatchResources, batchScript } from "./batch_script.ts";
import type { SlurmCommandOptions } from "./command.ts";
import { sbatch } from "./sbatch.ts";
import { scancel } from "./scancel.ts";

/** What {@linkcode submitArrayJob} submits. */
export interface ArrayJobPlan {
  /** Folder for the two scripts and, under `logs/`, the jobs' output (created). */
  dir: string;
  /** The folder every job runs in (the checkout). */
  workdir: string;
  /** The array's job name; the assembling job is `${jobName}-assemble`. */
  jobName: string;
  /**
   * The array's task IDs, e.g. the shards `[1, …, N]`, or on a resume only the unfinished ones; when
   * empty, no array is submitted, only the assembling job.
   */
  taskIds: readonly number[];
  /** At most this many tasks run at once (`--array=…%N`); no limit when absent. */
  arrayLimit?: number;
  /** Shell command of one task; `$SLURM_ARRAY_TASK_ID` is its task ID. */
  taskCommand: string;
  /** Shell command of the assembling job, run once every task has succeeded. */
  assembleCommand: string;
  /** Resources of each array task. */
  resources?: BatchResources;
  /** Resources of the assembling job (default: `resources`). */
  assembleResources?: BatchResources;
  /**
   * Further jobs the assembling job waits for (`afterok`), e.g. tasks of an earlier array that still run
   * (`"1234_2"`).
   */
  assembleAfter?: readonly string[];
  /** Environment variables both scripts export. */
  env?: Readonly<Record<string, string>>;
  /** Write the scripts but submit nothing (the commands are returned as they would run). */
  dryRun?: boolean;
}

/** What {@linkcode submitArrayJob} wrote and submitted. */
export interface SubmittedArrayJob {
  /** Path of the array's batch script; null when no array was asked for (no task IDs). */
  arrayScript: string | null;
  /** Path of the assembling job's batch script. */
  assembleScript: string;
  /** Folder of the jobs' output files (`%x-%A_%a.out` for tasks, `%x-%j.out` for the assembling job). */
  logDir: string;
  /**
   * The sbatch command lines, in order: those run, or in a dry run those that would run (the
   * dependency then names `$ARRAY_JOB_ID`).
   */
  commands: string[][];
  /** The array's job ID; null in a dry run or without an array. */
  arrayJobId: number | null;
  /** The assembling job's ID; null in a dry run. */
  assembleJobId: number | null;
}

/**
 * Writes the batch scripts of `plan` into `plan.dir` and submits the job array, then the
 * assembling job with `--dependency=afterok:<array>[:<plan.assembleAfter>…]` and
 * `--kill-on-invalid-dep=yes` (a failed or cancelled task cancels it, instead of leaving it pending
 * for ever). Without task IDs only the assembling job is written and submitted (dependent on
 * `plan.assembleAfter` alone, if any). When the second submission fails the array is cancelled, so
 * nothing is left queued, and the `SlurmCommandError` is thrown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { submitArrayJob } from "./submit_array_job.ts";
 * const dir = await Deno.makeTempDir();
 * const job = await submitArrayJob({
 *   dir,
 *   workdir: "/home/me/gar-kit",
 *   jobName: "reproduce",
 *   taskIds: [1, 2, 3, 4],
 *   taskCommand: 'deno task reproduce --shard "$SLURM_ARRAY_TASK_ID/4"',
 *   assembleCommand: "deno task reproduce",
 *   resources: { time: "01:00:00", cpusPerTask: 2 },
 *   dryRun: true, // writes the scripts, submits nothing
 * });
 * assert.equal(job.arrayJobId, null);
 * assert.match(await Deno.readTextFile(job.arrayScript!), /^#SBATCH --array=1-4$/m);
 * assert.match(await Deno.readTextFile(job.assembleScript), /^deno task reproduce$/m);
 * assert.deepEqual(job.commands[1].slice(0, 3), ["sbatch", "--parsable", "--dependency=afterok:$ARRAY_JOB_ID"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function submitArrayJob(
  plan: ArrayJobPlan,
  options: SlurmCommandOptions = {},
): Promise<SubmittedArrayJob> {
  const logDir = join(plan.dir, "logs");
  const hasArray = plan.taskIds.length > 0;
  const arrayScript = hasArray ? join(plan.dir, `${plan.jobName}.array.sh`) : null;
  const assembleScript = join(plan.dir, `${plan.jobName}.assemble.sh`);
  const arrayText = hasArray
    ? batchScript({
      ...plan.resources,
      jobName: plan.jobName,
      array: plan.taskIds,
      arrayLimit: plan.arrayLimit,
      workdir: plan.workdir,
      output: join(logDir, "%x-%A_%a.out"),
      env: plan.env,
      command: plan.taskCommand,
    })
    : null;
  const assembleText = batchScript({
    ...(plan.assembleResources ?? plan.resources),
    jobName: `${plan.jobName}-assemble`,
    workdir: plan.workdir,
    output: join(logDir, "%x-%j.out"),
    env: plan.env,
    command: plan.assembleCommand,
  });
  await Deno.mkdir(logDir, { recursive: true });
  if (arrayScript !== null) await Deno.writeTextFile(arrayScript, arrayText!, { mode: 0o755 });
  await Deno.writeTextFile(assembleScript, assembleText, { mode: 0o755 });
  const after = (array: string | null) => {
    const ids = [...(array === null ? [] : [array]), ...(plan.assembleAfter ?? [])];
    return ids.length === 0 ? [] : [`--dependency=afterok:${ids.join(":")}`, "--kill-on-invalid-dep=yes"];
  };
  const command = (args: string[], script: string) => ["sbatch", "--parsable", ...args, script];
  const result = (commands: string[][], arrayJobId: number | null, assembleJobId: number | null) => ({
    arrayScript,
    assembleScript,
    logDir,
    commands,
    arrayJobId,
    assembleJobId,
  });
  if (plan.dryRun === true) {
    return result(
      [
        ...(arrayScript === null ? [] : [command([], arrayScript)]),
        command(after(arrayScript === null ? null : "$ARRAY_JOB_ID"), assembleScript),
      ],
      null,
      null,
    );
  }
  if (arrayScript === null) {
    const assemble = await sbatch(assembleScript, { ...options, args: after(null) });
    return result([command(after(null), assembleScript)], null, assemble.jobId);
  }
  const array = await sbatch(arrayScript, options);
  let assemble;
  try {
    assemble = await sbatch(assembleScript, { ...options, args: after(`${array.jobId}`) });
  } catch (error) {
    await scancel(array.jobId, options).catch(() => {});
    throw error;
  }
  return result(
    [command([], arrayScript), command(after(`${array.jobId}`), assembleScript)],
    array.jobId,
    assemble.jobId,
  );
}
