/**
 * The headline table of a reproduction: Table 1's test Pearson on each task run — GAR, MAE and the
 * best other method, ours next to the paper's — and whether GAR's Pearson is the best, as the
 * paper reports. The README shows the `quick` profile's copy of it.
 *
 * @module
 */
import type { ExperimentSummary } from "../experiment/summary.ts";
import type { PaperTables } from "./claims.ts";
import { byPearson } from "./experiment_claims.ts";
import type { ResultTable } from "./table.ts";

/**
 * The headline table from the Table 1 report and the paper's Table 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { headlineTable } from "./headline.ts";
 * const c = (mean: number) => ({ mean, std: 0.01, n: 5, values: [] });
 * const row = (method: string, p: number) => ({ dataset: "wine", method, variant: null,
 *   runs: { planned: 5, found: 5 }, cells: { pearson: c(p) } });
 * const report = { experiment: "table1", comparisons: [], rows: [row("MAE", 0.58), row("RNC", 0.6), row("GAR", 0.61)] };
 * const paper = { wine: { Pearson: { MAE: { mean: 0.58, std: 0.01 }, GAR: { mean: 0.62, std: 0.01 }, RNC: { mean: 0.6, std: 0.01 } } } };
 * const t = headlineTable(report, paper);
 * assert.equal(t.rows[0].bestOther, "RNC");
 * assert.equal(t.rows[0].garBest, "yes");
 * ```
 */
export function headlineTable(
  report: ExperimentSummary,
  paperTable1: PaperTables["table1"],
): ResultTable {
  const datasets = [...new Set(report.rows.map((r) => r.dataset))];
  return {
    title: "Table 1, test Pearson (mean (std) over 5 folds): ours and the paper's",
    columns: [
      { key: "dataset" },
      { key: "gar", label: "GAR" },
      { key: "garPaper", label: "GAR (paper)" },
      { key: "mae", label: "MAE" },
      { key: "maePaper", label: "MAE (paper)" },
      { key: "bestOther", label: "best other" },
      { key: "bestOtherValue", label: "best other's Pearson" },
      { key: "garBest", label: "GAR best?" },
    ],
    rows: datasets.map((dataset) => {
      const rows = byPearson(report.rows.filter((r) => r.dataset === dataset));
      const cell = (m: string) => {
        const c = rows.find((r) => r.method === m)?.cells.pearson;
        return c === undefined ? null : { mean: c.mean, std: c.std };
      };
      const others = rows.filter((r) => r.method !== "GAR");
      const paper = paperTable1[dataset]?.Pearson;
      const gar = cell("GAR");
      return {
        dataset,
        gar,
        garPaper: paper?.GAR ?? null,
        mae: cell("MAE"),
        maePaper: paper?.MAE ?? null,
        bestOther: others[0]?.method ?? null,
        bestOtherValue: others[0] ? cell(others[0].method) : null,
        garBest: gar === null || !others[0] ? null : gar.mean >= others[0].cells.pearson!.mean ? "yes" : "no",
      };
    }),
  };
}
