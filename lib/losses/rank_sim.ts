/**
 * The RankSim regularizer (Gong et al., 2022) as in the authors' `batchwise_ranking_regularizer`,
 * vectorised over the anchors; over K runs at once with features `[K, N, D]`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  asMatrix,
  checkFeatures,
  checkNumber,
  checkRunNumbers,
  checkRunsFeatures,
  LossInputError,
  tryReadSync,
} from "./validate.ts";
import { gram, l2Normalize, unaryCustomGrad } from "./ops.ts";
import { hostLabelsOf } from "./host_labels.ts";
import type { LossOf, RunNumbers } from "./_runs.ts";
import { runLossKernel } from "./kernels/mod.ts";
import { labelDistanceOrder } from "./kernels/host/order.ts";
import { RANK_SIM_LAMBDA_EPS } from "./kernels/host/rows/rank_sim.ts";

/** Options of {@linkcode rankSim}. */
export interface RankSimOptions {
  /** Interpolation strength λ of the blackbox rank gradient; > 0, default 2 (paper: {0.5, 1, 2}). */
  lambda?: number;
  /**
   * With tied labels, the rows kept are one per unique label: the FIRST row of each label by
   * default (deterministic). Pass a uniform `[0, 1)` generator (e.g. a seeded PRNG) to pick one row
   * uniformly at random among the rows of each label instead, as the authors' `random.choice`
   * does; it is called once per unique label, in increasing label order, and only when some label
   * repeats.
   */
  rng?: () => number;
  /**
   * The labels' values on the host, if the caller has them (length N, same order as `yTrue`). The
   * unique-label row selection needs them; without this option they are taken from the values
   * recorded with `withHostLabels(yTrue, values)` (the kit's training loop records every batch's),
   * else read back from `yTrue`, which the WebGPU backend cannot do synchronously under Deno for a
   * tensor that lives on the GPU (record or pass them there; a training loop has them anyway).
   */
  hostLabels?: ArrayLike<number>;
}

/**
 * Options of {@linkcode rankSim} over the runs axis: those of {@linkcode RankSimOptions} (the rows kept are
 * picked once, for all runs), with λ one number for every run or an array of one per run.
 */
export interface RankSimRunsOptions extends Omit<RankSimOptions, "lambda"> {
  /** The λ of every run (see {@linkcode RankSimOptions.lambda}), or one per run. */
  lambda?: RunNumbers;
}

/**
 * `rank_normalised` of every row of `s` [R, U] at once: `(rank + 1) / U` with `rank` the position
 * of the entry in DESCENDING order (the largest gets `1/U`). Ties: the later column ranks first,
 * which is what torch's `argsort(s).flip(1)` gives when its sort is stable (torch's default sort
 * does not promise an order for ties). Not differentiable (integer-valued). On WebGPU, for U ≤ 512,
 * one WGSL kernel (`kernels/webgpu/rank_sim.ts`) instead of this tensor program's two row sorts.
 */
function rankNormalised(s: tf.Tensor2D): tf.Tensor2D {
  const kernel = runLossKernel("rankNormalised", { s }, {});
  if (kernel !== null) return kernel;
  return tf.tidy(() => {
    const [rows, u] = s.shape;
    // Number of entries strictly greater than each entry: #(−s_k < −s_j) in the ascending row of −s,
    // which is −(the descending row of s). (Negations instead of tf.reverse: 25× cheaper on wasm.)
    const descending = tf.topk(s, u).values;
    const greater = tf.searchSorted(tf.neg(descending), tf.neg(s), "left");
    // (Ties are possible whenever U ≥ 2: reading the rows back to rule them out would stall a GPU.)
    if (u < 2) return tf.div(tf.add(tf.cast(greater, "float32"), 1), u) as tf.Tensor2D;
    // A unique key per entry: (#greater, then later column first); its ascending position is the
    // rank. Float32 keys (< U², exact for U ≤ 4096; float binary ops with broadcasting are far
    // cheaper than int32 ones on wasm), int32 above.
    const exactFloat = u * u <= 1 << 24;
    const dtype = exactFloat ? "float32" : "int32";
    const laterFirst = tf.range(u - 1, -1, -1, dtype).reshape([1, u]);
    const key = tf.add(
      tf.mul(exactFloat ? tf.cast(greater, "float32") : greater, tf.scalar(u, dtype)),
      laterFirst,
    );
    const negKey = tf.neg(key);
    const keysAscending = tf.neg(tf.topk(negKey, u).values);
    const rank = tf.searchSorted(keysAscending, key, "left");
    return tf.div(tf.add(tf.cast(rank, "float32"), 1), u).reshape([rows, u]) as tf.Tensor2D;
  });
}

