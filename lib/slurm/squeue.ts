/**
 * Reading `squeue`'s one-task-per-line output.
 *
 * @module
 */
import type { TaskState } from "./task_state.ts";

/**
 * The `squeue --format` that {@linkcode parseSqueue} reads: job or task ID, array job ID, array
 * task ID, state, reason. Use it with `--array` (one line per task) and `--noheader`.
 */
export const SQUEUE_FORMAT = "%i|%F|%K|%T|%r";

/**
 * The tasks of `squeue --array --noheader --format=SQUEUE_FORMAT` output, in its order; their exit
 * codes are unknown (null) to squeue. Throws a TypeError on a line of another shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSqueue } from "./squeue.ts";
 * const tasks = parseSqueue("12_1|12|1|COMPLETED|None\n12_2|12|2|RUNNING|None\n13|13|N/A|PENDING|Dependency\n");
 * assert.deepEqual(tasks.map((t) => [t.id, t.taskId, t.state]), [
 *   ["12_1", 1, "COMPLETED"],
 *   ["12_2", 2, "RUNNING"],
 *   ["13", null, "PENDING"],
 * ]);
 * assert.equal(tasks[2].reason, "Dependency");
 * ```
 */
export function parseSqueue(text: string): TaskState[] {
  const tasks: TaskState[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const f = line.trim().split("|");
    if (f.length !== 5 || !/^\d+$/.test(f[1]) || !/^(\d+|N\/A)$/.test(f[2])) {
      throw new TypeError(`squeue: unexpected line ${JSON.stringify(line)} (format ${SQUEUE_FORMAT})`);
    }
    const taskId = f[2] === "N/A" ? null : Number(f[2]);
    tasks.push({
      id: taskId === null ? f[1] : `${f[1]}_${taskId}`,
      jobId: Number(f[1]),
      taskId,
      state: f[3],
      reason: f[4],
      exitCode: null,
      exitSignal: null,
    });
  }
  return tasks;
}
