/**
 * A CSV of your own made ready for training (`deno task train --csv`), under these rules (each
 * error names the column):
 *
 * - Separator: the one given, else `;` when the header has `;` and no `,`, else `,`.
 * - A missing target or requested feature column is an error; a column that is both is an error.
 * - A non-numeric target or requested feature is an error. Without a feature list, every other
 *   column is a feature, and non-numeric or empty columns are skipped with a warning.
 * - Missing cells (empty, NA, NaN, null, None, ?) are an error unless `dropMissing` drops those
 *   rows (with a warning).
 * - A constant target is an error; a constant feature is dropped with a warning; no feature left,
 *   or fewer than 10 rows, is an error.
 * - Split: seeded 80/20 (`seed`, default 0; `testFraction` for another share), or a test file of
 *   the user's (`test`): its rows are the test part, read under the same rules with the training
 *   file's feature and target columns (a missing or non-numeric one names the test file); features
 *   standardised with the training part's statistics; targets raw.
 *
 * @module
 */
import { columnKind, numericColumns, readCsv } from "./csv.ts";
import { DataFormatError } from "./errors.ts";
import type { Part } from "./load_dataset.ts";
import { trainTestSplit } from "./split.ts";
import { columnStats, standardize } from "./standardize.ts";

/** Options of {@linkcode prepareCsv}. */
export interface PrepareCsvOptions {
  /** Target columns (at least one). */
  target: string[];
  /** Feature columns (default: every other numeric, non-empty column). */
  features?: string[];
  /** Separator (default: sniffed from the header, see the module notes). */
  separator?: string;
  /** Drop rows with missing cells instead of failing (default false). */
  dropMissing?: boolean;
  /** Seed of the 80/20 split (default 0). */
  seed?: number;
  /** Share of the rows the seeded split puts in the test part, in (0, 1) (default 0.2). */
  testFraction?: number;
  /** A test file: its rows are the test part instead of a split (see the module notes). */
  test?: { bytes: Uint8Array; name: string };
}

/** A CSV ready for training. */
export interface PreparedCsv {
  /** Training rows (features standardised). */
  train: Part;
  /** Test rows (standardised with the training statistics). */
  test: Part;
  /** Feature names used. */
  featureNames: string[];
  /** Target names. */
  targetNames: string[];
  /** Warnings (skipped / dropped columns, dropped rows). */
  warnings: string[];
  /** The separator used. */
  separator: string;
  /** The split, in words. */
  split: string;
  /** The feature standardisation applied: the training part's statistics. */
  standardize: "train";
}

/**
 * Reads a CSV for training under the rules of the module notes.
 *
 * @param bytes the file's content
 * @param name the file's name, for messages
 * @throws {DataFormatError} naming the column for a missing, non-numeric, constant-target or
 *   missing-value problem, or when too few rows or no feature remain
 *
 * @example
 * ```ts
 * import { prepareCsv } from "./prepare_csv.ts";
 * import assert from "node:assert/strict";
 * const lines = ["a,b,name,y", ...Array.from({ length: 20 }, (_, i) => `${i},1,n${i},${2 * i}`)];
 * const d = prepareCsv(new TextEncoder().encode(lines.join("\n")), "t.csv", { target: ["y"] });
 * assert.deepEqual(d.featureNames, ["a"]);
 * assert.equal(d.train.x.length, 16);
 * ```
 */
