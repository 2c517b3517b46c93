/**
 * The tables and figures of each experiment, in one place, so that `deno task reproduce` (through
 * `reproduction.ts`) and the notebooks write the same files from the same code.
 *
 * | experiment | tables | figures |
 * | --- | --- | --- |
 * | `table1` | `table1`, `table1-gains` | `table1-pearson` |
 * | `table5` | `table5`, `table5-gains`, `table5-ranks` | — |
 * | `table6` | `table6` | `fig12-pred-stats` |
 * | `table7` | `table7`, `table7-gains` | — |
 * | `alpha` | `alpha` | `fig7-alpha-concrete` … `fig11-alpha-superconductivity` (one per dataset run) |
 * | `synthetic` | `synthetic` | `fig1-sine`, `fig2-squared-sine`, `fig3-mse` |
 * | `fig6` | `fig6` | `fig6-depth` |
 * | theorem checks | `theorems` | `theorem1-residuals`, `theorem4-epsilon` |
 * | runtime (Table 2) | `table2`, `loss-scaling` | `table2-runtime`, `loss-scaling` |
 *
 * @module
 */
import type { RuntimeRow } from "../bench/runtime.ts";
import type { ScalingPoint } from "../bench/scaling.ts";
import type { ExperimentSummary } from "../experiment/summary.ts";
import type { PaperTables } from "./claims.ts";
import type { ProofResult } from "../../proofs/types.ts";
import { proofsTable, theorem1Figure, theorem1Rows, theorem4Figure, theorem4Rows } from "./theorems.ts";
import { overallRanks, overallRankTable } from "./ablation.ts";
import { type FigureOptions, writeFigure } from "./figure.ts";
import { experimentTable, gainsTable, table1Figure } from "./experiment_tables.ts";
import { type PaperTable2, runtimeFigure, runtimeTable } from "./runtime_report.ts";
import { scalingFigure, scalingTable } from "./scaling_report.ts";
import { ALPHA_FIGURES, alphaFigure, predStatsFigure } from "./sensitivity.ts";
import { fig6Figure, fig6Rows, fig6Table, mseFigure, syntheticFigure } from "./synthetic_figures.ts";
import { type ResultTable, toHtml, writeTable } from "./table.ts";

/** One table or figure of an artifact. */
export type ArtifactPart =
  | { kind: "table"; name: string; title: string; table: ResultTable }
  | { kind: "figure"; name: string; title: string; figure: FigureOptions };

/** A written part: where it went, and what to show. */
export interface WrittenPart {
  /** File stem. */
  name: string;
  /** Title. */
  title: string;
  /** `"table"` or `"figure"`. */
  kind: "table" | "figure";
  /** Path relative to the results folder (`tables/<name>.csv` or `figures/<name>.svg`). */
  path: string;
  /** The table (tables only). */
  table?: ResultTable;
  /** The SVG (figures only). */
  svg?: string;
  /** A MIME bundle to display in a notebook. */
  bundle: Record<string, string>;
}

/** The paper's numbers some parts show beside ours. */
export interface PaperContext {
  /** Table 5's overall ranks by variant (`"MAE+Var"`, …, `"GAR"`). */
  table5Ranks?: Readonly<Record<string, number>>;
  /** Table 2's seconds per epoch. */
  table2?: PaperTable2;
  /** Table 1 (for the headline table). */
  table1?: PaperTables["table1"];
}

const SYNTHETIC_FIGURES: Readonly<Record<string, [string, string]>> = {
  "sine": ["fig1-sine", "Fig. 1: sine, truth vs predictions"],
  "squared-sine": ["fig2-squared-sine", "Fig. 2: squared sine, truth vs predictions"],
};

/**
 * The tables and figures of one experiment's report (see the module table).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentParts } from "./artifacts.ts";
 * const parts = experimentParts({ experiment: "table6", rows: [], comparisons: [] }, "Table 6");
 * assert.deepEqual(parts.map((p) => p.name), ["table6", "fig12-pred-stats"]);
 * ```
 */
