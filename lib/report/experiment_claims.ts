/**
 * The paper's numbers next to the kit's: `claims.json` entries from the experiment tables that
 * `lib/experiment` builds (Tables 1, 5, 6 and 7), plus the qualitative claims of Table 1.
 *
 * @module
 */
import type { ExperimentReport, ReportRow } from "../experiment/report.ts";
import type { Metric } from "../experiment/select.ts";
import {
  type ClaimEntry,
  numericClaim,
  type PaperNumber,
  type QualitativeClaim,
  qualitativeClaim,
} from "./claims.ts";

/** The paper's metric names → the kit's. */
const METRIC: Readonly<Record<string, Metric>> = {
  MAE: "mae",
  RMSE: "rmse",
  Pearson: "pearson",
  Spearman: "spearman",
  R2: "r2",
};

/** Table 5's column names in the paper → the kit's ablation methods. */
const ABLATION: Readonly<Record<string, string>> = {
  "MAE": "GAR[MAE]",
  "Var": "GAR[Var]",
  "Pearson": "GAR[Pearson]",
  "MAE+Var": "GAR[MAE+Var]",
  "MAE+Pearson": "GAR[MAE+Pearson]",
  "Var+Pearson": "GAR[Var+Pearson]",
  "GAR": "GAR",
};

/** Why a dataset's numbers are not expected to match, where the kit knows. */
const DATASET_NOTES: Readonly<Record<string, string>> = {
  wine: "the authors' file holds red + white wine (6497 rows); the paper's Table 3 lists white only (4898)",
};

function findRow(number: PaperNumber, reports: readonly ExperimentReport[]): ReportRow | undefined {
  const report = reports.find((r) => r.experiment === number.artifact);
  if (report === undefined) return undefined;
  const method = number.artifact === "table5" ? ABLATION[number.method] : number.method;
  const variant = number.setting?.startsWith("batch=") ? Number(number.setting.slice(6)) : null;
  return report.rows.find((r) =>
    r.dataset === number.dataset && r.method === method && r.variant === variant
  );
}

/**
 * One numeric claim per number of the paper's Tables 1, 5, 6 and 7: ours where the experiment ran
 * on that dataset, "not run" otherwise (data not present, or experiment not selected).
 *
 * @param paper the paper's numbers (`paperNumbers(await loadPaperTables())`)
 * @param reports the experiment tables of this run
 * @returns the claims, in the order of `paper`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentClaims } from "./experiment_claims.ts";
 * const paper = [{ artifact: "table1", dataset: "concrete", method: "GAR", metric: "MAE", paper: { mean: 4.6, std: 0.1 } }];
 * const cell = { mean: 4.7, std: 0.1, n: 5, values: [] };
 * const reports = [{ experiment: "table1", rows: [{ dataset: "concrete", method: "GAR", variant: null, runs: { planned: 5, found: 5 }, cells: { mae: cell } }], comparisons: [] }];
 * const [claim] = experimentClaims(paper, reports);
 * assert.equal(claim.verdict, "agrees");
 * assert.equal(experimentClaims(paper, [])[0].verdict, "not run");
 * ```
 */
export function experimentClaims(
  paper: readonly PaperNumber[],
  reports: readonly ExperimentReport[],
): ClaimEntry[] {
  return paper.filter((p) => ["table1", "table5", "table6", "table7"].includes(p.artifact)).map((p) => {
    const metric = METRIC[p.metric];
    const cell = metric === undefined ? undefined : findRow(p, reports)?.cells[metric];
    return numericClaim({
      ...p,
      ours: cell === undefined ? null : { mean: cell.mean, std: cell.std },
      ...(DATASET_NOTES[p.dataset] !== undefined ? { note: DATASET_NOTES[p.dataset] } : {}),
    });
  });
}

/**
 * Table 1's qualitative claims, judged on the kit's table: "GAR has the best Pearson on every task"
 * and "GAR improves on MAE in every metric on every task" (over the tasks the run covered).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table1QualitativeClaims } from "./experiment_claims.ts";
 * const c = (mean: number) => ({ mean, std: 0, n: 5, values: [] });
 * const row = (method: string, mae: number, pearson: number) =>
 *   ({ dataset: "wine", method, variant: null, runs: { planned: 5, found: 5 }, cells: { mae: c(mae), pearson: c(pearson) } });
 * const claims = table1QualitativeClaims([{ experiment: "table1", rows: [row("MAE", 0.5, 0.6), row("GAR", 0.49, 0.62)], comparisons: [] }]);
 * assert.deepEqual(claims.map((q) => q.verdict), ["holds", "holds"]);
 * ```
 */
export function table1QualitativeClaims(reports: readonly ExperimentReport[]): QualitativeClaim[] {
  const rows = reports.find((r) => r.experiment === "table1")?.rows ?? [];
  const datasets = [...new Set(rows.map((r) => r.dataset))];
  const gar = (d: string) => rows.find((r) => r.dataset === d && r.method === "GAR");
  const best: string[] = [];
  const notBest: string[] = [];
  for (const d of datasets) {
    const top = rows.filter((r) => r.dataset === d && r.cells.pearson !== undefined)
      .sort((a, b) => b.cells.pearson!.mean - a.cells.pearson!.mean)[0];
    (top?.method === "GAR" ? best : notBest).push(top === undefined ? d : `${d} (best: ${top.method})`);
  }
  const lowerBetter = new Set<Metric>(["mae", "rmse"]);
  const worse: string[] = [];
  for (const d of datasets) {
    const g = gar(d), m = rows.find((r) => r.dataset === d && r.method === "MAE");
    for (const metric of ["mae", "rmse", "pearson", "spearman"] as Metric[]) {
      const a = g?.cells[metric], b = m?.cells[metric];
      if (a === undefined || b === undefined) continue;
      if (lowerBetter.has(metric) ? a.mean > b.mean : a.mean < b.mean) worse.push(`${d} ${metric}`);
    }
  }
  const ran = datasets.length > 0 ? true : null;
  return [
    qualitativeClaim(
      "table1",
      "GAR has the best Pearson on every task",
      ran && notBest.length === 0,
      ran
        ? `best on ${best.join(", ") || "none"}; not best on ${notBest.join(", ") || "none"}`
        : "Table 1 not run",
    ),
    qualitativeClaim(
      "table1",
      "GAR improves on MAE in every metric on every task",
      ran && worse.length === 0,
      ran
        ? (worse.length ? `worse than MAE on ${worse.join(", ")}` : "better or equal everywhere")
        : "Table 1 not run",
    ),
  ];
}
