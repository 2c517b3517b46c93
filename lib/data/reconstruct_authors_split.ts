/**
 * The authors' train/test arrays of `concrete`, `wine`, `parkinson-total` and `parkinson-motor`,
 * rebuilt from the kit's embedded UCI copy (`embedded_copy.ts`) instead of the authors' `.npz`
 * files: the same rows in the same order with the same values (see `authors_tables.ts` for the
 * rules; `tests/data/embedded_test.ts` checks them against the authors' arrays).
 *
 * The result has the shape the registry's loaders give for the `.npz` files
 * (`load_dataset.ts`): for `concrete` and `wine` the finished parts (features standardised in the
 * authors' way, as stored in their files); for the Parkinsons ids the raw full table with the
 * authors' permutation `ids` (test = `ids[:1175]`), which `loadDataset` standardises as it does for
 * `parkinson.npz`.
 *
 * @module
 */
import { authorsTable, type AuthorsTableOptions } from "./authors_tables.ts";
import { type EmbeddedFileStatus, readEmbeddedCopy } from "./embedded_copy.ts";
import { DataFormatError, DataUnavailableError } from "./errors.ts";
import type { Part } from "./load_dataset.ts";
import { takeRows } from "./matrix.ts";
import { datasetEntry } from "./registry.ts";

/** The authors' tables: split parts (`concrete`, `wine`) or a full table with split ids (Parkinsons). */
export type AuthorsSplitTables =
  | { parts: { train: Part; test: Part }; split: string }
  | { x: number[][]; y: number[][]; ids: number[]; split: string };

/** What {@linkcode reconstructAuthorsSplit} returns. */
export interface AuthorsSplitReconstruction {
  /** The tables, in the shape of the `.npz` loaders. */
  tables: AuthorsSplitTables;
  /** The embedded files used, all verified. */
  files: EmbeddedFileStatus[];
}

/**
 * Rebuilds the authors' arrays of dataset `id` from the embedded copy.
 *
 * @param id `concrete`, `wine`, `parkinson-total` or `parkinson-motor`
 * @param options `dir`: the folder of the embedded copy (default `data/embedded/`); `values` and
 *   `standardize`: as {@linkcode authorsTable} (default: the authors' values, Concrete's and Wine's features
 *   standardised)
 * @throws {ChecksumError} when an embedded file fails its checksum
 * @throws {DataUnavailableError} when an embedded file is missing
 * @throws {DataFormatError} when the split does not cover every UCI row exactly once
 *
 * @example
 * ```ts
 * import { reconstructAuthorsSplit } from "./reconstruct_authors_split.ts";
 * import assert from "node:assert/strict";
 * const { tables } = await reconstructAuthorsSplit("concrete");
 * assert.ok("parts" in tables);
 * assert.equal(tables.parts.train.x.length, 824);
 * assert.equal(tables.parts.test.y.length, 206);
 * ```
 */
export async function reconstructAuthorsSplit(
  id: string,
  options: { dir?: string } & AuthorsTableOptions = {},
): Promise<AuthorsSplitReconstruction> {
  const copy = await readEmbeddedCopy(id, options);
  if (!copy.ok || copy.contents === null || copy.split === null) {
    const refused = copy.files.find((f) => f.state === "refused");
    if (refused) throw refused.checksumErrors[0];
    throw new DataUnavailableError(id, copy.files.map((f) => `${f.path}: ${f.message}`).join("; "));
  }
  const entry = datasetEntry(id);
  const table = authorsTable(copy.source, copy.contents, options);
  const { train, test } = copy.split;
  const n = table.x.length;
  const seen = new Set([...train, ...test].filter((i) => i < n));
  if (train.length + test.length !== n || seen.size !== n) {
    throw new DataFormatError(`${id}: the embedded split does not list each of the ${n} UCI rows once`);
  }
  const split = `${entry.split.description}; rebuilt from the embedded UCI copy with the row indices in ` +
    copy.files[copy.files.length - 1].path;
  if (copy.source !== "parkinson") {
    const part = (rows: number[]): Part => ({
      x: takeRows(table.x, rows, `${id} X`),
      y: takeRows(table.y, rows, `${id} y`),
    });
    return { tables: { parts: { train: part(train), test: part(test) }, split }, files: copy.files };
  }
  if (test.length !== Math.floor((entry.split.testFraction ?? 0.2) * n)) {
    throw new DataFormatError(`${id}: ${test.length} test rows, not the authors' int(0.2·${n})`);
  }
  const column = entry.params.targetColumn as number;
  return {
    tables: { x: table.x, y: table.y.map((r) => [r[column]]), ids: [...test, ...train], split },
    files: copy.files,
  };
}
