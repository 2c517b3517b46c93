/**
 * Fig. 7–11 (the sensitivity to α, Appendix B.9; experiment `alpha`): GAR with α fixed to each value,
 * for one dataset per figure, box plots over the CV folds of its test metrics; plus the experiment's
 * result table.
 *
 * | writes | from |
 * | --- | --- |
 * | `tables/alpha` | `experimentTableParts` (`experiment.ts`) |
 * | `figures/fig7-alpha-concrete` … `figures/fig11-alpha-superconductivity` (one per dataset run) | {@linkcode alphaFigure} |
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ExperimentSummary } from "../experiment/summary.ts";
import { METRICS } from "../experiment/select.ts";
import type { FigureOptions } from "../render/figure.ts";
import { type ArtifactPart, figurePart } from "../render/parts.ts";
import { experimentTableParts, METRIC_LABEL } from "./experiment.ts";

/**
 * The α experiment's parts: the result table (and gains table, if any) and one box-plot figure per dataset
 * run (`fig<N>-alpha-<dataset>`, N from {@linkcode ALPHA_FIGURES}; `alpha-<dataset>` for a dataset the
 * paper has no figure of).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { alphaParts } from "./alpha.ts";
 * const row = { dataset: "wine", method: "GAR", variant: 1, runs: { planned: 1, found: 1 }, cells: {} };
 * const parts = alphaParts({ experiment: "alpha", rows: [row], comparisons: [] }, "Fig. 7–11");
 * assert.deepEqual(parts.map((p) => p.name), ["alpha", "fig8-alpha-wine"]);
 * ```
 */
export function alphaParts(summary: ExperimentSummary, title: string): ArtifactPart[] {
  const parts = experimentTableParts(summary, title);
  for (const dataset of new Set(summary.rows.map((r) => r.dataset))) {
    const n = ALPHA_FIGURES[dataset];
    parts.push(
      figurePart(
        `fig${n ?? ""}-alpha-${dataset}`.replace(/^fig-/, "alpha-"),
        `α on ${dataset}`,
        alphaFigure(summary, dataset),
      ),
    );
  }
  return parts;
}

/** The paper's figure number of each dataset's α box plot (Appendix B.9). */
export const ALPHA_FIGURES: Readonly<Record<string, number>> = {
  "concrete": 7,
  "wine": 8,
  "parkinson-total": 9,
  "parkinson-motor": 10,
  "superconductivity": 11,
};

/** One fold's test value of GAR at a fixed α. */
export interface AlphaPoint {
  /** α. */
  alpha: number;
  /** Metric id. */
  metric: string;
  /** The fold's test value (selected on validation, as in Table 1). */
  value: number;
}

/**
 * The per-fold test values of the `alpha` report for one dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { alphaPoints } from "./alpha.ts";
 * const cell = { mean: 5, std: 1, n: 2, values: [4, 6] };
 * const pts = alphaPoints({ experiment: "alpha", comparisons: [], rows: [
 *   { dataset: "concrete", method: "GAR", variant: 0.5, runs: { planned: 2, found: 2 }, cells: { mae: cell } },
 * ] }, "concrete");
 * assert.deepEqual(pts.map((p) => p.value), [4, 6]);
 * ```
 */
export function alphaPoints(report: ExperimentSummary, dataset: string): AlphaPoint[] {
  const out: AlphaPoint[] = [];
  for (const r of report.rows) {
    if (r.dataset !== dataset || r.variant === null) continue;
    for (const metric of METRICS) {
      for (const value of r.cells[metric]?.values ?? []) out.push({ alpha: r.variant, metric, value });
    }
  }
  return out;
}

/**
 * Fig. 7–11: box plots over folds of GAR's test metrics per fixed α, one panel per metric, for one
 * dataset (x: α on an ordinal axis).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { alphaFigure } from "./alpha.ts";
 * const f = alphaFigure({ experiment: "alpha", rows: [], comparisons: [] }, "concrete");
 * assert.match(f.title!, /^Fig\. 7: /);
 * ```
 */
export function alphaFigure(report: ExperimentSummary, dataset: string): FigureOptions {
  const points = alphaPoints(report, dataset);
  const alphas = [...new Set(points.map((p) => p.alpha))].sort((a, b) => a - b);
  const metrics = METRICS.filter((m) => points.some((p) => p.metric === m));
  const n = ALPHA_FIGURES[dataset];
  return {
    title: `${n === undefined ? "α sensitivity" : `Fig. ${n}`}: GAR with fixed α on ${dataset}`,
    caption: "Box plots over the CV folds of the test value selected on validation (as in Table 1).",
    panels: (metrics.length ? metrics : ["pearson" as const]).map((metric) => ({
      subtitle: `test ${METRIC_LABEL[metric] ?? metric}`,
      width: 760,
      height: 170,
      marginLeft: 60,
      x: { label: "α", domain: alphas, type: "band" as const },
      y: { label: null, grid: true },
      marks: [
        Plot.boxY(points.filter((p) => p.metric === metric), {
          x: "alpha",
          y: "value",
          fill: "#e8590c",
          fillOpacity: 0.3,
        }),
        Plot.frame(),
      ],
    })),
  };
}
