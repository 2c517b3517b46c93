/**
 * Submitting a batch script with `sbatch --parsable`.
 *
 * @module
 */
import { runSlurmCommand, type SlurmCommandOptions } from "./command.ts";

/** A job Slurm accepted. */
export interface SubmittedJob {
  /** Its job ID (for a job array: the array's job ID, `%A`). */
  jobId: number;
  /** The cluster that took it, when sbatch names one (federations, `--clusters`); else null. */
  cluster: string | null;
}

/** Options of {@linkcode sbatch}. */
export interface SbatchOptions extends SlurmCommandOptions {
  /** Options placed before the script, overriding its `#SBATCH` lines (e.g. `--dependency=afterok:12`). */
  args?: readonly string[];
}

/**
 * The job of `sbatch --parsable`'s output: `jobid` or `jobid;cluster` on its last line. Throws a
 * TypeError when the output holds neither.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSbatchParsable } from "./sbatch.ts";
 * assert.deepEqual(parseSbatchParsable("1234\n"), { jobId: 1234, cluster: null });
 * assert.deepEqual(parseSbatchParsable("77;hpc\n"), { jobId: 77, cluster: "hpc" });
 * assert.throws(() => parseSbatchParsable("Submitted batch job 5\n"), TypeError);
 * ```
 */
export function parseSbatchParsable(stdout: string): SubmittedJob {
  const last = stdout.trim().split("\n").at(-1)?.trim() ?? "";
  const m = /^(\d+)(?:;(\S+))?$/.exec(last);
  if (m === null) throw new TypeError(`sbatch --parsable printed no job ID: ${JSON.stringify(stdout)}`);
  return { jobId: Number(m[1]), cluster: m[2] ?? null };
}

/**
 * Submits the batch script at `scriptPath` (`sbatch --parsable [args…] scriptPath`) and returns the
 * job Slurm accepted; throws a `SlurmCommandError` (the command line and sbatch's stderr) when
 * sbatch refuses it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sbatch } from "./sbatch.ts";
 * // A stand-in `sbatch` that prints its arguments to stderr and a job ID, so this needs no Slurm:
 * const bin = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${bin}/sbatch`, '#!/bin/sh\necho "$@" >&2\necho 42\n', { mode: 0o755 });
 * const job = await sbatch("job.sh", { bin, args: ["--dependency=afterok:41"] });
 * assert.deepEqual(job, { jobId: 42, cluster: null });
 * await Deno.remove(bin, { recursive: true });
 * ```
 */
export async function sbatch(scriptPath: string, options: SbatchOptions = {}): Promise<SubmittedJob> {
  return parseSbatchParsable(
    await runSlurmCommand("sbatch", ["--parsable", ...(options.args ?? []), scriptPath], options),
  );
}
