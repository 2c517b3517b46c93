/**
 * Running Slurm's command-line tools (`sbatch`, `squeue`, `scontrol`, `scancel`): their options and
 * the error that names the failed command and its stderr.
 *
 * @module
 */
import { join } from "node:path";
import { shellQuote } from "./shell_quote.ts";

/** How the library runs a Slurm command. */
export interface SlurmCommandOptions {
  /**
   * Environment variables added to this process's, e.g. `{ SLURM_CONF }` of a private cluster
   * (`tools/slurm/cluster.sh env`).
   */
  env?: Readonly<Record<string, string>>;
  /** Folder holding the Slurm commands when they are not on PATH (e.g. `/opt/slurm/bin`). */
  bin?: string;
  /** Working folder of the command (default: this process's). */
  cwd?: string;
  /**
   * Aborts the command. Slurm's clients retry for up to a minute when the controller does not
   * answer; a signal (e.g. `AbortSignal.timeout(10_000)`) bounds that.
   */
  signal?: AbortSignal;
}

/**
 * A Slurm command that could not run or exited with a non-zero status. The message names the
 * command line and ends with its stderr.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SlurmCommandError } from "./command.ts";
 * const e = new SlurmCommandError(["scancel", "12"], 1, "scancel: error: Invalid job id specified\n");
 * assert.equal(e.message, "scancel 12 failed (exit status 1): scancel: error: Invalid job id specified");
 * assert.equal(e.code, 1);
 * ```
 */
export class SlurmCommandError extends Error {
  /**
   * @param command The command line (name and arguments).
   * @param code Its exit status; null when it did not run (not found, aborted).
   * @param stderr What it wrote to stderr (or why it did not run).
   */
  constructor(readonly command: readonly string[], readonly code: number | null, readonly stderr: string) {
    const line = command.map(shellQuote).join(" ");
    const what = code === null ? "could not run" : `failed (exit status ${code})`;
    super(`${line} ${what}: ${stderr.trim() || "(no stderr)"}`);
    this.name = "SlurmCommandError";
  }
}

/**
 * Runs the Slurm command `name` with `args` and returns its stdout; throws a
 * {@linkcode SlurmCommandError} when it is not found, is aborted or exits with a non-zero status.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSlurmCommand, SlurmCommandError } from "./command.ts";
 * // A folder with a stand-in `sinfo`, so the example needs no Slurm:
 * const bin = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${bin}/sinfo`, "#!/bin/sh\necho idle\n", { mode: 0o755 });
 * assert.equal(await runSlurmCommand("sinfo", ["-h", "-o", "%t"], { bin }), "idle\n");
 * await assert.rejects(runSlurmCommand("squeue", [], { bin }), SlurmCommandError); // not in bin
 * await Deno.remove(bin, { recursive: true });
 * ```
 */
export async function runSlurmCommand(
  name: string,
  args: readonly string[],
  options: SlurmCommandOptions = {},
): Promise<string> {
  const command = [name, ...args];
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(options.bin === undefined ? name : join(options.bin, name), {
      args: [...args],
      env: options.env === undefined ? undefined : { ...options.env },
      cwd: options.cwd,
      signal: options.signal,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      const where = options.bin === undefined ? "on PATH" : `in ${options.bin}`;
      throw new SlurmCommandError(command, null, `${name} not found ${where} (is Slurm installed?)`);
    }
    throw new SlurmCommandError(command, null, String(error));
  }
  const stderr = new TextDecoder().decode(out.stderr);
  if (out.signal !== null) throw new SlurmCommandError(command, null, `killed by ${out.signal}. ${stderr}`);
  if (out.code !== 0) throw new SlurmCommandError(command, out.code, stderr);
  return new TextDecoder().decode(out.stdout);
}
