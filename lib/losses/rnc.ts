/**
 * The Rank-N-Contrast loss (Zha et al., 2023) as the authors' `RnCLoss`, vectorised over the
 * anchors in O(N² log N) time and O(N²) memory; over K runs at once with features `[K, N, D]`.
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
} from "./validate.ts";
import { pairwiseL1, unaryCustomGrad } from "./ops.ts";
import type { LossOf, RunNumbers } from "./_runs.ts";
import { runLossKernel } from "./kernels/mod.ts";

/** Options of {@linkcode rnc}. */
export interface RncOptions {
  /** Temperature t of the logits `−‖f_i − f_j‖₂ / t`; > 0, default 2 (paper: {1, 2, 4}). */
  temperature?: number;
}

/** Options of {@linkcode rnc} over the runs axis: each one number for every run, or an array of one per run. */
export interface RncRunsOptions {
  /** The temperature of every run (see {@linkcode RncOptions.temperature}), or one per run. */
  temperature?: RunNumbers;
}

/**
 * RnC loss on one view of features `[N, D]` with L1 label distances `d_ij = Σ_t |y_it − y_jt|` and
 * logits `s_ij = −‖f_i − f_j‖₂ / t`:
 *
 * `L = Σ_i Σ_{k≠i} −( s_ik − log Σ_{j≠i, d_ij ≥ d_ik} exp(s_ij) ) / (N(N − 1))`.
 *
 * - Ties in the label distances are handled exactly: every j with `d_ij = d_ik` is in the
 *   denominator of the pair (i, k), as in the authors' `>=` mask. Per anchor row, the other rows
 *   are sorted by label distance (`tf.topk`), the exp-logits are summed cumulatively in that
 *   order (`tf.cumsum`), and each tie group reads the cumulative sum at its end (group bounds by
 *   `tf.searchSorted`); a group of m rows contributes `m · log(sum at its end)`. No O(N³) tensor.
 * - The per-row max of the off-diagonal logits is subtracted (detached) before `exp`; the value is
 *   unchanged (the authors subtract the row max including the diagonal, which is 0). If the
 *   logits of one row spread by more than ~87 (float32 `exp` underflow), some denominators
 *   underflow to 0 and the loss is +∞, as the authors' float32 code would.
 * - Distances come from the Gram form `‖a‖² + ‖b‖² − 2a·b` of the batch-centred features (centring
 *   does not change distances and reduces cancellation); a zero distance (duplicate rows, the
 *   diagonal) contributes a zero gradient, as torch's `norm` backward.
 * - The loss is one custom-gradient op with an analytic backward pass; between the passes live the
 *   label side (six `[N, N]` tensors: two flat index permutations, weights, masks) and four
 *   forward pieces. Reordering rows by label distance uses `tf.scatterND` with flat indices (no
 *   `tf.gather`, no int32 broadcasting: both are slow on wasm).
 * - Only 2-D features (one view); the authors' two-view `[N, 2, D]` input is the same loss on the
 *   `2N` stacked rows with the labels repeated. Gradient flows only into `features`.
 * - Over the runs axis (a sweep's K runs of one network): features `[K, N, D]`, the labels shared,
 *   `temperature` one number or one per run; returns the K losses as a `tf.Tensor1D`, loss k that of
 *   `rnc(yTrue, features[k], { temperature: t_k })`. On cpu and wasm one host kernel computes every
 *   run (`kernels/host/rnc.ts`: the label side once, each run's value and gradient bit for bit its
 *   single-run call's); on WebGPU one set of WGSL launches for all runs (N ≤ 512); elsewhere the
 *   tensor program runs once per run.
 *
 * @param yTrue the labels, `[N]` or `[N, T]`, N ≥ 2
 * @param features the features, `[N, D]` (or `[K, N, D]` over K runs)
 * @param options `temperature` (default 2; over K runs, {@linkcode RncRunsOptions})
 * @returns the scalar loss (a `[K]` tensor over K runs)
 * @throws {LossInputError} on bad shapes, non-finite values or `temperature ≤ 0`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { rnc } from "./rnc.ts";
 * await tf.setBackend("cpu");
 * // Two rows: each anchor has one other row, whose probability is 1: the loss is 0.
 * const loss = rnc(tf.tensor1d([0, 1]), tf.tensor2d([[0, 0], [3, 4]]));
 * assert.ok(Math.abs(loss.dataSync()[0]) < 1e-6);
 * // Three runs at once, one temperature each: loss k is the single-run loss of features[k].
 * const y = tf.tensor1d([0, 1, 3]);
 * const x = tf.randomNormal([3, 3, 2], 0, 1, "float32", 7) as tf.Tensor3D;
 * const losses = rnc(y, x, { temperature: [1, 2, 4] });
 * assert.deepEqual(losses.shape, [3]);
 * assert.equal(losses.dataSync()[2], rnc(y, tf.unstack(x)[2], { temperature: 4 }).dataSync()[0]);
 * ```
 */
