/**
 * Claims: the paper's published numbers, our measured numbers, and a verdict for each.
 *
 * `results/claims.json` holds one {@linkcode ClaimEntry} per number of the paper that the data here
 * allow, and one {@linkcode QualitativeClaim} per qualitative statement (e.g. "GAR has the best
 * Pearson on every task").
 *
 * ## The tolerance rule (the one place it is defined)
 *
 * For a number reported as `paper = mean_p (std_p)` over folds and measured here as
 * `ours = mean_o (std_o)`:
 *
 * ```
 * tolerance = min( max( 2·sqrt(std_p² + std_o²), floor(metric) ),  3·max( 2·std_p, floor(metric) ) )
 * floor(metric) = max( absolute(metric), relative(metric)·|mean_p| )
 * verdict = "agrees"   if |mean_o − mean_p| ≤ tolerance
 *           "differs"  otherwise (also when mean_o is not finite)
 *           "not run"  when there is no measured number (data not present, experiment not run)
 * ```
 *
 * The first term is a two-standard-error band of the difference of two independent fold means
 * (treating the reported std's as the uncertainty of each mean: conservative, since the standard
 * error of a 5-fold mean is smaller). The floor, {@linkcode METRIC_FLOORS}, stops a tiny reported
 * std (the paper prints `0.000` for several Pearson values) from demanding agreement beyond what
 * a float32 re-implementation on other hardware can give: 5 % relative for error metrics (MAE,
 * RMSE), 0.02 absolute for correlations and R² (bounded, and near 0 for IC50 where a relative floor
 * would vanish), and a factor of 2 for seconds per epoch (absolute time depends on the machine; the
 * paper's runtime claims are checked as ratios in qualitative claims).
 *
 * The cap, three times the band the paper's own numbers allow, stops an unstable run of ours (a
 * method that diverged on some folds: a huge `std_o`) from "agreeing" with any number at all.
 *
 * The paper's numbers are read from `data/paper-tables.json` (Tables 1, 2, 5, 6, 7 of the paper;
 * mean and std over 5 folds) by `paper_tables.ts`; which of our numbers answers each of them is said
 * by the artifact's module (`index.ts`).
 *
 * @module
 */
import type { MeanStd } from "../render/table.ts";
import type { PaperNumber } from "./paper_tables.ts";

export type { MeanStd } from "../render/table.ts";

/** The verdict of a numeric claim. */
export type Verdict = "agrees" | "differs" | "not run";

/** The verdict of a qualitative claim. */
export type QualitativeVerdict = "holds" | "fails" | "not run";

/** One number of the paper (artifact, dataset, method, metric, setting, mean (std)) compared with ours (one entry of `claims.json`). */
export interface ClaimEntry extends PaperNumber {
  /** Our number, or null when not run. */
  ours: MeanStd | null;
  /** The largest accepted |ours − paper| (see the module doc), or null when not run. */
  tolerance: number | null;
  /** The verdict. */
  verdict: Verdict;
  /** Why it was not run, or any remark. */
  note?: string;
}

/** A qualitative statement of the paper and whether our results support it. */
export interface QualitativeClaim {
  /** The paper's table or figure the statement is about. */
  artifact: string;
  /** The statement, e.g. `"GAR has the best Pearson on every task"`. */
  claim: string;
  /** The verdict. */
  verdict: QualitativeVerdict;
  /** The numbers behind the verdict, in one or two sentences. */
  evidence: string;
}

/** The floor of the tolerance for one metric: `max(absolute, relative·|paper mean|)`. */
export interface MetricFloor {
  /** Absolute floor (metric units). */
  absolute?: number;
  /** Relative floor (fraction of |paper mean|). */
  relative?: number;
}

/** The per-metric floors of the tolerance rule (see the module doc). */
export const METRIC_FLOORS: Readonly<Record<string, MetricFloor>> = {
  MAE: { relative: 0.05 },
  RMSE: { relative: 0.05 },
  Pearson: { absolute: 0.02 },
  Spearman: { absolute: 0.02 },
  R2: { absolute: 0.02 },
  allTime: { relative: 1 },
  lossTime: { relative: 1 },
};

/** The floor used for a metric missing from {@linkcode METRIC_FLOORS}. */
export const DEFAULT_FLOOR: MetricFloor = { relative: 0.05 };

/** The tolerance rule in one sentence (written into `claims.json` and the report). */
export const TOLERANCE_RULE =
  "agrees when |ours − paper| ≤ min(max(2·sqrt(std_paper² + std_ours²), floor), 3·max(2·std_paper, floor)), " +
  "floor = max(absolute, relative·|paper|): " +
  "MAE, RMSE 5% relative; Pearson, Spearman, R2 0.02 absolute; seconds per epoch 100% relative; other metrics 5% " +
  "relative. differs otherwise; not run when we have no number.";

/**
 * The tolerance of the rule for one metric (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { claimTolerance } from "./claims.ts";
 * // 2·sqrt(0.3² + 0.4²) = 1 beats the 5% floor of 4.6
 * assert.equal(claimTolerance("MAE", { mean: 4.6, std: 0.3 }, { mean: 5, std: 0.4 }), 1);
 * // Pearson: the 0.02 absolute floor
 * assert.equal(claimTolerance("Pearson", { mean: 0.9, std: 0 }, { mean: 0.9, std: 0 }), 0.02);
 * // an unstable run of ours (std 600 000) is capped at 3 × the paper's band: 3 × 0.43
 * assert.ok(Math.abs(claimTolerance("MAE", { mean: 8.6, std: 0.007 }, { mean: 3e5, std: 6e5 }) - 1.29) < 1e-12);
 * ```
 */
