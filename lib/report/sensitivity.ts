/**
 * The sensitivity figures of Appendix B.9–B.10 from the `alpha` and `table6` experiment reports:
 *
 * - Fig. 7–11: for one dataset, box plots over the CV folds of GAR's test metrics for each fixed α;
 * - Fig. 12: the fold-averaged mean and std of GAR's test predictions per epoch, one line per batch
 *   size, against the truth's mean and std (dashed).
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ExperimentSummary } from "../experiment/summary.ts";
import { METRICS } from "../experiment/select.ts";
import { METRIC_LABEL } from "./experiment_tables.ts";
import type { FigureOptions } from "./figure.ts";

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
 * import { alphaPoints } from "./sensitivity.ts";
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
 * import { alphaFigure } from "./sensitivity.ts";
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

/** One point of Fig. 12. */
export interface PredStatPoint {
  /** Dataset. */
  dataset: string;
  /** Batch size. */
  batchSize: number;
  /** `"mean"` or `"std"` of the test predictions. */
  stat: "mean" | "std";
  /** Epoch (1-based). */
  epoch: number;
  /** The fold-averaged value. */
  value: number;
}

/**
 * Fig. 12's curves and the truth's values from the `table6` report.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predStatPoints } from "./sensitivity.ts";
 * const r = predStatPoints({ experiment: "table6", comparisons: [], rows: [
 *   { dataset: "concrete", method: "GAR", variant: 32, runs: { planned: 1, found: 1 }, cells: {},
 *     predStats: { mean: [30, 35], std: [10, null], truthMean: 36, truthStd: 16 } },
 * ] });
 * assert.equal(r.points.length, 3);
 * assert.deepEqual(r.truth, [{ dataset: "concrete", stat: "mean", value: 36 }, { dataset: "concrete", stat: "std", value: 16 }]);
 * ```
 */
export function predStatPoints(report: ExperimentSummary): {
  points: PredStatPoint[];
  truth: { dataset: string; stat: "mean" | "std"; value: number }[];
} {
  const points: PredStatPoint[] = [];
  const truth = new Map<string, { dataset: string; stat: "mean" | "std"; value: number }>();
  for (const r of report.rows) {
    const p = r.predStats;
    if (!p || r.variant === null) continue;
    for (const stat of ["mean", "std"] as const) {
      p[stat].forEach((value, i) => {
        if (value !== null) {
          points.push({ dataset: r.dataset, batchSize: r.variant!, stat, epoch: i + 1, value });
        }
      });
      truth.set(`${r.dataset}/${stat}`, {
        dataset: r.dataset,
        stat,
        value: stat === "mean" ? p.truthMean : p.truthStd,
      });
    }
  }
  return { points, truth: [...truth.values()] };
}

/**
 * Fig. 12: the predicted test mean and std per epoch for each batch size (lines, labelled at their
 * end) against the truth's (dashed), one row per dataset and one column per statistic.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predStatsFigure } from "./sensitivity.ts";
 * const f = predStatsFigure({ experiment: "table6", rows: [], comparisons: [] });
 * assert.equal(f.panels?.[0].marks?.length, 4);
 * ```
 */
export function predStatsFigure(report: ExperimentSummary): FigureOptions {
  const { points, truth } = predStatPoints(report);
  const datasets = [...new Set(points.map((p) => p.dataset))];
  const labelled = points.map((p) => ({ ...p, label: `bs=${p.batchSize}` }));
  return {
    title: "Fig. 12: GAR's predicted mean and std of the test labels per epoch, by batch size",
    caption: "Fold-averaged; dashed: the truth's mean / std.",
    panels: (datasets.length ? datasets : [""]).map((dataset) => ({
      subtitle: dataset,
      width: 760,
      height: 200,
      marginRight: 70,
      x: { label: "epoch" },
      y: { label: null, grid: true },
      fx: { label: null },
      color: { type: "ordinal" as const, scheme: "viridis" },
      marks: [
        Plot.line(labelled.filter((p) => p.dataset === dataset), {
          fx: "stat",
          x: "epoch",
          y: "value",
          z: "batchSize",
          stroke: "batchSize",
        }),
        Plot.text(
          labelled.filter((p) => p.dataset === dataset),
          Plot.selectLast({
            fx: "stat",
            x: "epoch",
            y: "value",
            z: "batchSize",
            text: "label",
            fill: "batchSize",
            dx: 4,
            textAnchor: "start",
            fontSize: 9,
          }),
        ),
        Plot.ruleY(truth.filter((t) => t.dataset === dataset), {
          fx: "stat",
          y: "value",
          strokeDasharray: "4,3",
        }),
        Plot.frame(),
      ],
    })),
  };
}
