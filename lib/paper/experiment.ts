/**
 * What the experiment artifacts (Tables 1, 5, 6, 7, Fig. 1–3, 6, 7–11) share: the result table of a
 * CV experiment (mean (std) over folds per metric) and GAR's gains with their p-values, the methods
 * ordered by test Pearson, and the claim that one of the paper's numbers makes about a row of ours.
 *
 * @module
 */
import type { ExperimentSummary, SummaryRow } from "../experiment/summary.ts";
import { type Metric, METRICS } from "../experiment/select.ts";
import { type ArtifactPart, tablePart } from "../render/parts.ts";
import type { ResultTable } from "../render/table.ts";
import { type ClaimEntry, numericClaim, type QualitativeClaim, qualitativeClaim } from "./claims.ts";
import type { PaperNumber } from "./paper_tables.ts";

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
 * import { experimentTable } from "./experiment.ts";
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
 * import { gainsTable } from "./experiment.ts";
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

/**
 * The parts every CV experiment writes: its result table (`<id>`) and, when GAR was compared with
 * other methods, the gains table (`<id>-gains`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentTableParts } from "./experiment.ts";
 * const parts = experimentTableParts({ experiment: "table7", rows: [], comparisons: [] }, "Table 7");
 * assert.deepEqual(parts.map((p) => p.name), ["table7"]);
 * ```
 */
export function experimentTableParts(summary: ExperimentSummary, title: string): ArtifactPart[] {
  const id = summary.experiment;
  const parts = [tablePart(id, title, experimentTable(summary, title))];
  if (summary.comparisons.length > 0) {
    parts.push(tablePart(`${id}-gains`, `${title}: gains`, gainsTable(summary)));
  }
  return parts;
}

/**
 * The rows that have a test Pearson, best (highest mean) first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { byPearson } from "./experiment.ts";
 * const row = (method: string, p?: number) => ({ dataset: "wine", method, variant: null, runs: { planned: 1, found: 1 },
 *   cells: p === undefined ? {} : { pearson: { mean: p, std: 0, n: 1, values: [p] } } });
 * assert.deepEqual(byPearson([row("MAE", 0.5), row("GAR", 0.6), row("RNC")]).map((r) => r.method), ["GAR", "MAE"]);
 * ```
 */
export function byPearson(rows: readonly SummaryRow[]): SummaryRow[] {
  return rows.filter((r) => r.cells.pearson !== undefined)
    .sort((a, b) => b.cells.pearson!.mean - a.cells.pearson!.mean);
}

/**
 * The row of one experiment's summary for a dataset, method and variant, if the run covered it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summaryRow } from "./experiment.ts";
 * const row = { dataset: "wine", method: "GAR", variant: 32, runs: { planned: 1, found: 1 }, cells: {} };
 * const summaries = [{ experiment: "table6", rows: [row], comparisons: [] }];
 * assert.equal(summaryRow(summaries, "table6", "wine", "GAR", 32), row);
 * assert.equal(summaryRow(summaries, "table1", "wine", "GAR", null), undefined);
 * ```
 */
export function summaryRow(
  summaries: readonly ExperimentSummary[],
  experiment: string,
  dataset: string,
  method: string,
  variant: number | null,
): SummaryRow | undefined {
  const summary = summaries.find((r) => r.experiment === experiment);
  if (summary === undefined) return undefined;
  return summary.rows.find((r) => r.dataset === dataset && r.method === method && r.variant === variant);
}

/**
 * Our row for a published number whose method is one of ours and which has no setting (Tables 1 and 7):
 * the row of the artifact's experiment with the same dataset and method.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentRow } from "./experiment.ts";
 * const number = { artifact: "table1", dataset: "wine", method: "GAR", metric: "MAE", paper: { mean: 0.5, std: 0 } };
 * assert.equal(experimentRow(number, []), undefined);
 * ```
 */
export function experimentRow(
  number: PaperNumber,
  summaries: readonly ExperimentSummary[],
): SummaryRow | undefined {
  return summaryRow(summaries, number.artifact, number.dataset, number.method, null);
}

/** The paper's metric names → the kit's. */
const METRIC: Readonly<Record<string, Metric>> = {
  MAE: "mae",
  RMSE: "rmse",
  Pearson: "pearson",
  Spearman: "spearman",
  R2: "r2",
};

/** Why a dataset's numbers are not expected to match, where the kit knows. */
const DATASET_NOTES: Readonly<Record<string, string>> = {
  wine: "the authors' file holds red + white wine (6497 rows); the paper's Table 3 lists white only (4898)",
};

/**
 * The numeric claim of one published number against our row for it (the rule of `claims.ts`):
 * "not run" without a row or without the metric in it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentClaim } from "./experiment.ts";
 * const number = { artifact: "table1", dataset: "concrete", method: "GAR", metric: "MAE", paper: { mean: 4.6, std: 0.1 } };
 * const cell = { mean: 4.7, std: 0.1, n: 5, values: [] };
 * const row = { dataset: "concrete", method: "GAR", variant: null, runs: { planned: 5, found: 5 }, cells: { mae: cell } };
 * assert.equal(experimentClaim(number, row).verdict, "agrees");
 * assert.equal(experimentClaim(number, undefined).verdict, "not run");
 * ```
 */
export function experimentClaim(number: PaperNumber, row: SummaryRow | undefined): ClaimEntry {
  const metric = METRIC[number.metric];
  const cell = metric === undefined ? undefined : row?.cells[metric];
  return numericClaim({
    ...number,
    ours: cell === undefined ? null : { mean: cell.mean, std: cell.std },
    ...(DATASET_NOTES[number.dataset] !== undefined ? { note: DATASET_NOTES[number.dataset] } : {}),
  });
}

/**
 * The qualitative claim "GAR has the best (mean) test Pearson" on every slice (dataset × variant) of
 * one experiment: holds when GAR tops {@linkcode byPearson} on each, "not run" without the experiment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bestPearsonClaim } from "./experiment.ts";
 * const c = (mean: number) => ({ mean, std: 0, n: 5, values: [] });
 * const row = (method: string, p: number) =>
 *   ({ dataset: "sine", method, variant: null, runs: { planned: 5, found: 5 }, cells: { pearson: c(p) } });
 * const summaries = [{ experiment: "synthetic", rows: [row("MAE", 0.3), row("GAR", 0.5)], comparisons: [] }];
 * assert.equal(bestPearsonClaim(summaries, "synthetic", "GAR is best").verdict, "holds");
 * assert.equal(bestPearsonClaim(summaries, "fig6", "GAR is best").verdict, "not run");
 * ```
 */
export function bestPearsonClaim(
  summaries: readonly ExperimentSummary[],
  experiment: string,
  claim: string,
): QualitativeClaim {
  const rows = summaries.find((r) => r.experiment === experiment)?.rows ?? [];
  const slices = [...new Set(rows.map((r) => `${r.dataset}\u0000${r.variant}`))];
  const lost: string[] = [];
  for (const s of slices) {
    const [top] = byPearson(rows.filter((r) => `${r.dataset}\u0000${r.variant}` === s));
    const [dataset, variant] = s.split("\u0000");
    const where = variant === "null" ? dataset : `${dataset} depth ${variant}`;
    if (top?.method !== "GAR") lost.push(`${where} (best: ${top?.method ?? "none"})`);
  }
  const ran = slices.length > 0 ? true : null;
  return qualitativeClaim(
    experiment,
    claim,
    ran && lost.length === 0,
    ran
      ? (lost.length ? `not best on ${lost.join(", ")}` : `best on all ${slices.length}`)
      : `${experiment} not run`,
  );
}
