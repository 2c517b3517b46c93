/**
 * The kit code version of the run cache: a sha256 over the library sources that affect what a
 * training run computes, read at run time (so editing any of them invalidates the cached runs).
 *
 * The files: every `.ts` file under `lib/model/`, `lib/losses/` (its subfolders included, as the
 * kernels in `lib/losses/kernels/`; the reference float64 ports under `lib/losses/reference/`
 * excluded: training never calls them) and `lib/random/`, at any depth, and
 * `lib/methods.ts` and `lib/experiment/{run,run_group,kfold}.ts`. Each contributes its relative path and its bytes, in
 * sorted path order.
 *
 * @module
 */
import { sha256Hex } from "../data/sha256.ts";

const LIB = new URL("../", import.meta.url);
const DIRS = ["model", "losses", "random"];
const EXCLUDED_DIRS = ["losses/reference"];
const FILES = [
  "experiment/run.ts",
  "experiment/run_group.ts",
  "methods.ts",
  "experiment/kfold.ts",
];

/** The `.ts` files under `dir` (relative path `rel`), in its subfolders too, but for `EXCLUDED_DIRS`. */
async function listTs(dir: URL, rel: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = `${rel}/${e.name}`;
    if (e.isFile && e.name.endsWith(".ts")) out.push(path);
    else if (e.isDirectory && !EXCLUDED_DIRS.includes(path)) {
      out.push(...await listTs(new URL(`${e.name}/`, dir), path));
    }
  }
  return out;
}

/**
 * The sorted relative paths (under `lib/`) that the code version covers.
 *
 * @example
 * ```ts
 * import { codeVersionFiles } from "./code_version.ts";
 * import assert from "node:assert/strict";
 * const files = await codeVersionFiles();
 * assert.ok(files.includes("losses/gar.ts") && files.includes("experiment/run.ts"));
 * assert.ok(files.includes("losses/kernels/host/rows/rnc.ts")); // subfolders count
 * assert.ok(!files.some((f) => f.startsWith("losses/reference/"))); // the float64 oracles do not
 * ```
 */
export async function codeVersionFiles(): Promise<string[]> {
  const files = [...FILES];
  for (const d of DIRS) files.push(...await listTs(new URL(`${d}/`, LIB), d));
  return files.sort();
}

let cached: Promise<string> | null = null;

/**
 * sha256 (hex) of the training-relevant sources (see the module notes); computed once per process.
 *
 * @example
 * ```ts
 * import { codeVersion } from "./code_version.ts";
 * import assert from "node:assert/strict";
 * assert.match(await codeVersion(), /^[0-9a-f]{64}$/);
 * ```
 */
export function codeVersion(): Promise<string> {
  cached ??= (async () => {
    const enc = new TextEncoder();
    const parts: Uint8Array[] = [];
    for (const f of await codeVersionFiles()) {
      parts.push(enc.encode(`\n--- ${f}\n`), await Deno.readFile(new URL(f, LIB)));
    }
    const all = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    return await sha256Hex(all);
  })();
  return cached;
}
