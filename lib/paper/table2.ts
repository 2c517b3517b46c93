/**
 * Table 2 (seconds per epoch, "all time" and "loss time"; the runtime benchmark `runtime`) from the
 * rows of `runtimeBenchmark` (`lib/bench/runtime.ts`), next to the paper's, the paper's runtime claims
 * judged on them, and the loss-scaling comparison that goes with it:
 *
 * - "GAR's time per epoch is within 10% of MAE's" — GAR's all-time ratio to MAE ≤ 1.10 on every
 *   dataset measured;
 * - "RankSim, RNC and ConR cost more per epoch than GAR" — each one's all-time ratio to MAE above
 *   GAR's on every dataset measured.
 *
 * Absolute times depend on the machine; the comparison with the paper is by ratio to MAE, which the
 * paper's CPU numbers also give (its numbers are not compared one by one).
 *
 * The loss scaling (from the performance issue, not the paper): forward + backward time of GAR (its
 * O(N) form) against the O(N²) pairwise reference, for batch sizes 2^8 … 2^20, from
 * `scalingBenchmark` (`lib/bench/scaling.ts`). Points the reference cannot run (predicted memory
 * above the limit) are listed as skipped, not drawn.
 *
 * | writes | from |
 * | --- | --- |
 * | `tables/table2`, `figures/table2-runtime` | {@linkcode runtimeTable}, {@linkcode runtimeFigure} |
 * | `tables/loss-scaling`, `figures/loss-scaling` | {@linkcode scalingTable}, {@linkcode scalingFigure} |
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { methodByAlias } from "../methods.ts";
import type { RuntimeRow } from "../bench/runtime.ts";
import type { ScalingPoint } from "../bench/scaling.ts";
import type { FigureOptions } from "../render/figure.ts";
import { type ArtifactPart, figurePart, tablePart } from "../render/parts.ts";
import type { ResultTable } from "../render/table.ts";
import { type QualitativeClaim, qualitativeClaim } from "./claims.ts";
import type { PaperTables } from "./paper_tables.ts";

/**
 * Table 2's parts: the table and chart of the runtime rows and, with `scaling`, the loss-scaling
 * table and chart.
 *
 * @param rows the runtime benchmark's rows
 * @param paper the paper's numbers (Table 2's ratios to MAE are shown next to ours)
 * @param scaling the loss-scaling points, when measured
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table2Parts } from "./table2.ts";
 * assert.deepEqual(table2Parts([]).map((p) => p.name), ["table2", "table2-runtime"]);
 * assert.equal(table2Parts([], undefined, []).length, 4); // with the loss-scaling table and chart
 * ```
 */
export function table2Parts(
  rows: readonly RuntimeRow[],
  paper?: PaperTables,
  scaling?: readonly ScalingPoint[],
): ArtifactPart[] {
  const title = "Table 2: runtime";
  return [
    tablePart("table2", title, runtimeTable(rows, paper?.table2_seconds_per_epoch)),
    figurePart("table2-runtime", title, runtimeFigure(rows)),
    ...(scaling === undefined ? [] : [
      tablePart("loss-scaling", "Loss scaling", scalingTable(scaling)),
      figurePart("loss-scaling", "Loss scaling", scalingFigure(scaling)),
    ]),
  ];
}

/** The paper's Table 2: method → dataset → seconds per epoch (all time, loss time). */
export type PaperTable2 = Readonly<
  Record<string, Readonly<Record<string, { allTime: { mean: number }; lossTime: { mean: number } }>>>
>;

/**
 * Table 2: per dataset and method, our median ms per epoch (all and loss time) and ratios to MAE,
 * with the paper's ratios to MAE where the paper has the dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeTable } from "./table2.ts";
 * const row = (method: "mae" | "gar", all: number) => ({ method, dataset: "concrete", backend: "wasm",
 *   allTimeMs: all, lossTimeMs: 1, allRatioToMae: all / 10, lossRatioToMae: 1, epochs: 3,
 *   batchesPerEpoch: 3, batchSize: 256, hidden: [16] });
 * const paper = { MAE: { concrete: { allTime: { mean: 0.089 }, lossTime: { mean: 0.002 } } },
 *   GAR: { concrete: { allTime: { mean: 0.09 }, lossTime: { mean: 0.003 } } } };
 * const t = runtimeTable([row("mae", 10), row("gar", 10.5)], paper);
 * assert.equal(t.rows[1].method, "GAR");
 * assert.ok(Math.abs((t.rows[1].paperAllRatio as number) - 0.09 / 0.089) < 1e-12);
 * ```
 */
