/**
 * RankSim's host kernel: the whole regularizer on the backends whose tensors live in host memory
 * (cpu, wasm), one matrix product per pass on the backend around row kernels (`rows/rank_sim.ts`,
 * `rows/symmetrize.ts`) that the host pool shares between threads.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { rankSimHostKernel } from "./rank_sim.ts";
 * await tf.setBackend("cpu");
 * // Features whose similarities order the rows exactly as the labels do: zero loss.
 * const features = tf.tensor2d([[1, 0], [Math.SQRT1_2, Math.SQRT1_2], [0, 1]]);
 * const loss = rankSimHostKernel.kernelFunc({ features }, { labels: [0, 1, 2], rows: null, lambda: 2 });
 * assert.equal(loss.dataSync()[0], 0);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { unaryCustomGrad } from "../../ops.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";
import { readInto, tensorFromHost } from "./heap_io.ts";
import { normalizeRows, normalizeRowsGradient } from "./normalize.ts";
import { sortedIndex } from "./order.ts";
import { rowArrays, runRows } from "./pool.ts";
import { rankSimBackwardRows, rankSimForwardRows, symmetrizeRows } from "./rows/mod.ts";

/**
 * RankSim on the host-memory backends (cpu, wasm), where `[U, U]` data is already in host memory: one
 * custom op from the features `x` (`[N, D]`) to the loss. The kept rows are selected and normalised
 * on the host (`q`, {@linkcode normalizeRows}), `s = q·qᵀ` is one matrix product on the backend, and
 * the loss `Σ_ij (rank(s)_ij − rank(−|y_i − y_j|)_ij)² / U` (float64 sums) and its gradient with
 * respect to `s`, TrueRanker's blackbox `G = (rank(s + λ·g) − rank(s)) / (λ + 1e-8)` with
 * `g = dy·2(rank(s) − rank_y)/U` (float32 `s + λ·g`, as the tensor program adds), are row kernels
 * (`rankSimForwardRows`, `rankSimBackwardRows` in `rows/rank_sim.ts`) that the host pool shares
 * between threads, as is `G + Gᵀ` (`symmetrizeRows`: on wasm transposing a `[U, U]` tensor costs
 * more). The backward pass is `(G + Gᵀ)·q` on the backend and the normalisation's gradient on the
 * host. Ranks are positions in the row orders of `order.ts` (equal values: the later column first) —
 * the same ranks as the tensor program's `topk`/`searchSorted`, exactly. Six tfjs ops in all instead
 * of ~40.
 */
function rankSimHost(
  { features: x }: LossKernelInputs<"rankSim">,
  { labels, rows, lambda }: LossKernelAttrs<"rankSim">,
): tf.Scalar {
  const [n, d] = x.shape;
  const kept = rows ?? Array.from({ length: n }, (_, i) => i);
  const u = kept.length;
  const keptLabels = Float32Array.from(kept, (r) => labels[r]);
  const sorted = sortedIndex(keptLabels);
  const op = unaryCustomGrad((input, save) => {
    const q = new Float32Array(u * d), norms = new Float64Array(u);
    normalizeRows(input.dataSync(), d, kept, q, norms);
    const forward = rowArrays({
      s: ["f32", u * u],
      labels: ["f32", u],
      sorted: ["i32", u],
      rank: ["f32", u * u],
      labelRank: ["f32", u * u],
      rowValue: ["f64", u],
    });
    const qTensor = tf.tensor2d(q, [u, d]);
    save([qTensor]);
    const s = tf.tidy(() => tf.matMul(qTensor, tf.transpose(qTensor)));
    readInto(s, forward.s);
    s.dispose();
    forward.labels.set(keptLabels);
    forward.sorted.set(sorted);
    runRows(rankSimForwardRows, u, forward, {});
    // Copies for the backward pass (the arena is reused by the next call), into spare arrays.
    const saved = [forward.s, forward.rank, forward.labelRank].map(spareCopy);
    let total = 0;
    for (let i = 0; i < u; i++) total += forward.rowValue[i];
    return {
      value: tf.scalar(total / u),
      gradFunc: (dy, [qSaved]) => {
        const backward = rowArrays({
          s: ["f32", u * u],
          rank: ["f32", u * u],
          labelRank: ["f32", u * u],
          grad: ["f32", u * u],
          k: ["f32", u * u],
          rowSum: ["f64", u],
        });
        backward.s.set(saved[0]);
        backward.rank.set(saved[1]);
        backward.labelRank.set(saved[2]);
        releaseSpares(saved);
        runRows(rankSimBackwardRows, u, backward, { lambda, scale: (2 * dy.dataSync()[0]) / u });
        runRows(symmetrizeRows, u, { g: backward.grad, k: backward.k, rowSum: backward.rowSum }, {});
        const dq = tf.tidy(() => tf.matMul(tensorFromHost(backward.k, [u, u]), qSaved));
        const dx = normalizeRowsGradient(q, dq.dataSync(), norms, kept, n, d);
        dq.dispose();
        return tf.tensor2d(dx, [n, d]);
      },
    };
  });
  return op(x) as tf.Scalar;
}

// Arrays of finished backward passes, reused for the next forward pass's copies (allocating
// 256 KiB costs more than copying it). A spare at least as long serves (U changes from batch to
// batch with the number of unique labels).
const spares: Float32Array[] = [];

function spareCopy(a: Float32Array): Float32Array {
  const i = spares.findIndex((s) => s.length >= a.length);
  const buffer = i >= 0 ? spares.splice(i, 1)[0] : new Float32Array(a.length);
  const copy = buffer.subarray(0, a.length);
  copy.set(a);
  return copy;
}

function releaseSpares(copies: Float32Array[]): void {
  for (const c of copies) spares.push(new Float32Array(c.buffer)); // the whole array again
  if (spares.length > 6) spares.splice(0, spares.length - 6);
}

/** RankSim on the host backends (see {@linkcode rankSimHost}). */
export const rankSimHostKernel: LossKernel<"rankSim"> = { kernelName: "rankSim", kernelFunc: rankSimHost };
