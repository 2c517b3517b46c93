/**
 * What `deno task reproduce` writes from its results: the experiment tables (`results/tables/*.md`,
 * `*.csv`), the figures (`results/figures/*.svg`, `*.png`), and `results/report.md` / `report.html`
 * with the paper's numbers next to ours. A thin assembly of `lib/report` pieces; the task only calls
 * {@linkcode writeReproduction}.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ExperimentReport } from "../experiment/report.ts";
import { METRICS } from "../experiment/select.ts";
import type { DatasetStatus } from "../data/fetch_dataset.ts";
import type { ProofResult } from "../../proofs/types.ts";
import type { ClaimsDocument } from "./claims.ts";
import { type FigureOptions, writeFigure } from "./figure.ts";
import type { NotebooksRun } from "./notebooks.ts";
import { type ReportFigure, type ReportSection, type ReportTable, writeReport } from "./report.ts";
import { type ResultTable, writeTable } from "./table.ts";
import { proofsTable, theorem1Figure, theorem1Rows, theorem4Figure, theorem4Rows } from "./theorems.ts";

const METRIC_LABEL: Record<string, string> = {
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
 * import { experimentTable } from "./reproduction.ts";
 * const cell = { mean: 4.6, std: 0.1, n: 5, values: [] };
 * const t = experimentTable({ experiment: "table1", comparisons: [], rows: [
 *   { dataset: "concrete", method: "GAR", variant: null, runs: { planned: 5, found: 5 }, cells: { mae: cell } },
 * ] }, "Table 1");
 * assert.deepEqual(t.rows[0].mae, { mean: 4.6, std: 0.1 });
 * assert.equal(t.rows[0].runs, "5/5");
 * ```
 */
