/**
 * The index of the paper's artifacts: from "Table N" or "Fig. N" to its code in one hop. Each artifact
 * is one module holding its tables, figures, which row of ours answers each of its published numbers,
 * and its qualitative claims.
 *
 * | id | the paper | module | tables | figures | claims |
 * | --- | --- | --- | --- | --- | --- |
 * | `theorems` | Theorems 1, 4, 6, Corollaries 2, 3 | `theorems.ts` | `theorems` | `theorem1-residuals`, `theorem4-epsilon` | (pass / fail of `proofs/`) |
 * | `table1` | Table 1 | `table1.ts` | `table1`, `table1-gains` (and the report's `headline`) | `table1-pearson` | numbers; 2 qualitative |
 * | `table2` | Table 2 | `table2.ts` | `table2`, `loss-scaling` | `table2-runtime`, `loss-scaling` | 2 qualitative |
 * | `table5` | Table 5 | `table5.ts` | `table5`, `table5-gains`, `table5-ranks` | — | numbers; 1 qualitative |
 * | `table6` | Table 6, Fig. 12 | `table6.ts` | `table6` | `fig12-pred-stats` | numbers |
 * | `table7` | Table 7 | `table7.ts` | `table7`, `table7-gains` | — | numbers; 2 qualitative |
 * | `synthetic` | Fig. 1–3 | `synthetic.ts` | `synthetic`, `synthetic-gains` | `fig1-sine`, `fig2-squared-sine`, `fig3-mse` | 1 qualitative |
 * | `fig6` | Fig. 6 | `fig6.ts` | `fig6` | `fig6-depth` | 1 qualitative |
 * | `alpha` | Fig. 7–11 | `alpha.ts` | `alpha` | `fig7-alpha-concrete` … `fig11-alpha-superconductivity` | — |
 *
 * The ids are those of `--only` (`table2` is the `runtime` benchmark's). What they share: the
 * claims rule (`claims.ts`), the paper's numbers (`paper_tables.ts`) and the experiment artifacts'
 * result tables and claims (`experiment.ts`). `reproduction.ts` puts them together for
 * `deno task reproduce`; the notebooks call the artifact modules directly.
 *
 * @module
 */
import type { ExperimentSummary, SummaryRow } from "../experiment/summary.ts";
import type { ArtifactPart } from "../render/parts.ts";
import type { ClaimEntry } from "./claims.ts";
import { experimentClaim, experimentRow, experimentTableParts } from "./experiment.ts";
import type { PaperNumber, PaperTables } from "./paper_tables.ts";
import { alphaParts } from "./alpha.ts";
import { fig6Parts } from "./fig6.ts";
import { syntheticParts } from "./synthetic.ts";
import { table1Parts } from "./table1.ts";
import { table2Parts } from "./table2.ts";
import { table5Parts, table5Row } from "./table5.ts";
import { table6Parts, table6Row } from "./table6.ts";
import { table7Parts } from "./table7.ts";
import { theoremParts } from "./theorems.ts";

/** An artifact of the paper: what it reproduces, the files it writes, and the code that builds them. */
export interface PaperArtifact<Parts extends (...args: never[]) => ArtifactPart[]> {
  /** What of the paper it reproduces, e.g. `"Table 6, Fig. 12"`. */
  paper: string;
  /** The tables it can write (file stems under `tables/`). */
  tables: readonly string[];
  /** The figures it can write (file stems under `figures/`). */
  figures: readonly string[];
  /** Builds its tables and figures. */
  parts: Parts;
  /**
   * Our row that answers one of its numbers in `data/paper-tables.json` (artifacts whose numbers are
   * compared with ours one by one).
   */
  rowOf?: (number: PaperNumber, summaries: readonly ExperimentSummary[]) => SummaryRow | undefined;
}

/** How an experiment artifact builds its parts: from its summary, its title and the paper's numbers. */
export type ExperimentParts = (
  summary: ExperimentSummary,
  title: string,
  paper?: PaperTables,
) => ArtifactPart[];

/** An artifact built from one experiment's summary. */
export type ExperimentArtifact = PaperArtifact<ExperimentParts>;

const THEOREMS: PaperArtifact<typeof theoremParts> = {
  paper: "Theorems 1, 4, 6, Corollaries 2, 3",
  tables: ["theorems"],
  figures: ["theorem1-residuals", "theorem4-epsilon"],
  parts: theoremParts,
};

const TABLE1: ExperimentArtifact = {
  paper: "Table 1",
  tables: ["table1", "table1-gains"],
  figures: ["table1-pearson"],
  parts: table1Parts,
  rowOf: experimentRow,
};

