/**
 * The ConR contrastive regularizer (Keramati et al., 2023) as the authors' `ConR_extend`,
 * vectorised over the anchors; over K runs at once with predictions `[K, N, T]` and features
 * `[K, N, D]`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  checkFeatures,
  checkNumber,
  checkPair,
  checkRunNumbers,
  checkRunsFeatures,
  checkRunsPair,
  LossInputError,
} from "./validate.ts";
import { detachedMap, gram, l2Normalize, pairwiseL1 } from "./ops.ts";
import type { LossOf, RunNumbers } from "./_runs.ts";
import { runLossKernel } from "./kernels/mod.ts";

/** Options of {@linkcode conr}. */
export interface ConrOptions {
  /** Similarity window: positives have label distance ≤ w; ≥ 0, default 1. */
  w?: number;
  /** Temperature of the cosine similarities; > 0, default 0.07. */
  t?: number;
  /** Pushing strength: negatives are weighted by `exp(e · label distance)`; default 0.01. */
  e?: number;
}

/**
 * Options of {@linkcode conr} over the runs axis: those of {@linkcode ConrOptions}, each one number for every
 * run or an array of one per run.
 */
export interface ConrRunsOptions {
  /** The window of every run (see {@linkcode ConrOptions.w}), or one per run. */
  w?: RunNumbers;
  /** The temperature of every run (see {@linkcode ConrOptions.t}), or one per run. */
  t?: RunNumbers;
  /** The pushing strength of every run (see {@linkcode ConrOptions.e}), or one per run. */
  e?: RunNumbers;
}

/**
 * ConR regularizer, replicating the authors' `ConR_extend` (sample weights = 1), including its
 * quirks. With label distances `l_ij = mean_t |y_it − y_jt|` (equal to the authors' `ConR` for one
 * column), prediction distances `p_ij` likewise, and `prod = q·qᵀ / t` for
 * `q = normalize(features)` (eps 1e-12):
 *
 * - positives `P_ij = [l_ij ≤ w]`, diagonal removed; negatives `G_ij = [l_ij > w][p_ij ≤ w]`;
 * - `pos = prod·P`, `neg = prod·G`, `negExp_i = Σ_j exp(e·l_ij)·exp(neg_ij)·G_ij`;
 * - `D_i = Σ_k exp(pos_ik) + negExp_i` — Σ_k runs over ALL k, so each non-positive k (where
 *   `pos = 0`) adds `exp(0) = 1`: the authors' quirk, kept;
 * - `loss_i = Σ_j −log(exp(pos_ij) / D_i)·P_ij / max(Σ_j P_ij, 1e-5)`;
 * - `loss = mean_i(loss_i · [row i has at least one negative])` (the mean runs over all N rows).
 *
 * The regularizer's weight β (paper: {0.2, 1, 4}) is applied by the caller:
 * `mae(y, f) + β * conr(y, f, x)`. `yPred` only selects the negatives; no gradient flows into it
 * (it is detached), only into `features`. Large `e·l` overflows `exp` in float32 (l > ~8800 for
 * e = 0.01), as in the authors' code — except on cpu and wasm, where the host pass computes the
 * exponentials in float64 (see `conrHost` in `kernels/host/conr.ts`).
 *
 * Over the runs axis (a sweep's K runs of one network): predictions `[K, N, T]` and features
 * `[K, N, D]`, the labels shared, each option one number or one per run; returns the K values as a
 * `tf.Tensor1D`, value k that of `conr(yTrue, yPred[k], features[k], options_k)`. On cpu and wasm one
 * host kernel computes every run (the label distances once; each run's value and gradient bit for
 * bit its single-run call's); on WebGPU one set of launches for all runs; elsewhere the tensor
 * program runs once per run.
 *
 * @param yTrue the labels, `[N]` or `[N, T]`, N ≥ 2
 * @param yPred the predictions, same shape (used for the negative mask only; `[K, N, T]` over K runs)
 * @param features the features, `[N, D]` (or `[K, N, D]` over K runs)
 * @param options `w` (default 1), `t` (default 0.07), `e` (default 0.01); over K runs,
 *   {@linkcode ConrRunsOptions}
 * @returns the scalar regularizer (a `[K]` tensor over K runs)
 * @throws {LossInputError} on bad shapes, non-finite values, `w < 0` or `t ≤ 0`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { conr } from "./conr.ts";
 * await tf.setBackend("cpu");
 * // No row has a negative (a far label whose prediction is close), so the loss is 0.
 * const y = tf.tensor1d([0, 0.5, 5]);
 * const loss = conr(y, y, tf.tensor2d([[1, 0], [0, 1], [1, 1]]));
 * assert.equal(loss.dataSync()[0], 0);
 * // Two runs at once, with their own predictions, features and temperatures.
 * const preds = tf.tensor3d([[[0], [0.5], [0.8]], [[0], [0.5], [5]]]);
 * const feats = tf.tensor3d([[[1, 0], [0, 1], [1, 1]], [[1, 2], [0, 1], [2, 1]]]);
 * const values = conr(y, preds, feats, { t: [0.07, 0.5] }).dataSync();
 * assert.equal(values[0], conr(y, tf.unstack(preds)[0], tf.unstack(feats)[0]).dataSync()[0]);
 * assert.equal(values[1], 0); // (its predictions match the labels: no negative)
 * ```
 */
