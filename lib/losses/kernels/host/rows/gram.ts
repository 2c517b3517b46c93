/**
 * The Gram matrices `a_k·a_kᵀ` of K runs as a row kernel, by the WebAssembly SIMD kernel of `gram.c` in the host
 * memory: every element summed in increasing order of the shared axis from +0, one float32 multiply and add per
 * term — XNNPACK's arithmetic (tfjs-wasm's `tf.matMul`), whatever the backend. A Gram matrix is symmetric bit for
 * bit (`a_it·a_jt = a_jt·a_it`, summed in the same order), so each block of 64 rows `[i0, i1)` computes its
 * columns from i0 on and also writes their mirror images below the block (the one exception to "a row kernel
 * writes its rows only": no other row writes them, and none reads them in the job): about half the
 * multiply-adds. No tfjs here: the pool's workers run it.
 *
 * @module
 */
import type { RowKernel } from "./row_kernel.ts";
import { wasmKernel } from "./memory.ts";
import { WASM_BASE64 } from "./_gram_wasm.ts";

/** The arrays of {@linkcode gramRows} (K runs, row-major; views of the host memory). */
export type GramRowArrays = {
  /** f32 `[K, M, S]`. */
  a: Float32Array;
  /** Output, f32 `[K, M, M]`: each run's `a_k·a_kᵀ`. */
  out: Float32Array;
};

/** The parameters of {@linkcode gramRows}. */
export type GramRowParams = {
  /** M, the rows of each run's `a`. */
  m: number;
  /** S, the shared axis. */
  s: number;
  /**
   * A token that differs from the previous call's whenever `a` may have changed (a counter per call): a thread
   * then packs each run's `a_k` (transposed, by panels of 8 rows) into its scratch once per call, not once per
   * chunk of rows.
   */
  job: number;
};

interface GramExports {
  gram_pack(a: number, m: number, s: number, k: number, at: number): void;
  gram_block(
    a: number,
    at: number,
    out: number,
    m: number,
    s: number,
    k: number,
    i0: number,
    i1: number,
  ): void;
}

/** The rows of a Gram matrix computed together (the columns before the first are the mirror of earlier rows). */
const GRAM_BLOCK = 64;

// The run whose packed a_k this thread's scratch holds: the job's token, the run and the scratch.
let packedJob = -1, packedRun = -1, packedAt = -1;

/**
 * Row r of the job is row `i = r mod M` of run `k = ⌊r / M⌋`: `out[k, i, :] = a[k, i, :]·a_kᵀ` (see the module
 * doc); the scratch holds the run's packed `a_k`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "../pool.ts";
 * import { gramRows } from "./gram.ts";
 * // Two runs of a 2 × 2 Gram matrix a·aᵀ.
 * const { a, out } = rowArrays({ a: ["f32", 8], out: ["f32", 8] });
 * a.set([1, 2, 3, 4, 0, 1, 1, 0]);
 * runRows(gramRows, 4, { a, out }, { m: 2, s: 2, job: 1 });
 * assert.deepEqual(Array.from(out), [5, 11, 11, 25, 1, 0, 0, 1]);
 * ```
 */
export const gramRows: RowKernel<GramRowArrays, GramRowParams> = {
  arrays: ["a", "out"],
  params: ["m", "s", "job"],
  scratchBytes: (_arrays, { m, s }) => 4 * Math.ceil(m / 8) * 8 * s,
  run: ({ a, out }, { m, s, job }, r0, r1, scratch = 0) => {
    const kernel = wasmKernel(WASM_BASE64) as unknown as GramExports;
    for (let k = Math.floor(r0 / m); k * m < r1; k++) {
      if (job !== packedJob || k !== packedRun || scratch !== packedAt) {
        kernel.gram_pack(a.byteOffset, m, s, k, scratch);
        [packedJob, packedRun, packedAt] = [job, k, scratch];
      }
      const end = Math.min(r1 - k * m, m);
      for (let i0 = Math.max(r0 - k * m, 0); i0 < end; i0 += GRAM_BLOCK) {
        kernel.gram_block(a.byteOffset, scratch, out.byteOffset, m, s, k, i0, Math.min(end, i0 + GRAM_BLOCK));
      }
    }
  },
};
