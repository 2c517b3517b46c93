/**
 * Waiting for jobs by polling their tasks' states.
 *
 * @module
 */
import type { SlurmCommandOptions } from "./command.ts";
import { jobTasks } from "./job_tasks.ts";
import { isFinished, type TaskState } from "./task_state.ts";

/** Options of {@linkcode waitForJobs}. */
export interface WaitForJobsOptions extends SlurmCommandOptions {
  /** Give up after this many milliseconds (default 600 000). */
  timeoutMs?: number;
  /** Poll every this many milliseconds (default 1000). */
  intervalMs?: number;
  /**
   * Stop when this holds for the tasks polled (default: every task finished; tasks Slurm no longer
   * lists count as finished, so an unknown job is done at once).
   */
  until?: (tasks: readonly TaskState[]) => boolean;
  /** How to poll (default {@linkcode jobTasks} with these options); a stand-in for tests. */
  query?: (jobIds: readonly number[]) => Promise<TaskState[]>;
}

/**
 * Polls the tasks of the jobs `jobIds` until `options.until` holds and returns them; throws an
 * Error listing the tasks not finished when `timeoutMs` passes first. A job held pending for ever
 * (an `afterok` dependency that failed, without `--kill-on-invalid-dep=yes`) never finishes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { TaskState } from "./task_state.ts";
 * import { waitForJobs } from "./wait_for_jobs.ts";
 * // A stand-in query: the task runs for two polls, then completes.
 * let polls = 0;
 * const task = (state: string): TaskState => ({
 *   id: "12", jobId: 12, taskId: null, state, reason: "None", exitCode: state === "COMPLETED" ? 0 : null, exitSignal: null,
 * });
 * const query = () => Promise.resolve([task(++polls < 3 ? "RUNNING" : "COMPLETED")]);
 * const tasks = await waitForJobs([12], { query, intervalMs: 1 });
 * assert.equal(tasks[0].state, "COMPLETED");
 * assert.equal(polls, 3);
 * await assert.rejects(
 *   waitForJobs([12], { query: () => Promise.resolve([task("PENDING")]), intervalMs: 1, timeoutMs: 20 }),
 *   /12 PENDING/,
 * );
 * ```
 */
export async function waitForJobs(
  jobIds: readonly number[],
  options: WaitForJobsOptions = {},
): Promise<TaskState[]> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const intervalMs = options.intervalMs ?? 1000;
  const until = options.until ?? ((tasks) => tasks.every((t) => isFinished(t.state)));
  const query = options.query ?? ((ids) => jobTasks(ids, options));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tasks = await query(jobIds);
    if (until(tasks)) return tasks;
    if (Date.now() >= deadline) {
      const open = tasks.filter((t) => !isFinished(t.state)).map((t) => `${t.id} ${t.state} (${t.reason})`);
      throw new Error(
        `waitForJobs: jobs ${jobIds.join(", ")} not done after ${timeoutMs} ms: ${
          open.join(", ") || "(none open)"
        }`,
      );
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now())))
    );
  }
}