export function conr<P extends tf.Tensor>(
  yTrue: tf.Tensor,
  yPred: P,
  features: tf.Tensor,
  options?: P extends tf.Tensor3D ? ConrRunsOptions : ConrOptions,
): LossOf<P> {
  const opts: ConrOptions | ConrRunsOptions = options ?? {};
  if (yPred instanceof tf.Tensor && yPred.rank === 3) {
    return conrRuns(yTrue, yPred, features, opts) as LossOf<P>;
  }
  const w = checkNumber("conr", "w", opts.w ?? 1, "nonNegative");
  const t = checkNumber("conr", "t", opts.t ?? 0.07, "positive");
  const e = checkNumber("conr", "e", opts.e ?? 0.01, "any");
  return tf.tidy(() => {
    const [y, p] = checkPair("conr", yTrue, yPred);
    const n = y.shape[0];
    const x = checkFeatures("conr", features, n);
    const kernel = runLossKernel(
      "conr",
      { yTrue: y, yPred: p.expandDims(0) as tf.Tensor3D, features: x.expandDims(0) as tf.Tensor3D },
      { w: [w], t: [t], e: [e] },
    );
    if (kernel !== null) return kernel.reshape([]) as tf.Scalar;
    return conrProgram(y, p, x, w, t, e);
  }) as LossOf<P>;
}

/** {@linkcode conr} over the runs axis: predictions `[K, N, T]`, features `[K, N, D]`. */
function conrRuns(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  features: tf.Tensor,
  options: ConrRunsOptions,
): tf.Tensor1D {
  const runs = yPred.shape[0];
  if (runs < 1) throw new LossInputError("conr: yPred has no runs (K = 0)");
  const w = checkRunNumbers("conr", "w", options.w ?? 1, runs, "nonNegative");
  const t = checkRunNumbers("conr", "t", options.t ?? 0.07, runs, "positive");
  const e = checkRunNumbers("conr", "e", options.e ?? 0.01, runs, "any");
  return tf.tidy(() => {
    const { yTrue: y, yPred: p } = checkRunsPair("conr", yTrue, yPred);
    const x = checkRunsFeatures("conr", features, y.shape[0], runs);
    const kernel = runLossKernel("conr", { yTrue: y, yPred: p, features: x }, { w, t, e });
    if (kernel !== null) return kernel;
    // The documented fallback: the tensor program once per run.
    const [ps, xs] = [tf.unstack(p), tf.unstack(x)] as tf.Tensor2D[][];
    return tf.stack(ps.map((pk, k) => conrProgram(y, pk, xs[k], w[k], t[k], e[k]))) as tf.Tensor1D;
  });
}

/** The tensor program of {@linkcode conr} (every backend) for labels, predictions `[N, T]`, features `[N, D]`. */
function conrProgram(
  y: tf.Tensor2D,
  p: tf.Tensor2D,
  x: tf.Tensor2D,
  w: number,
  t: number,
  e: number,
): tf.Scalar {
  const n = y.shape[0];
  const labelDist = pairwiseL1(y, "mean");
  // yPred only selects negatives: its mask is computed off the tape (no gradient into yPred).
  const predNear = detachedMap(
    p,
    (q) => tf.cast(tf.lessEqual(pairwiseL1(q as tf.Tensor2D, "mean"), w), "float32"),
  );
  const near = tf.cast(tf.lessEqual(labelDist, w), "float32");
  const positive = tf.mul(near, tf.sub(1, tf.eye(n)));
  const negative = tf.mul(tf.sub(1, near), predNear);

  const q = l2Normalize(x);
  const prod = tf.div(gram(q), t);
  const pos = tf.mul(prod, positive);
  const neg = tf.mul(prod, negative);
  const negExp = tf.sum(tf.mul(tf.mul(tf.exp(tf.mul(labelDist, e)), tf.exp(neg)), negative), 1, true);
  const logDenominator = tf.log(tf.add(tf.sum(tf.exp(pos), 1, true), negExp));
  // −log(exp(pos)/D) = log D − pos, written without the exp/log round trip.
  const perPair = tf.mul(tf.sub(logDenominator, pos), positive);
  const perRow = tf.div(tf.sum(perPair, 1), tf.maximum(tf.sum(positive, 1), 1e-5));
  const hasNegative = detachedMap(negative, (m) => tf.cast(tf.greater(tf.sum(m, 1), 0), "float32"));
  return tf.mean(tf.mul(perRow, hasNegative)) as tf.Scalar;
}
