/**
 * The text of an sbatch batch script: `#SBATCH` directives from a spec, then the job's shell
 * command. Pure: nothing is written or run here.
 *
 * @module
 */
import { arrayRange } from "./array_range.ts";
import { shellQuote } from "./shell_quote.ts";

/** Resources and scheduling options of a batch job (each maps to one sbatch option). */
export interface BatchResources {
  /** `--partition`: the partition (queue); Slurm's default partition when absent. */
  partition?: string;
  /**
   * `--time`: the wall-clock limit in a Slurm time format (`MM`, `MM:SS`, `HH:MM:SS`, `D-HH`,
   * `D-HH:MM`, `D-HH:MM:SS`, or `UNLIMITED`); the partition's default when absent.
   */
  time?: string;
  /** `--cpus-per-task`: CPUs per task (a positive integer); 1 when absent. */
  cpusPerTask?: number;
  /**
   * Further sbatch options, each one token: `--option=value` (the value may hold spaces) or a
   * flag (`--exclusive`, `-Q`), e.g. `["--mem=8G", "--qos=long"]`.
   */
  sbatchArgs?: readonly string[];
}

/** One batch job (or job array): what {@linkcode batchScript} writes. */
export interface BatchSpec extends BatchResources {
  /** `--job-name`. */
  jobName: string;
  /** `--chdir`: the folder the command runs in (the script also `cd`s there). */
  workdir: string;
  /**
   * The job's shell command (bash), written verbatim as the script's body. In a job array each
   * task runs it with its own `$SLURM_ARRAY_TASK_ID`; quote paths with `shellQuote`.
   */
  command: string;
  /** `--array`: the task IDs of a job array (e.g. `[1, 2, 3, 4]`); a single job when absent. */
  array?: readonly number[];
  /** `--array=…%N`: at most this many of the array's tasks run at once. */
  arrayLimit?: number;
  /**
   * `--output`: the stdout file, with Slurm's patterns (`%x` job name, `%j` job ID, `%A` array
   * job ID, `%a` task ID); its folder must exist. Slurm's default (`slurm-%j.out` or
   * `slurm-%A_%a.out` in the working folder) when absent.
   */
  output?: string;
  /** `--error`: the stderr file; with the output when absent. */
  error?: string;
  /** `--dependency`, e.g. `afterok:1234` (often given to `sbatch` instead, once the ID is known). */
  dependency?: string;
  /** Environment variables the script exports before the command. */
  env?: Readonly<Record<string, string>>;
}

const TIME = /^(\d+-\d+(:\d+){0,2}|\d+(:\d+){0,2}|UNLIMITED|INFINITE)$/;

