/**
 * `K = G + Gᵀ` and its row sums as a host row kernel: the backward passes of RnC, ConR and RankSim on
 * the host backends multiply by it. No tfjs: the pool's workers run it.
 *
 * @module
 */
import type { RowKernel } from "./row_kernel.ts";

/** The arrays of {@linkcode symmetrizeRows} (K runs; K = 1: one matrix). */
export type SymmetrizeRowArrays = {
  /** f32 `[K, N, N]`: each run's matrix G. */
  g: Float32Array;
  /** Output, f32 `[K, N, N]`: `G + Gᵀ`. */
  k: Float32Array;
  /** Output, f64 `[K, N]`: the row sums of `G + Gᵀ` (of its float32 entries). */
  rowSum: Float64Array;
};

const TILE = 32;

/**
 * `K = G + Gᵀ` by rows, and its row sums, per run: row r of the job is row `r mod N` of run `⌊r / N⌋` (see
 * {@linkcode SymmetrizeRowArrays}; N is `g.length / rowSum.length`); no parameters. (On wasm, transposing an
 * `[N, N]` tensor, or a matrix product with it as the right operand, costs more than this pass.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { symmetrizeRows } from "./symmetrize.ts";
 * const k = new Float32Array(4), rowSum = new Float64Array(2);
 * symmetrizeRows.run({ g: Float32Array.of(1, 2, 3, 4), k, rowSum }, {}, 0, 2);
 * assert.deepEqual(Array.from(k), [2, 5, 5, 8]);
 * assert.deepEqual(Array.from(rowSum), [7, 13]);
 * ```
 */
export const symmetrizeRows: RowKernel<SymmetrizeRowArrays, Record<never, number>> = {
  arrays: ["g", "k", "rowSum"],
  params: [],
  run: ({ g, k, rowSum }, _params, r0, r1) => {
    const n = g.length / rowSum.length;
    for (let r = r0; r < r1; r++) rowSum[r] = 0;
    // Run by run, in 32 × 32 tiles, so that the transposed reads stay in cache at large N; each row's sum still
    // runs over j in increasing order.
    for (let run = Math.floor(r0 / n); run * n < r1; run++) {
      const base = run * n * n, first = Math.max(r0 - run * n, 0), end = Math.min(r1 - run * n, n);
      for (let i0 = first; i0 < end; i0 += TILE) {
        const i1 = Math.min(end, i0 + TILE);
        for (let j0 = 0; j0 < n; j0 += TILE) {
          const j1 = Math.min(n, j0 + TILE);
          for (let i = i0; i < i1; i++) {
            const row = base + i * n;
            let sum = rowSum[run * n + i];
            for (let j = j0; j < j1; j++) {
              const v = g[row + j] + g[base + j * n + i];
              k[row + j] = v;
              sum += Math.fround(v);
            }
            rowSum[run * n + i] = sum;
          }
        }
      }
    }
  },
};