/**
 * `rank_normalised(−|y_i − y_j|)` of every row, on the host: `(position + 1)/U` in each row's
 * {@linkcode labelDistanceOrder} (nearest first, equal distances later column first) — the ranks the
 * tensor program's `rankNormalised` gives, exactly.
 */
function labelRanksHost(labels: Float32Array): Float32Array {
  const u = labels.length, order = labelDistanceOrder(labels, false), ranks = new Float32Array(u * u);
  for (let r = 0; r < u; r++) {
    for (let p = 0; p < u; p++) ranks[r * u + order[r * u + p]] = (p + 1) / u;
  }
  return ranks;
}

/**
 * TrueRanker: forward `rankNormalised(seq)`; backward (the blackbox combinatorial solver of
 * Vlastelica et al.) `−(rank − rankNormalised(seq + λ·g)) / (λ + 1e-8)` for the upstream grad g.
 * Over K runs (`[K, U, U]`, λ per run) the rows of all runs are ranked at once.
 */
function trueRanker<T extends tf.Tensor2D | tf.Tensor3D>(seq: T, lambda: number | number[]): T {
  const ranks = (s: tf.Tensor) =>
    s.rank === 2
      ? rankNormalised(s as tf.Tensor2D)
      : rankNormalised(s.reshape([-1, s.shape[2]!]) as tf.Tensor2D).reshape(s.shape);
  // λ and λ + 1e-8 as numbers (one run) or as [K, 1, 1] tensors (one per run).
  const perRun = (v: number[]) => tf.tensor3d(v, [v.length, 1, 1]);
  const f = unaryCustomGrad((x, save) => {
    const rank = ranks(x);
    save([x, rank]);
    return {
      value: rank,
      gradFunc: (dy, saved) => {
        const [sequence, r] = saved;
        const scale = typeof lambda === "number" ? lambda : perRun(lambda);
        const shifted = ranks(tf.add(sequence, tf.mul(dy, scale)));
        const divisor = typeof lambda === "number"
          ? lambda + RANK_SIM_LAMBDA_EPS
          : perRun(lambda.map((l) => l + RANK_SIM_LAMBDA_EPS));
        return tf.div(tf.sub(shifted, r), divisor);
      },
    };
  });
  return f(seq) as T;
}

/** Rows kept for the regularizer: all rows if the labels are distinct, else one per unique label. */
function selectRows(labels: ArrayLike<number>, rng?: () => number): number[] | null {
  const n = labels.length;
  const values = Float32Array.from(labels); // float32 values, as the tensor holds them
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b); // by label, then by row
  let distinct = true;
  for (let p = 1; p < n && distinct; p++) distinct = values[order[p]] !== values[order[p - 1]];
  if (distinct) return null;
  const rows: number[] = [];
  for (let p = 0; p < n;) {
    let end = p + 1;
    while (end < n && values[order[end]] === values[order[p]]) end++;
    if (rng === undefined) rows.push(order[p]);
    else {
      const u = rng();
      if (!(u >= 0 && u < 1)) {
        throw new LossInputError(`rankSim: option rng must return a number in [0, 1), got ${u}`);
      }
      rows.push(order[p + Math.floor(u * (end - p))]);
    }
    p = end;
  }
  return rows;
}

