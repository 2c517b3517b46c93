/**
 * A reproduction, put together from the artifacts of the index (`index.ts`): the claims document
 * (`results/claims.json`: every published number of Tables 1, 5, 6, 7 next to ours, and the
 * qualitative claims of Tables 1, 7, 5, Fig. 1–3, 6 and Table 2), and what `deno task reproduce`
 * writes from its results: the experiment tables (`results/tables/*.md`, `*.csv`), the figures
 * (`results/figures/*.svg`, `*.png`), and `results/report.md` / `report.html` with the paper's numbers
 * next to ours. The task only calls {@linkcode reproductionClaims} and {@linkcode writeReproduction}.
 *
 * @module
 */
import type { Profile } from "../experiment/profiles.ts";
import { coverageTable } from "./coverage.ts";
import type { RuntimeRow } from "../bench/runtime.ts";
import type { ScalingPoint } from "../bench/scaling.ts";
import type { DatasetStatus } from "../data/fetch_dataset.ts";
import type { ExperimentSummary } from "../experiment/summary.ts";
import type { NotebooksRun } from "../process/jupyter.ts";
import { tablePart, writeParts, type WrittenPart } from "../render/parts.ts";
import { type ReportSection, writeReport } from "../render/report.ts";
import type { ProofResult } from "../../proofs/types.ts";
import { buildClaimsDocument, type ClaimsDocument } from "./claims.ts";
import { dataTable } from "./data_table.ts";
import { fig6QualitativeClaims } from "./fig6.ts";
import { experimentClaims, experimentParts } from "./index.ts";
import { paperNumbers, type PaperTables } from "./paper_tables.ts";
import { syntheticQualitativeClaims } from "./synthetic.ts";
import { headlineTable, table1QualitativeClaims } from "./table1.ts";
import { runtimeClaims, table2Parts } from "./table2.ts";
import { table5QualitativeClaims } from "./table5.ts";
import { theoremParts } from "./theorems.ts";
import { table7QualitativeClaims } from "./table7.ts";

/**
 * The claims document of a reproduction: one numeric claim per published number of Tables 1, 5, 6
 * and 7 ("not run" where we have no number), and the qualitative claims of Table 1, Table 7, Table 5,
 * Fig. 1–3, Fig. 6 and, with runtime rows, Table 2 (in that order).
 *
 * @param paper the paper's numbers
 * @param summaries the experiment summaries of this run
 * @param runtime Table 2's rows, when the runtime benchmark ran
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadPaperTables } from "./paper_tables.ts";
 * import { reproductionClaims } from "./reproduction.ts";
 * const doc = reproductionClaims(await loadPaperTables(), []);
 * assert.equal(doc.summary.numeric.agrees, 0);
 * assert.deepEqual(doc.qualitative.map((q) => q.artifact), ["table1", "table1", "table7", "table7", "table5", "synthetic", "fig6"]);
 * ```
 */
export function reproductionClaims(
  paper: PaperTables,
  summaries: readonly ExperimentSummary[],
  runtime?: readonly RuntimeRow[],
): ClaimsDocument {
  return buildClaimsDocument(experimentClaims(paperNumbers(paper), summaries), [
    ...table1QualitativeClaims(summaries),
    ...table7QualitativeClaims(summaries),
    ...table5QualitativeClaims(summaries),
    ...syntheticQualitativeClaims(summaries),
    ...fig6QualitativeClaims(summaries),
    ...(runtime ? runtimeClaims(runtime) : []),
  ]);
}

/** Everything {@linkcode writeReproduction} needs. */
export interface ReproductionInputs {
  /** The theorem checks. */
  proofs: readonly ProofResult[];
  /** Dataset availability. */
  data: readonly DatasetStatus[];
  /** The experiment tables, with their titles. */
  experiments: readonly { title: string; report: ExperimentSummary }[];
  /** The claims document (also written to `claims.json` by the caller). */
  claims: ClaimsDocument;
  /** Table 2's rows, when the runtime benchmark ran. */
  runtime?: readonly RuntimeRow[];
  /** The loss-scaling points, when the runtime benchmark ran. */
  scaling?: readonly ScalingPoint[];
  /** The paper's numbers shown beside some tables (and the headline table). */
  paper?: PaperTables;
  /** Notebook execution, when attempted. */
  notebooks?: NotebooksRun;
  /** The profile that ran (the summary then says, per artifact, which grid ran and what it could check). */
  profile?: Profile;
  /** Provenance. */
  provenance: Record<string, unknown>;
  /** Told when something degrades the files (e.g. no font found: PNGs without text). */
  onWarning?: (message: string) => void;
}

