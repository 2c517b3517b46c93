/**
 * Table 1 (the tabular benchmarks, experiment `table1`): its result and gains tables, its figure (the
 * test Pearson of every method per dataset), the headline table of the report (GAR, MAE and the best
 * other method next to the paper's), which row of ours answers each of its published numbers, and its
 * qualitative claims ("GAR has the best Pearson on every task", "GAR improves on MAE in every metric
 * on every task"; Table 7 states the same, see `table7.ts`).
 *
 * | writes | from |
 * | --- | --- |
 * | `tables/table1`, `tables/table1-gains` | `experimentTableParts` (`experiment.ts`) |
 * | `figures/table1-pearson` | {@linkcode table1Figure} |
 * | `tables/headline` (report only) | {@linkcode headlineTable} |
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ExperimentSummary } from "../experiment/summary.ts";
import type { Metric } from "../experiment/select.ts";
import type { FigureOptions } from "../render/figure.ts";
import { type ArtifactPart, figurePart } from "../render/parts.ts";
import type { ResultTable } from "../render/table.ts";
import { type QualitativeClaim, qualitativeClaim } from "./claims.ts";
import { byPearson, experimentTableParts } from "./experiment.ts";
import type { PaperTables } from "./paper_tables.ts";

/**
 * Table 1's parts: the result table, the gains table and the Pearson figure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table1Parts } from "./table1.ts";
 * const parts = table1Parts({ experiment: "table1", rows: [], comparisons: [] }, "Table 1");
 * assert.deepEqual(parts.map((p) => p.name), ["table1", "table1-pearson"]);
 * ```
 */
export function table1Parts(summary: ExperimentSummary, title: string, paper?: PaperTables): ArtifactPart[] {
  return [
    ...experimentTableParts(summary, title),
    figurePart("table1-pearson", title, table1Figure(summary, paper?.table1)),
  ];
}

/** How far below the best mean a method may be and still set a panel's scale (Pearson units). */
const OFF_SCALE = 0.25;

/**
 * Table 1 as a figure: test Pearson (mean ± std over folds) of every method, one panel per dataset with its own
 * scale, ours (filled) next to the paper's (hollow, just below ours) where the paper's Table 1 is given. A
 * method more than 0.25 below the panel's best (a diverged baseline) would squash the others: it is left off the
 * scale and named in the panel's subtitle with its value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table1Figure } from "./table1.ts";
 * const cell = (mean: number) => ({ mean, std: 0.01, n: 5, values: [] });
 * const row = (method: string, p: number) =>
 *   ({ dataset: "concrete", method, variant: null, runs: { planned: 5, found: 5 }, cells: { pearson: cell(p) } });
 * const f = table1Figure({ experiment: "table1", comparisons: [], rows: [row("GAR", 0.93), row("RankSim", 0.2)] });
 * assert.equal(f.panels?.length, 1);
 * assert.equal(f.panels?.[0].subtitle, "concrete — off scale: RankSim 0.200");
 * ```
 */
export function table1Figure(report: ExperimentSummary, paperTable1?: PaperTables["table1"]): FigureOptions {
  const points = report.rows.filter((r) => r.cells.pearson !== undefined).map((r) => ({
    dataset: r.dataset,
    method: r.method,
    mean: r.cells.pearson!.mean,
    lo: r.cells.pearson!.mean - r.cells.pearson!.std,
    hi: r.cells.pearson!.mean + r.cells.pearson!.std,
    gar: r.method === "GAR",
  }));
  const datasets = [...new Set(points.map((p) => p.dataset))];
  return {
    title: "Table 1: test Pearson by method (mean ± std over folds)",
    caption: paperTable1
      ? "Ours filled, the paper's hollow just below; GAR in orange, the other methods in grey."
      : "GAR in orange; the other methods in grey.",
    panels: (datasets.length ? datasets : [""]).map((dataset) => {
      const mine = points.filter((p) => p.dataset === dataset);
      const best = Math.max(...mine.map((p) => p.mean));
      const shown = mine.filter((p) => p.mean >= best - OFF_SCALE);
      const off = mine.filter((p) => p.mean < best - OFF_SCALE);
      const published = paperTable1?.[dataset]?.Pearson;
      const paper = shown.flatMap((p) => {
        const c = published?.[p.method] as { mean: number; std: number } | undefined;
        return c ? [{ ...p, mean: c.mean, lo: c.mean - c.std, hi: c.mean + c.std }] : [];
      });
      return {
        subtitle: dataset +
          (off.length
            ? ` — off scale: ${off.map((p) => `${p.method} ${p.mean.toFixed(3)}`).join(", ")}`
            : ""),
        width: 760,
        height: 40 + (paper.length ? 26 : 20) * Math.max(1, shown.length),
        marginLeft: 90,
        x: { label: "Pearson", grid: true },
        y: { label: null, domain: shown.map((p) => p.method) },
        color: { domain: [false, true], range: ["#888888", "#e8590c"] },
        marks: [
          Plot.ruleY(shown, { y: "method", x1: "lo", x2: "hi", stroke: "gar", dy: paper.length ? -3 : 0 }),
          Plot.dot(shown, { y: "method", x: "mean", fill: "gar", r: 3.5, dy: paper.length ? -3 : 0 }),
          ...(paper.length
            ? [
              Plot.ruleY(paper, {
                y: "method",
                x1: "lo",
                x2: "hi",
                stroke: "gar",
                strokeDasharray: "2,2",
                dy: 4,
              }),
              Plot.dot(paper, { y: "method", x: "mean", stroke: "gar", fill: "white", r: 3.5, dy: 4 }),
            ]
            : []),
          Plot.frame(),
        ],
      };
    }),
  };
}

