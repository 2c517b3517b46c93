/**
 * Table 7 (standardised features and labels, Appendix B.11; experiment `table7`), laid out as Table 1:
 * its result and gains tables, which row of ours answers each of its published numbers (as Table 1:
 * same dataset and method), and Table 1's qualitative claims judged on it (the paper: "GAR enjoys
 * similar superiority on the standardized datasets").
 *
 * | writes | from |
 * | --- | --- |
 * | `tables/table7`, `tables/table7-gains` | `experimentTableParts` (`experiment.ts`) |
 *
 * @module
 */
import type { ExperimentSummary } from "../experiment/summary.ts";
import type { ArtifactPart } from "../render/parts.ts";
import type { QualitativeClaim } from "./claims.ts";
import { experimentTableParts } from "./experiment.ts";
import { table1QualitativeClaims } from "./table1.ts";

/**
 * Table 7's parts: the result table and the gains table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table7Parts } from "./table7.ts";
 * const parts = table7Parts({ experiment: "table7", rows: [], comparisons: [] }, "Table 7");
 * assert.deepEqual(parts.map((p) => p.name), ["table7"]);
 * ```
 */
export function table7Parts(summary: ExperimentSummary, title: string): ArtifactPart[] {
  return experimentTableParts(summary, title);
}

/**
 * Table 1's qualitative claims judged on Table 7 ("not run" without it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table7QualitativeClaims } from "./table7.ts";
 * const claims = table7QualitativeClaims([]);
 * assert.deepEqual(claims.map((q) => [q.artifact, q.verdict]), [["table7", "not run"], ["table7", "not run"]]);
 * ```
 */
export function table7QualitativeClaims(summaries: readonly ExperimentSummary[]): QualitativeClaim[] {
  return table1QualitativeClaims(summaries, "table7");
}
