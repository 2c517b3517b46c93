/**
 * Excel sheets (`.xls`, `.xlsx`) through SheetJS (`xlsx`).
 *
 * @module
 */
import * as XLSX from "xlsx";
import { DataFormatError } from "./errors.ts";

/**
 * Reads one sheet whose first row is a header and whose other rows are all numbers.
 *
 * @param bytes workbook content
 * @param name file name for messages
 * @param sheet sheet index (default 0)
 * @returns header texts (trimmed) and numeric rows
 * @throws {DataFormatError} on an unreadable workbook or a non-numeric / empty cell (naming the
 *   column and the spreadsheet row)
 *
 * @example
 * ```ts
 * import * as XLSX from "xlsx";
 * import { readNumericSheet } from "./xls.ts";
 * import assert from "node:assert/strict";
 * const wb = XLSX.utils.book_new();
 * XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([["a", "b"], [1, 2]]), "S");
 * const bytes = new Uint8Array(XLSX.write(wb, { type: "array", bookType: "xlsx" }));
 * assert.deepEqual(readNumericSheet(bytes, "t.xlsx").rows, [[1, 2]]);
 * ```
 */
export function readNumericSheet(
  bytes: Uint8Array,
  name: string,
  sheet = 0,
): { header: string[]; rows: number[][] } {
  let grid: unknown[][];
  try {
    const wb = XLSX.read(bytes, { type: "array" });
    const ws = wb.Sheets[wb.SheetNames[sheet]];
    if (!ws) throw new Error(`no sheet ${sheet}`);
    grid = XLSX.utils.sheet_to_json(ws, { header: 1, raw: true, blankrows: false }) as unknown[][];
  } catch (e) {
    throw new DataFormatError(`${name}: cannot read as a spreadsheet: ${(e as Error).message}`);
  }
  if (grid.length === 0) throw new DataFormatError(`${name}: sheet ${sheet} is empty`);
  const header = grid[0].map((h) => String(h ?? "").trim());
  const rows = grid.slice(1).map((r, i) =>
    header.map((h, j) => {
      const v = r[j];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new DataFormatError(
          `${name}: column "${h}" row ${i + 2} is not a number (${
            v === undefined ? "empty" : JSON.stringify(v)
          })`,
        );
      }
      return v;
    })
  );
  return { header, rows };
}
