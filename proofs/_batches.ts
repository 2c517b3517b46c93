/**
 * Random label/prediction batches for the proof checks of Theorem 1 and Corollaries 2–3, and
 * the float32 tolerance of the pairwise identities. Internal to `proofs/`.
 *
 * @module
 */
import type { Rng } from "./rng.ts";
import { variance as populationVariance } from "../lib/stats/variance.ts";
import { FLOAT32_UNIT_ROUNDOFF } from "../lib/stats/unit_roundoff.ts";

/** Labels and predictions `[N][T]`, every entry float32-representable (both precisions see the same numbers). */
export interface Batch {
  /** Labels y. */
  yTrue: number[][];
  /** Predictions f. */
  yPred: number[][];
}

/** How {@linkcode randomBatch} draws a batch. */
export interface BatchShape {
  /** Rows N. */
  n: number;
  /** Columns T (default 1). */
  t?: number;
  /** Scale of the labels' spread (default 1). */
  scale?: number;
  /** Offset of the labels, absolute (default 0). */
  offset?: number;
  /** f = slope·(y − offset) + bias·scale + noise·scale·w (defaults: slope 1, bias 0.7, noise 1). */
  slope?: number;
  /** See `slope`. */
  bias?: number;
  /** See `slope`. */
  noise?: number;
}

/**
 * Draws y = offset + 3·scale·z and f = slope·(y − offset) + scale·(bias + noise·w), z, w standard
 * normal, each rounded to float32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mulberry32 } from "./rng.ts";
 * import { randomBatch } from "./_batches.ts";
 * const b = randomBatch(mulberry32(1), { n: 4, t: 2 });
 * assert.equal(b.yTrue.length, 4);
 * assert.equal(b.yPred[0].length, 2);
 * ```
 */
export function randomBatch(rng: Rng, shape: BatchShape): Batch {
  const { n, t = 1, scale = 1, offset = 0, slope = 1, bias = 0.7, noise = 1 } = shape;
  const yTrue: number[][] = [], yPred: number[][] = [];
  for (let i = 0; i < n; i++) {
    const yr: number[] = [], fr: number[] = [];
    for (let j = 0; j < t; j++) {
      const centred = 3 * scale * rng.normal();
      yr.push(Math.fround(offset + centred));
      fr.push(Math.fround(slope * centred + scale * (bias + noise * rng.normal())));
    }
    yTrue.push(yr);
    yPred.push(fr);
  }
  return { yTrue, yPred };
}

/**
 * The float32 tolerance of a pairwise identity on one batch: u·(2(N − 1) + 4κ + 16), u = 2^-24.
 * κ = max over columns of (σ_f + σ_y)/σ_δ bounds the cancellation in (f_i − f_j) − (y_i − y_j), so
 * each of the N² terms carries ≤ (2κ + 3)u relative error; 2(N − 1)u is the worst case of summing
 * the N² positive terms as N sums of N terms followed by a sum of N partial means (recursive float32
 * summation of n terms errs by at most (n − 1)u relatively). The remaining 16u covers the O(N) side.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pairwiseTolerance } from "./_batches.ts";
 * const tol = pairwiseTolerance({ yTrue: [[0], [1], [2]], yPred: [[0.5], [1], [2.5]] });
 * assert.ok(tol > 0 && tol < 1e-5);
 * ```
 */
export function pairwiseTolerance(batch: Batch): number {
  const n = batch.yTrue.length;
  let kappa = 0;
  for (let j = 0; j < batch.yTrue[0].length; j++) {
    const y = batch.yTrue.map((r) => r[j]), f = batch.yPred.map((r) => r[j]);
    const sd = Math.sqrt(populationVariance(f.map((v, i) => v - y[i])));
    kappa = Math.max(kappa, (Math.sqrt(populationVariance(f)) + Math.sqrt(populationVariance(y))) / sd);
  }
  return FLOAT32_UNIT_ROUNDOFF * (2 * (n - 1) + 4 * kappa + 16);
}
