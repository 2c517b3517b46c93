/**
 * The authors' full Concrete, Wine and Parkinsons tables (all rows, before their split) rebuilt from
 * the raw UCI files, value for value.
 *
 * The authors read the data with `ucimlrepo` (`fetch_ucirepo(id)`), whose copies hold the UCI values
 * rounded, and stored the result in `CCS.npz`, `wine_quality.npz` and `parkinson.npz`. Comparing
 * those arrays with the UCI files (`tools/data/embed_uci.ts`, `tests/data/embedded_test.ts`) gives
 * these rules, each exact for every cell:
 *
 * - Concrete (UCI id 165, `Concrete_Data.xls`): features rounded to 1 decimal, the strength to 2
 *   decimals ({@linkcode roundDecimal}: the shortest decimal, half away from zero); features then
 *   standardised over all 1030 rows with NumPy's arithmetic ({@linkcode standardizeNumpy}).
 * - Wine Quality (UCI id 186, red then white CSV, 6497 rows): features rounded to 10 significant
 *   digits (only `alcohol` has more, e.g. `13.5666666666667` → `13.56666667`), then standardised
 *   like Concrete; target `quality` as is.
 * - Parkinsons Telemonitoring (UCI id 189, `parkinsons_updrs.data`): `Jitter(Abs)` values below
 *   1e-4 (those the file writes with an exponent, `2.462e-005`) rounded to 3 significant digits;
 *   every other value as is; features raw (the authors standardise them at load time). Columns in the
 *   authors' order (`subject#` dropped, `sex` last); targets `motor_UPDRS`, `total_UPDRS`.
 *
 * With `values: "uci"` the rounding is skipped (the raw UCI values), and with `standardize: false`
 * the standardisation, to measure what each step changes.
 *
 * @module
 */
import { numericColumns, readCsv } from "./csv.ts";
import { DataFormatError } from "./errors.ts";
import { datasetEntry, expandNames } from "./registry.ts";
import { roundDecimal } from "./round_decimal.ts";
import { standardizeNumpy } from "./standardize_numpy.ts";
import { readNumericSheet } from "./xls.ts";

/** The UCI data sets the authors' files were made from. */
export type AuthorsSource = "concrete" | "wine" | "parkinson";

/** A full table in UCI row order: features `[n][D]` and targets `[n][T]`. */
export interface AuthorsTable {
  /** Features as the authors' array holds them (Concrete, Wine: standardised; Parkinsons: raw). */
  x: number[][];
  /** Targets (Parkinsons: `[motor_UPDRS, total_UPDRS]`, the columns of the authors' `y`). */
  y: number[][];
}

/** The registry entry (of the raw UCI variant) that names each source's files and columns. */
const UCI_ENTRY: Record<AuthorsSource, string> = {
  concrete: "concrete-uci",
  wine: "wine-uci",
  parkinson: "parkinson-total-uci",
};

/**
 * The registry paths of the UCI files a source is rebuilt from (in reading order), e.g.
 * `uci/concrete/Concrete_Data.xls`.
 *
 * @example
 * ```ts
 * import { authorsSourceFiles } from "./authors_tables.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(authorsSourceFiles("wine"), [
 *   "uci/wine-quality/winequality-red.csv",
 *   "uci/wine-quality/winequality-white.csv",
 * ]);
 * ```
 */
export function authorsSourceFiles(source: AuthorsSource): string[] {
  return datasetEntry(UCI_ENTRY[source]).files.filter((f) => f.role === "data").map((f) => f.path);
}

/** Options of {@linkcode authorsTable}. */
export interface AuthorsTableOptions {
  /** `ucimlrepo` (default): the values the authors read; `uci`: the raw UCI values (no rounding). */
  values?: "ucimlrepo" | "uci";
  /** False: leave Concrete's and Wine's features unstandardised (default true). */
  standardize?: boolean;
}

/**
 * Rebuilds the authors' full table of `source` from the raw UCI files (see the module doc).
 *
 * @param source `concrete`, `wine` or `parkinson`
 * @param files the UCI files' contents by registry path ({@linkcode authorsSourceFiles})
 * @param options see {@linkcode AuthorsTableOptions}
 * @throws {DataFormatError} when a file is missing or malformed
 *
 * @example
 * ```ts
 * import { authorsTable } from "./authors_tables.ts";
 * import assert from "node:assert/strict";
 * const head = "subject#,age,sex,test_time,motor_UPDRS,total_UPDRS,Jitter(%),Jitter(Abs),Jitter:RAP," +
 *   "Jitter:PPQ5,Jitter:DDP,Shimmer,Shimmer(dB),Shimmer:APQ3,Shimmer:APQ5,Shimmer:APQ11,Shimmer:DDA,NHR,HNR,RPDE,DFA,PPE";
 * const row = "1,72,0,5.6431,28.199,34.398,0.00662,3.38e-005,0.00401,0.00317,0.01204,0.02565,0.23," +
 *   "0.01438,0.01309,0.01662,0.04314,0.01429,21.64,0.41888,0.54842,0.16006";
 * const files = { "uci/parkinsons-telemonitoring/parkinsons_updrs.data": new TextEncoder().encode(`${head}\n${row}`) };
 * const t = authorsTable("parkinson", files);
 * assert.deepEqual(t.y, [[28.199, 34.398]]);
 * assert.equal(t.x[0][3], 3.38e-5);
 * assert.equal(t.x[0][18], 0); // sex, last
 * ```
 */
export function authorsTable(
  source: AuthorsSource,
  files: Readonly<Record<string, Uint8Array>>,
  options: AuthorsTableOptions = {},
): AuthorsTable {
  const rounded = (options.values ?? "ucimlrepo") === "ucimlrepo";
  const round = (v: number, digits: Parameters<typeof roundDecimal>[1]) =>
    rounded ? roundDecimal(v, digits) : v;
  const scale = (rows: number[][]) => (options.standardize ?? true) ? standardizeNumpy(rows) : rows;
  const bytes = (path: string) => {
    const b = files[path];
    if (b === undefined) throw new DataFormatError(`${source}: the UCI file ${path} was not given`);
    return b;
  };
  const entry = datasetEntry(UCI_ENTRY[source]);
  const names = expandNames(entry.featureNames, 0);
  const [first] = authorsSourceFiles(source);
  if (source === "concrete") {
    const { header, rows } = readNumericSheet(bytes(first), first);
    if (header.length !== 9) {
      throw new DataFormatError(`${first}: expected 9 columns, found ${header.length}`);
    }
    return {
      x: scale(rows.map((r) => r.slice(0, 8).map((v) => round(v, { decimals: 1 })))),
      y: rows.map((r) => [round(r[8], { decimals: 2 })]),
    };
  }
  if (source === "wine") {
    const rows = authorsSourceFiles(source).flatMap((path) =>
      numericColumns(readCsv(bytes(path), { separator: ";", name: path }), [...names, "quality"]).rows
    );
    return {
      x: scale(rows.map((r) => r.slice(0, names.length).map((v) => round(v, { significant: 10 })))),
      y: rows.map((r) => [r[names.length]]),
    };
  }
  const table = readCsv(bytes(first), { name: first });
  const { rows } = numericColumns(table, [...names, "motor_UPDRS", "total_UPDRS"]);
  const abs = names.indexOf("Jitter(Abs)");
  return {
    x: rows.map((r) =>
      r.slice(0, names.length).map((v, j) => (j === abs && v < 1e-4 ? round(v, { significant: 3 }) : v))
    ),
    y: rows.map((r) => r.slice(names.length)),
  };
}
