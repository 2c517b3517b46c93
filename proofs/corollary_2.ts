/**
 * Corollary 2 (Eq. 5): with ℓ the half squared error, the O(N²) pairwise difference loss of Eq. 3
 * has the O(N) form
 *
 *   (1/N²) Σ_i Σ_j ½((f_i − f_j) − (y_i − y_j))² = (1/N) Σ_i ((f_i − f̄) − (y_i − ȳ))² = Var(δ),
 *
 * i.e. `pairwiseDiffLoss(yTrue, yPred, { loss: "halfSquared" })` (literal O(N²) form) equals
 * `errorVarianceLoss(yTrue, yPred)` (O(N) form, population variance of δ; for [N, T] inputs both
 * average over the T columns). Checked on the tfjs backend (float32) and with the float64
 * references.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { errorVarianceLoss } from "../lib/losses/error_variance_loss.ts";
import { pairwiseDiffLoss } from "../lib/losses/pairwise_diff_loss.ts";
import { errorVarianceLossReference, pairwiseDiffLossReference } from "../lib/losses/reference/pairwise.ts";
import { pairwiseTolerance, randomBatch } from "./_batches.ts";
import { mulberry32 } from "./rng.ts";
import { readAndDispose } from "./_read.ts";
import {
  compare,
  type Comparison,
  DEFAULT_SEED,
  F64_TOLERANCE,
  type ProofOptions,
  type ProofResult,
  summarize,
} from "./types.ts";

const CLAIM = "pairwiseDiffLoss(halfSquared), O(N²) Eq. 3 = errorVarianceLoss, O(N) Eq. 5 (= Var(δ), ddof 0)";

/**
 * Checks Corollary 2 numerically: the O(N²) and O(N) forms of the half-squared pairwise loss agree
 * on random batches, N ∈ {2, 3, 16, 256, 1024}, T ∈ {1, 3} columns, scales 1e-3…1e3 with offsets.
 *
 * Float32 residual: |O(N²) − O(N)| / (float64 value), both forms computed on the backend. Tolerance
 * per batch u·(2(N − 1) + 4κ + 16), u = 2^-24 (see `pairwiseTolerance` in `_batches.ts`: per-term
 * rounding amplified by the cancellation κ = (σ_f + σ_y)/σ_δ, plus the worst case of recursive
 * float32 summation in two stages of N terms); the reported `tolerance` is the largest (N = 1024:
 * ≈ 1.3e-4). Float64: ≤ 1e-12 relative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { corollary2 } from "./corollary_2.ts";
 * await tf.setBackend("cpu");
 * const r = await corollary2({ quick: true });
 * assert.equal(r.id, "corollary-2");
 * assert.ok(r.passed);
 * ```
 */
export async function corollary2(options: ProofOptions = {}): Promise<ProofResult> {
  await tf.ready();
  const rng = mulberry32(options.seed ?? DEFAULT_SEED);
  const sizes = options.quick ? [2, 3, 16] : [2, 3, 16, 256, 1024];
  const shapes = [
    { t: 1, scale: 1, offset: 0 },
    { t: 3, scale: 1e-3, offset: 0.05 },
    { t: 1, scale: 1e3, offset: -2e4 },
    { t: 2, scale: 1, offset: 10 },
  ];
  const float32: Comparison[] = [];
  const float64: Comparison[] = [];
  const table: Record<string, unknown>[] = [];
  let tolerance = 0;
  for (const n of sizes) {
    for (const shape of shapes) {
      const batch = randomBatch(rng, { n, ...shape });
      const tol = pairwiseTolerance(batch);
      tolerance = Math.max(tolerance, tol);
      // Fresh input tensors per loss: the losses' finite-value check reads its inputs back, which
      // the webgpu backend cannot do synchronously once a tensor lives on the GPU.
      const y = () => tf.tensor2d(batch.yTrue), f = () => tf.tensor2d(batch.yPred);
      const [[quadratic32], [linear32]] = await readAndDispose(tf.tidy(() => [
        pairwiseDiffLoss(y(), f(), { loss: "halfSquared" }),
        errorVarianceLoss(y(), f()),
      ]));
      const quadratic64 = pairwiseDiffLossReference(batch.yTrue, batch.yPred, "halfSquared");
      const linear64 = errorVarianceLossReference(batch.yTrue, batch.yPred);
      const label = `N=${n} T=${shape.t} scale=${shape.scale} offset=${shape.offset}: O(N²) vs O(N)`;
      const c32 = compare(`${label} (float32)`, quadratic32, linear32, tol, Math.abs(linear64));
      const c64 = compare(`${label} (float64)`, quadratic64, linear64, F64_TOLERANCE);
      float32.push(c32);
      float64.push(c64);
      table.push({
        n,
        ...shape,
        quadratic32,
        linear32,
        quadratic64,
        linear64,
        residual32: c32.residual,
        tolerance32: tol,
        residual64: c64.residual,
      });
    }
  }
  return summarize({
    id: "corollary-2",
    claim: CLAIM,
    backend: tf.getBackend(),
    tolerance,
    float32,
    float64,
    extra: { residual: "|O(N²) form − O(N) form| / O(N) form", cases: table },
  });
}
