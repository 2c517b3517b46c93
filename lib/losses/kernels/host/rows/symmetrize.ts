/**
 * `(G + Gᵀ)·c` (or its Laplacian form `Σ_j (G + Gᵀ)_ij·(c_i − c_j)`) times a per-run scale as a row kernel, by the
 * WebAssembly SIMD kernel of `symmetrize.c` in the host memory: the backward passes of RnC, ConR and RankSim on
 * the host backends multiply their features by the symmetrised gradient with respect to the pair matrix. No
 * tfjs: the pool's workers run it.
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
  /** f64 `[K]`: each run's scale s (used as float32). */
  scale: Float64Array;
  /** Output, f32 `[K, N, D]`: `s·(G + Gᵀ)·c`, or with `laplacian` `s·Σ_j (G + Gᵀ)_ij·(c_i − c_j)`. */
  out: Float32Array;
};

/** The parameters of {@linkcode symmetrizeRows}. */
export type SymmetrizeRowParams = {
  /** 1: the Laplacian form `Σ_j K_ij·(c_i − c_j)` of the product; 0: `K·c`. */
  laplacian: number;
};

interface SymmetrizeExports {
  symmetrize_rows(
    g: number,
    c: number,
    scale: number,
    out: number,
    n: number,
    d: number,
    laplacian: number,
    r0: number,
    r1: number,
    scratch: number,
  ): void;
}

/**
 * Per run, rows of `K = G + Gᵀ` (float32 sums) times c: row r of the job is row `i = r mod N` of run `⌊r / N⌋`
 * (K is `scale.length`; N and D follow from `g` and `c`). `(K·c)_i = Σ_j K_ij·c_j` is summed in increasing j
 * from +0 with one float32 multiply and add per term (XNNPACK's arithmetic, as `gram.ts`); the Laplacian form is
 * `rowSum_i·c_i − (K·c)_i` with the row sum of the float32 `K_ij` in float64, rounded to float32; then times s.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "../pool.ts";
 * import { symmetrizeRows } from "./symmetrize.ts";
 * const arrays = rowArrays({ g: ["f32", 4], c: ["f32", 2], scale: ["f64", 1], out: ["f32", 2] });
 * arrays.g.set([1, 2, 3, 4]); // G + Gᵀ = [[2, 5], [5, 8]]
 * arrays.c.set([1, 10]);
 * arrays.scale.set([1]);
 * runRows(symmetrizeRows, 2, arrays, { laplacian: 0 });
 * assert.deepEqual(Array.from(arrays.out), [52, 85]);
 * runRows(symmetrizeRows, 2, arrays, { laplacian: 1 }); // 5·(1 − 10), 5·(10 − 1)
 * assert.deepEqual(Array.from(arrays.out), [-45, 45]);
 * ```
 */
export const symmetrizeRows: RowKernel<SymmetrizeRowArrays, SymmetrizeRowParams> = {
  arrays: ["g", "c", "scale", "out"],
  params: ["laplacian"],
  scratchBytes: ({ g, c, scale }) => 16 * size(g, c, scale).n + 64,
  run: ({ g, c, scale, out }, { laplacian }, r0, r1, scratch = 0) => {
    const { n, d } = size(g, c, scale);
    (wasmKernel(WASM_BASE64) as unknown as SymmetrizeExports).symmetrize_rows(
      g.byteOffset,
      c.byteOffset,
      scale.byteOffset,
      out.byteOffset,
      n,
      d,
      laplacian,
      r0,
      r1,
      scratch,
    );
  },
};

/** N and D from the arrays of K runs. */
function size(g: Float32Array, c: Float32Array, scale: Float64Array): { n: number; d: number } {
  const n = Math.round(Math.sqrt(g.length / scale.length));
  return { n, d: c.length / scale.length / n };
}