export function rnc<F extends tf.Tensor>(
  yTrue: tf.Tensor,
  features: F,
  options?: F extends tf.Tensor3D ? RncRunsOptions : RncOptions,
): LossOf<F> {
  const opts: RncOptions | RncRunsOptions = options ?? {};
  if (features instanceof tf.Tensor && features.rank === 3) {
    return rncRuns(yTrue, features, opts) as LossOf<F>;
  }
  const temperature = checkNumber("rnc", "temperature", opts.temperature ?? 2, "positive");
  return tf.tidy(() => {
    const y = asMatrix("rnc", "yTrue", yTrue);
    const n = y.shape[0];
    const x = checkFeatures("rnc", features, n);
    const runs = x.reshape([1, n, x.shape[1]]) as tf.Tensor3D;
    const kernel = runLossKernel("rnc", { yTrue: y, features: runs }, { temperature: [temperature] });
    if (kernel !== null) return kernel.reshape([]) as tf.Scalar;
    return rncProgram(y, x, temperature);
  }) as LossOf<F>;
}

/** {@linkcode rnc} over the runs axis: features `[K, N, D]`. */
function rncRuns(yTrue: tf.Tensor, features: tf.Tensor, options: RncRunsOptions): tf.Tensor1D {
  const runs = features.shape[0];
  if (runs < 1) throw new LossInputError("rnc: features has no runs (K = 0)");
  const temperature = checkRunNumbers("rnc", "temperature", options.temperature ?? 2, runs, "positive");
  return tf.tidy(() => {
    const y = asMatrix("rnc", "yTrue", yTrue);
    const x = checkRunsFeatures("rnc", features, y.shape[0], runs);
    const kernel = runLossKernel("rnc", { yTrue: y, features: x }, { temperature });
    if (kernel !== null) return kernel;
    // The documented fallback: the tensor program once per run.
    return tf.stack(
      tf.unstack(x).map((xk, k) => rncProgram(y, xk as tf.Tensor2D, temperature[k])),
    ) as tf.Tensor1D;
  });
}

/** The tensor program of {@linkcode rnc} (every backend) for labels `[N, T]` and features `[N, D]`. */
function rncProgram(y: tf.Tensor2D, x: tf.Tensor2D, temperature: number): tf.Scalar {
  const side = labelSide(y);
  const f = unaryCustomGrad((input, save) => {
    const parts = lossParts(input as tf.Tensor2D, side, temperature);
    // The label side is saved too: tensors the gradient reads must outlive this call's tidy.
    save([
      parts.centred,
      parts.dist,
      parts.expShifted,
      parts.cumulative,
      side.fromSorted,
      side.weight,
      side.noWeight,
      side.offDiag,
    ]);
    return {
      value: parts.value,
      gradFunc: (dy, saved) => {
        const [centred, dist, expShifted, cumulative, fromSorted, weight, noWeight, offDiag] =
          saved as tf.Tensor2D[];
        const parts = { centred, dist, expShifted, cumulative };
        return tf.tidy(() =>
          tf.mul(featureGradient(parts, { fromSorted, weight, noWeight, offDiag }, temperature), dy)
        );
      },
    };
  });
  return f(x) as tf.Scalar;
}

