/**
 * Cancelling a job, a whole job array, or some of its tasks (`scancel`).
 *
 * @module
 */
import { arrayRange } from "./array_range.ts";
import { runSlurmCommand, type SlurmCommandOptions } from "./command.ts";

/** Options of {@linkcode scancel}. */
export interface ScancelOptions extends SlurmCommandOptions {
  /** Cancel only these tasks of the job array `jobId` (all of the job when absent). */
  taskIds?: readonly number[];
}

/**
 * Cancels the job `jobId` (for a job array: every task, or only `options.taskIds`). Running tasks
 * end as CANCELLED; a task cancelled while pending disappears from Slurm's lists. Cancelling a
 * finished job is not an error; a `SlurmCommandError` names the command and scancel's stderr when
 * it fails.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scancel } from "./scancel.ts";
 * // A stand-in scancel that records its arguments, so this needs no Slurm:
 * const bin = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${bin}/scancel`, `#!/bin/sh\necho "$@" > ${bin}/args\n`, { mode: 0o755 });
 * await scancel(12, { bin, taskIds: [3, 1, 2] });
 * assert.equal(await Deno.readTextFile(`${bin}/args`), "12_[1-3]\n");
 * await scancel(12, { bin, taskIds: [5] });
 * assert.equal(await Deno.readTextFile(`${bin}/args`), "12_5\n");
 * await scancel(12, { bin });
 * assert.equal(await Deno.readTextFile(`${bin}/args`), "12\n");
 * await Deno.remove(bin, { recursive: true });
 * ```
 */
export async function scancel(jobId: number, options: ScancelOptions = {}): Promise<void> {
  if (!Number.isSafeInteger(jobId) || jobId < 1) throw new RangeError(`scancel: not a job ID: ${jobId}`);
  const tasks = options.taskIds === undefined ? null : arrayRange(options.taskIds);
  const target = tasks === null
    ? `${jobId}`
    : /^\d+$/.test(tasks)
    ? `${jobId}_${tasks}`
    : `${jobId}_[${tasks}]`;
  await runSlurmCommand("scancel", [target], options);
}
