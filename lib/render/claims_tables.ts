/**
 * The claims of a reproduction as tables (for the report and the notebooks).
 *
 * @module
 */
import type { ClaimEntry, QualitativeClaim } from "../paper/claims.ts";
import type { ResultTable } from "./table.ts";

/** How verdicts are shown. */
export const VERDICT_SYMBOL: Record<string, string> = {
  agrees: "✓ agrees",
  differs: "✗ differs",
  holds: "✓ holds",
  fails: "✗ fails",
  "not run": "– not run",
};

function claimCells(c: ClaimEntry): Record<string, string | number | null | { mean: number; std: number }> {
  const delta = c.ours === null ? null : Math.abs(c.ours.mean - c.paper.mean);
  return {
    artifact: c.artifact,
    dataset: c.dataset,
    method: c.method,
    metric: c.metric,
    setting: c.setting ?? "",
    paper: c.paper,
    ours: c.ours,
    delta,
    tolerance: c.tolerance,
    verdict: VERDICT_SYMBOL[c.verdict] ?? c.verdict,
    note: c.note ?? "",
  };
}

/**
 * The numeric claims as a table: the paper's mean (std) next to ours, |Δ|, the tolerance and the
 * verdict.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { claimsTable } from "./claims_tables.ts";
 * const t = claimsTable([{ artifact: "table1", dataset: "wine", method: "GAR", metric: "mae",
 *   paper: { mean: 0.5, std: 0.01 }, ours: { mean: 0.51, std: 0.01 }, tolerance: 0.03, verdict: "agrees" }]);
 * assert.equal(t.rows[0].verdict, "✓ agrees");
 * ```
 */
export function claimsTable(claims: readonly ClaimEntry[]): ResultTable {
  const hasSetting = claims.some((c) => c.setting !== undefined);
  const hasNote = claims.some((c) => c.note !== undefined);
  return {
    columns: [
      { key: "artifact" },
      { key: "dataset" },
      { key: "method" },
      { key: "metric" },
      ...(hasSetting ? [{ key: "setting" }] : []),
      { key: "paper", label: "paper mean (std)" },
      { key: "ours", label: "ours mean (std)" },
      { key: "delta", label: "|Δ|" },
      { key: "tolerance" },
      { key: "verdict" },
      ...(hasNote ? [{ key: "note" }] : []),
    ],
    rows: claims.map(claimCells),
  };
}

/**
 * The qualitative claims as a table: artifact, claim, verdict, evidence.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { qualitativeTable } from "./claims_tables.ts";
 * const t = qualitativeTable([{ artifact: "table2", claim: "c", verdict: "holds", evidence: "e" }]);
 * assert.equal(t.rows[0].verdict, "✓ holds");
 * ```
 */
export function qualitativeTable(qualitative: readonly QualitativeClaim[]): ResultTable {
  return {
    columns: [{ key: "artifact" }, { key: "claim" }, { key: "verdict" }, { key: "evidence" }],
    rows: qualitative.map((q) => ({ ...q, verdict: VERDICT_SYMBOL[q.verdict] ?? q.verdict })),
  };
}
