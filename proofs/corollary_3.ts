/**
 * Corollary 3 (Eq. 6–7): for p = 2 the normalized pairwise loss of Eq. 6,
 *
 *   ‖ d_f/‖d_f‖₂ − d_y/‖d_y‖₂ ‖₂²  over all N² pairs (d_f = [f_i − f_j], d_y = [y_i − y_j]),
 *
 * has an O(N) form in terms of the Pearson correlation ρ(f, y) (Eq. 7): the squared distance of two
 * unit vectors is 2 − 2·cos, and the cosine of the pairwise-difference vectors is exactly ρ(f, y).
 * So the literal Eq. 6 with p = 2 equals 2·(1 − ρ). The paper's Eq. 7 states 1 − ρ (its middle
 * expression, (1/2N) Σ_i ((f_i − f̄)/σ_f − (y_i − ȳ)/σ_y)², is indeed 1 − ρ), but the proof in
 * Appendix A.2 drops the factor 2 when it collects the 2N repeated terms. The kit's losses document
 * this (see their JSDoc): `pairwiseDiffNormLoss(yTrue, yPred, { p: 2 })` keeps Eq. 6 literally and
 * equals 2·(1 − ρ); `negPearsonLoss(yTrue, yPred)` is Eq. 7, 1 − ρ. The check therefore verifies
 * pairwiseDiffNormLoss = 2·negPearsonLoss = 2·(1 − ρ), with ρ computed independently here.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { negPearsonLoss } from "../lib/losses/neg_pearson_loss.ts";
import { pairwiseDiffNormLoss } from "../lib/losses/pairwise_diff_norm_loss.ts";
import { negPearsonLossReference, pairwiseDiffNormLossReference } from "../lib/losses/reference/pairwise.ts";
import { type Batch, randomBatch } from "./_batches.ts";
import { mulberry32 } from "./rng.ts";
import { readAndDispose } from "./_read.ts";
import { pearson } from "../lib/stats/pearson.ts";
import {
  compare,
  type Comparison,
  DEFAULT_SEED,
  F64_TOLERANCE,
  type ProofOptions,
  type ProofResult,
  summarize,
} from "./types.ts";
import { FLOAT32_UNIT_ROUNDOFF } from "../lib/stats/unit_roundoff.ts";

/** pairwiseDiffNormLoss(p = 2) = PAIRWISE_FACTOR·(1 − ρ): the literal Eq. 6 (see the module doc). */
const PAIRWISE_FACTOR = 2;
/** negPearsonLoss = LINEAR_FACTOR·(1 − ρ): Eq. 7. */
const LINEAR_FACTOR = 1;

const CLAIM = "pairwiseDiffNormLoss(p=2), O(N²) Eq. 6 = 2·negPearsonLoss, O(N) Eq. 7 = 2·(1 − ρ(f, y)) " +
  "(the paper's Eq. 7 says 1 − ρ; its proof drops a factor 2)";

/** κ = |mean|/σ of a column: the cancellation when centring it. */
function centring(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
  return Math.abs(m) / sd;
}

/** 1 − ρ averaged over the columns, the smallest 1 − ρ and the largest centring κ over the columns. */
function truth(batch: Batch): { value: number; gap: number; kappa: number } {
  let s = 0, gap = Infinity, kappa = 0;
  const t = batch.yTrue[0].length;
  for (let j = 0; j < t; j++) {
    const y = batch.yTrue.map((r) => r[j]), f = batch.yPred.map((r) => r[j]);
    const rho = pearson(f, y);
    s += 1 - rho;
    gap = Math.min(gap, 1 - rho);
    kappa = Math.max(kappa, centring(f), centring(y));
  }
  return { value: s / t, gap, kappa };
}

/**
 * Checks Corollary 3 numerically: the normalized pairwise loss with p = 2 (literal O(N²) form)
 * equals twice the O(N) negative-Pearson form and 2·(1 − ρ) (see the module doc for the factor), on
 * random batches with N ∈ {3, 10, 100,
 * 1000}, T ∈ {1, 2}, correlations from about −0.5 to 0.7 and label offsets, on the tfjs backend
 * (float32) and in float64.
 *
 * Float32 residual: |O(N²) − 2·O(N)| / (2·(1 − ρ)), both forms on the backend; also each float32
 * form against its multiple of 1 − ρ computed in float64. Tolerance per batch u·(2(N − 1) + 8κ + 32)·2/(1 − ρ), u =
 * 2^-24: the N-term float32 sums err by ≤ (N − 1)u per stage, centring a column with mean/σ = κ
 * costs κu, and 1 − ρ loses a factor 2/(1 − ρ) to cancellation as ρ → 1. Float64: ≤ 1e-12 relative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { corollary3 } from "./corollary_3.ts";
 * await tf.setBackend("cpu");
 * const r = await corollary3({ quick: true });
 * assert.equal(r.id, "corollary-3");
 * assert.ok(r.passed);
 * ```
 */