/**
 * The label side (no gradient), per anchor row i, with the other rows sorted by decreasing label
 * distance: `toSorted` / `fromSorted`, flat `[N²]` indices that move a row-major `[N, N]` matrix
 * into that order and back (as `tf.scatterND` targets: a scatter is 5× cheaper than `tf.gather`
 * on wasm); `weight`, for each sorted position, the number of anchors k ≠ i whose tie group ends
 * there (0 elsewhere); `noWeight`, 1 where the weight is 0; `offDiag` and `diagBig` (the diagonal
 * times ~float32 max).
 */
interface LabelSide {
  toSorted: tf.Tensor2D;
  fromSorted: tf.Tensor2D;
  weight: tf.Tensor2D;
  noWeight: tf.Tensor2D;
  offDiag: tf.Tensor2D;
  diagBig: tf.Tensor2D;
}

/** Row-major flat indices `i·N + col[i, j]` of column indices `col` (`[N, N]`), as `[N², 1]` int32. */
function flatIndices(col: tf.Tensor2D): tf.Tensor2D {
  const n = col.shape[0];
  const rows = tf.range(0, n, 1, "float32").reshape([n, 1]);
  // Float32 arithmetic is exact below 2^24 (and far cheaper than broadcast int32 ops on wasm).
  const flat = n * n <= 1 << 24
    ? tf.cast(tf.add(tf.cast(col, "float32"), tf.mul(rows, n)), "int32")
    : tf.add(tf.cast(col, "int32"), tf.mul(tf.cast(rows, "int32"), tf.scalar(n, "int32")));
  return flat.reshape([n * n, 1]);
}

function labelSide(y: tf.Tensor2D): LabelSide {
  const n = y.shape[0];
  const names = ["toSorted", "fromSorted", "weight", "noWeight", "offDiag", "diagBig"] as const;
  const out = tf.tidy(() => {
    const { values: sortedDist, indices: order } = tf.topk(pairwiseL1(y, "sum"), n);
    const fromSorted = flatIndices(order as tf.Tensor2D); // sorted position p of row i → i·N + order[i, p]
    const position = tf.range(0, n, 1, "float32").reshape([1, n]);
    const positions = tf.add(tf.zeros([n, n]), position).reshape([n * n]);
    const inverse = tf.scatterND(fromSorted, positions, [n * n]).reshape([n, n]) as tf.Tensor2D;
    const toSorted = flatIndices(inverse);
    // Tie groups of the sorted (descending) distances, by exact compares on the negated, ascending
    // row: upTo = #(d ≥ value) (the group's last position + 1), from = #(d > value).
    const negSorted = tf.neg(sortedDist);
    const upTo = tf.cast(tf.searchSorted(negSorted, negSorted, "right"), "float32");
    const from = tf.cast(tf.searchSorted(negSorted, negSorted, "left"), "float32");
    // Group end: position = upTo − 1 (and upTo − 1 − position ≥ 0 is an integer).
    const isGroupEnd = tf.relu(tf.sub(1, tf.sub(tf.sub(upTo, 1), position)));
    // The last group (distance 0) holds the diagonal, which is no anchor.
    const lastColumn = tf.oneHot(tf.fill([1], n - 1, "int32"), n).toFloat();
    const weight = tf.sub(tf.mul(isGroupEnd, tf.sub(upTo, from)), lastColumn); // ≥ 0
    const noWeight = tf.sub(1, tf.sign(weight));
    const eye = tf.eye(n);
    return [toSorted, fromSorted, weight, noWeight, tf.sub(1, eye), tf.mul(eye, 3.4e38)];
  });
  return Object.fromEntries(names.map((k, i) => [k, out[i]])) as unknown as LabelSide;
}