const TABLE2: PaperArtifact<typeof table2Parts> = {
  paper: "Table 2",
  tables: ["table2", "loss-scaling"],
  figures: ["table2-runtime", "loss-scaling"],
  parts: table2Parts,
};

const TABLE5: ExperimentArtifact = {
  paper: "Table 5",
  tables: ["table5", "table5-gains", "table5-ranks"],
  figures: [],
  parts: table5Parts,
  rowOf: table5Row,
};

const TABLE6: ExperimentArtifact = {
  paper: "Table 6, Fig. 12",
  tables: ["table6"],
  figures: ["fig12-pred-stats"],
  parts: table6Parts,
  rowOf: table6Row,
};

const TABLE7: ExperimentArtifact = {
  paper: "Table 7",
  tables: ["table7", "table7-gains"],
  figures: [],
  parts: table7Parts,
  rowOf: experimentRow,
};

const SYNTHETIC: ExperimentArtifact = {
  paper: "Fig. 1–3",
  tables: ["synthetic", "synthetic-gains"],
  figures: ["fig1-sine", "fig2-squared-sine", "fig3-mse"],
  parts: syntheticParts,
};

const FIG6: ExperimentArtifact = {
  paper: "Fig. 6",
  tables: ["fig6"],
  figures: ["fig6-depth"],
  parts: fig6Parts,
};

const ALPHA: ExperimentArtifact = {
  paper: "Fig. 7–11",
  tables: ["alpha"],
  figures: [
    "fig7-alpha-concrete",
    "fig8-alpha-wine",
    "fig9-alpha-parkinson-total",
    "fig10-alpha-parkinson-motor",
    "fig11-alpha-superconductivity",
  ],
  parts: alphaParts,
};

/** Every artifact of the paper by id, in the paper's order (see the module table). */
export const ARTIFACTS = {
  theorems: THEOREMS,
  table1: TABLE1,
  table2: TABLE2,
  table5: TABLE5,
  table6: TABLE6,
  table7: TABLE7,
  synthetic: SYNTHETIC,
  fig6: FIG6,
  alpha: ALPHA,
} as const;

/** The id of an artifact: a key of {@linkcode ARTIFACTS}. */
export type ArtifactId = keyof typeof ARTIFACTS;

const { theorems: _theorems, table2: _table2, ...experimentArtifacts } = ARTIFACTS;

/**
 * The artifacts built from one experiment's summary, by experiment id (`ExperimentSummary.experiment`):
 * all but the theorem checks and Table 2 (the runtime benchmark).
 */
export const EXPERIMENT_ARTIFACTS: Readonly<Record<string, ExperimentArtifact>> = experimentArtifacts;

/**
 * The parts of one experiment's summary, by its artifact (an experiment the index does not know gets
 * the generic result and gains tables).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentParts } from "./index.ts";
 * const parts = experimentParts({ experiment: "table6", rows: [], comparisons: [] }, "Table 6");
 * assert.deepEqual(parts.map((p) => p.name), ["table6", "fig12-pred-stats"]);
 * ```
 */
export function experimentParts(
  summary: ExperimentSummary,
  title: string,
  paper?: PaperTables,
): ArtifactPart[] {
  return (EXPERIMENT_ARTIFACTS[summary.experiment]?.parts ?? experimentTableParts)(summary, title, paper);
}

/**
 * One numeric claim per published number of an artifact that compares its numbers one by one (Tables
 * 1, 5, 6 and 7): ours where the experiment ran on that dataset, "not run" otherwise (data not
 * present, or experiment not selected).
 *
 * @param paper the paper's numbers (`paperNumbers(await loadPaperTables())`)
 * @param summaries the experiment summaries of this run
 * @returns the claims, in the order of `paper`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentClaims } from "./index.ts";
 * const paper = [{ artifact: "table1", dataset: "concrete", method: "GAR", metric: "MAE", paper: { mean: 4.6, std: 0.1 } }];
 * const cell = { mean: 4.7, std: 0.1, n: 5, values: [] };
 * const summaries = [{ experiment: "table1", rows: [{ dataset: "concrete", method: "GAR", variant: null, runs: { planned: 5, found: 5 }, cells: { mae: cell } }], comparisons: [] }];
 * const [claim] = experimentClaims(paper, summaries);
 * assert.equal(claim.verdict, "agrees");
 * assert.equal(experimentClaims(paper, [])[0].verdict, "not run");
 * ```
 */
export function experimentClaims(
  paper: readonly PaperNumber[],
  summaries: readonly ExperimentSummary[],
): ClaimEntry[] {
  return paper.flatMap((number) => {
    const rowOf = EXPERIMENT_ARTIFACTS[number.artifact]?.rowOf;
    return rowOf === undefined ? [] : [experimentClaim(number, rowOf(number, summaries))];
  });
}