export function runtimeTable(rows: readonly RuntimeRow[], paper: PaperTable2 = {}): ResultTable {
  const backend = [...new Set(rows.map((r) => r.backend))].join(", ");
  return {
    title: `Table 2: time per epoch (median, ms) and ratio to MAE, backend ${backend}`,
    note: "all = one training epoch (batches, forward, loss, backward, optimizer step); loss = the loss " +
      "forward + backward on the same batches. Paper: its CPU seconds per epoch, as ratios to its MAE.",
    columns: [
      { key: "dataset" },
      { key: "method" },
      { key: "allTimeMs", label: "all ms", digits: 2 },
      { key: "allRatioToMae", label: "all ×MAE", digits: 2 },
      { key: "paperAllRatio", label: "paper all ×MAE", digits: 2 },
      { key: "lossTimeMs", label: "loss ms", digits: 3 },
      { key: "lossRatioToMae", label: "loss ×MAE", digits: 2 },
      { key: "paperLossRatio", label: "paper loss ×MAE", digits: 2 },
    ],
    rows: rows.map((r) => {
      const name = methodByAlias(r.method).name;
      const p = paper[name]?.[r.dataset], m = paper.MAE?.[r.dataset];
      return {
        dataset: r.dataset,
        method: name,
        allTimeMs: r.allTimeMs,
        allRatioToMae: r.allRatioToMae,
        paperAllRatio: p && m ? p.allTime.mean / m.allTime.mean : null,
        lossTimeMs: r.lossTimeMs,
        lossRatioToMae: r.lossRatioToMae,
        paperLossRatio: p && m && m.lossTime.mean > 0 ? p.lossTime.mean / m.lossTime.mean : null,
      };
    }),
  };
}

/**
 * Table 2 as a chart: each method's all-time and loss-time ratio to MAE, one panel per dataset, with
 * the 1.10 line of the "within 10% of MAE" claim.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeFigure } from "./table2.ts";
 * assert.equal(runtimeFigure([]).marks?.length, 4);
 * ```
 */
export function runtimeFigure(rows: readonly RuntimeRow[]): FigureOptions {
  const points = rows.flatMap((r) => [
    { dataset: r.dataset, method: methodByAlias(r.method).name, kind: "all time", ratio: r.allRatioToMae },
    { dataset: r.dataset, method: methodByAlias(r.method).name, kind: "loss time", ratio: r.lossRatioToMae },
  ]);
  const datasets = [...new Set(rows.map((r) => r.dataset))];
  const methods = [...new Set(points.map((p) => p.method))];
  return {
    title: "Table 2: time per epoch relative to MAE",
    caption: "Log scale; dashed: 1.10 × MAE. Orange: all time; grey: loss time (forward + backward).",
    width: 760,
    height: 50 + (14 * methods.length + 16) * Math.max(1, datasets.length),
    marginLeft: 110,
    marginRight: 120,
    x: { type: "log", label: "ratio to MAE", grid: true },
    y: { label: null, domain: methods },
    fy: { label: null },
    color: { domain: ["all time", "loss time"], range: ["#e8590c", "#888888"] },
    marks: [
      Plot.ruleX([1.1], { strokeDasharray: "4,3" }),
      Plot.dot(points, { fy: "dataset", y: "method", x: "ratio", fill: "kind", r: 3 }),
      Plot.ruleX([1]),
      Plot.frame(),
    ],
  };
}

/**
 * The paper's runtime claims judged on the benchmark's rows ("not run" without rows).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeClaims } from "./table2.ts";
 * const row = (method: "mae" | "gar" | "rnc", ratio: number) => ({ method, dataset: "wine", backend: "wasm",
 *   allTimeMs: 10 * ratio, lossTimeMs: 1, allRatioToMae: ratio, lossRatioToMae: 1, epochs: 3,
 *   batchesPerEpoch: 3, batchSize: 256, hidden: [16] });
 * const [within, costlier] = runtimeClaims([row("mae", 1), row("gar", 1.04), row("rnc", 2.2)]);
 * assert.equal(within.verdict, "holds");
 * assert.equal(costlier.verdict, "holds");
 * assert.equal(runtimeClaims([])[0].verdict, "not run");
 * ```
 */
export function runtimeClaims(rows: readonly RuntimeRow[]): QualitativeClaim[] {
  const gar = rows.filter((r) => r.method === "gar");
  const fmt = (r: RuntimeRow) => `${r.dataset} ${r.allRatioToMae.toFixed(2)}×`;
  const within = qualitativeClaim(
    "table2",
    "GAR's time per epoch is within 10% of MAE's",
    gar.length ? gar.every((r) => r.allRatioToMae <= 1.1) : null,
    gar.length
      ? `GAR's all-time ratio to MAE (${gar[0].backend}): ${gar.map(fmt).join(", ")}.`
      : "no runtime benchmark in this run",
  );
  const pairwise = rows.filter((r) => r.method === "ranksim" || r.method === "rnc" || r.method === "conr");
  const slower = pairwise.filter((r) => {
    const g = gar.find((x) => x.dataset === r.dataset);
    return g !== undefined && r.allRatioToMae > g.allRatioToMae;
  });
  const costlier = qualitativeClaim(
    "table2",
    "RankSim, RNC and ConR cost more per epoch than GAR",
    pairwise.length && gar.length ? slower.length === pairwise.length : null,
    pairwise.length
      ? `all-time ratio to MAE: ${
        pairwise.map((r) => `${methodByAlias(r.method).name} ${fmt(r)}`).join(", ")
      }.`
      : "no runtime benchmark of RankSim, RNC or ConR in this run",
  );
  return [within, costlier];
}

/**
 * One row per batch size: GAR's and the reference's median ms (or why it was skipped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingTable } from "./table2.ts";
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
 * import { scalingFigure } from "./table2.ts";
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
