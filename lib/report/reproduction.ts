/**
 * What `deno task reproduce` writes from its results: the experiment tables (`results/tables/*.md`,
 * `*.csv`), the figures (`results/figures/*.svg`, `*.png`), and `results/report.md` / `report.html`
 * with the paper's numbers next to ours. A thin assembly of `lib/report` pieces; the task only calls
 * {@linkcode writeReproduction}.
 *
 * @module
 */
import type { RuntimeRow } from "../bench/runtime.ts";
import type { ScalingPoint } from "../bench/scaling.ts";
import type { ExperimentSummary } from "../experiment/summary.ts";
import {
  type ArtifactPart,
  experimentParts,
  type PaperContext,
  runtimeParts,
  theoremParts,
  writeParts,
  type WrittenPart,
} from "./artifacts.ts";
import { dataTable } from "./data_table.ts";
import { headlineTable } from "./headline.ts";
import type { DatasetStatus } from "../data/fetch_dataset.ts";
import type { ProofResult } from "../../proofs/types.ts";
import type { ClaimsDocument } from "./claims.ts";
import type { NotebooksRun } from "./notebooks.ts";
import { type ReportSection, writeReport } from "./report.ts";
import type { ResultTable } from "./table.ts";

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
  /** The paper's numbers shown beside some tables. */
  paper?: PaperContext;
  /** Notebook execution, when attempted. */
  notebooks?: NotebooksRun;
  /** Provenance. */
  provenance: Record<string, unknown>;
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
  const table = (name: string, title: string, t: ResultTable): ArtifactPart => ({
    kind: "table",
    name,
    title,
    table: t,
  });

  const sections: ReportSection[] = [];
  const table1 = inputs.experiments.find((e) => e.report.experiment === "table1");
  if (table1 && inputs.paper?.table1) {
    const headline = headlineTable(table1.report, inputs.paper.table1);
    sections.push(
      section("Headline", await writeParts(dir, [table("headline", "Table 1, test Pearson", headline)])),
    );
  }
  if (inputs.proofs.length > 0) {
    sections.push(
      section("Theorems, checked numerically", await writeParts(dir, theoremParts(inputs.proofs))),
    );
  }
  sections.push({
    ...section("Data", await writeParts(dir, [table("data", "Datasets", dataTable(inputs.data))])),
    text: inputs.data.filter((d) => !d.available).map((d) => `${d.id}: not present. ${d.howToObtain}`),
  });
  for (const { title, report } of inputs.experiments) {
    sections.push(section(title, await writeParts(dir, experimentParts(report, title, inputs.paper))));
  }
  if (inputs.runtime) {
    sections.push(
      section(
        "Table 2: runtime",
        await writeParts(dir, runtimeParts(inputs.runtime, inputs.paper, inputs.scaling)),
      ),
    );
  }
  const written = await writeReport(dir, {
    title: "gar-kit: Gradient Aligned Regression, reproduced",
    intro: [
      "Every number below was computed by this run (or found in its run cache); the paper's numbers are shown " +
      "next to ours in the claims section, each with the verdict of the tolerance rule.",
    ],
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
