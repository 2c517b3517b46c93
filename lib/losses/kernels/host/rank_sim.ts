/**
 * RankSim's host kernel: the whole regularizer of K runs on the backends whose tensors live in host memory (cpu,
 * wasm), in row kernels (`rows/rank_sim.ts`; WebAssembly: `rank_sim.c`, `normalize.c`, `gram.c`, `symmetrize.c`)
 * that the host pool shares between threads — no tfjs op per run.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { rankSimHostKernel } from "./rank_sim.ts";
 * await tf.setBackend("cpu");
 * // Run 0's similarities order the rows exactly as the labels do: zero loss; run 1's do not.
 * const s = Math.SQRT1_2;
 * const features = tf.tensor3d([[[1, 0], [s, s], [0, 1]], [[0, 1], [1, 0], [s, s]]]);
 * const loss = rankSimHostKernel.kernelFunc({ features }, { labels: [0, 1, 2], rows: null, lambda: [2, 2] });
 * const [aligned, other] = loss.dataSync();
 * assert.equal(aligned, 0);
 * assert.ok(other > 0);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { unaryCustomGrad } from "../../ops.ts";
import type { LossKernel, LossKernelAttrs, LossKernelInputs } from "../registry.ts";
import { sortedIndex } from "./order.ts";
import { holdRowArrays, rowArrays, runRows } from "./pool.ts";
import { normalizeRuns, normalizeRunsGradient, runsGram, runsSymmetrize, runTotals } from "./runs.ts";
import { rankSimBackwardRows, rankSimForwardRows, rankSimLabelRows } from "./rows/mod.ts";

/**
 * RankSim on the host-memory backends (cpu, wasm), where `[U, U]` data is already in host memory: one custom op
 * from the features `x` of K runs (`[K, N, D]`, one λ per run) to the K losses. The rows kept (one per unique
 * label, shared by the runs) are normalised (`q`, {@linkcode normalizeRuns}); the label ranks `rank(−|y_i − y_j|)`
 * are computed once for all runs (`rankSimLabelRows`); per run, `s = q·qᵀ` (`gramRows`: float32, in the order
 * of tfjs-wasm's `tf.matMul`), and the loss `Σ_ij (rank(s)_ij − rank_y,ij)² / U` (float64 sums) and its gradient
 * with respect to `s`, TrueRanker's blackbox `G = (rank(s + λ·g) − rank(s)) / (λ + 1e-8)` with
 * `g = dy·2(rank(s) − rank_y)/U` (float32 `s + λ·g`, as the tensor program adds), are row kernels
 * (`rankSimForwardRows`, `rankSimBackwardRows`); the backward pass is `(G + Gᵀ)·q` (`symmetrizeRows`) and the
 * normalisation's gradient. The forward pass's arrays stay in the host memory for the backward pass
 * (`holdRowArrays`). Ranks are positions in the row orders of `order.ts` (equal values: the later column first)
 * — the same ranks as the tensor program's `topk`/`searchSorted`, exactly. A run's value and gradient are those
 * of its single-run call (K = 1) whatever runs share the call, and whatever the threads.
 */
function rankSimHost(
  { features: x }: LossKernelInputs<"rankSim">,
  { labels, rows, lambda }: LossKernelAttrs<"rankSim">,
): tf.Tensor1D {
  const [runs, n, d] = x.shape;
  const kept = rows ?? Array.from({ length: n }, (_, i) => i);
  const u = kept.length;
  const keptLabels = Float32Array.from(kept, (r) => labels[r]);
  const sorted = sortedIndex(keptLabels);
  const op = unaryCustomGrad((input) => {
    // The forward pass's arrays stay in the host memory for the backward pass (recomputed, to the same bits, from
    // the input's values if another call has taken their place meanwhile: the input itself may be gone by then).
    const xv = input.dataSync() as Float32Array;
    const forwardPass = () => {
      const state = holdRowArrays({
        x: ["f32", runs * n * d],
        rows: ["i32", u],
        q: ["f32", runs * u * d],
        norms: ["f64", runs * u],
        s: ["f32", runs * u * u],
        labels: ["f32", u],
        sorted: ["i32", u],
        labelRank: ["f32", u * u],
        rank: ["f32", runs * u * u],
        rowValue: ["f64", runs * u],
      });
      const forward = state.arrays;
      forward.x.set(xv);
      forward.rows.set(kept);
      normalizeRuns(forward.x, forward.rows, forward.q, forward.norms, runs, n, d);
      runsGram(forward.q, forward.s, runs, u, d);
      forward.labels.set(keptLabels);
      forward.sorted.set(sorted);
      runRows(rankSimLabelRows, u, forward, {});
      runRows(rankSimForwardRows, runs * u, forward, {});
      return state;
    };
    let state = forwardPass();
    const totals = runTotals(state.arrays.rowValue, runs);
    return {
      value: tf.tensor1d(Float32Array.from(totals, (total) => total / u)),
      gradFunc: (dy) => {
        const dyValues = dy.dataSync();
        if (!state.held()) state = forwardPass();
        const { q, norms, s, rank, labelRank } = state.arrays;
        const backward = rowArrays({
          lambda: ["f64", runs],
          scale: ["f64", runs],
          grad: ["f32", runs * u * u],
          ones: ["f64", runs],
          dq: ["f32", runs * u * d],
          at: ["i32", n],
          dx: ["f32", runs * n * d],
        });
        const { lambda: lambdas, scale, grad, ones, dq, at, dx } = backward;
        lambdas.set(lambda);
        for (let k = 0; k < runs; k++) scale[k] = (2 * dyValues[k]) / u;
        runRows(rankSimBackwardRows, runs * u, { s, rank, labelRank, lambda: lambdas, scale, grad }, {});
        ones.fill(1);
        runsSymmetrize(grad, q, ones, dq, runs, u, false);
        at.fill(-1);
        kept.forEach((row, m) => {
          at[row] = m;
        });
        normalizeRunsGradient(q, dq, norms, at, dx, runs, n, d, u);
        const gradient = tf.tensor3d(dx.slice(), [runs, n, d]);
        state.release();
        return gradient;
      },
    };
  });
  return op(x) as tf.Tensor1D;
}

/** RankSim on the host backends (see {@linkcode rankSimHost}). */
export const rankSimHostKernel: LossKernel<"rankSim"> = { kernelName: "rankSim", kernelFunc: rankSimHost };