/** Applies a flat-index permutation (`[N², 1]` targets) to a row-major `[N, N]` matrix. */
function permute(m: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor2D {
  const n = m.shape[0];
  return tf.scatterND(targets, m.reshape([n * n]), [n * n]).reshape([n, n]) as tf.Tensor2D;
}

interface LossParts {
  value: tf.Scalar;
  centred: tf.Tensor2D;
  dist: tf.Tensor2D;
  expShifted: tf.Tensor2D;
  cumulative: tf.Tensor2D;
}

/** Forward pass (plain tensors, no tape needed): the loss and the pieces the backward pass uses. */
function lossParts(x: tf.Tensor2D, side: LabelSide, temperature: number): LossParts {
  const n = x.shape[0];
  const names = ["value", "centred", "dist", "expShifted", "cumulative"] as const;
  const out = tf.tidy(() => {
    const { offDiag, diagBig, toSorted, weight, noWeight } = side;
    // Distances from the Gram form of the centred features; exactly 0 on the diagonal.
    const centred = tf.sub(x, tf.mean(x, 0)) as tf.Tensor2D;
    const sqNorm = tf.sum(tf.square(centred), 1, true);
    const gram = tf.matMul(centred, tf.transpose(centred)); // explicit transpose: the fast path on wasm
    const sq = tf.relu(tf.sub(tf.add(sqNorm, sqNorm.reshape([1, n])), tf.mul(gram, 2)));
    const dist = tf.mul(tf.sqrt(sq), offDiag) as tf.Tensor2D;
    // Logits minus the max of the off-diagonal logits of the row (= −min distance / t).
    const minDist = tf.min(tf.add(dist, diagBig), 1, true);
    const shifted = tf.mul(tf.div(tf.sub(dist, minDist), -temperature), offDiag);
    const expShifted = tf.mul(tf.exp(shifted), offDiag) as tf.Tensor2D; // diagonal excluded
    const cumulative = tf.cumsum(permute(expShifted, toSorted), 1) as tf.Tensor2D;
    // Where the weight is 0 the log is multiplied by 0: add 1 there so that it stays finite.
    const logDenominator = tf.log(tf.add(cumulative, noWeight));
    // Row sums first, then the total: a two-stage float32 sum (backends accumulate in float32).
    const total = tf.sum(tf.sub(tf.sum(tf.mul(weight, logDenominator), 1), tf.sum(shifted, 1)));
    return [tf.div(total, n * (n - 1)), centred, dist, expShifted, cumulative];
  });
  return Object.fromEntries(names.map((k, i) => [k, out[i]])) as unknown as LossParts;
}

/**
 * Analytic gradient of the loss w.r.t. the features from the forward pieces. With `e` the
 * off-diagonal exp-logits, `C` their cumulative sums in sorted order and `W` the group weights:
 * `∂L/∂e_ij = Σ_{p ≥ pos_i(j)} W_ip / C_ip` (a reverse cumulative sum), `∂L/∂s_ij = −1 + e_ij·∂L/∂e_ij`
 * (off the diagonal), `∂L/∂d_ij = −∂L/∂s_ij / t`, and with `K_ij = (∂L/∂d_ij + ∂L/∂d_ji)/d_ij`
 * (0 where `d_ij = 0`): `∂L/∂f_i = (Σ_j K_ij) f_i − Σ_j K_ij f_j`; all over `N(N − 1)`.
 */
function featureGradient(
  parts: Omit<LossParts, "value">,
  side: Pick<LabelSide, "fromSorted" | "weight" | "noWeight" | "offDiag">,
  temperature: number,
): tf.Tensor2D {
  const { centred, dist, expShifted, cumulative } = parts;
  const n = centred.shape[0];
  // weight / cumulative where the weight is > 0, else 0 (0 / (C + 1)).
  const ratio = tf.div(side.weight, tf.add(cumulative, side.noWeight)) as tf.Tensor2D;
  const gradExp = permute(tf.cumsum(ratio, 1, false, true) as tf.Tensor2D, side.fromSorted);
  const gradLogit = tf.mul(tf.sub(tf.mul(expShifted, gradExp), 1), side.offDiag);
  const gradDist = tf.div(gradLogit, -temperature);
  // 1 where d > 0 (d ≥ 0); K = (∂L/∂d + ∂L/∂dᵀ) / d there, 0 elsewhere.
  const positive = tf.sign(dist);
  const k = tf.div(
    tf.mul(tf.add(gradDist, tf.transpose(gradDist)), positive),
    tf.add(dist, tf.sub(1, positive)),
  ) as tf.Tensor2D;
  const grad = tf.sub(tf.mul(tf.sum(k, 1, true), centred), tf.matMul(k, centred));
  return tf.div(grad, n * (n - 1)) as tf.Tensor2D;
}
