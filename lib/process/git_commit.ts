/**
 * The git commit of a checkout, for provenance.
 *
 * @module
 */

/** A checkout's commit and whether tracked files differ from it. */
export interface GitCommit {
  /** The full commit hash of `HEAD`. */
  commit: string;
  /** True when tracked files have uncommitted changes (`git status --porcelain --untracked-files=no`). */
  dirty: boolean;
}

async function git(dir: string, args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command("git", { args: ["-C", dir, ...args], stdout: "piped", stderr: "null" })
      .output();
    return out.code === 0 ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null; // git not installed
  }
}

/**
 * `HEAD`'s commit of the checkout containing `dir`, or null when `dir` is not in a git checkout or
 * git is not installed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gitCommit } from "./git_commit.ts";
 * const c = await gitCommit(await Deno.makeTempDir());
 * assert.equal(c, null); // a fresh temporary folder is no checkout
 * ```
 */
export async function gitCommit(dir: string): Promise<GitCommit | null> {
  const commit = await git(dir, ["rev-parse", "HEAD"]);
  if (commit === null || !/^[0-9a-f]{40}$/.test(commit)) return null;
  const status = await git(dir, ["status", "--porcelain", "--untracked-files=no"]);
  return { commit, dirty: status !== null && status !== "" };
}
