/**
 * `(G + Gᵀ)·c` and the row sums of `G + Gᵀ` as a row kernel, by the WebAssembly SIMD kernel of `symmetrize.c` in
 * the host memory: the backward passes of RnC, ConR and RankSim on the host backends multiply their features by
 * the symmetrised gradient with respect to the pair matrix. No tfjs: the pool's workers run it.
 *
 * @module
 */
import type { RowKernel } from "./row_kernel.ts";
import { wasmKernel } from "./memory.ts";
import { WASM_BASE64 } from "./_symmetrize_wasm.ts";

/** The arrays of {@linkcode symmetrizeRows} (K runs; K = 1: one matrix; views of the host memory). */
export type SymmetrizeRowArrays = {
  /** f32 `[K, N, N]`: each run's matrix G. */
  g: Float32Array;
  /** f32 `[K, N, D]`: each run's features c. */
  c: Float32Array;
  /** Output, f64 `[K, N]`: the row sums of `G + Gᵀ` (of its float32 entries, in column order). */
  rowSum: Float64Array;
  /** Output, f32 `[K, N, D]`: `(G + Gᵀ)·c`. */
  out: Float32Array;
};

interface SymmetrizeExports {
  symmetrize_rows(
    g: number,
    c: number,
    rowSum: number,
    out: number,
    n: number,
    d: number,
    r0: number,
    r1: number,
    scratch: number,
  ): void;
}

/**
 * Per run, rows of `K = G + Gᵀ` (float32 sums) times c, and their sums: row r of the job is row `i = r mod N` of
 * run `⌊r / N⌋` (N is `g.length / rowSum.length`, D `c.length / rowSum.length`); no parameters. `out_i = Σ_j
 * K_ij·c_j` is summed in increasing j from +0 with one float32 multiply and add per term (XNNPACK's arithmetic,
 * as `gram.ts`), the row sum in float64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "../pool.ts";
 * import { symmetrizeRows } from "./symmetrize.ts";
 * const arrays = rowArrays({ g: ["f32", 4], c: ["f32", 2], rowSum: ["f64", 2], out: ["f32", 2] });
 * arrays.g.set([1, 2, 3, 4]); // G + Gᵀ = [[2, 5], [5, 8]]
 * arrays.c.set([1, 10]);
 * runRows(symmetrizeRows, 2, arrays, {});
 * assert.deepEqual(Array.from(arrays.rowSum), [7, 13]);
 * assert.deepEqual(Array.from(arrays.out), [52, 85]);
 * ```
 */
export const symmetrizeRows: RowKernel<SymmetrizeRowArrays, Record<never, number>> = {
  arrays: ["g", "c", "rowSum", "out"],
  params: [],
  scratchBytes: ({ g, rowSum }) => (16 * g.length) / rowSum.length,
  run: ({ g, c, rowSum, out }, _params, r0, r1, scratch = 0) => {
    const n = g.length / rowSum.length, d = c.length / rowSum.length;
    (wasmKernel(WASM_BASE64) as unknown as SymmetrizeExports).symmetrize_rows(
      g.byteOffset,
      c.byteOffset,
      rowSum.byteOffset,
      out.byteOffset,
      n,
      d,
      r0,
      r1,
      scratch,
    );
  },
};
