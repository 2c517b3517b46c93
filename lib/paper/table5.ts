/**
 * Table 5 (the ablation of GAR's parts, experiment `table5`): the seven non-empty subsets of {MAE,
 * Var, Pearson}, named `GAR[MAE]` … `GAR[Var+Pearson]` and `GAR` in the kit and `MAE` … `GAR` in the
 * paper ({@linkcode TABLE5_VARIANTS}); its result and gains tables, its "Overall Rank" row next to the
 * paper's, which row of ours answers each of its published numbers, and its qualitative claim ("GAR
 * with all three parts has the best overall rank").
 *
 * The overall rank: for every (dataset, metric) — the paper's four metrics MAE, RMSE, Pearson and
 * Spearman (R² would count RMSE twice: it is 1 − MSE/Var(y)) — the seven variants are ranked by their
 * mean test value (1 = best: lowest MAE / RMSE, highest Pearson / Spearman; tied means share the
 * average of their ranks), and each variant's ranks are averaged over all (dataset, metric) pairs
 * where every variant has a value.
 *
 * | writes | from |
 * | --- | --- |
 * | `tables/table5`, `tables/table5-gains` | `experimentTableParts` (`experiment.ts`) |
 * | `tables/table5-ranks` | {@linkcode overallRankTable} |
 *
 * @module
 */
import type { ExperimentSummary, SummaryRow } from "../experiment/summary.ts";
import type { Metric } from "../experiment/select.ts";
import { type ArtifactPart, tablePart } from "../render/parts.ts";
import type { ResultTable } from "../render/table.ts";
import { averageRanks } from "../stats/average_ranks.ts";
import { type QualitativeClaim, qualitativeClaim } from "./claims.ts";
import { experimentTableParts, summaryRow } from "./experiment.ts";
import type { PaperNumber, PaperTables } from "./paper_tables.ts";

/** Table 5's column names in the paper → the kit's ablation methods. */
export const TABLE5_VARIANTS: Readonly<Record<string, string>> = {
  "MAE": "GAR[MAE]",
  "Var": "GAR[Var]",
  "Pearson": "GAR[Pearson]",
  "MAE+Var": "GAR[MAE+Var]",
  "MAE+Pearson": "GAR[MAE+Pearson]",
  "Var+Pearson": "GAR[Var+Pearson]",
  "GAR": "GAR",
};

/**
 * Table 5's parts: the result table, the gains table and the overall ranks (the paper's next to ours
 * when `paper` is given).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table5Parts } from "./table5.ts";
 * const parts = table5Parts({ experiment: "table5", rows: [], comparisons: [] }, "Table 5");
 * assert.deepEqual(parts.map((p) => p.name), ["table5", "table5-ranks"]);
 * ```
 */
export function table5Parts(summary: ExperimentSummary, title: string, paper?: PaperTables): ArtifactPart[] {
  return [
    ...experimentTableParts(summary, title),
    tablePart(
      "table5-ranks",
      `${title}: overall ranks`,
      overallRankTable(overallRanks(summary), paper?.table5_ablation.overallRank),
    ),
  ];
}

/**
 * Our row for one of Table 5's published numbers: the paper's variant name mapped to the kit's
 * method ({@linkcode TABLE5_VARIANTS}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table5Row } from "./table5.ts";
 * const row = { dataset: "concrete", method: "GAR[MAE+Var]", variant: null, runs: { planned: 5, found: 5 }, cells: {} };
 * const number = { artifact: "table5", dataset: "concrete", method: "MAE+Var", metric: "MAE", paper: { mean: 4.9, std: 0.1 } };
 * assert.equal(table5Row(number, [{ experiment: "table5", rows: [row], comparisons: [] }]), row);
 * ```
 */
export function table5Row(
  number: PaperNumber,
  summaries: readonly ExperimentSummary[],
): SummaryRow | undefined {
  return summaryRow(summaries, number.artifact, number.dataset, TABLE5_VARIANTS[number.method], null);
}

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
 * import { overallRanks } from "./table5.ts";
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
 * import { overallRankTable } from "./table5.ts";
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

/**
 * Table 5's qualitative claim: "GAR with all three parts has the best overall rank of the seven
 * variants" (ranks as in {@linkcode overallRanks}, over the (dataset, metric) pairs the run covered).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table5QualitativeClaims } from "./table5.ts";
 * const c = (mean: number) => ({ mean, std: 0, n: 5, values: [] });
 * const row = (method: string, mae: number) =>
 *   ({ dataset: "wine", method, variant: null, runs: { planned: 5, found: 5 }, cells: { mae: c(mae) } });
 * const [claim] = table5QualitativeClaims([{ experiment: "table5", rows: [row("GAR[MAE]", 0.5), row("GAR", 0.49)], comparisons: [] }]);
 * assert.equal(claim.verdict, "holds");
 * ```
 */
export function table5QualitativeClaims(summaries: readonly ExperimentSummary[]): QualitativeClaim[] {
  const report = summaries.find((r) => r.experiment === "table5");
  const ranked = report ? overallRanks(report) : { ranks: {}, pairs: 0 };
  const ran = ranked.pairs > 0 ? true : null;
  const order = Object.entries(ranked.ranks).sort((a, b) => a[1] - b[1]);
  return [
    qualitativeClaim(
      "table5",
      "GAR (all three parts) has the best overall rank of the seven variants",
      ran && order[0]?.[0] === "GAR",
      ran
        ? `overall ranks over ${ranked.pairs} (dataset, metric) pairs: ${
          order.map(([m, r]) => `${m} ${r.toFixed(2)}`).join(", ")
        }`
        : "Table 5 not run",
    ),
  ];
}
