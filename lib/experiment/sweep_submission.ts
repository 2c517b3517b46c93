/**
 * The record of a sweep submitted to Slurm (`deno task reproduce --slurm`):
 * `<results>/slurm/<time>/submission.json`, beside that submission's batch scripts and `logs/`. It is
 * what `--slurm --resume` continues (the same shards of the same plan) and what `--status` shows the
 * shards of.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../fs/write_file_atomic.ts";

/** One submission of a sweep. */
export interface SweepSubmission {
  /** The submission's folder (scripts, `logs/`, `submission.json`). */
  dir: string;
  /** When it was submitted (ISO 8601). */
  createdAt: string;
  /** Written but not submitted (`--dry-run`): the job IDs are null. */
  dryRun: boolean;
  /** n: task i of the array computes shard i of n. */
  shards: number;
  /** The shards submitted (the array's task IDs); the others had nothing to compute or were still queued. */
  taskIds: number[];
  /** The array's job ID (null in a dry run or without tasks). */
  arrayJobId: number | null;
  /** The assembling job's ID (null in a dry run). */
  assembleJobId: number | null;
  /** Jobs of an earlier submission that the assembling job also waits for (`1234_2`). */
  assembleAfter: string[];
  /** The plan's digest (`plan_sweep.ts`): the tasks refuse to run another plan. */
  digest: string;
  /** Distinct runs planned. */
  planned: number;
  /** Of them, not recorded when submitted. */
  toCompute: number;
  /** The array's batch script (null without tasks). */
  arrayScript: string | null;
  /** The assembling job's batch script. */
  assembleScript: string;
  /** The folder of the jobs' output (`<job name>-<array job>_<task>.out`, `<job name>-assemble-<job>.out`). */
  logDir: string;
  /** The sbatch command lines run (in a dry run: to run, the dependency naming `$ARRAY_JOB_ID`). */
  commands: string[][];
  /** What was selected (profile, experiments, …), as the submitting task describes it. */
  selection: Record<string, unknown>;
}

/**
 * The folder of a results folder's Slurm submissions: `<resultsDir>/slurm`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { submissionsDir } from "./sweep_submission.ts";
 * assert.equal(submissionsDir("/scratch/results"), "/scratch/results/slurm");
 * ```
 */
export function submissionsDir(resultsDir: string): string {
  return join(resultsDir, "slurm");
}

/**
 * Writes `submission` to `<submission.dir>/submission.json`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lastSweepSubmission, type SweepSubmission, writeSweepSubmission } from "./sweep_submission.ts";
 * const results = await Deno.makeTempDir();
 * const base: SweepSubmission = {
 *   dir: "", createdAt: "", dryRun: false, shards: 3, taskIds: [1, 2, 3], arrayJobId: 12, assembleJobId: 13,
 *   assembleAfter: [], digest: "d", planned: 36, toCompute: 36, arrayScript: null, assembleScript: "",
 *   logDir: "", commands: [], selection: { profile: "smoke" },
 * };
 * await writeSweepSubmission({ ...base, dir: `${results}/slurm/a`, createdAt: "2025-01-01T00:00:00.000Z" });
 * await writeSweepSubmission({ ...base, dir: `${results}/slurm/b`, createdAt: "2025-01-02T00:00:00.000Z", arrayJobId: 20 });
 * assert.equal((await lastSweepSubmission(results))?.arrayJobId, 20);
 * assert.equal(await lastSweepSubmission(`${results}/none`), null);
 * await Deno.remove(results, { recursive: true });
 * ```
 */
export async function writeSweepSubmission(submission: SweepSubmission): Promise<void> {
  await writeFileAtomic(join(submission.dir, "submission.json"), JSON.stringify(submission, null, 2) + "\n");
}

/**
 * The newest submission recorded under `<resultsDir>/slurm/` (by `createdAt`), or null when there is
 * none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lastSweepSubmission } from "./sweep_submission.ts";
 * assert.equal(await lastSweepSubmission(await Deno.makeTempDir()), null);
 * ```
 */
export async function lastSweepSubmission(resultsDir: string): Promise<SweepSubmission | null> {
  let last: SweepSubmission | null = null;
  try {
    for await (const entry of Deno.readDir(submissionsDir(resultsDir))) {
      if (!entry.isDirectory) continue;
      let s: SweepSubmission;
      try {
        s = JSON.parse(
          await Deno.readTextFile(join(submissionsDir(resultsDir), entry.name, "submission.json")),
        );
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) continue;
        throw e;
      }
      if (last === null || s.createdAt > last.createdAt) last = s;
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  return last;
}
