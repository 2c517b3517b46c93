/**
 * A dataset's summary for `deno task data inspect`: its shape, names, first training row, file
 * hashes, split and remarks, or why it is unavailable and how to obtain it.
 *
 * @module
 */
import { DataUnavailableError } from "./errors.ts";
import { loadDataset, type LoadOptions } from "./load_dataset.ts";
import { datasetEntry, expandNames } from "./registry.ts";

/** What {@linkcode inspectDataset} reports (`deno task data inspect --json` prints it). */
export interface InspectReport {
  /** Dataset id. */
  id: string;
  /** Whether it could be loaded. */
  available: boolean;
  /** Row counts (null when unavailable). */
  rows: { train: number; test: number; val?: number } | null;
  /** Feature count. */
  features: number | null;
  /** Target count. */
  targets: number | null;
  /** Feature names. */
  featureNames: string[];
  /** Target names. */
  targetNames: string[];
  /**
   * First training row. By default as stored in the source file (no standardisation), so it can be
   * compared with the raw data; `--standardize` shows it as a training run sees it.
   */
  firstTrainRow: number[] | null;
  /** Its target(s). */
  firstTrainTarget: number[] | null;
  /** Actual sha256 of each file used, by registry path. */
  sha256: Record<string, string | null>;
  /** Feature standardisation applied. */
  standardize?: string;
  /** Split used, in words. */
  split?: string;
  /** Loader remarks. */
  notes?: string[];
  /** Why it is unavailable and how to obtain it. */
  reason?: string;
}

/**
 * Loads a dataset and summarises it (never throws for an unavailable dataset: reports it). By
 * default the rows are shown as stored (`standardize: "none"`); `options` override.
 *
 * @example
 * ```ts
 * import { inspectDataset } from "./inspect_dataset.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const r = await inspectDataset("sine", { location: { cacheDir: dir, mirror: null, network: false, timeoutMs: 1 } });
 * assert.equal(r.rows?.train, 315);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function inspectDataset(id: string, options: LoadOptions = {}): Promise<InspectReport> {
  const entry = datasetEntry(id);
  try {
    const d = await loadDataset(id, { standardize: "none", ...options });
    return {
      id,
      available: true,
      rows: { train: d.train.x.length, test: d.test.x.length, ...(d.val ? { val: d.val.x.length } : {}) },
      features: d.featureNames.length,
      targets: d.targetNames.length,
      featureNames: d.featureNames,
      targetNames: d.targetNames,
      firstTrainRow: d.train.x[0],
      firstTrainTarget: d.train.y[0],
      sha256: Object.fromEntries(d.files.map((f) => [f.path, f.sha256])),
      standardize: d.standardize,
      split: d.split,
      notes: d.notes,
    };
  } catch (e) {
    if (!(e instanceof DataUnavailableError)) throw e;
    return {
      id,
      available: false,
      rows: null,
      features: null,
      targets: null,
      featureNames: Array.isArray(entry.featureNames) ? entry.featureNames : [],
      targetNames: expandNames(
        entry.targetNames,
        Array.isArray(entry.targetNames) ? 0 : entry.targetNames.count ?? 0,
      ),
      firstTrainRow: null,
      firstTrainTarget: null,
      sha256: {},
      reason: e.message,
    };
  }
}
