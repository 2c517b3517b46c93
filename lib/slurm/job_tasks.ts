/**
 * The states of jobs and of their array tasks, from `squeue` (state, reason) and `scontrol show
 * job` (exit codes). Slurm's accounting (`sacct`) is not needed.
 *
 * @module
 */
import { runSlurmCommand, SlurmCommandError, type SlurmCommandOptions } from "./command.ts";
import { parseScontrolShowJob } from "./scontrol.ts";
import { parseSqueue, SQUEUE_FORMAT } from "./squeue.ts";
import { isFinished, type TaskState } from "./task_state.ts";

const isUnknownJob = (e: unknown) => e instanceof SlurmCommandError && /Invalid job id/i.test(e.stderr);

/**
 * The tasks of the jobs `jobIds` (array job IDs or plain job IDs) that Slurm still knows, ordered
 * by job and task ID; a finished task carries its exit code and signal. Slurm forgets a job
 * `MinJobAge` seconds (default 300) after it ends, and an array task cancelled while pending at
 * once: such tasks are absent (so an unknown job gives `[]`). Throws a `SlurmCommandError` when
 * squeue or scontrol fail otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jobTasks } from "./job_tasks.ts";
 * // Stand-ins for squeue and scontrol, so this needs no Slurm:
 * const bin = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${bin}/squeue`,
 *   '#!/bin/sh\nprintf "12_2|12|2|FAILED|NonZeroExitCode\\n12_1|12|1|RUNNING|None\\n"\n',
 *   { mode: 0o755 },
 * );
 * await Deno.writeTextFile(
 *   `${bin}/scontrol`,
 *   '#!/bin/sh\necho "JobId=14 ArrayJobId=12 ArrayTaskId=2 JobState=FAILED ExitCode=3:0"\n',
 *   { mode: 0o755 },
 * );
 * const tasks = await jobTasks(12, { bin });
 * assert.deepEqual(tasks.map((t) => [t.id, t.state, t.exitCode]), [["12_1", "RUNNING", null], ["12_2", "FAILED", 3]]);
 * await Deno.remove(bin, { recursive: true });
 * ```
 */
export async function jobTasks(
  jobIds: number | readonly number[],
  options: SlurmCommandOptions = {},
): Promise<TaskState[]> {
  const ids = typeof jobIds === "number" ? [jobIds] : [...jobIds];
  if (ids.length === 0) return [];
  let tasks: TaskState[];
  try {
    const args = [
      "--array",
      "--noheader",
      "--states=all",
      `--jobs=${ids.join(",")}`,
      `--format=${SQUEUE_FORMAT}`,
    ];
    tasks = parseSqueue(await runSlurmCommand("squeue", args, options));
  } catch (error) {
    if (isUnknownJob(error)) return [];
    throw error;
  }
  // Exit codes: scontrol, asked after squeue, knows at least the states squeue saw as finished.
  const exit = new Map<string, string>();
  for (const id of new Set(tasks.map((t) => t.jobId))) {
    let text: string;
    try {
      text = await runSlurmCommand("scontrol", ["--oneliner", "show", "job", `${id}`], options);
    } catch (error) {
      if (isUnknownJob(error)) continue;
      throw error;
    }
    for (const r of parseScontrolShowJob(text)) {
      const key = r.ArrayJobId !== undefined && /^\d+$/.test(r.ArrayTaskId ?? "")
        ? `${r.ArrayJobId}_${r.ArrayTaskId}`
        : r.JobId;
      if (key !== undefined && r.ExitCode !== undefined) exit.set(key, r.ExitCode);
    }
  }
  for (const t of tasks) {
    const m = /^(\d+):(\d+)$/.exec(exit.get(t.id) ?? "");
    if (isFinished(t.state) && m !== null) {
      t.exitCode = Number(m[1]);
      t.exitSignal = Number(m[2]);
    }
  }
  return tasks.sort((a, b) => a.jobId - b.jobId || (a.taskId ?? -1) - (b.taskId ?? -1));
}
