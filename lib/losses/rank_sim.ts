/**
 * The RankSim regularizer (Gong et al., 2022) as in the authors' `batchwise_ranking_regularizer`,
 * vectorised over the anchors.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { asMatrix, checkFeatures, checkNumber, LossInputError, tryReadSync } from "./validate.ts";
import { gram, l2Normalize, unaryCustomGrad } from "./ops.ts";
import { hostLabelsOf } from "./host_labels.ts";
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
 */
function trueRanker(seq: tf.Tensor2D, lambda: number): tf.Tensor2D {
  const f = unaryCustomGrad((x, save) => {
    const rank = rankNormalised(x as tf.Tensor2D);
    save([x, rank]);
    return {
      value: rank,
      gradFunc: (dy, saved) => {
        const [sequence, r] = saved;
        const shifted = rankNormalised(tf.add(sequence, tf.mul(dy, lambda)) as tf.Tensor2D);
        return tf.div(tf.sub(shifted, r), lambda + RANK_SIM_LAMBDA_EPS);
      },
    };
  });
  return f(seq) as tf.Tensor2D;
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
 *   loss is one host op around the backend's Gram products (`kernels/host/rank_sim.ts`). O(U² log U)
 *   time, O(U²) memory. Needs the labels on the host to find the unique labels (`hostLabels`,
 *   `withHostLabels`, or a synchronous read).
 *
 * @param yTrue the labels, `[N]` or `[N, 1]`, N ≥ 2
 * @param features the features, `[N, D]`
 * @param options `lambda` (default 2), `rng` (default: first row of each label)
 * @returns the scalar regularizer
 * @throws {LossInputError} on labels that are not `[N]`/`[N, 1]`, features that are not `[N, D]`,
 *   non-finite values, `lambda ≤ 0` or a bad `rng`
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
 * ```
 */
export function rankSim(yTrue: tf.Tensor, features: tf.Tensor, options: RankSimOptions = {}): tf.Scalar {
  const lambda = checkNumber("rankSim", "lambda", options.lambda ?? 2, "positive");
  const rng = options.rng;
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
    const x = checkFeatures("rankSim", features, n);
    const host = options.hostLabels ?? hostLabelsOf(yTrue) ?? tryReadSync(t);
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
    const kernel = runLossKernel("rankSim", { features: x }, { labels: host, rows, lambda });
    if (kernel !== null) return kernel;
    let xs: tf.Tensor2D = x;
    if (rows !== null) {
      // Row selection as a one-hot product (its gradient is a matMul on every backend).
      const pick = tf.oneHot(tf.tensor1d(rows, "int32"), n).toFloat() as tf.Tensor2D;
      xs = tf.matMul(pick, x);
    }
    const u = xs.shape[0];
    const nx = l2Normalize(xs);
    const xxt = gram(nx);
    // The label ranks need no tensor program: the labels are on the host (one upload instead of two
    // row sorts and their bookkeeping on the device).
    const kept = rows === null ? Float32Array.from(host) : Float32Array.from(rows, (r) => host[r]);
    const labelRanks = tf.tensor2d(labelRanksHost(kept), [u, u]);
    const featureRanks = trueRanker(xxt, lambda);
    return tf.div(tf.sum(tf.sum(tf.square(tf.sub(featureRanks, labelRanks)), 1)), u) as tf.Scalar;
  });
}
