/**
 * The paper's published numbers: `data/paper-tables.json` (Tables 1, 2, 5, 6, 7 of the paper; mean
 * and std over 5 folds, transcribed), its layout ({@linkcode PaperTables}), loading and validating it
 * ({@linkcode loadPaperTables}), and the numbers as one flat list ({@linkcode paperNumbers}) that the
 * claims compare with ours.
 *
 * @module
 */
import type { MeanStd } from "../render/table.ts";

/** A per-metric block of Table 1 or 7: method → number, plus the paper's gains and p-values. */
export type MethodBlock = Record<string, MeanStd> & {
  /** GAR's gain in % vs MAE and vs the best competitor (Table 1 and 7). */
  gainsPct?: { vsMAE: number; vsBestCompetitor: number };
  /** p-values of the two-sample t-tests (Table 1 and 7). */
  pValues?: { vsMAE: number; vsBestCompetitor: number };
};

/** The layout of `data/paper-tables.json`. */
export interface PaperTables {
  /** Citation and transcription note. */
  source: string;
  /** Table 1: dataset → metric → method → mean (std). */
  table1: Record<string, Record<string, MethodBlock>>;
  /** Table 2: method → dataset → seconds per epoch (all time, loss time). */
  table2_seconds_per_epoch: Record<string, Record<string, { allTime: MeanStd; lossTime: MeanStd }>>;
  /** Table 5: the ablation over subsets of {MAE, Var, Pearson}. */
  table5_ablation: {
    /** The variants, in the paper's order. */
    variants: string[];
    /** Overall rank of each variant (lower is better). */
    overallRank: Record<string, number>;
    /** dataset → metric → variant → mean (std). */
    results: Record<string, Record<string, Record<string, MeanStd>>>;
  };
  /** Table 6: batch size → dataset → metric → GAR's mean (std). */
  table6_batch_size: Record<string, Record<string, Record<string, MeanStd>>>;
  /** Table 7 (standardized features and labels), laid out as Table 1. */
  table7_standardized: Record<string, Record<string, MethodBlock>>;
}

/** The default location of the paper's numbers: `data/paper-tables.json` in this project. */
export const PAPER_TABLES_URL: URL = new URL("../../data/paper-tables.json", import.meta.url);

function isMeanStdValue(x: unknown): x is MeanStd {
  return typeof x === "object" && x !== null && typeof (x as MeanStd).mean === "number" &&
    typeof (x as MeanStd).std === "number";
}

/**
 * Checks that parsed JSON has the layout of {@linkcode PaperTables}; throws an Error naming the
 * first offending path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validatePaperTables } from "./paper_tables.ts";
 * assert.throws(() => validatePaperTables({ source: "x" }), /table1/);
 * ```
 */
export function validatePaperTables(json: unknown): PaperTables {
  const fail = (path: string, why: string): never => {
    throw new Error(`paper tables: ${path}: ${why}`);
  };
  const obj = (x: unknown, path: string): Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x)
      ? x as Record<string, unknown>
      : fail(path, "expected an object");
  const root = obj(json, "$");
  if (typeof root.source !== "string") fail("source", "expected a string");
  const checkNested = (x: unknown, path: string, depth: number): void => {
    if (depth === 0) {
      if (!isMeanStdValue(x)) fail(path, "expected { mean, std }");
      return;
    }
    for (const [k, v] of Object.entries(obj(x, path))) {
      if (depth === 1 && (k === "gainsPct" || k === "pValues")) continue;
      checkNested(v, `${path}.${k}`, depth - 1);
    }
  };
  checkNested(root.table1, "table1", 3);
  checkNested(root.table7_standardized, "table7_standardized", 3);
  checkNested(root.table6_batch_size, "table6_batch_size", 3);
  for (const [m, byData] of Object.entries(obj(root.table2_seconds_per_epoch, "table2_seconds_per_epoch"))) {
    for (const [d, t] of Object.entries(obj(byData, `table2_seconds_per_epoch.${m}`))) {
      const times = obj(t, `table2_seconds_per_epoch.${m}.${d}`);
      for (const key of ["allTime", "lossTime"]) {
        if (!isMeanStdValue(times[key])) {
          fail(`table2_seconds_per_epoch.${m}.${d}.${key}`, "expected { mean, std }");
        }
      }
    }
  }
  const t5 = obj(root.table5_ablation, "table5_ablation");
  if (!Array.isArray(t5.variants) || !t5.variants.every((v) => typeof v === "string")) {
    fail("table5_ablation.variants", "expected an array of strings");
  }
  for (const [k, v] of Object.entries(obj(t5.overallRank, "table5_ablation.overallRank"))) {
    if (typeof v !== "number") fail(`table5_ablation.overallRank.${k}`, "expected a number");
  }
  checkNested(t5.results, "table5_ablation.results", 3);
  return json as PaperTables;
}