export function claimTolerance(metric: string, paper: MeanStd, ours: MeanStd): number {
  const floor = METRIC_FLOORS[metric] ?? DEFAULT_FLOOR;
  const sp = Number.isFinite(paper.std) ? paper.std : 0;
  const so = Number.isFinite(ours.std) ? ours.std : 0;
  const band = 2 * Math.sqrt(sp * sp + so * so);
  const least = Math.max(floor.absolute ?? 0, (floor.relative ?? 0) * Math.abs(paper.mean));
  return Math.min(Math.max(band, least), 3 * Math.max(2 * sp, least));
}

/** What {@linkcode numericClaim} needs: a {@linkcode ClaimEntry} without the verdict, `ours` optional. */
export type NumericClaimInput = Omit<ClaimEntry, "ours" | "tolerance" | "verdict"> & {
  /** Our number; null or undefined when not run. */
  ours?: MeanStd | null;
};

/**
 * Applies the tolerance rule to one number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numericClaim } from "./claims.ts";
 * const base = { artifact: "table1", dataset: "concrete", method: "GAR", metric: "MAE", paper: { mean: 4.603, std: 0.075 } };
 * assert.equal(numericClaim({ ...base, ours: { mean: 4.7, std: 0.1 } }).verdict, "agrees");
 * assert.equal(numericClaim({ ...base, ours: { mean: 5.5, std: 0.1 } }).verdict, "differs");
 * assert.equal(numericClaim(base).verdict, "not run");
 * ```
 */
export function numericClaim(input: NumericClaimInput): ClaimEntry {
  const { ours, ...rest } = input;
  const base = {
    artifact: rest.artifact,
    dataset: rest.dataset,
    method: rest.method,
    metric: rest.metric,
    ...(rest.setting !== undefined ? { setting: rest.setting } : {}),
    paper: { mean: rest.paper.mean, std: rest.paper.std },
  };
  const note = rest.note !== undefined ? { note: rest.note } : {};
  if (ours === null || ours === undefined) {
    return { ...base, ours: null, tolerance: null, verdict: "not run", ...note };
  }
  const tolerance = claimTolerance(rest.metric, rest.paper, ours);
  const agrees = Number.isFinite(ours.mean) && Math.abs(ours.mean - rest.paper.mean) <= tolerance;
  return {
    ...base,
    ours: { mean: ours.mean, std: ours.std },
    tolerance,
    verdict: agrees ? "agrees" : "differs",
    ...note,
  };
}

/**
 * Builds a qualitative claim: `holds` true → "holds", false → "fails", null → "not run".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { qualitativeClaim } from "./claims.ts";
 * const c = qualitativeClaim("table2", "GAR's time per epoch is within 10% of MAE's", true, "GAR 0.090 s, MAE 0.086 s");
 * assert.equal(c.verdict, "holds");
 * ```
 */
export function qualitativeClaim(
  artifact: string,
  claim: string,
  holds: boolean | null,
  evidence: string,
): QualitativeClaim {
  return { artifact, claim, verdict: holds === null ? "not run" : holds ? "holds" : "fails", evidence };
}

/** Counts of verdicts. */
export interface ClaimsSummary {
  /** Numeric claims by verdict. */
  numeric: Record<Verdict, number>;
  /** Qualitative claims by verdict. */
  qualitative: Record<QualitativeVerdict, number>;
}

/**
 * Counts the verdicts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeClaims } from "./claims.ts";
 * assert.deepEqual(summarizeClaims([], []).numeric, { agrees: 0, differs: 0, "not run": 0 });
 * ```
 */
export function summarizeClaims(
  numeric: readonly ClaimEntry[],
  qualitative: readonly QualitativeClaim[],
): ClaimsSummary {
  const n: Record<Verdict, number> = { agrees: 0, differs: 0, "not run": 0 };
  const q: Record<QualitativeVerdict, number> = { holds: 0, fails: 0, "not run": 0 };
  for (const c of numeric) n[c.verdict]++;
  for (const c of qualitative) q[c.verdict]++;
  return { numeric: n, qualitative: q };
}

/** The layout of `claims.json`. */
export interface ClaimsDocument {
  /** {@linkcode TOLERANCE_RULE}. */
  toleranceRule: string;
  /** Verdict counts. */
  summary: ClaimsSummary;
  /** One entry per number of the paper. */
  claims: ClaimEntry[];
  /** One entry per qualitative claim. */
  qualitative: QualitativeClaim[];
}

/**
 * Assembles the `claims.json` document (pure; write it with `JSON.stringify(doc, null, 2)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildClaimsDocument } from "./claims.ts";
 * const doc = buildClaimsDocument([], []);
 * assert.ok(doc.toleranceRule.includes("agrees"));
 * ```
 */
export function buildClaimsDocument(
  numeric: readonly ClaimEntry[],
  qualitative: readonly QualitativeClaim[],
): ClaimsDocument {
  return {
    toleranceRule: TOLERANCE_RULE,
    summary: summarizeClaims(numeric, qualitative),
    claims: [...numeric],
    qualitative: [...qualitative],
  };
}
