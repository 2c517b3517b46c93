/**
 * Fig. 1–3 (the synthetic sine and squared sine of Section 4.1; experiment `synthetic`): the truth
 * against the mean ± std over seeds of each method's predictions on every point (train and test), one
 * panel per method (Fig. 1: sine, Fig. 2: squared sine), and the MSE predictions on both datasets
 * (Fig. 3); the experiment's result table; and its qualitative claim ("GAR also demonstrates clear
 * advantages on both synthetic datasets", judged as: GAR has the best mean test Pearson over seeds on
 * each).
 *
 * | writes | from |
 * | --- | --- |
 * | `tables/synthetic`, `tables/synthetic-gains` | `experimentTableParts` (`experiment.ts`) |
 * | `figures/fig1-sine`, `figures/fig2-squared-sine` | {@linkcode syntheticFigure} |
 * | `figures/fig3-mse` | {@linkcode mseFigure} |
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ExperimentSummary } from "../experiment/summary.ts";
import type { FigureOptions } from "../render/figure.ts";
import { type ArtifactPart, figurePart } from "../render/parts.ts";
import type { QualitativeClaim } from "./claims.ts";
import { bestPearsonClaim, experimentTableParts } from "./experiment.ts";

/** Each synthetic dataset's figure: file stem and title. */
const SYNTHETIC_FIGURES: Readonly<Record<string, [string, string]>> = {
  "sine": ["fig1-sine", "Fig. 1: sine, truth vs predictions"],
  "squared-sine": ["fig2-squared-sine", "Fig. 2: squared sine, truth vs predictions"],
};

/**
 * The synthetic experiment's parts: the result table, one figure per dataset (Fig. 1, Fig. 2) and,
 * when MSE ran, Fig. 3.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticParts } from "./synthetic.ts";
 * const row = { dataset: "squared-sine", method: "MSE", variant: null, runs: { planned: 1, found: 1 }, cells: {} };
 * const parts = syntheticParts({ experiment: "synthetic", rows: [row], comparisons: [] }, "Fig. 1–3");
 * assert.deepEqual(parts.map((p) => p.name), ["synthetic", "fig2-squared-sine", "fig3-mse"]);
 * ```
 */
export function syntheticParts(summary: ExperimentSummary, title: string): ArtifactPart[] {
  const parts = experimentTableParts(summary, title);
  for (const dataset of new Set(summary.rows.map((r) => r.dataset))) {
    const [name, t] = SYNTHETIC_FIGURES[dataset] ?? [`synthetic-${dataset}`, dataset];
    parts.push(figurePart(name, t, syntheticFigure(summary, dataset, t)));
  }
  if (summary.rows.some((r) => r.method === "MSE")) {
    parts.push(figurePart("fig3-mse", "Fig. 3", mseFigure(summary)));
  }
  return parts;
}

/**
 * The synthetic claim of Section 4.1 judged on the `synthetic` experiment: GAR has the best mean test
 * Pearson over seeds on each synthetic dataset ("not run" without it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticQualitativeClaims } from "./synthetic.ts";
 * const c = (mean: number) => ({ mean, std: 0, n: 5, values: [] });
 * const row = (method: string, p: number) =>
 *   ({ dataset: "sine", method, variant: null, runs: { planned: 5, found: 5 }, cells: { pearson: c(p) } });
 * const claims = syntheticQualitativeClaims([{ experiment: "synthetic", rows: [row("MAE", 0.3), row("GAR", 0.5)], comparisons: [] }]);
 * assert.deepEqual(claims.map((q) => q.verdict), ["holds"]);
 * ```
 */
export function syntheticQualitativeClaims(summaries: readonly ExperimentSummary[]): QualitativeClaim[] {
  return [
    bestPearsonClaim(summaries, "synthetic", "GAR has the best test Pearson on both synthetic datasets"),
  ];
}

/** One point of a synthetic prediction curve. */
export interface CurvePoint {
  /** Method. */
  method: string;
  /** Dataset. */
  dataset: string;
  /** Input x. */
  x: number;
  /** Truth y. */
  truth: number;
  /** Mean prediction over seeds (null where a run diverged). */
  mean: number | null;
  /** Std of the predictions over seeds. */
  std: number | null;
}

