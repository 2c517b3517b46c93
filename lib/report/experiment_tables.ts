/**
 * The generic tables of a CV experiment and Table 1's figure: the result table (mean (std) over folds
 * per metric), GAR's gains and p-values, and the test Pearson of every method per dataset.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ExperimentSummary } from "../experiment/summary.ts";
import { METRICS } from "../experiment/select.ts";
import type { FigureOptions } from "./figure.ts";
import type { ResultTable } from "./table.ts";

/** How the tables and figures label each metric (with its direction). */
export const METRIC_LABEL: Readonly<Record<string, string>> = {
  mae: "MAE ↓",
  rmse: "RMSE ↓",
  pearson: "Pearson ↑",
  spearman: "Spearman ↑",
  r2: "R² ↑",
};

/**
 * An experiment's result table: one row per dataset × method (× variant), mean (std) over folds per
 * metric, and how many of the planned runs were found.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentTable } from "./experiment_tables.ts";
 * const cell = { mean: 4.6, std: 0.1, n: 5, values: [] };
 * const t = experimentTable({ experiment: "table1", comparisons: [], rows: [
 *   { dataset: "concrete", method: "GAR", variant: null, runs: { planned: 5, found: 5 }, cells: { mae: cell } },
 * ] }, "Table 1");
 * assert.deepEqual(t.rows[0].mae, { mean: 4.6, std: 0.1 });
 * assert.equal(t.rows[0].runs, "5/5");
 * ```
 */
export function experimentTable(report: ExperimentSummary, title: string): ResultTable {
  const variants = report.rows.some((r) => r.variant !== null);
  const metrics = METRICS.filter((m) => report.rows.some((r) => r.cells[m] !== undefined));
  return {
    title,
    columns: [
      { key: "dataset" },
      { key: "method" },
      ...(variants ? [{ key: "variant" }] : []),
      ...metrics.map((m) => ({ key: m, label: METRIC_LABEL[m] })),
      { key: "runs", label: "runs found" },
    ],
    rows: report.rows.map((r) => ({
      dataset: r.dataset,
      method: r.method,
      ...(variants ? { variant: r.variant } : {}),
      ...Object.fromEntries(
        metrics.map((m) => {
          const c = r.cells[m];
          return [m, c === undefined ? null : { mean: c.mean, std: c.std }];
        }),
      ),
      runs: `${r.runs.found}/${r.runs.planned}`,
    })),
  };
}

/**
 * GAR's gains (%) over MAE and over the best other method, with pooled t-test p-values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gainsTable } from "./experiment_tables.ts";
 * const t = gainsTable({ experiment: "table1", rows: [], comparisons: [{ dataset: "wine", variant: null, metric: "mae",
 *   result: { bestOther: "Huber", gainVsMae: 1.5, gainVsBest: 0.2, pVsMae: 0.01, pVsBest: 0.4 } }] });
 * assert.equal(t.rows[0].bestOther, "Huber");
 * ```
 */
export function gainsTable(report: ExperimentSummary): ResultTable {
  return {
    title: "GAR's gains in % (positive: GAR better) and two-sample t-test p-values",
    columns: [
      { key: "dataset" },
      { key: "metric" },
      { key: "gainVsMae", label: "gain vs MAE %", digits: 2 },
      { key: "pVsMae", label: "p vs MAE", digits: 3 },
      { key: "bestOther", label: "best other" },
      { key: "gainVsBest", label: "gain vs best other %", digits: 2 },
      { key: "pVsBest", label: "p vs best other", digits: 3 },
    ],
    rows: report.comparisons.map((c) => ({
      dataset: c.variant === null ? c.dataset : `${c.dataset} (${c.variant})`,
      metric: METRIC_LABEL[c.metric] ?? c.metric,
      gainVsMae: c.result.gainVsMae,
      pVsMae: c.result.pVsMae,
      bestOther: c.result.bestOther,
      gainVsBest: c.result.gainVsBest,
      pVsBest: c.result.pVsBest,
    })),
  };
}

/** How far below the best mean a method may be and still set a panel's scale (Pearson units). */
const OFF_SCALE = 0.25;

/**
 * Table 1 as a figure: test Pearson (mean ± std over folds) of every method, one panel per dataset
 * with its own scale. A method more than 0.25 below the panel's best (a diverged baseline) would
 * squash the others: it is left off the scale and named in the panel's subtitle with its value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table1Figure } from "./experiment_tables.ts";
 * const cell = (mean: number) => ({ mean, std: 0.01, n: 5, values: [] });
 * const row = (method: string, p: number) =>
 *   ({ dataset: "concrete", method, variant: null, runs: { planned: 5, found: 5 }, cells: { pearson: cell(p) } });
 * const f = table1Figure({ experiment: "table1", comparisons: [], rows: [row("GAR", 0.93), row("RankSim", 0.2)] });
 * assert.equal(f.panels?.length, 1);
 * assert.equal(f.panels?.[0].subtitle, "concrete — off scale: RankSim 0.200");
 * ```
 */
export function table1Figure(report: ExperimentSummary): FigureOptions {
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
    caption: "GAR in orange; the other methods in grey.",
    panels: (datasets.length ? datasets : [""]).map((dataset) => {
      const mine = points.filter((p) => p.dataset === dataset);
      const best = Math.max(...mine.map((p) => p.mean));
      const shown = mine.filter((p) => p.mean >= best - OFF_SCALE);
      const off = mine.filter((p) => p.mean < best - OFF_SCALE);
      return {
        subtitle: dataset +
          (off.length
            ? ` — off scale: ${off.map((p) => `${p.method} ${p.mean.toFixed(3)}`).join(", ")}`
            : ""),
        width: 760,
        height: 40 + 20 * Math.max(1, shown.length),
        marginLeft: 90,
        x: { label: "Pearson", grid: true },
        y: { label: null, domain: shown.map((p) => p.method) },
        color: { domain: [false, true], range: ["#888888", "#e8590c"] },
        marks: [
          Plot.ruleY(shown, { y: "method", x1: "lo", x2: "hi", stroke: "gar" }),
          Plot.dot(shown, { y: "method", x: "mean", fill: "gar", r: 3.5 }),
          Plot.frame(),
        ],
      };
    }),
  };
}