/**
 * The headline table from the Table 1 report and the paper's Table 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { headlineTable } from "./table1.ts";
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

/**
 * Table 1's qualitative claims, judged on the kit's table: "GAR has the best Pearson on every task"
 * and "GAR improves on MAE in every metric on every task" (over the tasks the run covered). With
 * `experiment = "table7"`, the same claims on the standardised study (the paper: "GAR enjoys similar
 * superiority on the standardized datasets").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table1QualitativeClaims } from "./table1.ts";
 * const c = (mean: number) => ({ mean, std: 0, n: 5, values: [] });
 * const row = (method: string, mae: number, pearson: number) =>
 *   ({ dataset: "wine", method, variant: null, runs: { planned: 5, found: 5 }, cells: { mae: c(mae), pearson: c(pearson) } });
 * const claims = table1QualitativeClaims([{ experiment: "table1", rows: [row("MAE", 0.5, 0.6), row("GAR", 0.49, 0.62)], comparisons: [] }]);
 * assert.deepEqual(claims.map((q) => q.verdict), ["holds", "holds"]);
 * ```
 */
export function table1QualitativeClaims(
  summaries: readonly ExperimentSummary[],
  experiment: "table1" | "table7" = "table1",
): QualitativeClaim[] {
  const table = experiment === "table1" ? "Table 1" : "Table 7";
  const rows = summaries.find((r) => r.experiment === experiment)?.rows ?? [];
  const datasets = [...new Set(rows.map((r) => r.dataset))];
  const gar = (d: string) => rows.find((r) => r.dataset === d && r.method === "GAR");
  const best: string[] = [];
  const notBest: string[] = [];
  for (const d of datasets) {
    const [top] = byPearson(rows.filter((r) => r.dataset === d));
    (top?.method === "GAR" ? best : notBest).push(top === undefined ? d : `${d} (best: ${top.method})`);
  }
  const lowerBetter = new Set<Metric>(["mae", "rmse"]);
  const worse: string[] = [];
  for (const d of datasets) {
    const g = gar(d), m = rows.find((r) => r.dataset === d && r.method === "MAE");
    for (const metric of ["mae", "rmse", "pearson", "spearman"] as Metric[]) {
      const a = g?.cells[metric], b = m?.cells[metric];
      if (a === undefined || b === undefined) continue;
      if (lowerBetter.has(metric) ? a.mean > b.mean : a.mean < b.mean) worse.push(`${d} ${metric}`);
    }
  }
  const ran = datasets.length > 0 ? true : null;
  return [
    qualitativeClaim(
      experiment,
      "GAR has the best Pearson on every task",
      ran && notBest.length === 0,
      ran
        ? `best on ${best.join(", ") || "none"}; not best on ${notBest.join(", ") || "none"}`
        : `${table} not run`,
    ),
    qualitativeClaim(
      experiment,
      "GAR improves on MAE in every metric on every task",
      ran && worse.length === 0,
      ran
        ? (worse.length ? `worse than MAE on ${worse.join(", ")}` : "better or equal everywhere")
        : `${table} not run`,
    ),
  ];
}