/**
 * The prediction curves of a synthetic report's rows, sorted by x within each (dataset, method).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticCurves } from "./synthetic.ts";
 * const row = { dataset: "sine", method: "GAR", variant: null, runs: { planned: 1, found: 1 }, cells: {},
 *   synthetic: { chosen: { lr: 1e-3, weightDecay: 1e-4, param: 0.5 }, x: [1, 0], truth: [0.8, 0],
 *     predMean: [0.7, 0.1], predStd: [0.1, 0] } };
 * const pts = syntheticCurves({ experiment: "synthetic", rows: [row], comparisons: [] });
 * assert.deepEqual(pts.map((p) => p.x), [0, 1]);
 * ```
 */
export function syntheticCurves(report: ExperimentSummary): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (const r of report.rows) {
    const s = r.synthetic;
    if (!s) continue;
    const pts = s.x.map((x, i) => ({
      method: r.method,
      dataset: r.dataset,
      x,
      truth: s.truth[i],
      mean: s.predMean[i] ?? null,
      std: s.predStd[i] ?? null,
    }));
    out.push(...pts.sort((a, b) => a.x - b.x));
  }
  return out;
}

function curveMarks(points: CurvePoint[], facet: "method" | "dataset"): Plot.Markish[] {
  const band = points.filter((p) => p.mean !== null && p.std !== null).map((p) => ({
    ...p,
    lo: p.mean! - p.std!,
    hi: p.mean! + p.std!,
  }));
  return [
    Plot.areaY(band, { fy: facet, x: "x", y1: "lo", y2: "hi", fill: "#e8590c", fillOpacity: 0.25 }),
    Plot.line(points, { fy: facet, x: "x", y: "truth", stroke: "black", strokeWidth: 1 }),
    Plot.line(points.filter((p) => p.mean !== null), {
      fy: facet,
      x: "x",
      y: "mean",
      stroke: "#e8590c",
      strokeWidth: 1.2,
    }),
    Plot.frame(),
  ];
}

/**
 * Fig. 1 / Fig. 2: truth (black) and the mean ± std over seeds of each method's predictions
 * (orange), one panel per method, for one dataset of the `synthetic` report.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticFigure } from "./synthetic.ts";
 * const row = { dataset: "sine", method: "GAR", variant: null, runs: { planned: 1, found: 1 }, cells: {},
 *   synthetic: { chosen: { lr: 1e-3, weightDecay: 1e-4, param: 0.5 }, x: [0, 1], truth: [0, 0.8],
 *     predMean: [0.1, 0.7], predStd: [0, 0.1] } };
 * const f = syntheticFigure({ experiment: "synthetic", rows: [row], comparisons: [] }, "sine", "Fig. 1");
 * assert.equal(f.marks?.length, 4);
 * ```
 */
export function syntheticFigure(report: ExperimentSummary, dataset: string, title: string): FigureOptions {
  const points = syntheticCurves(report).filter((p) => p.dataset === dataset);
  const methods = [...new Set(points.map((p) => p.method))];
  return {
    title,
    caption:
      "Black: truth. Orange: mean of the predictions over seeds, band ± one std (train and test points).",
    width: 760,
    height: 40 + 130 * Math.max(1, methods.length),
    marginRight: 100,
    x: { label: "x" },
    y: { label: "y", grid: true },
    fy: { label: null, domain: methods },
    marks: curveMarks(points, "method"),
  };
}

/**
 * Fig. 3: the MSE predictions (mean ± std over seeds) against the truth, one panel per dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mseFigure } from "./synthetic.ts";
 * const f = mseFigure({ experiment: "synthetic", rows: [], comparisons: [] });
 * assert.equal(f.title, "Fig. 3: MSE predictions on the synthetic datasets");
 * ```
 */
export function mseFigure(report: ExperimentSummary): FigureOptions {
  const points = syntheticCurves(report).filter((p) => p.method === "MSE");
  const datasets = [...new Set(points.map((p) => p.dataset))];
  return {
    title: "Fig. 3: MSE predictions on the synthetic datasets",
    caption: "Black: truth. Orange: mean of the MSE predictions over seeds, band ± one std.",
    width: 760,
    height: 40 + 160 * Math.max(1, datasets.length),
    marginRight: 100,
    x: { label: "x" },
    y: { label: "y", grid: true },
    fy: { label: null },
    marks: curveMarks(points, "dataset"),
  };
}
