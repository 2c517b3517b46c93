/**
 * The result type every numerical proof check returns, and the small comparison helpers the
 * checks are built from.
 *
 * A proof check runs the same claim twice: on the active tfjs backend (float32) and in plain
 * TypeScript (float64). Each elementary comparison is a {@linkcode Comparison}: a measured value,
 * the value the claim predicts, a residual (relative unless stated) and the tolerance it must meet.
 * {@linkcode summarize} folds the comparisons into a {@linkcode ProofResult}.
 *
 * @module
 */

/** The ids of the numerical proof checks, one per result of the paper. */
export type ProofId = "theorem-1" | "corollary-2" | "corollary-3" | "theorem-4" | "theorem-6";

/** What a proof check reports. */
export interface ProofResult {
  /** Which result of the paper, e.g. `"theorem-1"`. */
  id: ProofId;
  /** The claim checked, in one sentence. */
  claim: string;
  /** The largest residual of the float32 (tfjs backend) comparisons; relative unless `details` says otherwise. */
  maxResidual: number;
  /** The tolerance the float32 residuals must meet (derived from float32 epsilon and N, see each proof). */
  tolerance: number;
  /** True when every float32 and float64 comparison and every extra check passed. */
  passed: boolean;
  /** The tfjs backend the float32 check ran on (`tf.getBackend()`). */
  backend: string;
  /** Float64 residuals, per-case tables and extra checks. */
  details?: Record<string, unknown>;
}

/** Options every proof check accepts. */
export interface ProofOptions {
  /** Seed of the data generator (mulberry32). Default 20250713. */
  seed?: number;
  /** Fewer and smaller cases (for doc examples and smoke tests); the full run is the default. */
  quick?: boolean;
}

/** One elementary comparison of a measured number with the value a claim predicts. */
export interface Comparison {
  /** What was compared, e.g. `"N=100 scale=1: pairwise vs Var"`. */
  label: string;
  /** The measured value. */
  measured: number;
  /** The predicted value. */
  expected: number;
  /** `|measured − expected| / scale` (NaN when either side is not finite). */
  residual: number;
  /** The largest residual accepted. */
  tolerance: number;
  /** `residual <= tolerance` (false for NaN). */
  passed: boolean;
}

/** The default seed of the proof checks. */
export const DEFAULT_SEED = 20250713;

/** The relative tolerance every float64 comparison must meet. */
export const F64_TOLERANCE = 1e-12;

/**
 * Compares a measured number with the value a claim predicts.
 *
 * The residual is `|measured − expected| / scale`, with `scale` defaulting to `|expected|` (a
 * relative residual). Pass an explicit `scale` when the expected value is 0 or near 0 (e.g. the
 * size of the quantity whose cancellation should give 0). A non-finite input gives a NaN residual,
 * which never passes.
 *
 * @param label what is compared
 * @param measured the measured value
 * @param expected the predicted value
 * @param tolerance the largest residual accepted
 * @param scale the denominator of the residual (default `|expected|`; 1 if that is 0)
 * @returns the {@linkcode Comparison}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compare } from "./types.ts";
 * assert.ok(compare("close", 1 + 1e-9, 1, 1e-8).passed);
 * assert.ok(!compare("perturbed", 1.01, 1, 1e-8).passed);
 * ```
 */
export function compare(
  label: string,
  measured: number,
  expected: number,
  tolerance: number,
  scale?: number,
): Comparison {
  const denominator = scale ?? (expected === 0 ? 1 : Math.abs(expected));
  const residual = Number.isFinite(measured) && Number.isFinite(expected) && denominator > 0
    ? Math.abs(measured - expected) / denominator
    : NaN;
  return { label, measured, expected, residual, tolerance, passed: residual <= tolerance };
}

/**
 * A one-sided check: passes when `measured >= bound` (e.g. "this mismatch is clearly not zero").
 * Its residual is `bound − measured` clipped at 0 and its tolerance 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { atLeast } from "./types.ts";
 * assert.ok(atLeast("significant", 12, 5).passed);
 * assert.ok(!atLeast("significant", 3, 5).passed);
 * ```
 */
