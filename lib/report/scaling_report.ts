/**
 * The loss-scaling comparison of the performance issue as a table and a chart: forward + backward
 * time of GAR (its O(N) form) against the O(N²) pairwise reference, for batch sizes 2^8 … 2^20, from
 * `scalingBenchmark` (`lib/bench/scaling.ts`). Points the reference cannot run (predicted memory
 * above the limit) are listed as skipped, not drawn.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ScalingPoint } from "../bench/scaling.ts";
import type { FigureOptions } from "./figure.ts";
import type { ResultTable } from "./table.ts";

/**
 * One row per batch size: GAR's and the reference's median ms (or why it was skipped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingTable } from "./scaling_report.ts";
 * const t = scalingTable([
 *   { method: "gar", n: 256, ms: 0.4, predictedBytes: 1 },
 *   { method: "pairwise", n: 256, ms: 6, predictedBytes: 1 },
 *   { method: "pairwise", n: 4096, ms: null, predictedBytes: 1, skipped: "memory bound" },
 * ]);
 * assert.deepEqual(t.rows.map((r) => r.pairwise), [6, "memory bound"]);
 * ```
 */
export function scalingTable(points: readonly ScalingPoint[]): ResultTable {
  const sizes = [...new Set(points.map((p) => p.n))].sort((a, b) => a - b);
  const cell = (method: ScalingPoint["method"], n: number) => {
    const p = points.find((q) => q.method === method && q.n === n);
    return p === undefined ? null : p.ms ?? p.skipped ?? null;
  };
  return {
    title:
      "Loss forward + backward time (median ms) by batch size: GAR (O(N)) vs the pairwise losses (O(N²))",
    columns: [
      { key: "n", label: "batch size N", digits: 0 },
      { key: "gar", label: "GAR ms", digits: 3 },
      { key: "pairwise", label: "pairwise reference ms", digits: 3 },
    ],
    rows: sizes.map((n) => ({ n, gar: cell("gar", n), pairwise: cell("pairwise", n) })),
  };
}

/**
 * Log-log chart of the timed points, one line per method, labelled at its last point.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingFigure } from "./scaling_report.ts";
 * assert.equal(scalingFigure([]).marks?.length, 4);
 * ```
 */
export function scalingFigure(points: readonly ScalingPoint[]): FigureOptions {
  const timed = points.filter((p) => p.ms !== null).map((p) => ({
    ...p,
    label: p.method === "gar" ? "GAR, O(N)" : "pairwise, O(N²)",
  }));
  return {
    title: "Loss forward + backward time by batch size",
    caption:
      "Log-log; median of repeated runs. The pairwise reference stops where its N² matrices no longer fit.",
    width: 760,
    height: 360,
    marginRight: 110,
    x: { type: "log", label: "batch size N", grid: true },
    y: { type: "log", label: "ms", grid: true, tickFormat: "~g" },
    color: { domain: ["gar", "pairwise"], range: ["#e8590c", "#555555"] },
    marks: [
      Plot.line(timed, { x: "n", y: "ms", stroke: "method", marker: "dot" }),
      Plot.text(
        timed,
        Plot.selectLast({
          x: "n",
          y: "ms",
          z: "method",
          text: "label",
          fill: "method",
          dx: 6,
          textAnchor: "start",
        }),
      ),
      Plot.frame(),
      Plot.ruleY([]),
    ],
  };
}
