/**
 * Delimited text (CSV, UCI `.data`, `;`-separated wine files) through nodejs-polars, and a strict
 * conversion of chosen columns to float64 with errors that name the file, column and line.
 *
 * Every cell is read as text (`inferSchemaLength: 0`) and converted here, so that a bad cell is
 * reported precisely instead of failing type inference somewhere in the file.
 *
 * @module
 */
import pl from "nodejs-polars";
import { Buffer } from "node:buffer";
import { DataFormatError } from "./errors.ts";

/** A parsed table: header names and every cell as text (`null` = empty cell). */
export interface CsvTable {
  /** File name used in messages. */
  name: string;
  /** Header names, in file order. */
  columns: string[];
  /** Cells by column (`cells[j][i]` = row i of column j). */
  cells: (string | null)[][];
  /** Number of data rows. */
  rows: number;
}

/**
 * Parses delimited text with a header line. Quoted fields (`"fixed acidity"`) are unquoted.
 *
 * @param bytes file content
 * @param options `separator` (default `,`), `name` for messages
 * @throws {DataFormatError} if the text cannot be parsed, naming the file
 *
 * @example
 * ```ts
 * import { readCsv } from "./csv.ts";
 * import assert from "node:assert/strict";
 * const t = readCsv(new TextEncoder().encode('"a";"b"\n1;2\n'), { separator: ";" });
 * assert.deepEqual(t.columns, ["a", "b"]);
 * assert.deepEqual(t.cells[1], ["2"]);
 * ```
 */
export function readCsv(bytes: Uint8Array, options: { separator?: string; name?: string } = {}): CsvTable {
  const name = options.name ?? "table.csv";
  let df: pl.DataFrame;
  try {
    df = pl.readCSV(Buffer.from(bytes), {
      sep: options.separator ?? ",",
      inferSchemaLength: 0,
      hasHeader: true,
    });
  } catch (e) {
    throw new DataFormatError(
      `${name}: cannot parse as delimited text: ${(e as Error).message.split("\n")[0]}`,
    );
  }
  const columns = df.columns;
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new DataFormatError(`${name}: duplicate column name "${c}"`);
    seen.add(c);
  }
  const cells = columns.map((c) => (df.getColumn(c).toArray() as (string | null)[]));
  return { name, columns, cells, rows: df.height };
}

/** Cell texts treated as missing values (besides an empty cell). */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(["", "na", "n/a", "nan", "null", "none", "?"]);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Classifies one cell: a finite number, missing (empty, `NA`, `NaN`, `null`, `None`, `?`, any
 * case), or non-numeric (anything else, including `inf`).
 *
 * @example
 * ```ts
 * import { parseCell } from "./csv.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseCell("3.38e-005"), 3.38e-5);
 * assert.equal(parseCell("NA"), "missing");
 * assert.equal(parseCell("red"), "non-numeric");
 * ```
 */
export function parseCell(cell: string | null): number | "missing" | "non-numeric" {
  if (cell === null) return "missing";
  const s = cell.trim();
  if (MISSING_TOKENS.has(s.toLowerCase())) return "missing";
  if (!NUMBER.test(s)) return "non-numeric";
  const v = Number(s);
  return Number.isFinite(v) ? v : "non-numeric";
}

/** Summary of a column's cells. */
export interface ColumnKind {
  /** Number of numeric cells. */
  numeric: number;
  /** Number of missing cells. */
  missing: number;
  /** Number of non-numeric cells. */
  nonNumeric: number;
  /** First non-numeric cell and its 1-based file line (header = line 1), if any. */
  firstBad: { line: number; text: string } | null;
}

/**
 * Counts numeric, missing and non-numeric cells of a column.
 *
 * @example
 * ```ts
 * import { columnKind, readCsv } from "./csv.ts";
 * import assert from "node:assert/strict";
 * const t = readCsv(new TextEncoder().encode("a\n1\nx\n\n"));
 * assert.equal(columnKind(t, "a").nonNumeric, 1);
 * ```
 */
export function columnKind(table: CsvTable, column: string): ColumnKind {
  const j = columnIndex(table, column);
  const k: ColumnKind = { numeric: 0, missing: 0, nonNumeric: 0, firstBad: null };
  table.cells[j].forEach((c, i) => {
    const v = parseCell(c);
    if (v === "missing") k.missing++;
    else if (v === "non-numeric") {
      k.nonNumeric++;
      k.firstBad ??= { line: i + 2, text: String(c) };
    } else k.numeric++;
  });
  return k;
}

function columnIndex(table: CsvTable, column: string): number {
  const j = table.columns.indexOf(column);
  if (j < 0) {
    throw new DataFormatError(
      `${table.name}: no column named "${column}"; columns are: ${
        table.columns.map((c) => `"${c}"`).join(", ")
      }`,
    );
  }
  return j;
}

/**
 * Converts the named columns to a float64 row matrix.
 *
 * Rules: a missing column is an error naming it; a non-numeric cell is an error naming the column,
 * line and text; missing cells are an error naming the column and the first line, unless
 * `missing: "drop"`, which drops every row with a missing cell in any of the named columns.
 *
 * @param table parsed table
 * @param columns columns to convert, in output order
 * @param options `missing`: `"error"` (default) or `"drop"`
 * @returns the rows, the kept row indices, and the number of dropped rows
 * @throws {DataFormatError} as described
 *
 * @example
 * ```ts
 * import { numericColumns, readCsv } from "./csv.ts";
 * import assert from "node:assert/strict";
 * const t = readCsv(new TextEncoder().encode("a,b\n1,2\n3,\n"));
 * assert.throws(() => numericColumns(t, ["a", "b"]), /column "b".*missing/);
 * assert.deepEqual(numericColumns(t, ["a", "b"], { missing: "drop" }).rows, [[1, 2]]);
 * ```
 */
export function numericColumns(
  table: CsvTable,
  columns: readonly string[],
  options: { missing?: "error" | "drop" } = {},
): { rows: number[][]; kept: number[]; dropped: number } {
  const idx = columns.map((c) => columnIndex(table, c));
  const values = idx.map((j, k) => {
    const col = table.cells[j].map((c) => parseCell(c));
    const bad = col.findIndex((v) => v === "non-numeric");
    if (bad >= 0) {
      throw new DataFormatError(
        `${table.name}: column "${columns[k]}" is not numeric (line ${bad + 2}: "${table.cells[j][bad]}")`,
      );
    }
    const miss = col.findIndex((v) => v === "missing");
    if (miss >= 0 && options.missing !== "drop") {
      const count = col.filter((v) => v === "missing").length;
      throw new DataFormatError(
        `${table.name}: column "${columns[k]}" has ${count} missing value(s) (first at line ${miss + 2}); ` +
          "drop those rows (train: --drop-missing) or impute them first",
      );
    }
    return col;
  });
  const rows: number[][] = [];
  const kept: number[] = [];
  for (let i = 0; i < table.rows; i++) {
    const r = values.map((col) => col[i]);
    if (r.every((v) => typeof v === "number")) {
      rows.push(r as number[]);
      kept.push(i);
    }
  }
  return { rows, kept, dropped: table.rows - rows.length };
}