/**
 * Loads and validates the paper's numbers (default: {@linkcode PAPER_TABLES_URL}, this project's
 * `data/paper-tables.json`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadPaperTables } from "./paper_tables.ts";
 * const tables = await loadPaperTables();
 * assert.equal(tables.table1.concrete.MAE.GAR.mean, 4.603);
 * ```
 */
export async function loadPaperTables(path: string | URL = PAPER_TABLES_URL): Promise<PaperTables> {
  return validatePaperTables(JSON.parse(await Deno.readTextFile(path)));
}

/** One published number of the paper, as listed by {@linkcode paperNumbers}. */
export interface PaperNumber {
  /** The paper's table: `"table1"`, `"table2"`, `"table5"`, `"table6"` or `"table7"`. */
  artifact: string;
  /** Dataset id, e.g. `"concrete"`. */
  dataset: string;
  /** Method, e.g. `"GAR"` (Table 5: the ablation variant; Table 6: `"GAR"`). */
  method: string;
  /** Metric, e.g. `"MAE"`, `"Pearson"` (Table 2: `"allTime"` or `"lossTime"`, seconds per epoch). */
  metric: string;
  /** A further setting that identifies the number (Table 6: `"batch=<size>"`). */
  setting?: string;
  /** The published mean (std). */
  paper: MeanStd;
}

function fromMethodTable(
  artifact: string,
  table: Record<string, Record<string, MethodBlock>>,
): PaperNumber[] {
  const out: PaperNumber[] = [];
  for (const [dataset, byMetric] of Object.entries(table)) {
    for (const [metric, block] of Object.entries(byMetric)) {
      for (const [method, value] of Object.entries(block)) {
        if (method === "gainsPct" || method === "pValues") continue;
        out.push({ artifact, dataset, method, metric, paper: value as MeanStd });
      }
    }
  }
  return out;
}

/**
 * Lists every published number of the paper's tables, flat, in file order.
 *
 * @param tables the paper's tables
 * @param artifacts only these artifacts (default: all of table1, table2, table5, table6, table7)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadPaperTables, paperNumbers } from "./paper_tables.ts";
 * const numbers = paperNumbers(await loadPaperTables(), ["table6"]);
 * const n = numbers.find((x) => x.setting === "batch=32" && x.dataset === "concrete" && x.metric === "MAE");
 * assert.deepEqual(n?.paper, { mean: 3.866, std: 0.132 });
 * ```
 */
export function paperNumbers(tables: PaperTables, artifacts?: readonly string[]): PaperNumber[] {
  const want = (a: string) => artifacts === undefined || artifacts.includes(a);
  const out: PaperNumber[] = [];
  if (want("table1")) out.push(...fromMethodTable("table1", tables.table1));
  if (want("table2")) {
    for (const [method, byData] of Object.entries(tables.table2_seconds_per_epoch)) {
      for (const [dataset, t] of Object.entries(byData)) {
        out.push({ artifact: "table2", dataset, method, metric: "allTime", paper: t.allTime });
        out.push({ artifact: "table2", dataset, method, metric: "lossTime", paper: t.lossTime });
      }
    }
  }
  if (want("table5")) out.push(...fromMethodTable("table5", tables.table5_ablation.results));
  if (want("table6")) {
    for (const [batch, byData] of Object.entries(tables.table6_batch_size)) {
      for (const [dataset, byMetric] of Object.entries(byData)) {
        for (const [metric, value] of Object.entries(byMetric)) {
          out.push({
            artifact: "table6",
            dataset,
            method: "GAR",
            metric,
            setting: `batch=${batch}`,
            paper: value,
          });
        }
      }
    }
  }
  if (want("table7")) out.push(...fromMethodTable("table7", tables.table7_standardized));
  return out;
}