/** A value on a `#SBATCH` line: bare when safe, else in double quotes (sbatch strips them). */
function directiveValue(option: string, value: string): string {
  if (/["\n\r\0]/.test(value)) {
    throw new TypeError(`batchScript: ${option} ${JSON.stringify(value)} holds a quote or a line break`);
  }
  return /^[^\s'"#$\\`]+$/.test(value) ? value : `"${value}"`;
}

function directive(option: string, value: string): string {
  return `#SBATCH ${option}=${directiveValue(option, value)}`;
}

function extraDirective(arg: string): string {
  const m = /^(--[A-Za-z][\w-]*)=(.*)$/s.exec(arg);
  if (m !== null) return directive(m[1], m[2]);
  if (/^-[^\s"]+$/.test(arg)) return `#SBATCH ${arg}`;
  throw new TypeError(
    `batchScript: sbatch argument ${JSON.stringify(arg)}: expected --option=value or a flag`,
  );
}

/**
 * The batch script of `spec`: a bash script whose `#SBATCH` lines carry the job's options, that
 * stops at the first failing command (`set -euo pipefail`), changes to the working folder, exports
 * `spec.env` and runs `spec.command`. Throws a TypeError or RangeError on an option Slurm would
 * reject or a value a `#SBATCH` line cannot hold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchScript } from "./batch_script.ts";
 * // A job array whose task i computes shard i of 4, and the job that assembles the report:
 * const array = batchScript({
 *   jobName: "reproduce",
 *   array: [1, 2, 3, 4],
 *   partition: "cpu",
 *   time: "02:00:00",
 *   cpusPerTask: 2,
 *   workdir: "/home/me/gar-kit",
 *   output: "/home/me/gar-kit/results/slurm/%x-%A_%a.out",
 *   command: 'deno task reproduce --shard "$SLURM_ARRAY_TASK_ID/4"',
 * });
 * assert.match(array, /^#!\/bin\/bash\n/);
 * assert.match(array, /^#SBATCH --array=1-4$/m);
 * assert.match(array, /^#SBATCH --time=02:00:00$/m);
 * assert.match(array, /^deno task reproduce --shard "\$SLURM_ARRAY_TASK_ID\/4"$/m);
 * const assemble = batchScript({
 *   jobName: "reproduce-assemble",
 *   dependency: "afterok:1234",
 *   workdir: "/home/me/gar-kit",
 *   command: "deno task reproduce",
 *   sbatchArgs: ["--mem=4G", "--comment=the report"],
 * });
 * assert.match(assemble, /^#SBATCH --dependency=afterok:1234$/m);
 * assert.match(assemble, /^#SBATCH --comment="the report"$/m);
 * assert.doesNotMatch(assemble, /--array/);
 * assert.throws(() => batchScript({ jobName: "x", workdir: "/", command: "true", time: "2h" }), RangeError);
 * ```
 */
export function batchScript(spec: BatchSpec): string {
  if (spec.jobName === "") throw new TypeError("batchScript: empty jobName");
  if (spec.workdir === "") throw new TypeError("batchScript: empty workdir");
  const lines = ["#!/bin/bash", directive("--job-name", spec.jobName)];
  if (spec.array !== undefined) {
    let range = arrayRange(spec.array);
    if (spec.arrayLimit !== undefined) {
      if (!Number.isSafeInteger(spec.arrayLimit) || spec.arrayLimit < 1) {
        throw new RangeError(`batchScript: arrayLimit is a positive integer, got ${spec.arrayLimit}`);
      }
      range += `%${spec.arrayLimit}`;
    }
    lines.push(directive("--array", range));
  }
  if (spec.partition !== undefined) lines.push(directive("--partition", spec.partition));
  if (spec.time !== undefined) {
    if (!TIME.test(spec.time)) {
      throw new RangeError(
        `batchScript: time ${JSON.stringify(spec.time)} is not a Slurm time (MM, HH:MM:SS, D-HH:MM:SS, …)`,
      );
    }
    lines.push(directive("--time", spec.time));
  }
  if (spec.cpusPerTask !== undefined) {
    if (!Number.isSafeInteger(spec.cpusPerTask) || spec.cpusPerTask < 1) {
      throw new RangeError(`batchScript: cpusPerTask is a positive integer, got ${spec.cpusPerTask}`);
    }
    lines.push(directive("--cpus-per-task", `${spec.cpusPerTask}`));
  }
  lines.push(directive("--chdir", spec.workdir));
  if (spec.output !== undefined) lines.push(directive("--output", spec.output));
  if (spec.error !== undefined) lines.push(directive("--error", spec.error));
  if (spec.dependency !== undefined) lines.push(directive("--dependency", spec.dependency));
  for (const arg of spec.sbatchArgs ?? []) lines.push(extraDirective(arg));
  lines.push("# Written by gar-kit's lib/slurm (batchScript).", "set -euo pipefail");
  lines.push(`cd ${shellQuote(spec.workdir)}`);
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new TypeError(`batchScript: ${JSON.stringify(name)} is not an environment variable name`);
    }
    lines.push(`export ${name}=${shellQuote(value)}`);
  }
  lines.push(spec.command.trimEnd(), "");
  return lines.join("\n");
}
