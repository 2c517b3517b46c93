/**
 * The tables the runtime benchmark trains on: the registry's tabular datasets that are present,
 * plus the generated Super Conductivity stand-in.
 *
 * @module
 */
import { loadDataset, type LoadOptions } from "../data/load_dataset.ts";
import { type BenchTable, syntheticSuperconductivity } from "./synthetic_supercon.ts";

/** The tabular datasets of the paper's Table 2 that the kit can load, then the generated stand-in. */
export const BENCH_DATASETS = [
  "concrete",
  "wine",
  "parkinson-total",
  "parkinson-motor",
  "supercon-synthetic",
] as const;

/** Result of {@linkcode loadBenchTables}. */
export interface BenchTables {
  /** The tables that could be loaded (the training part of each split), in the order asked. */
  tables: BenchTable[];
  /** The ids that could not be loaded, with the reason (e.g. "data not present: …"). */
  missing: { id: string; reason: string }[];
}

function flatten(rows: number[][]): Float32Array {
  const width = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(r, i * width));
  return out;
}

/**
 * Loads the training part of each dataset as a float32 table (`supercon-synthetic` is generated,
 * seeded). A dataset that cannot be loaded (file absent, no network) is listed in `missing` with
 * the loader's message, never an error.
 *
 * @param ids dataset ids (default {@linkcode BENCH_DATASETS})
 * @param options passed to `loadDataset` (default: its defaults, i.e. the data location from the
 *   environment: `GAR_DATA_DIR`, `GAR_DATA_MIRROR`, `GAR_DATA_OFFLINE`)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadBenchTables } from "./bench_datasets.ts";
 * const { tables } = await loadBenchTables(["supercon-synthetic"]);
 * assert.equal(tables[0].features, 81);
 * ```
 */
export async function loadBenchTables(
  ids: readonly string[] = BENCH_DATASETS,
  options: LoadOptions = {},
): Promise<BenchTables> {
  const tables: BenchTable[] = [];
  const missing: { id: string; reason: string }[] = [];
  for (const id of ids) {
    if (id === "supercon-synthetic") {
      tables.push(syntheticSuperconductivity());
      continue;
    }
    try {
      const d = await loadDataset(id, options);
      tables.push({
        id,
        rows: d.train.x.length,
        features: d.featureNames.length || d.train.x[0].length,
        targets: d.train.y[0].length,
        x: flatten(d.train.x),
        y: flatten(d.train.y),
      });
    } catch (e) {
      missing.push({ id, reason: `data not present: ${(e as Error).message}` });
    }
  }
  return { tables, missing };
}
