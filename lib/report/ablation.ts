/**
 * Table 5's "Overall Rank" row: for every (dataset, metric) — the paper's four metrics MAE, RMSE,
 * Pearson and Spearman (R² would count RMSE twice: it is 1 − MSE/Var(y)) — the seven GAR variants are ranked by
 * their mean test value (1 = best: lowest MAE / RMSE, highest Pearson / Spearman; tied means share
 * the average of their ranks), and each variant's ranks are averaged over all (dataset, metric)
 * pairs where every variant has a value.
 *
 * @module
 */
import type { ExperimentSummary } from "../experiment/summary.ts";
import type { Metric } from "../experiment/select.ts";
import type { ResultTable } from "./table.ts";
import { averageRanks } from "../stats/average_ranks.ts";

const HIGHER_IS_BETTER: ReadonlySet<Metric> = new Set(["pearson", "spearman", "r2"] as Metric[]);
/** The metrics Table 5 ranks on. */
const RANKED: readonly Metric[] = ["mae", "rmse", "pearson", "spearman"];

/**
 * Each method's overall rank over the (dataset, metric) pairs where every method of the report has a
 * value, and how many pairs that was.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { overallRanks } from "./ablation.ts";
 * const c = (mean: number) => ({ mean, std: 0, n: 1, values: [mean] });
 * const row = (method: string, mae: number, pearson: number) => ({ dataset: "wine", method, variant: null,
 *   runs: { planned: 1, found: 1 }, cells: { mae: c(mae), pearson: c(pearson) } });
 * const r = overallRanks({ experiment: "table5", comparisons: [], rows: [row("GAR", 0.5, 0.6), row("GAR[MAE]", 0.6, 0.5)] });
 * assert.deepEqual(r, { ranks: { "GAR": 1, "GAR[MAE]": 2 }, pairs: 2 });
 * ```
 */
export function overallRanks(report: ExperimentSummary): { ranks: Record<string, number>; pairs: number } {
  const methods = [...new Set(report.rows.map((r) => r.method))];
  const datasets = [...new Set(report.rows.map((r) => r.dataset))];
  const sums = new Map(methods.map((m) => [m, 0]));
  let pairs = 0;
  for (const dataset of datasets) {
    for (const metric of RANKED) {
      const means = methods.map((m) =>
        report.rows.find((r) => r.dataset === dataset && r.method === m)?.cells[metric]?.mean
      );
      if (means.some((v) => v === undefined || !Number.isFinite(v))) continue;
      const ranks = averageRanks(
        means as number[],
        HIGHER_IS_BETTER.has(metric) ? "descending" : "ascending",
      );
      methods.forEach((m, i) => sums.set(m, sums.get(m)! + ranks[i]));
      pairs++;
    }
  }
  return {
    ranks: Object.fromEntries(methods.map((m) => [m, pairs ? sums.get(m)! / pairs : NaN])),
    pairs,
  };
}

/**
 * Table 5's overall-rank row as a table, ours next to the paper's (keys: the paper's variant names,
 * e.g. `"MAE+Var"`; our methods are named `GAR[MAE+Var]`, and `GAR` is the full variant).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { overallRankTable } from "./ablation.ts";
 * const t = overallRankTable({ ranks: { "GAR": 1.5, "GAR[MAE]": 1.5 }, pairs: 4 }, { "GAR": 2.375, "MAE": 5.208 });
 * assert.deepEqual(t.rows.map((r) => r.paper), [5.208, 2.375]);
 * ```
 */
export function overallRankTable(
  ours: { ranks: Record<string, number>; pairs: number },
  paper: Readonly<Record<string, number>> = {},
): ResultTable {
  const paperName = (m: string) => m === "GAR" ? "GAR" : m.replace(/^GAR\[(.*)\]$/, "$1");
  const methods = Object.keys(ours.ranks).sort((a, b) => (a === "GAR" ? 1 : 0) - (b === "GAR" ? 1 : 0));
  return {
    title: "Table 5: overall rank of each GAR variant (1 = best)",
    note:
      `Ours: averaged over ${ours.pairs} (dataset, metric) pairs with every variant present; the paper's: ` +
      "over all of its datasets.",
    columns: [
      { key: "variant" },
      { key: "ours", label: "overall rank (ours)", digits: 3 },
      { key: "paper", label: "overall rank (paper)", digits: 3 },
    ],
    rows: methods.map((m) => ({
      variant: m,
      ours: Number.isFinite(ours.ranks[m]) ? ours.ranks[m] : null,
      paper: paper[paperName(m)] ?? null,
    })),
  };
}