export function experimentTable(report: ExperimentReport, title: string): ResultTable {
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
 * import { gainsTable } from "./reproduction.ts";
 * const t = gainsTable({ experiment: "table1", rows: [], comparisons: [{ dataset: "wine", variant: null, metric: "mae",
 *   result: { bestOther: "Huber", gainVsMae: 1.5, gainVsBest: 0.2, pVsMae: 0.01, pVsBest: 0.4 } }] });
 * assert.equal(t.rows[0].bestOther, "Huber");
 * ```
 */
export function gainsTable(report: ExperimentReport): ResultTable {
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

/**
 * Table 1 as a figure: test Pearson (mean ± std over folds) of every method, one panel per dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table1Figure } from "./reproduction.ts";
 * const cell = { mean: 0.9, std: 0.01, n: 5, values: [] };
 * const f = table1Figure({ experiment: "table1", comparisons: [], rows: [
 *   { dataset: "concrete", method: "GAR", variant: null, runs: { planned: 5, found: 5 }, cells: { pearson: cell } },
 * ] });
 * assert.equal(f.marks?.length, 3);
 * assert.equal(f.height, 60 + 22);
 * ```
 */
export function table1Figure(report: ExperimentReport): FigureOptions {
  const points = report.rows.filter((r) => r.cells.pearson !== undefined).map((r) => ({
    dataset: r.dataset,
    method: r.method,
    mean: r.cells.pearson!.mean,
    lo: r.cells.pearson!.mean - r.cells.pearson!.std,
    hi: r.cells.pearson!.mean + r.cells.pearson!.std,
    gar: r.method === "GAR",
  }));
  return {
    title: "Table 1: test Pearson by method (mean ± std over folds)",
    caption: "GAR in orange; the other methods in grey.",
    width: 760,
    height: 60 + 22 * points.length,
    marginLeft: 90,
    marginRight: 110,
    x: { label: "Pearson", grid: true },
    y: { label: null },
    fy: { label: null },
    color: { domain: [false, true], range: ["#888888", "#e8590c"] },
    marks: [
      Plot.ruleY(points, { fy: "dataset", y: "method", x1: "lo", x2: "hi", stroke: "gar" }),
      Plot.dot(points, { fy: "dataset", y: "method", x: "mean", fill: "gar", r: 3.5 }),
      Plot.frame(),
    ],
  };
}

/** Everything {@linkcode writeReproduction} needs. */
export interface ReproductionInputs {
  /** The theorem checks. */
  proofs: readonly ProofResult[];
  /** Dataset availability. */
  data: readonly DatasetStatus[];
  /** The experiment tables, with their titles. */
  experiments: readonly { title: string; report: ExperimentReport }[];
  /** The claims document (also written to `claims.json` by the caller). */
  claims: ClaimsDocument;
  /** Notebook execution, when attempted. */
  notebooks?: NotebooksRun;
  /** Provenance. */
  provenance: Record<string, unknown>;
}

/**
 * Writes the tables, figures and `report.md` / `report.html` of a reproduction into `dir`.
 *
 * @returns the paths written
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeReproduction } from "./reproduction.ts";
 * const dir = await Deno.makeTempDir();
 * const claims = { toleranceRule: "…", summary: { numeric: { agrees: 0, differs: 0, "not run": 0 },
 *   qualitative: { holds: 0, fails: 0, "not run": 0 } }, claims: [], qualitative: [] };
 * const out = await writeReproduction(dir, { proofs: [], data: [], experiments: [], claims, provenance: {} });
 * assert.ok(out.html.endsWith("report.html"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeReproduction(
  dir: string,
  inputs: ReproductionInputs,
): Promise<{ markdown: string; html: string; tables: string[]; figures: string[] }> {
  const tablesDir = `${dir}/tables`, figuresDir = `${dir}/figures`;
  const tables: string[] = [];
  const figures: string[] = [];
  const table = async (name: string, title: string, t: ResultTable): Promise<ReportTable> => {
    await writeTable(tablesDir, name, t);
    tables.push(name);
    return { name, title, table: t, path: `tables/${name}.csv` };
  };
  const figure = async (name: string, title: string, options: FigureOptions): Promise<ReportFigure> => {
    const written = await writeFigure(figuresDir, name, options);
    figures.push(name);
    return { name, title, svg: written.svg, path: `figures/${name}.svg` };
  };

  const sections: ReportSection[] = [];
  if (inputs.proofs.length > 0) {
    const t1 = inputs.proofs.find((p) => p.id === "theorem-1");
    const t4 = inputs.proofs.find((p) => p.id === "theorem-4");
    sections.push({
      title: "Theorems, checked numerically",
      tables: [await table("theorems", "Theorem checks", proofsTable(inputs.proofs))],
      figures: [
        ...(t1 ? [await figure("theorem1-residuals", "Theorem 1", theorem1Figure(theorem1Rows(t1)))] : []),
        ...(t4 ? [await figure("theorem4-epsilon", "Theorem 4", theorem4Figure(theorem4Rows(t4)))] : []),
      ],
    });
  }
  sections.push({
    title: "Data",
    text: inputs.data.filter((d) => !d.available).map((d) => `${d.id}: not present. ${d.howToObtain}`),
    tables: [
      await table("data", "Datasets", {
        columns: [{ key: "dataset" }, { key: "available" }],
        rows: inputs.data.map((d) => ({ dataset: d.id, available: d.available ? "yes" : "no" })),
      }),
    ],
  });
  for (const { title, report } of inputs.experiments) {
    const id = report.experiment;
    const parts: ReportTable[] = [await table(id, title, experimentTable(report, title))];
    if (report.comparisons.length > 0) {
      parts.push(await table(`${id}-gains`, `${title}: gains`, gainsTable(report)));
    }
    const figs = id === "table1" && report.rows.length > 0
      ? [await figure("table1-pearson", title, table1Figure(report))]
      : [];
    sections.push({ title, tables: parts, figures: figs });
  }
  const written = await writeReport(dir, {
    title: "gar-kit: Gradient Aligned Regression, reproduced",
    intro: [
      "Every number below was computed by this run (or found in its run cache); the paper's numbers are shown " +
      "next to ours in the claims section, each with the verdict of the tolerance rule.",
    ],
    sections,
    claims: inputs.claims.claims,
    qualitative: inputs.claims.qualitative,
    ...(inputs.notebooks
      ? {
        notebooks: {
          executed: inputs.notebooks.executed,
          message: inputs.notebooks.message,
          notebooks: inputs.notebooks.notebooks.map((n) => ({
            name: n.name,
            status: n.status,
            ...(n.outputPath ? { path: `notebooks/${n.name}.ipynb` } : {}),
            ...(n.error ? { message: n.error } : {}),
          })),
        },
      }
      : {}),
    provenance: inputs.provenance,
  });
  return { markdown: written.markdownPath, html: written.htmlPath, tables, figures };
}
