/**
 * The matrix products of the host kernels as a row kernel: each run's `a·b`, or its Gram matrix `a·aᵀ`, computed
 * on the host with, bit for bit, the arithmetic of the tfjs backend the loss runs on — so that a loss's host
 * kernel needs no matMul dispatch per run, and a run's products are those of its single-run call whatever runs
 * share the call.
 *
 * - {@linkcode MATMUL_TFJS_CPU}: tfjs-backend-cpu's `batchMatMul` — each element a float64 sum over blocks of 48
 *   terms of the shared axis, each block added to a float32 accumulator.
 * - {@linkcode MATMUL_XNNPACK}: tfjs-backend-wasm's 2-D matMul, XNNPACK's GEMM — each element summed in
 *   increasing order of the shared axis, one float32 multiply and add per term; computed by the WebAssembly SIMD
 *   kernel of `matmul.c` (`_matmul_wasm.ts`), one instance per thread.
 *
 * A Gram matrix is symmetric bit for bit (`a_it·a_jt = a_jt·a_it`, summed in the same order), so each block of
 * 64 rows `[i0, i1)` computes its columns from i0 on and also writes their mirror images below the block (the
 * one exception to "a row kernel writes its rows only": no other row writes them, and none reads them in the
 * job): about half the multiply-adds.
 * No tfjs here: the pool's workers run it.
 *
 * @module
 */
import type { RowKernel } from "./row_kernel.ts";
import { WASM_BASE64 } from "./_matmul_wasm.ts";

/** {@linkcode MatMulRowParams.flavour}: tfjs-backend-cpu's arithmetic. */
export const MATMUL_TFJS_CPU = 0;
/** {@linkcode MatMulRowParams.flavour}: tfjs-backend-wasm's (XNNPACK's) arithmetic. */
export const MATMUL_XNNPACK = 1;

/** The arrays of {@linkcode matMulRows} (K runs, row-major). */
export type MatMulRowArrays = {
  /** f32 `[K, M, S]`. */
  a: Float32Array;
  /** f32 `[K, S, C]` (with `gram`: not read; pass `a`). */
  b: Float32Array;
  /** Output, f32 `[K, M, C]` (with `gram`: `[K, M, M]`). */
  out: Float32Array;
};

/** The parameters of {@linkcode matMulRows}. */
export type MatMulRowParams = {
  /** M, the rows of each run's `a`. */
  m: number;
  /** S, the shared axis. */
  s: number;
  /** C, the columns of each run's product (with `gram`: M). */
  c: number;
  /** 1: each run's Gram matrix `a·aᵀ` (as `tf.matMul(a, tf.transpose(a))`); 0: `a·b`. */
  gram: number;
  /** {@linkcode MATMUL_TFJS_CPU} or {@linkcode MATMUL_XNNPACK}. */
  flavour: number;
  /**
   * A token that differs from the previous call's whenever the operands may have changed (a counter per call):
   * a thread then packs each run's right operand for the WebAssembly kernel once per call, not once per chunk.
   */
  job: number;
};

/**
 * Row r of the job is row `i = r mod M` of run `k = ⌊r / M⌋`: `out[k, i, :] = a[k, i, :]·b_k` (or `·a_kᵀ`) in
 * the arithmetic of `flavour` (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MATMUL_TFJS_CPU, MATMUL_XNNPACK, matMulRows } from "./matmul.ts";
 * // Two runs of a 2 × 2 Gram matrix a·aᵀ.
 * const a = Float32Array.of(1, 2, 3, 4, 0, 1, 1, 0), out = new Float32Array(8);
 * for (const flavour of [MATMUL_TFJS_CPU, MATMUL_XNNPACK]) {
 *   matMulRows.run({ a, b: a, out }, { m: 2, s: 2, c: 2, gram: 1, flavour, job: flavour }, 0, 4);
 *   assert.deepEqual(Array.from(out), [5, 11, 11, 25, 1, 0, 0, 1]);
 * }
 * ```
 */
export const matMulRows: RowKernel<MatMulRowArrays, MatMulRowParams> = {
  arrays: ["a", "b", "out"],
  params: ["m", "s", "c", "gram", "flavour", "job"],
  run: (arrays, params, r0, r1) => {
    const m = params.m, rows = params.flavour === MATMUL_XNNPACK ? xnnpackRows : cpuRows;
    // (A Gram matrix by blocks of rows, each computing its columns from its first row on.)
    const block = params.gram === 1 ? GRAM_BLOCK : m;
    for (let k = Math.floor(r0 / m); k * m < r1; k++) {
      const end = Math.min(r1 - k * m, m);
      for (let i0 = Math.max(r0 - k * m, 0); i0 < end; i0 += block) {
        rows(arrays, params, k, i0, Math.min(end, i0 + block));
      }
    }
  },
};

