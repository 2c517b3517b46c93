/**
 * Command-line parsing shared by the tasks (`train`, `compare`): options through `node:util`'s `parseArgs`, and
 * the {@linkcode UsageError} a task reports with exit status 2. Internal to `tasks/`.
 *
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/**
 * A usage or data problem reported to the user (exit status 2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./_cli.ts";
 * assert.ok(new UsageError("--csv is required") instanceof Error);
 * ```
 */
export class UsageError extends Error {}

/**
 * The values of `options` in `args` (no positionals), or null after printing `usage` when `args` ask for help
 * (`options` should have `help`, e.g. `{ type: "boolean", short: "h" }`); an unknown option or a missing value is
 * a {@linkcode UsageError} followed by the usage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseOptions, UsageError } from "./_cli.ts";
 * const options = { csv: { type: "string" }, help: { type: "boolean", default: false } } as const;
 * assert.equal(parseOptions(["--csv", "a.csv"], options, "usage: …")?.csv, "a.csv");
 * assert.throws(() => parseOptions(["--bogus"], options, "usage: …"), UsageError);
 * ```
 */
export function parseOptions<T extends ParseArgsOptionsConfig>(args: string[], options: T, usage: string) {
  const values = (() => {
    try {
      return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
    } catch (e) {
      throw new UsageError(`${(e as Error).message}\n${usage}`);
    }
  })();
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    return null;
  }
  return values;
}
