/**
 * A task's data as a user would hold it (`deno task data export`): the raw UCI rows of `concrete`, `wine`,
 * `parkinson-total` or `parkinson-motor` — the values of the UCI files, neither rounded as the authors'
 * copies nor standardised — in the authors' train/test split, as two CSV files, `<id>-train.csv` and
 * `<id>-test.csv`, with the registry's column names: the features, then the target. The rows keep the authors'
 * order (their 5-fold CV cuts the training part in that order, without shuffling), so that
 * `deno task compare --csv <id>-train.csv --test-csv <id>-test.csv --target <target>` runs the paper's comparison
 * on them. The rows come from the kit's embedded copy (`embedded_copy.ts`), verified before use.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { escapeCsvField } from "../render/escape.ts";
import { EMBEDDED_MANIFEST } from "./embedded_copy.ts";
import type { Part } from "./load_dataset.ts";
import { takeRows } from "./matrix.ts";
import { reconstructAuthorsSplit } from "./reconstruct_authors_split.ts";
import { datasetEntry, expandNames } from "./registry.ts";
import { trainTestSplit } from "./split.ts";

/** The dataset ids that can be exported: those of the embedded copy. */
export const EXPORTABLE_DATASETS: readonly string[] = Object.keys(EMBEDDED_MANIFEST.datasets);

/** What {@linkcode exportAuthorsSplit} wrote. */
export interface ExportedSplit {
  /** The dataset id. */
  id: string;
  /** Paths of the two files. */
  files: { train: string; test: string };
  /** Rows of each. */
  rows: { train: number; test: number };
  /** Feature column names. */
  features: string[];
  /** Target column names. */
  targets: string[];
  /** The split, in words. */
  split: string;
}

/** CSV text: a header, then one line per row (numbers in their shortest round-trip form). */
function csvText(columns: readonly string[], part: Part): string {
  const lines = [columns.map(escapeCsvField).join(",")];
  part.x.forEach((x, i) => lines.push([...x, ...part.y[i]].map(String).join(",")));
  return lines.join("\n") + "\n";
}

/**
 * Writes `<outDir>/<id>-train.csv` and `<outDir>/<id>-test.csv` (see the module notes); creates `outDir`.
 *
 * @param id one of {@linkcode EXPORTABLE_DATASETS}
 * @param outDir the folder to write into
 * @param options `dir`: the folder of the embedded copy (default `data/embedded/`)
 * @throws {Error} for an id without an embedded copy (naming the ones there are)
 * @throws {ChecksumError} when an embedded file fails its checksum
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exportAuthorsSplit } from "./export_split.ts";
 * const dir = await Deno.makeTempDir();
 * const out = await exportAuthorsSplit("concrete", dir);
 * assert.deepEqual(out.rows, { train: 824, test: 206 });
 * const [header] = (await Deno.readTextFile(out.files.train)).split("\n");
 * assert.equal(header.split(",").at(-1), "compressive_strength");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function exportAuthorsSplit(
  id: string,
  outDir: string,
  options: { dir?: string } = {},
): Promise<ExportedSplit> {
  const { tables } = await reconstructAuthorsSplit(id, { ...options, values: "uci", standardize: false });
  let parts: { train: Part; test: Part };
  if ("parts" in tables) parts = tables.parts;
  else {
    const s = trainTestSplit(tables.x.length, {
      ids: tables.ids,
      testFraction: datasetEntry(id).split.testFraction,
    });
    const part = (ids: number[]) => ({
      x: takeRows(tables.x, ids, `${id} X`),
      y: takeRows(tables.y, ids, `${id} y`),
    });
    parts = { train: part(s.train), test: part(s.test) };
  }
  const entry = datasetEntry(id);
  const features = expandNames(entry.featureNames, parts.train.x[0].length);
  const targets = expandNames(entry.targetNames, parts.train.y[0].length);
  await Deno.mkdir(outDir, { recursive: true });
  const files = { train: join(outDir, `${id}-train.csv`), test: join(outDir, `${id}-test.csv`) };
  await writeFileAtomic(files.train, csvText([...features, ...targets], parts.train));
  await writeFileAtomic(files.test, csvText([...features, ...targets], parts.test));
  return {
    id,
    files,
    rows: { train: parts.train.x.length, test: parts.test.x.length },
    features,
    targets,
    split: tables.split,
  };
}