/**
 * RankSim regularizer: for every anchor i, the MSE between the rank of the feature similarities
 * `normalize(x)·normalize(x)ᵀ` of row i and the rank of the label similarities `−|y_i − y_j|`,
 * summed over the anchors:
 * `Σ_i mean_j (TrueRanker(xxt_i)_j − rank_normalised(−|y_i − y|)_j)²`.
 *
 * - This is the authors' `batchwise_ranking_regularizer` WITHOUT the ×100 weight (γ = 100) that
 *   their training loop applies: the full RankSim objective is `mae(y, f) + 100 * rankSim(y, x)`.
 * - Tied labels: only one row per unique label is used (sorted by label), see
 *   {@linkcode RankSimOptions.rng}; with distinct labels all rows are used in their order.
 * - Ranks: `rank_normalised(s) = (rank + 1)/U`, rank = position in descending order (the largest
 *   gets 1/U), U = rows used; ties in a row go to the later column first (torch with a stable sort).
 * - The gradient w.r.t. the feature ranks is the blackbox one of the authors' `TrueRanker`
 *   (interpolation λ); the rest (normalisation with eps 1e-12, products) is ordinary autodiff.
 *   Gradient flows only into `features`.
 * - All anchors at once: on WebGPU (and any non-host backend) the feature ranks by `tf.topk` /
 *   `tf.searchSorted` per row and the label ranks on the host (one upload); on cpu and wasm the whole
 *   loss is one host op (`kernels/host/rank_sim.ts`). O(U² log U) time, O(U²) memory. Needs the
 *   labels on the host to find the unique labels (`hostLabels`, `withHostLabels`, or a synchronous
 *   read).
 * - Over the runs axis (a sweep's K runs of one network): features `[K, N, D]`, the labels shared
 *   (so are the rows kept and the label ranks), `lambda` one number or one per run; returns the K
 *   values as a `tf.Tensor1D`, value k that of `rankSim(yTrue, features[k], { lambda: λ_k })`. On cpu
 *   and wasm one host kernel computes every run (each run's value and gradient bit for bit its
 *   single-run call's); elsewhere one tensor program over the runs axis (the rows of every run
 *   ranked at once).
 *
 * @param yTrue the labels, `[N]` or `[N, 1]`, N ≥ 2
 * @param features the features, `[N, D]` (or `[K, N, D]` over K runs)
 * @param options `lambda` (default 2), `rng` (default: first row of each label); over K runs,
 *   {@linkcode RankSimRunsOptions}
 * @returns the scalar regularizer (a `[K]` tensor over K runs)
 * @throws {LossInputError} on labels that are not `[N]`/`[N, 1]`, features that are not `[N, D]`
 *   (or `[K, N, D]`), non-finite values, `lambda ≤ 0` or a bad `rng`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { rankSim } from "./rank_sim.ts";
 * await tf.setBackend("cpu");
 * // Features whose similarities order the rows exactly as the labels do: zero loss.
 * const y = tf.tensor1d([0, 1, 2]);
 * const x = tf.tensor2d([[1, 0], [Math.SQRT1_2, Math.SQRT1_2], [0, 1]]);
 * assert.equal(rankSim(y, x).dataSync()[0], 0);
 * // Two runs at once, one λ each: the first run's features are x, the second's reverse its rows.
 * const runs = tf.stack([x, tf.reverse(x, 0)]) as tf.Tensor3D;
 * const values = rankSim(y, runs, { lambda: [2, 0.5] }).dataSync();
 * assert.equal(values[0], 0);
 * assert.equal(values[1], rankSim(y, tf.reverse(x, 0), { lambda: 0.5 }).dataSync()[0]);
 * ```
 */