export function experimentParts(
  report: ExperimentSummary,
  title: string,
  paper: PaperContext = {},
): ArtifactPart[] {
  const id = report.experiment;
  const table = (name: string, t: string, x: ResultTable): ArtifactPart => ({
    kind: "table",
    name,
    title: t,
    table: x,
  });
  const figure = (name: string, t: string, f: FigureOptions): ArtifactPart => ({
    kind: "figure",
    name,
    title: t,
    figure: f,
  });
  if (id === "fig6") {
    const rows = fig6Rows(report);
    return [table("fig6", title, fig6Table(rows)), figure("fig6-depth", title, fig6Figure(rows))];
  }
  const parts: ArtifactPart[] = [table(id, title, experimentTable(report, title))];
  if (report.comparisons.length > 0) parts.push(table(`${id}-gains`, `${title}: gains`, gainsTable(report)));
  if (id === "table1") parts.push(figure("table1-pearson", title, table1Figure(report)));
  if (id === "table5") {
    parts.push(
      table(
        "table5-ranks",
        `${title}: overall ranks`,
        overallRankTable(overallRanks(report), paper.table5Ranks),
      ),
    );
  }
  if (id === "table6") parts.push(figure("fig12-pred-stats", "Fig. 12", predStatsFigure(report)));
  if (id === "alpha") {
    for (const dataset of new Set(report.rows.map((r) => r.dataset))) {
      const n = ALPHA_FIGURES[dataset];
      parts.push(
        figure(
          `fig${n ?? ""}-alpha-${dataset}`.replace(/^fig-/, "alpha-"),
          `α on ${dataset}`,
          alphaFigure(report, dataset),
        ),
      );
    }
  }
  if (id === "synthetic") {
    for (const dataset of new Set(report.rows.map((r) => r.dataset))) {
      const [name, t] = SYNTHETIC_FIGURES[dataset] ?? [`synthetic-${dataset}`, dataset];
      parts.push(figure(name, t, syntheticFigure(report, dataset, t)));
    }
    if (report.rows.some((r) => r.method === "MSE")) {
      parts.push(figure("fig3-mse", "Fig. 3", mseFigure(report)));
    }
  }
  return parts;
}

/**
 * The theorem checks' summary table and the Theorem 1 / Theorem 4 residual figures (when those
 * checks are among `proofs`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { theoremParts } from "./artifacts.ts";
 * assert.deepEqual(theoremParts([]).map((p) => p.name), ["theorems"]);
 * ```
 */
export function theoremParts(proofs: readonly ProofResult[]): ArtifactPart[] {
  const t1 = proofs.find((p) => p.id === "theorem-1");
  const t4 = proofs.find((p) => p.id === "theorem-4");
  return [
    { kind: "table", name: "theorems", title: "Theorem checks", table: proofsTable(proofs) },
    ...(t1
      ? [
        {
          kind: "figure",
          name: "theorem1-residuals",
          title: "Theorem 1",
          figure: theorem1Figure(theorem1Rows(t1)),
        } as const,
      ]
      : []),
    ...(t4
      ? [
        {
          kind: "figure",
          name: "theorem4-epsilon",
          title: "Theorem 4",
          figure: theorem4Figure(theorem4Rows(t4)),
        } as const,
      ]
      : []),
  ];
}

/**
 * Table 2's table and figure from the runtime benchmark's rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeParts } from "./artifacts.ts";
 * assert.deepEqual(runtimeParts([]).map((p) => p.name), ["table2", "table2-runtime"]);
 * assert.equal(runtimeParts([], {}, []).length, 4); // with the loss-scaling table and chart
 * ```
 */
export function runtimeParts(
  rows: readonly RuntimeRow[],
  paper: PaperContext = {},
  scaling?: readonly ScalingPoint[],
): ArtifactPart[] {
  return [
    { kind: "table", name: "table2", title: "Table 2: runtime", table: runtimeTable(rows, paper.table2) },
    { kind: "figure", name: "table2-runtime", title: "Table 2: runtime", figure: runtimeFigure(rows) },
    ...(scaling === undefined ? [] : [
      { kind: "table", name: "loss-scaling", title: "Loss scaling", table: scalingTable(scaling) } as const,
      {
        kind: "figure",
        name: "loss-scaling",
        title: "Loss scaling",
        figure: scalingFigure(scaling),
      } as const,
    ]),
  ];
}

/**
 * Writes parts into a results folder (`tables/<name>.md|csv`, `figures/<name>.svg|png`) and returns
 * what was written, with a MIME bundle per part for `display` in a notebook.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeParts } from "./artifacts.ts";
 * const dir = await Deno.makeTempDir();
 * const [t] = await writeParts(dir, [{ kind: "table", name: "t", title: "T", table: { columns: [{ key: "a" }], rows: [{ a: 1 }] } }]);
 * assert.equal(t.path, "tables/t.csv");
 * assert.match(t.bundle["text/html"], /<table/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeParts(resultsDir: string, parts: readonly ArtifactPart[]): Promise<WrittenPart[]> {
  const out: WrittenPart[] = [];
  for (const p of parts) {
    if (p.kind === "table") {
      await writeTable(`${resultsDir}/tables`, p.name, p.table);
      out.push({
        name: p.name,
        title: p.title,
        kind: "table",
        path: `tables/${p.name}.csv`,
        table: p.table,
        bundle: { "text/html": toHtml(p.table) },
      });
    } else {
      const written = await writeFigure(`${resultsDir}/figures`, p.name, p.figure);
      out.push({
        name: p.name,
        title: p.title,
        kind: "figure",
        path: `figures/${p.name}.svg`,
        svg: written.svg,
        bundle: { "image/svg+xml": written.svg },
      });
    }
  }
  return out;
}
