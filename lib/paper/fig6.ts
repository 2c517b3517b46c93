/**
 * Fig. 6 (the depth of the network, Section 4.1; experiment `fig6`): per depth (hidden layers of 100)
 * and method, ρ = the mean over seeds of the test Pearson correlation with the truth and ρ_max = its
 * maximum over seeds, as a table and a chart; and its qualitative claim (Fig. 6 "again demonstrates
 * similar results", judged as: GAR has the best mean test Pearson at every depth).
 *
 * | writes | from |
 * | --- | --- |
 * | `tables/fig6` | {@linkcode fig6Table} |
 * | `figures/fig6-depth` | {@linkcode fig6Figure} |
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ExperimentSummary, SummaryRow } from "../experiment/summary.ts";
import type { FigureOptions } from "../render/figure.ts";
import { type ArtifactPart, figurePart, tablePart } from "../render/parts.ts";
import type { ResultTable } from "../render/table.ts";
import type { QualitativeClaim } from "./claims.ts";
import { bestPearsonClaim } from "./experiment.ts";

/**
 * Fig. 6's parts: the ρ / ρ_max table and chart (not the generic result table).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fig6Parts } from "./fig6.ts";
 * const parts = fig6Parts({ experiment: "fig6", rows: [], comparisons: [] }, "Fig. 6");
 * assert.deepEqual(parts.map((p) => p.name), ["fig6", "fig6-depth"]);
 * ```
 */
export function fig6Parts(summary: ExperimentSummary, title: string): ArtifactPart[] {
  const rows = fig6Rows(summary);
  return [tablePart("fig6", title, fig6Table(rows)), figurePart("fig6-depth", title, fig6Figure(rows))];
}

/**
 * Fig. 6's claim judged on the `fig6` experiment: GAR has the best mean test Pearson ρ at every depth
 * ("not run" without it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fig6QualitativeClaims } from "./fig6.ts";
 * assert.deepEqual(fig6QualitativeClaims([]).map((q) => q.verdict), ["not run"]);
 * ```
 */
export function fig6QualitativeClaims(summaries: readonly ExperimentSummary[]): QualitativeClaim[] {
  return [bestPearsonClaim(summaries, "fig6", "GAR has the best mean test Pearson ρ at every depth")];
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
 * import { fig6Rows } from "./fig6.ts";
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
 * import { fig6Table } from "./fig6.ts";
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
 * import { fig6Figure } from "./fig6.ts";
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