export function rankSim<F extends tf.Tensor>(
  yTrue: tf.Tensor,
  features: F,
  options?: F extends tf.Tensor3D ? RankSimRunsOptions : RankSimOptions,
): LossOf<F> {
  const opts: RankSimOptions | RankSimRunsOptions = options ?? {};
  const runs = features instanceof tf.Tensor && features.rank === 3 ? features.shape[0] : null;
  if (runs === 0) throw new LossInputError("rankSim: features has no runs (K = 0)");
  const lambda = runs === null
    ? checkNumber("rankSim", "lambda", opts.lambda ?? 2, "positive")
    : checkRunNumbers("rankSim", "lambda", opts.lambda ?? 2, runs, "positive");
  const rng = opts.rng;
  if (rng !== undefined && typeof rng !== "function") {
    throw new LossInputError(`rankSim: option rng must be a function returning [0, 1), got ${typeof rng}`);
  }
  return tf.tidy(() => {
    const t = asMatrix("rankSim", "yTrue", yTrue);
    if (t.shape[1] !== 1) {
      throw new LossInputError(
        `rankSim: yTrue must have shape [N] or [N, 1] (one target), got [${yTrue.shape.join(", ")}]`,
      );
    }
    const n = t.shape[0];
    const x = runs === null
      ? checkFeatures("rankSim", features, n)
      : checkRunsFeatures("rankSim", features, n, runs);
    const host = opts.hostLabels ?? hostLabelsOf(yTrue) ?? tryReadSync(t);
    if (host === null) {
      throw new LossInputError(
        "rankSim: yTrue cannot be read synchronously on this backend (a GPU-resident tensor on WebGPU " +
          "under Deno); record its values with withHostLabels(yTrue, values) or pass option hostLabels",
      );
    }
    if (host.length !== n) {
      throw new LossInputError(
        `rankSim: option hostLabels has ${host.length} values but yTrue has ${n} rows`,
      );
    }
    const rows = selectRows(host, rng);
    const x3 = (x.rank === 3 ? x : x.reshape([1, n, x.shape[1]])) as tf.Tensor3D;
    const lambdas = typeof lambda === "number" ? [lambda] : lambda;
    const kernel = runLossKernel("rankSim", { features: x3 }, { labels: host, rows, lambda: lambdas });
    if (kernel !== null) return x.rank === 3 ? kernel : kernel.reshape([]) as tf.Scalar;
    return rankSimProgram(x, host, rows, lambda);
  }) as LossOf<F>;
}

/**
 * The tensor program of {@linkcode rankSim} (every backend) for features `[N, D]` (λ a number) or
 * `[K, N, D]` (λ per run: the value of every run at once, `[K]`), given the labels' host values and
 * the rows kept.
 */
function rankSimProgram(
  x: tf.Tensor2D | tf.Tensor3D,
  host: ArrayLike<number>,
  rows: number[] | null,
  lambda: number | number[],
): tf.Scalar | tf.Tensor1D {
  const n = x.shape[x.rank - 2];
  let xs = x;
  if (rows !== null) {
    // Row selection as a one-hot product (its gradient is a matMul on every backend).
    const pick = tf.oneHot(tf.tensor1d(rows, "int32"), n).toFloat() as tf.Tensor2D;
    xs = x.rank === 2
      ? tf.matMul(pick, x as tf.Tensor2D)
      : tf.matMul(tf.tile(pick.expandDims(0), [x.shape[0], 1, 1]) as tf.Tensor3D, x as tf.Tensor3D);
  }
  const u = xs.shape[xs.rank - 2];
  const nx = l2Normalize(xs);
  const xxt = gram(nx);
  // The label ranks need no tensor program: the labels are on the host (one upload instead of two
  // row sorts and their bookkeeping on the device).
  const kept = rows === null ? Float32Array.from(host) : Float32Array.from(rows, (r) => host[r]);
  const labelRanks = tf.tensor2d(labelRanksHost(kept), [u, u]);
  const featureRanks = trueRanker(xxt, lambda);
  // Per run (the last two axes): Σ_i Σ_j (rank − label rank)², over U.
  const squares = tf.square(tf.sub(featureRanks, labelRanks));
  return tf.div(tf.sum(tf.sum(squares, -1), -1), u) as tf.Scalar | tf.Tensor1D;
}
