/**
 * Table 6 and Fig. 12 (the batch size, Appendix B.10; experiment `table6`): GAR with batch sizes 32
 * to 512, its result table, which row of ours answers each of Table 6's published numbers
 * (`batch=<size>` → the row of that batch size), and Fig. 12, the fold-averaged mean and std of GAR's
 * test predictions per epoch, one line per batch size, against the truth's mean and std (dashed).
 *
 * | writes | from |
 * | --- | --- |
 * | `tables/table6` | `experimentTableParts` (`experiment.ts`) |
 * | `figures/fig12-pred-stats` | {@linkcode predStatsFigure} |
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ExperimentSummary, SummaryRow } from "../experiment/summary.ts";
import type { FigureOptions } from "../render/figure.ts";
import { type ArtifactPart, figurePart } from "../render/parts.ts";
import { experimentTableParts, summaryRow } from "./experiment.ts";
import type { PaperNumber } from "./paper_tables.ts";

/**
 * Table 6's parts: the result table (and gains table, if any) and Fig. 12.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table6Parts } from "./table6.ts";
 * const parts = table6Parts({ experiment: "table6", rows: [], comparisons: [] }, "Table 6");
 * assert.deepEqual(parts.map((p) => p.name), ["table6", "fig12-pred-stats"]);
 * ```
 */
export function table6Parts(summary: ExperimentSummary, title: string): ArtifactPart[] {
  return [
    ...experimentTableParts(summary, title),
    figurePart("fig12-pred-stats", "Fig. 12", predStatsFigure(summary)),
  ];
}

/**
 * Our row for one of Table 6's published numbers: GAR's row whose variant is the number's batch size
 * (`setting: "batch=<size>"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table6Row } from "./table6.ts";
 * const row = { dataset: "concrete", method: "GAR", variant: 32, runs: { planned: 5, found: 5 }, cells: {} };
 * const number = { artifact: "table6", dataset: "concrete", method: "GAR", metric: "MAE", setting: "batch=32", paper: { mean: 3.9, std: 0.1 } };
 * assert.equal(table6Row(number, [{ experiment: "table6", rows: [row], comparisons: [] }]), row);
 * ```
 */
export function table6Row(
  number: PaperNumber,
  summaries: readonly ExperimentSummary[],
): SummaryRow | undefined {
  const variant = number.setting?.startsWith("batch=") ? Number(number.setting.slice(6)) : null;
  return summaryRow(summaries, number.artifact, number.dataset, number.method, variant);
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
 * import { predStatPoints } from "./table6.ts";
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
 * import { predStatsFigure } from "./table6.ts";
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