export async function corollary3(options: ProofOptions = {}): Promise<ProofResult> {
  await tf.ready();
  const rng = mulberry32(options.seed ?? DEFAULT_SEED);
  const sizes = options.quick ? [3, 10, 50] : [3, 10, 100, 1000];
  const shapes = [
    { t: 1, scale: 1, offset: 0, slope: 0.3 }, // ρ ≈ 0.67
    { t: 1, scale: 1e-3, offset: 0.05, slope: 0.1 }, // ρ ≈ 0.29
    { t: 2, scale: 1e3, offset: 1e4, slope: 0 }, // ρ ≈ 0
    { t: 1, scale: 1, offset: -20, slope: -0.2 }, // ρ ≈ −0.51
  ];
  const float32: Comparison[] = [];
  const float64: Comparison[] = [];
  const table: Record<string, unknown>[] = [];
  let tolerance = 0;
  for (const n of sizes) {
    for (const shape of shapes) {
      const batch = randomBatch(rng, { n, ...shape });
      const { value: oneMinusRho, gap, kappa } = truth(batch);
      const tol = FLOAT32_UNIT_ROUNDOFF * (2 * (n - 1) + 8 * kappa + 32) * (2 / gap);
      tolerance = Math.max(tolerance, tol);
      // Fresh input tensors per loss: the losses' finite-value check reads its inputs back, which
      // the webgpu backend cannot do synchronously once a tensor lives on the GPU.
      const y = () => tf.tensor2d(batch.yTrue), f = () => tf.tensor2d(batch.yPred);
      const [[quadratic32], [linear32]] = await readAndDispose(tf.tidy(() => [
        pairwiseDiffNormLoss(y(), f(), { p: 2 }),
        negPearsonLoss(y(), f()),
      ]));
      const quadratic64 = pairwiseDiffNormLossReference(batch.yTrue, batch.yPred, 2);
      const linear64 = negPearsonLossReference(batch.yTrue, batch.yPred);
      const label = `N=${n} T=${shape.t} scale=${shape.scale} slope=${shape.slope}`;
      const ratio = PAIRWISE_FACTOR / LINEAR_FACTOR;
      const pairwiseTruth = PAIRWISE_FACTOR * oneMinusRho, linearTruth = LINEAR_FACTOR * oneMinusRho;
      const cs32 = [
        compare(`${label}: O(N²) vs 2·O(N) (float32)`, quadratic32, ratio * linear32, tol, pairwiseTruth),
        compare(`${label}: O(N) vs 1 − ρ (float32)`, linear32, linearTruth, tol),
        compare(`${label}: O(N²) vs 2(1 − ρ) (float32)`, quadratic32, pairwiseTruth, tol),
      ];
      const cs64 = [
        compare(
          `${label}: O(N²) vs 2·O(N) (float64)`,
          quadratic64,
          ratio * linear64,
          F64_TOLERANCE,
          pairwiseTruth,
        ),
        compare(`${label}: O(N) vs 1 − ρ (float64)`, linear64, linearTruth, F64_TOLERANCE),
        compare(`${label}: O(N²) vs 2(1 − ρ) (float64)`, quadratic64, pairwiseTruth, F64_TOLERANCE),
      ];
      float32.push(...cs32);
      float64.push(...cs64);
      table.push({
        n,
        ...shape,
        oneMinusRho,
        quadratic32,
        linear32,
        quadratic64,
        linear64,
        residual32: Math.max(...cs32.map((c) => c.residual)),
        tolerance32: tol,
        residual64: Math.max(...cs64.map((c) => c.residual)),
      });
    }
  }
  return summarize({
    id: "corollary-3",
    claim: CLAIM,
    backend: tf.getBackend(),
    tolerance,
    float32,
    float64,
    extra: {
      factors: { pairwiseDiffNormLoss: PAIRWISE_FACTOR, negPearsonLoss: LINEAR_FACTOR },
      residual: "|a − b| / (factor·(1 − ρ))",
      cases: table,
    },
  });
}