/** The rows of a Gram matrix computed together (the columns before the first are the mirror of earlier rows). */
const GRAM_BLOCK = 64;

/** tfjs-backend-cpu's block of the shared axis (`MathBackendCPU.blockSize`). */
const CPU_BLOCK = 48;

/** Computes rows `[i0, i1)` of run k's product. */
type RunRows = (arrays: MatMulRowArrays, params: MatMulRowParams, k: number, i0: number, i1: number) => void;

/** Rows `[i0, i1)` of run k in tfjs-backend-cpu's arithmetic (a Gram matrix: its columns from i0 on, mirrored). */
const cpuRows: RunRows = ({ a, b, out }, { m, s, c, gram }, k, i0, i1) => {
  const right = gram === 1 ? a : b, first = gram === 1 ? i0 : 0;
  // The right operand's element (t, j): b[k, t, j], or a[k, j, t] for a Gram matrix.
  const baseB = gram === 1 ? k * m * s : k * s * c,
    strideT = gram === 1 ? 1 : c,
    strideJ = gram === 1 ? s : 1;
  for (let i = i0; i < i1; i++) {
    const rowA = (k * m + i) * s, rowOut = (k * m + i) * c;
    for (let j = first; j < c; j++) {
      let acc = 0;
      for (let t0 = 0; t0 < s; t0 += CPU_BLOCK) {
        const t1 = Math.min(s, t0 + CPU_BLOCK);
        let sum = 0;
        for (let t = t0; t < t1; t++) sum += a[rowA + t] * right[baseB + t * strideT + j * strideJ];
        acc = Math.fround(acc + sum);
      }
      out[rowOut + j] = acc;
      if (gram === 1 && j >= i1) out[(k * m + j) * c + i] = acc;
    }
  }
};

interface Wasm {
  memory: WebAssembly.Memory;
  matmul: (m: number, c: number, s: number, a: number, b: number, ldb: number, out: number) => void;
}

let wasm: Wasm | null = null;
/** The module's own stack and data take the first two pages; the operands go after them. */
const HEAP_START = 2 * 65536;

function instance(bytes: number): Wasm {
  if (wasm === null) {
    const bin = atob(WASM_BASE64);
    const code = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) code[i] = bin.charCodeAt(i);
    const memory = new WebAssembly.Memory({ initial: 3 });
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(code), { env: { memory } });
    wasm = { memory, matmul: exports.matmul as Wasm["matmul"] };
  }
  const missing = HEAP_START + bytes - wasm.memory.buffer.byteLength;
  if (missing > 0) wasm.memory.grow(Math.ceil(missing / 65536));
  return wasm;
}

// The run whose (packed) b this thread's memory holds: the job's token and the run (a job's chunks of one run
// then copy b once per thread, not once per chunk).
let packedJob = -1, packedRun = -1;

/**
 * Rows `[i0, i1)` of run k in XNNPACK's arithmetic, by the WebAssembly kernel: the run's right operand at the
 * start of the operands (`[S, C]`; for a Gram matrix `a_kᵀ`, `[S, M]`; kept for the job's next chunk of the same
 * run), then the rows of a, then their output (a Gram matrix: its columns from i0 on, mirrored).
 */
const xnnpackRows: RunRows = ({ a, b, out }, { m, s, c, gram, job }, k, i0, i1) => {
  const rows = i1 - i0, first = gram === 1 ? i0 : 0, width = c - first;
  const bAt = HEAP_START, at = bAt + s * c * 4, outAt = at + rows * s * 4;
  const { memory, matmul } = instance(outAt + rows * width * 4 - HEAP_START);
  const heap = new Float32Array(memory.buffer);
  if (job !== packedJob || k !== packedRun) {
    if (gram === 1) {
      for (let j = 0, base = k * m * s; j < m; j++) {
        for (let t = 0, from = base + j * s, to = bAt / 4 + j; t < s; t++, to += m) heap[to] = a[from + t];
      }
    } else {
      heap.set(b.subarray(k * s * c, (k + 1) * s * c), bAt / 4);
    }
    [packedJob, packedRun] = [job, k];
  }
  heap.set(a.subarray((k * m + i0) * s, (k * m + i1) * s), at / 4);
  matmul(rows, width, s, at, bAt + first * 4, c, outAt);
  const result = heap.subarray(outAt / 4, outAt / 4 + rows * width);
  for (let i = i0, from = 0; i < i1; i++, from += width) {
    out.set(result.subarray(from, from + width), (k * m + i) * c + first);
    if (gram === 1) {
      for (let j = i1, at = from + i1 - first; j < m; j++, at++) out[(k * m + j) * c + i] = result[at];
    }
  }
};