export function atLeast(label: string, measured: number, bound: number): Comparison {
  const residual = Number.isFinite(measured) ? Math.max(0, bound - measured) : NaN;
  return { label, measured, expected: bound, residual, tolerance: 0, passed: residual <= 0 };
}

/**
 * A one-sided check: passes when `measured <= bound`. Its residual is `measured` and its
 * tolerance `bound`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { atMost } from "./types.ts";
 * assert.ok(atMost("small", 0.5, 1).passed);
 * assert.ok(!atMost("small", 2, 1).passed);
 * ```
 */
export function atMost(label: string, measured: number, bound: number): Comparison {
  const residual = Number.isFinite(measured) ? measured : NaN;
  return { label, measured, expected: bound, residual, tolerance: bound, passed: residual <= bound };
}

/** What {@linkcode summarize} needs. */
export interface ProofSummaryInput {
  /** The proof id. */
  id: ProofId;
  /** The claim, one sentence. */
  claim: string;
  /** The active tfjs backend. */
  backend: string;
  /** The float32 tolerance reported in the result; every float32 comparison must also meet its own. */
  tolerance: number;
  /** Comparisons computed on the tfjs backend (float32); their largest residual is `maxResidual`. */
  float32: Comparison[];
  /** The same claims computed in plain TypeScript (float64). */
  float64: Comparison[];
  /** Further checks (orders of convergence, Monte Carlo z-scores, one-sided bounds). */
  checks?: Comparison[];
  /** Anything else to report (tables, timings). */
  extra?: Record<string, unknown>;
}

function maxResidual(cs: readonly Comparison[]): number {
  let m = 0;
  for (const c of cs) m = Number.isNaN(c.residual) || Number.isNaN(m) ? NaN : Math.max(m, c.residual);
  return m;
}

/**
 * Folds the comparisons of one proof check into a {@linkcode ProofResult}: `maxResidual` is the
 * largest float32 residual; `passed` requires every comparison (float32, float64, checks) to pass
 * and `maxResidual <= tolerance`. Failed comparisons are listed in `details.failures`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compare, summarize } from "./types.ts";
 * const r = summarize({
 *   id: "theorem-1",
 *   claim: "1 + 1 = 2",
 *   backend: "cpu",
 *   tolerance: 1e-6,
 *   float32: [compare("f32", Math.fround(2), 2, 1e-6)],
 *   float64: [compare("f64", 1 + 1, 2, 1e-12)],
 * });
 * assert.ok(r.passed);
 * assert.equal(r.maxResidual, 0);
 * ```
 */
export function summarize(input: ProofSummaryInput): ProofResult {
  const checks = input.checks ?? [];
  const all = [...input.float32, ...input.float64, ...checks];
  const failures = all.filter((c) => !c.passed);
  const max32 = maxResidual(input.float32);
  const max64 = maxResidual(input.float64);
  // The tightest float32 comparison: its residual as a fraction of its own tolerance.
  const tightest = input.float32.reduce<Comparison | undefined>(
    (
      worst,
      c,
    ) => (worst === undefined || c.residual / c.tolerance > worst.residual / worst.tolerance ? c : worst),
    undefined,
  );
  return {
    id: input.id,
    claim: input.claim,
    maxResidual: max32,
    tolerance: input.tolerance,
    passed: failures.length === 0 && max32 <= input.tolerance,
    backend: input.backend,
    details: {
      float64MaxResidual: max64,
      float64Tolerance: F64_TOLERANCE,
      comparisons: { float32: input.float32.length, float64: input.float64.length, checks: checks.length },
      failures,
      tightestFloat32: tightest &&
        { ...tightest, fractionOfTolerance: tightest.residual / tightest.tolerance },
      ...input.extra,
    },
  };
}
