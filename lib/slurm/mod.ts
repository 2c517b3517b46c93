/**
 * Slurm for `deno task reproduce --slurm`: batch scripts, submission, job states and cancelling,
 * through Slurm's command-line tools (no accounting database: `squeue` and `scontrol`, not `sacct`).
 *
 * - Pure: {@linkcode batchScript} (the text of an sbatch script from a {@linkcode BatchSpec}),
 *   {@linkcode arrayRange}, {@linkcode shellQuote}, and the parsers of the tools' output
 *   ({@linkcode parseSbatchParsable}, {@linkcode parseSqueue}, {@linkcode parseScontrolShowJob}).
 * - Running the tools ({@linkcode SlurmCommandOptions}: `env` such as a private cluster's
 *   `SLURM_CONF`, `bin`, `cwd`, `signal`; failures throw a {@linkcode SlurmCommandError} naming the
 *   command line and its stderr): {@linkcode sbatch}, {@linkcode jobTasks}, {@linkcode scancel},
 *   {@linkcode waitForJobs}, and {@linkcode submitArrayJob} — a job array whose task i computes
 *   shard i plus an `afterok`-dependent job that assembles the report.
 * - The environment: {@linkcode passThroughEnv} (what a batch script exports of the submitting shell)
 *   and, inside a job, {@linkcode slurmJobEnv} (job and array task IDs, `SLURM_CPUS_PER_TASK`, which
 *   the worker pool and the host threads follow).
 *
 * The sweep of `reproduce --slurm` built on these (its plan, shards, records and resume) is
 * `lib/experiment/submit_sweep.ts`.
 *
 * `tools/slurm/cluster.sh` starts a private one-node cluster to try these on (`tests/slurm/`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arrayRange, batchScript, parseSqueue } from "./mod.ts";
 * assert.equal(arrayRange([2, 5, 3]), "2-3,5");
 * const script = batchScript({ jobName: "t", array: [1, 2], workdir: "/tmp", command: "echo $SLURM_ARRAY_TASK_ID" });
 * assert.match(script, /^#SBATCH --array=1-2$/m);
 * assert.equal(parseSqueue("9_1|9|1|PENDING|Priority\n")[0].id, "9_1");
 * ```
 *
 * @module
 */
export * from "./shell_quote.ts";
export * from "./array_range.ts";
export * from "./batch_script.ts";
export * from "./command.ts";
export * from "./sbatch.ts";
export * from "./task_state.ts";
export * from "./squeue.ts";
export * from "./scontrol.ts";
export * from "./job_tasks.ts";
export * from "./scancel.ts";
export * from "./wait_for_jobs.ts";
export * from "./submit_array_job.ts";
export * from "./job_env.ts";
export * from "./pass_env.ts";
