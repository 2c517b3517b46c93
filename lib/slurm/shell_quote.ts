/**
 * Quoting for POSIX shells, for the batch scripts and for error messages.
 *
 * @module
 */

/**
 * `arg` as one POSIX shell word: unchanged when it holds only safe characters, otherwise in single
 * quotes (a `'` inside becomes `'\''`). Nothing in the result is expanded by the shell.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellQuote } from "./shell_quote.ts";
 * assert.equal(shellQuote("results/run-1"), "results/run-1");
 * assert.equal(shellQuote("a b"), "'a b'");
 * assert.equal(shellQuote("it's $HOME"), `'it'\\''s $HOME'`);
 * assert.equal(shellQuote(""), "''");
 * ```
 */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
