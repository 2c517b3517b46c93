/**
 * What Slurm tells a process that runs inside one of its jobs, through the environment.
 *
 * @module
 */

/** The Slurm job (and array task) this process runs in, and the CPUs it was given. */
export interface SlurmJobEnv {
  /** `SLURM_JOB_ID`: the job (an array task has one of its own); null outside Slurm. */
  jobId: number | null;
  /** `SLURM_ARRAY_JOB_ID`: the job array's ID (`%A`); null outside an array. */
  arrayJobId: number | null;
  /** `SLURM_ARRAY_TASK_ID`: the array task's ID (`%a`); null outside an array. */
  arrayTaskId: number | null;
  /** `SLURM_CPUS_PER_TASK`: the CPUs given to each task (set only with `--cpus-per-task`); else null. */
  cpusPerTask: number | null;
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no env permission: as outside Slurm
  }
}

/**
 * The Slurm job of this process from its environment (`get`, default `Deno.env.get`); every field
 * null outside Slurm, or where a variable does not hold a non-negative integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { slurmJobEnv } from "./job_env.ts";
 * const env: Record<string, string> = {
 *   SLURM_JOB_ID: "131", SLURM_ARRAY_JOB_ID: "128", SLURM_ARRAY_TASK_ID: "3", SLURM_CPUS_PER_TASK: "4",
 * };
 * assert.deepEqual(slurmJobEnv((name) => env[name]), { jobId: 131, arrayJobId: 128, arrayTaskId: 3, cpusPerTask: 4 });
 * assert.equal(slurmJobEnv(() => undefined).cpusPerTask, null);
 * ```
 */
export function slurmJobEnv(get: (name: string) => string | undefined = readEnv): SlurmJobEnv {
  const int = (name: string, min: number) => {
    const v = get(name);
    const n = v === undefined || !/^\d+$/.test(v.trim()) ? NaN : Number(v);
    return Number.isSafeInteger(n) && n >= min ? n : null;
  };
  return {
    jobId: int("SLURM_JOB_ID", 0),
    arrayJobId: int("SLURM_ARRAY_JOB_ID", 0),
    arrayTaskId: int("SLURM_ARRAY_TASK_ID", 0),
    cpusPerTask: int("SLURM_CPUS_PER_TASK", 1),
  };
}
