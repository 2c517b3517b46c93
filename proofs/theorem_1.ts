/**
 * Theorem 1 (Eq. 4): with ℓ the half squared error, the pairwise difference loss of Eq. 3 equals
 * the empirical (population, ddof 0) variance of the prediction errors δ = f − y:
 *
 *   (1/N²) Σ_i Σ_j ½ ((f_i − f_j) − (y_i − y_j))² = (1/N²) Σ_i Σ_j ½ (δ_i − δ_j)² = Var(δ).
 *
 * The left side is `pairwiseDiffLoss(yTrue, yPred, { loss: "halfSquared" })` (the literal O(N²)
 * form) on the tfjs backend and `pairwiseDiffLossReference` in float64; the right side is the
 * variance of δ computed directly (`tf.moments` on the backend, a compensated two-pass variance in
 * float64).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { pairwiseDiffLoss } from "../lib/losses/pairwise_diff_loss.ts";
import { pairwiseDiffLossReference } from "../lib/losses/reference/pairwise.ts";
import { variance as populationVariance } from "../lib/stats/variance.ts";
import { mulberry32 } from "./rng.ts";
import { readAndDispose } from "./_read.ts";
import { type Batch, pairwiseTolerance, randomBatch } from "./_batches.ts";
import {
  compare,
  type Comparison,
  DEFAULT_SEED,
  F64_TOLERANCE,
  type ProofOptions,
  type ProofResult,
  summarize,
} from "./types.ts";

const CLAIM = "(1/N²) Σ_i Σ_j ½(δ_i − δ_j)² = Var(δ) (population variance of δ = f − y) (Eq. 4)";

const SIZES = [2, 3, 10, 100, 1000, 4096];
const SCALES = [1e-3, 1, 1e3];
/** Label offsets, in units of the scale (the errors δ have mean 0.7·scale as well). */
const OFFSETS = [0, 50];

/** A right-hand side of Theorem 1, in both precisions, as a function of δ = f − y. */
export interface Theorem1RightSide {
  /** On the tfjs backend (float32). */
  float32(delta: tf.Tensor1D): tf.Scalar;
  /** In float64. */
  float64(delta: readonly number[]): number;
}

/** Options of {@linkcode theorem1}. */
export interface Theorem1Options extends ProofOptions {
  /** Batch sizes (default 2, 3, 10, 100, 1000, 4096; quick: 2, 3, 10, 100). */
  sizes?: readonly number[];
  /**
   * Replaces the right-hand side Var(δ) (default: the population variance, `tf.moments` on the
   * backend, compensated two-pass in float64). Only for checking that a wrong claim fails.
   */
  rightSide?: Theorem1RightSide;
}

const POPULATION_VARIANCE: Theorem1RightSide = {
  float32: (delta) => tf.moments(delta).variance as tf.Scalar,
  float64: populationVariance,
};

/** Both sides of Theorem 1 for one batch, in float32 on the tfjs backend and in float64. */
interface Sides {
  pairwise32: number;
  variance32: number;
  pairwise64: number;
  variance64: number;
}

async function sides(batch: Batch, right: Theorem1RightSide): Promise<Sides> {
  const [[pairwise32], [variance32]] = await readAndDispose(tf.tidy(() => {
    const y = tf.tensor1d(batch.yTrue.flat()), f = tf.tensor1d(batch.yPred.flat());
    return [pairwiseDiffLoss(y, f, { loss: "halfSquared" }), right.float32(tf.sub(f, y) as tf.Tensor1D)];
  }));
  const pairwise64 = pairwiseDiffLossReference(batch.yTrue, batch.yPred, "halfSquared");
  const variance64 = right.float64(batch.yPred.map((f, i) => f[0] - batch.yTrue[i][0]));
  return { pairwise32, variance32, pairwise64, variance64 };
}

/**
 * Checks Theorem 1 numerically on random batches of N ∈ {2, 3, 10, 100, 1000, 4096}, scales
 * {1e-3, 1, 1e3} and label offsets {0, 50}×scale (errors δ with a non-zero mean), on the active
 * tfjs backend (float32) and in float64. `options.rightSide` swaps in another right-hand side (to
 * see a wrong claim fail).
 *
 * Float32 residual: |pairwise − Var(δ)| / Var(δ) (both sides computed on the backend). Tolerance per
 * batch: u·(2(N − 1) + 4κ + 16), u = 2^-24 — each of the N² terms
 * carries ≤ (2κ + 3)u relative error (κ measures the cancellation of the differences), and a
 * recursive float32 sum of N terms per stage errs by ≤ (N − 1)u. The reported `tolerance` is the
 * largest per-batch tolerance (N = 4096: ≈ 5e-4). Float64: ≤ 1e-12 relative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { theorem1 } from "./theorem_1.ts";
 * await tf.setBackend("cpu");
 * const r = await theorem1({ quick: true });
 * assert.equal(r.id, "theorem-1");
 * assert.ok(r.passed);
 * ```
 */
export async function theorem1(options: Theorem1Options = {}): Promise<ProofResult> {
  await tf.ready();
  const rng = mulberry32(options.seed ?? DEFAULT_SEED);
  const quick = options.quick ?? false;
  const sizes = options.sizes ?? (quick ? [2, 3, 10, 100] : SIZES);
  const right = options.rightSide ?? POPULATION_VARIANCE;
  const float32: Comparison[] = [];
  const float64: Comparison[] = [];
  const table: Record<string, unknown>[] = [];
  let tolerance = 0;
  for (const n of sizes) {
    for (const [k, scale] of SCALES.entries()) {
      {
        // Alternate the label offset over (N, scale) so every scale is seen with and without one.
        const off = OFFSETS[(k + n) % OFFSETS.length];
        const batch = randomBatch(rng, { n, scale, offset: off * scale });
        const tol = pairwiseTolerance(batch);
        tolerance = Math.max(tolerance, tol);
        const s = await sides(batch, right);
        const label = `N=${n} scale=${scale} offset=${off * scale}: pairwise vs Var(δ)`;
        // Float32: both sides on the backend, relative to the float64 right side.
        const c32 = compare(`${label} (float32)`, s.pairwise32, s.variance32, tol, Math.abs(s.variance64));
        const c64 = compare(`${label} (float64)`, s.pairwise64, s.variance64, F64_TOLERANCE);
        float32.push(c32);
        float64.push(c64);
        table.push({
          n,
          scale,
          offset: off * scale,
          ...s,
          residual32: c32.residual,
          tolerance32: tol,
          residual64: c64.residual,
          // How far each float32 side is from the float64 truth (informative).
          pairwise32VsTruth: Math.abs(s.pairwise32 - s.variance64) / s.variance64,
          variance32VsTruth: Math.abs(s.variance32 - s.variance64) / s.variance64,
        });
      }
    }
  }
  return summarize({
    id: "theorem-1",
    claim: CLAIM,
    backend: tf.getBackend(),
    tolerance,
    float32,
    float64,
    extra: { residual: "|pairwise − Var(δ)| / Var(δ)", cases: table },
  });
}