/**
 * Writes the tables, figures and `report.md` / `report.html` of a reproduction into `dir`.
 *
 * @returns the paths written
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeReproduction } from "./reproduction.ts";
 * const dir = await Deno.makeTempDir();
 * const claims = { toleranceRule: "…", summary: { numeric: { agrees: 0, differs: 0, "not run": 0 },
 *   qualitative: { holds: 0, fails: 0, "not run": 0 } }, claims: [], qualitative: [] };
 * const out = await writeReproduction(dir, { proofs: [], data: [], experiments: [], claims, provenance: {} });
 * assert.ok(out.html.endsWith("report.html"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeReproduction(
  dir: string,
  inputs: ReproductionInputs,
): Promise<{ markdown: string; html: string; tables: string[]; figures: string[] }> {
  const tables: string[] = [];
  const figures: string[] = [];
  const section = (title: string, parts: WrittenPart[]): ReportSection => {
    for (const p of parts) (p.kind === "table" ? tables : figures).push(p.name);
    return {
      title,
      tables: parts.filter((p) => p.kind === "table").map((p) => ({
        name: p.name,
        title: p.title,
        table: p.table!,
        path: p.path,
      })),
      figures: parts.filter((p) => p.kind === "figure").map((p) => ({
        name: p.name,
        title: p.title,
        svg: p.svg!,
        path: p.path,
      })),
    };
  };
  const png = { onWarning: inputs.onWarning };
  const sections: ReportSection[] = [];
  const table1 = inputs.experiments.find((e) => e.report.experiment === "table1");
  if (table1 && inputs.paper) {
    const headline = headlineTable(table1.report, inputs.paper.table1);
    sections.push(
      section(
        "Headline",
        await writeParts(dir, [tablePart("headline", "Table 1, test Pearson", headline)], png),
      ),
    );
  }
  if (inputs.proofs.length > 0) {
    sections.push(
      section("Theorems, checked numerically", await writeParts(dir, theoremParts(inputs.proofs), png)),
    );
  }
  sections.push({
    ...section("Data", await writeParts(dir, [tablePart("data", "Datasets", dataTable(inputs.data))], png)),
    text: inputs.data.filter((d) => !d.available).map((d) => `${d.id}: not present. ${d.howToObtain}`),
  });
  for (const { title, report } of inputs.experiments) {
    sections.push(section(title, await writeParts(dir, experimentParts(report, title, inputs.paper), png)));
  }
  if (inputs.runtime) {
    sections.push(
      section(
        "Table 2: runtime",
        await writeParts(dir, table2Parts(inputs.runtime, inputs.paper, inputs.scaling), png),
      ),
    );
  }
  const written = await writeReport(dir, {
    title: "gar-kit: Gradient Aligned Regression, reproduced",
    intro: [
      "Every number below was computed by this run (or found in its run cache); the paper's numbers are shown " +
      "next to ours in the claims section, each with the verdict of the tolerance rule.",
    ],
    ...(inputs.profile
      ? {
        summaryTables: [
          coverageTable(
            inputs.profile,
            inputs.experiments.map((e) => e.report),
            inputs.claims.claims,
            inputs.claims.qualitative,
          ),
        ],
      }
      : {}),
    sections,
    claims: inputs.claims.claims,
    qualitative: inputs.claims.qualitative,
    ...(inputs.notebooks
      ? {
        notebooks: {
          executed: inputs.notebooks.executed,
          message: inputs.notebooks.message,
          notebooks: inputs.notebooks.notebooks.map((n) => ({
            name: n.name,
            status: n.status,
            ...(n.outputPath ? { path: `notebooks/${n.name}.ipynb` } : {}),
            ...(n.error ? { message: n.error } : {}),
          })),
        },
      }
      : {}),
    provenance: inputs.provenance,
  });
  return { markdown: written.markdownPath, html: written.htmlPath, tables, figures };
}