export function prepareCsv(bytes: Uint8Array, name: string, options: PrepareCsvOptions): PreparedCsv {
  const separator = options.separator ?? sniffSeparator(bytes);
  const table = readCsv(bytes, { separator, name });
  const warnings: string[] = [];
  for (const t of options.target) {
    if (!table.columns.includes(t)) {
      throw new DataFormatError(
        `${name}: target column "${t}" not found; columns are: ${
          table.columns.map((c) => `"${c}"`).join(", ")
        }`,
      );
    }
  }
  let features: string[];
  if (options.features) {
    features = options.features;
    const overlap = features.filter((f) => options.target.includes(f));
    if (overlap.length) {
      throw new DataFormatError(`${name}: column "${overlap[0]}" is both a feature and a target`);
    }
    for (const f of features) columnKind(table, f); // throws naming a missing column
  } else {
    features = [];
    for (const c of table.columns.filter((c) => !options.target.includes(c))) {
      const k = columnKind(table, c);
      if (k.nonNumeric > 0) {
        warnings.push(
          `column "${c}" is not numeric (line ${k.firstBad?.line}: "${k.firstBad?.text}"); skipped — encode it numerically to use it`,
        );
      } else if (k.numeric === 0) warnings.push(`column "${c}" is empty; skipped`);
      else features.push(c);
    }
  }
  const { rows, dropped } = numericColumns(table, [...features, ...options.target], {
    missing: options.dropMissing ? "drop" : "error",
  });
  if (dropped > 0) warnings.push(`${dropped} row(s) with missing values dropped (--drop-missing)`);
  let x = rows.map((r) => r.slice(0, features.length));
  const y = rows.map((r) => r.slice(features.length));
  const ys = columnStats(y);
  options.target.forEach((t, j) => {
    if (!(ys.std[j] > 0)) {
      throw new DataFormatError(`${name}: target column "${t}" is constant; nothing to learn`);
    }
  });
  const xs = columnStats(x);
  const keep = features.map((_, j) => xs.std[j] > 0);
  features.forEach((f, j) => {
    if (!keep[j]) warnings.push(`column "${f}" is constant; dropped`);
  });
  features = features.filter((_, j) => keep[j]);
  x = x.map((r) => r.filter((_, j) => keep[j]));
  if (features.length === 0) {
    throw new DataFormatError(`${name}: no usable (numeric, non-constant) feature columns`);
  }
  if (rows.length < 10) {
    throw new DataFormatError(
      `${name}: ${rows.length} usable row(s); at least 10 are needed for an 80/20 split`,
    );
  }
  const seed = options.seed ?? 0;
  const { train, test, split } = options.test
    ? { train: { x, y }, ...testFile(options.test, features, options, warnings) }
    : seededSplit(x, y, name, seed, options.testFraction ?? 0.2);
  const [trX, teX] = standardize(train.x, test.x).sets;
  return {
    train: { x: trX, y: train.y },
    test: { x: teX, y: test.y },
    featureNames: features,
    targetNames: options.target,
    warnings,
    separator,
    split,
    standardize: "train",
  };
}

/** The separator of the rule in the module notes: `;` when the header has `;` and no `,`, else `,`. */
function sniffSeparator(bytes: Uint8Array): string {
  const header = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 65536))).split("\n")[0];
  return header.includes(";") && !header.includes(",") ? ";" : ",";
}

/** The seeded split of the rows: `testFraction` of them (rounded down, at least one) to the test part. */
function seededSplit(
  x: number[][],
  y: number[][],
  name: string,
  seed: number,
  testFraction: number,
): { train: Part; test: Part; split: string } {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new DataFormatError(`test fraction must be between 0 and 1, got ${testFraction}`);
  }
  const s = trainTestSplit(x.length, { seed, testFraction });
  if (s.test.length === 0) {
    throw new DataFormatError(
      `${name}: a test fraction of ${testFraction} of ${x.length} rows leaves no test row`,
    );
  }
  const pick = (ids: number[]) => ({ x: ids.map((i) => x[i]), y: ids.map((i) => y[i]) });
  const share = testFraction === 0.2 ? "80/20" : `${x.length - s.test.length}/${s.test.length} rows`;
  return { train: pick(s.train), test: pick(s.test), split: `seeded ${share} (seed ${seed})` };
}

/** The test part read from the user's test file, with the training file's columns. */
function testFile(
  file: { bytes: Uint8Array; name: string },
  features: readonly string[],
  options: PrepareCsvOptions,
  warnings: string[],
): { test: Part; split: string } {
  const table = readCsv(file.bytes, {
    separator: options.separator ?? sniffSeparator(file.bytes),
    name: file.name,
  });
  const { rows, dropped } = numericColumns(table, [...features, ...options.target], {
    missing: options.dropMissing ? "drop" : "error",
  });
  if (dropped > 0) {
    warnings.push(`${file.name}: ${dropped} row(s) with missing values dropped (--drop-missing)`);
  }
  if (rows.length === 0) throw new DataFormatError(`${file.name}: no usable test row`);
  return {
    test: { x: rows.map((r) => r.slice(0, features.length)), y: rows.map((r) => r.slice(features.length)) },
    split: `the rows of ${file.name} as the test part`,
  };
}
