/**
 * The synthetic figures of Section 4.1 from the `synthetic` and `fig6` experiment reports:
 *
 * - Fig. 1 (sine) and Fig. 2 (squared sine): the truth against the mean ± std over seeds of each
 *   method's predictions on every point (train and test), one panel per method;
 * - Fig. 3: the MSE predictions on both datasets;
 * - Fig. 6: per depth (hidden layers of 100) and method, ρ = the mean over seeds of the test Pearson
 *   correlation with the truth, and ρ_max = its maximum over seeds, as a table and a chart.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ExperimentSummary, SummaryRow } from "../experiment/summary.ts";
import type { FigureOptions } from "./figure.ts";
import type { ResultTable } from "./table.ts";

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
 * import { syntheticCurves } from "./synthetic_figures.ts";
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
 * import { syntheticFigure } from "./synthetic_figures.ts";
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
 * import { mseFigure } from "./synthetic_figures.ts";
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

/** One row of Fig. 6's summary. */
export interface Fig6Row {
  /** Dataset. */
  dataset: string;
  /** Method. */
  method: string;
  /** Hidden layers of 100. */
  depth: number;
  /** Mean test Pearson over seeds. */
  rho: number | null;
  /** Maximal test Pearson over seeds. */
  rhoMax: number | null;
  /** The method parameter chosen (GAR's α, RNC's τ) or null. */
  param: number | null;
}

/**
 * Fig. 6's ρ and ρ_max per dataset, method and depth.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fig6Rows } from "./synthetic_figures.ts";
 * const row = { dataset: "sine", method: "GAR", variant: 2, runs: { planned: 2, found: 2 },
 *   cells: { pearson: { mean: 0.6, std: 0.1, n: 2, values: [0.5, 0.7] } },
 *   synthetic: { chosen: { lr: 1e-3, weightDecay: 1e-4, param: 1 }, x: [], truth: [], predMean: [], predStd: [] } };
 * const [r] = fig6Rows({ experiment: "fig6", rows: [row], comparisons: [] });
 * assert.deepEqual([r.rho, r.rhoMax, r.param], [0.6, 0.7, 1]);
 * ```
 */
export function fig6Rows(report: ExperimentSummary): Fig6Row[] {
  return report.rows.map((r: SummaryRow) => {
    const c = r.cells.pearson;
    return {
      dataset: r.dataset,
      method: r.method,
      depth: r.variant as number,
      rho: c?.mean ?? null,
      rhoMax: c && c.values.length ? Math.max(...c.values) : null,
      param: r.synthetic?.chosen.param ?? null,
    };
  }).sort((a, b) =>
    a.dataset.localeCompare(b.dataset) || a.depth - b.depth || a.method.localeCompare(b.method)
  );
}

/**
 * Fig. 6 as a table: ρ and ρ_max per dataset, depth and method.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fig6Table } from "./synthetic_figures.ts";
 * const t = fig6Table([{ dataset: "sine", method: "GAR", depth: 2, rho: 0.6, rhoMax: 0.7, param: 1 }]);
 * assert.equal(t.rows[0].rhoMax, 0.7);
 * ```
 */
export function fig6Table(rows: readonly Fig6Row[]): ResultTable {
  return {
    title: "Fig. 6: test Pearson ρ (mean over seeds) and ρ_max (best seed) by network depth",
    columns: [
      { key: "dataset" },
      { key: "depth", label: "hidden layers", digits: 0 },
      { key: "method" },
      { key: "param", label: "α / τ chosen", digits: 1 },
      { key: "rho", label: "ρ" },
      { key: "rhoMax", label: "ρ_max" },
    ],
    rows: rows.map((r) => ({ ...r })),
  };
}

/**
 * Fig. 6 as a chart: ρ against depth per method (lines, labelled at their right end) and ρ_max
 * (hollow dots), one panel per dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fig6Figure } from "./synthetic_figures.ts";
 * const f = fig6Figure([{ dataset: "sine", method: "GAR", depth: 2, rho: 0.6, rhoMax: 0.7, param: 1 }]);
 * assert.equal(f.marks?.length, 6);
 * ```
 */
export function fig6Figure(rows: readonly Fig6Row[]): FigureOptions {
  const ok = rows.filter((r) => r.rho !== null);
  const datasets = [...new Set(ok.map((r) => r.dataset))];
  return {
    title: "Fig. 6: test Pearson by depth (synthetic)",
    caption: "Lines: ρ, the mean over seeds; hollow dots: ρ_max, the best seed.",
    width: 760,
    height: 40 + 220 * Math.max(1, datasets.length),
    marginRight: 110,
    x: { label: "hidden layers of 100", ticks: [...new Set(ok.map((r) => r.depth))], tickFormat: "d" },
    y: { label: "Pearson", grid: true },
    fy: { label: null, axis: null },
    color: { type: "categorical" },
    marks: [
      Plot.line(ok, { fy: "dataset", x: "depth", y: "rho", stroke: "method", marker: "dot" }),
      Plot.dot(ok.filter((r) => r.rhoMax !== null), {
        fy: "dataset",
        x: "depth",
        y: "rhoMax",
        stroke: "method",
      }),
      Plot.text(
        ok,
        Plot.selectLast({
          fy: "dataset",
          x: "depth",
          y: "rho",
          z: "method",
          text: "method",
          fill: "method",
          dx: 6,
          textAnchor: "start",
        }),
      ),
      Plot.text(datasets, {
        fy: (d: string) => d,
        text: (d: string) => d,
        frameAnchor: "top-left",
        dx: 6,
        dy: 6,
        fontWeight: "bold",
      }),
      Plot.ruleY([0]),
      Plot.frame(),
    ],
  };
}
