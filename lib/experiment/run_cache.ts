/**
 * The content-addressed run cache, `<results>/runs/`.
 *
 * - Key: sha256 of the canonical JSON of {@linkcode RunKeyInputs} — the run's config, the
 *   dataset's content hash, the seed, the backend, the kit's code version and the tfjs version.
 * - Files: `runs/<key[0..2]>/<key>.json`, the record (`key`, `inputs`, `metrics`: deterministic,
 *   same key ⇒ identical bytes), and `runs/<key[0..2]>/<key>.meta.json` (timing and provenance,
 *   which vary from run to run). The meta file is written first; the record's presence marks the
 *   run complete.
 * - Atomic writes: a temporary file in the same folder, then a rename, so a process killed at any
 *   moment leaves either no record or a complete one (and stray `*.tmp-*` files, ignored).
 *
 * @module
 */
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { join } from "node:path";
import { sha256Hex } from "../data/sha256.ts";
import { canonicalJson } from "./canonical_json.ts";
import type { RunConfig, RunMetrics } from "./run.ts";

/** Everything the key covers. */
export interface RunKeyInputs {
  /** The run's config. */
  config: RunConfig;
  /** sha256 of the dataset's rows as the run sees them (see `datasetHash`). */
  datasetSha256: string;
  /** The run's seed (also in the config). */
  seed: number;
  /** tfjs backend. */
  backend: string;
  /** Kit code version (`codeVersion()`). */
  codeVersion: string;
  /** tfjs version. */
  tfjs: string;
}

/** A stored run. */
export interface RunRecord {
  /** The key (hex sha256). */
  key: string;
  /** What the key was computed from. */
  inputs: RunKeyInputs;
  /** The deterministic results. */
  metrics: RunMetrics;
}

/**
 * The run's key: hex sha256 of `canonicalJson(inputs)`.
 *
 * @example
 * ```ts
 * import { runKey } from "./run_cache.ts";
 * import assert from "node:assert/strict";
 * const inputs = { config: { seed: 0 }, datasetSha256: "d", seed: 0, backend: "cpu", codeVersion: "c", tfjs: "4.22.0" };
 * // deno-lint-ignore no-explicit-any
 * assert.match(await runKey(inputs as any), /^[0-9a-f]{64}$/);
 * ```
 */
export async function runKey(inputs: RunKeyInputs): Promise<string> {
  return await sha256Hex(new TextEncoder().encode(canonicalJson(inputs)));
}

/**
 * sha256 of a dataset's rows, `canonicalJson({ train, test })` (the numbers as loaded, after the
 * registry's feature standardisation), so a changed file or loader changes the key.
 *
 * @example
 * ```ts
 * import { datasetHash } from "./run_cache.ts";
 * import assert from "node:assert/strict";
 * const d = { train: { x: [[1]], y: [[2]] }, test: { x: [[3]], y: [[4]] } };
 * assert.equal(await datasetHash(d), await datasetHash(structuredClone(d)));
 * ```
 */
export async function datasetHash(data: { train: unknown; test: unknown }): Promise<string> {
  return await sha256Hex(new TextEncoder().encode(canonicalJson({ train: data.train, test: data.test })));
}

/**
 * Path of a run's record (or its meta file with `meta`): `<resultsDir>/runs/<key[0..2]>/<key>.json`.
 *
 * @example
 * ```ts
 * import { recordPath } from "./run_cache.ts";
 * import assert from "node:assert/strict";
 * assert.equal(recordPath("results", "abcd"), "results/runs/ab/abcd.json");
 * ```
 */
export function recordPath(resultsDir: string, key: string, meta = false): string {
  return join(resultsDir, "runs", key.slice(0, 2), `${key}${meta ? ".meta" : ""}.json`);
}

/**
 * Stores a completed run: the meta file (timing, provenance), then the record
 * (`canonicalJson(record)` + newline: deterministic bytes).
 *
 * @example
 * ```ts
 * import { readRecord, writeRecord } from "./run_cache.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * // deno-lint-ignore no-explicit-any
 * await writeRecord(dir, { key: "ab12", inputs: {} as any, metrics: {} as any }, { seconds: 1 });
 * assert.equal((await readRecord(dir, "ab12"))?.key, "ab12");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeRecord(
  resultsDir: string,
  record: RunRecord,
  meta: Record<string, unknown>,
): Promise<void> {
  await writeFileAtomic(recordPath(resultsDir, record.key, true), JSON.stringify(meta, null, 2) + "\n");
  await writeFileAtomic(recordPath(resultsDir, record.key), canonicalJson(record) + "\n");
}

/**
 * Reads a run's record, or null when it does not exist (not completed).
 *
 * @example
 * ```ts
 * import { readRecord } from "./run_cache.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await readRecord(await Deno.makeTempDir(), "00ff"), null);
 * ```
 */
export async function readRecord(resultsDir: string, key: string): Promise<RunRecord | null> {
  try {
    return JSON.parse(await Deno.readTextFile(recordPath(resultsDir, key))) as RunRecord;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/**
 * Whether a run's record exists (the run completed).
 *
 * @example
 * ```ts
 * import { hasRecord } from "./run_cache.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await hasRecord(await Deno.makeTempDir(), "00ff"), false);
 * ```
 */
export async function hasRecord(resultsDir: string, key: string): Promise<boolean> {
  try {
    await Deno.stat(recordPath(resultsDir, key));
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
