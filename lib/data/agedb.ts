/**
 * The AgeDB-DIR loader: the listing CSV (`age,path,split`) plus linear-probe features per split.
 *
 * @module
 */
import { numericColumns, readCsv } from "./csv.ts";
import { DataFormatError } from "./errors.ts";
import { toRows } from "./matrix.ts";
import { parseNpy } from "./npy.ts";

/** The AgeDB splits. */
export type AgeDbSplit = "train" | "val" | "test";

/**
 * Pairs the listing's ages with feature rows. Each split's features are an `.npy` of shape
 * `(n_split, D)` whose rows follow the listing order of that split (e.g. features of a frozen
 * Rank-N-Contrast encoder, for a linear probe). Targets are the ages.
 *
 * @param listing the listing CSV bytes (`age,path,split`)
 * @param features `.npy` bytes per split
 * @param names file names for messages
 * @throws {DataFormatError} on a missing column, a non-numeric age, or a row-count mismatch
 *
 * @example
 * ```ts
 * import { parseAgeDb } from "./agedb.ts";
 * import assert from "node:assert/strict";
 * const npy = (rows: number) => {
 *   const h = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", 1), }";
 *   const head = new TextEncoder().encode(h + " ".repeat(64 - ((h.length + 11) % 64)) + "\n");
 *   const b = new Uint8Array(10 + head.length + 8 * rows);
 *   b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, head.length, 0]);
 *   b.set(head, 10);
 *   return b;
 * };
 * const listing = new TextEncoder().encode("age,path,split\n30,a.jpg,train\n40,b.jpg,test\n50,c.jpg,val\n");
 * const d = parseAgeDb(listing, { train: npy(1), val: npy(1), test: npy(1) });
 * assert.deepEqual(d.test.y, [[40]]);
 * ```
 */
export function parseAgeDb(
  listing: Uint8Array,
  features: Record<AgeDbSplit, Uint8Array>,
  names: { listing?: string; features?: Partial<Record<AgeDbSplit, string>> } = {},
): Record<AgeDbSplit, { x: number[][]; y: number[][] }> {
  const listingName = names.listing ?? "agedb.csv";
  const table = readCsv(listing, { name: listingName });
  for (const c of ["age", "path", "split"]) {
    if (!table.columns.includes(c)) throw new DataFormatError(`${listingName}: no column "${c}"`);
  }
  const ages = numericColumns(table, ["age"]).rows.map((r) => r[0]);
  const splitCol = table.cells[table.columns.indexOf("split")];
  const part = (s: AgeDbSplit) => {
    const y = ages.filter((_, i) => splitCol[i] === s).map((a) => [a]);
    const name = names.features?.[s] ?? `${s}.npy`;
    const x = toRows(parseNpy(features[s], name), name);
    if (x.length !== y.length) {
      throw new DataFormatError(
        `${name}: ${x.length} feature rows but the listing has ${y.length} ${s} rows`,
      );
    }
    return { x, y };
  };
  return { train: part("train"), val: part("val"), test: part("test") };
}
