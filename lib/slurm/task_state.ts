/**
 * The state of one job or job-array task as Slurm reports it, and which states are final.
 *
 * @module
 */

/** One job, or one task of a job array. */
export interface TaskState {
  /** Its ID for `scancel`/`scontrol`: `1234_3` for task 3 of array 1234, `1234` for a plain job. */
  id: string;
  /** The job ID: the array's (`%A`) for an array task. */
  jobId: number;
  /** The array task ID (`%a`); null for a plain job. */
  taskId: number | null;
  /** Slurm's state: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, … */
  state: string;
  /** Why it is in that state (Slurm's reason code: None, Dependency, Resources, NonZeroExitCode, …). */
  reason: string;
  /** The exit status of its batch script once finished; null while it runs or when unknown. */
  exitCode: number | null;
  /** The signal that ended it once finished (0: none); null while it runs or when unknown. */
  exitSignal: number | null;
}

/** The states from which a job never moves on (`squeue --states` names). */
export const FINISHED_STATES: ReadonlySet<string> = new Set([
  "BOOT_FAIL",
  "CANCELLED",
  "COMPLETED",
  "DEADLINE",
  "FAILED",
  "NODE_FAIL",
  "OUT_OF_MEMORY",
  "PREEMPTED",
  "REVOKED",
  "TIMEOUT",
]);

/**
 * Whether `state` is final ({@linkcode FINISHED_STATES}); only COMPLETED is a success.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isFinished } from "./task_state.ts";
 * assert.equal(isFinished("COMPLETED"), true);
 * assert.equal(isFinished("CANCELLED"), true);
 * assert.equal(isFinished("COMPLETING"), false);
 * assert.equal(isFinished("PENDING"), false);
 * ```
 */
export function isFinished(state: string): boolean {
  return FINISHED_STATES.has(state);
}
