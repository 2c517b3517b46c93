/**
 * The matrix products of the host kernels as a row kernel: each run's `a·b` (or `a·bᵀ`) computed on the host
 * with, bit for bit, the arithmetic of the tfjs backend the loss runs on — so that a loss's host kernel needs no
 * matMul dispatch per run, and a run's products are those of its single-run call whatever runs share the call.
 *
 * - {@linkcode MATMUL_TFJS_CPU}: tfjs-backend-cpu's `batchMatMul` — each element a float64 sum over blocks of 48
 *   terms of the shared axis, each block added to a float32 accumulator.
 * - {@linkcode MATMUL_XNNPACK}: tfjs-backend-wasm's 2-D matMul, XNNPACK's GEMM — each element summed in
 *   increasing order of the shared axis, one float32 multiply and add per term; computed by the WebAssembly SIMD
 *   kernel of `matmul.c` (`_matmul_wasm.ts`), one instance per thread.
 *
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
  /** f32 `[K, S, C]`, or `[K, C, S]` with `transposeB` (then the product is `a·bᵀ`; `b` may be `a`). */
  b: Float32Array;
  /** Output, f32 `[K, M, C]`. */
  out: Float32Array;
};

/** The parameters of {@linkcode matMulRows}. */
export type MatMulRowParams = {
  /** M, the rows of each run's `a`. */
  m: number;
  /** S, the shared axis. */
  s: number;
  /** C, the columns of each run's product. */
  c: number;
  /** 1: `b` holds each run's `[C, S]` matrix, whose transpose is multiplied; 0: `[S, C]`. */
  transposeB: number;
  /** {@linkcode MATMUL_TFJS_CPU} or {@linkcode MATMUL_XNNPACK}. */
  flavour: number;
  /**
   * A token that differs from the previous call's whenever `b` may have changed (a counter per call): a
   * thread then packs each run's `b` for the WebAssembly kernel once per call, not once per chunk of rows.
   */
  job: number;
};

/**
 * Row r of the job is row `i = r mod M` of run `k = ⌊r / M⌋`: `out[k, i, :] = a[k, i, :]·b_k` in the arithmetic
 * of `flavour` (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MATMUL_TFJS_CPU, MATMUL_XNNPACK, matMulRows } from "./matmul.ts";
 * // Two runs of a 2 × 2 Gram matrix a·aᵀ.
 * const a = Float32Array.of(1, 2, 3, 4, 0, 1, 1, 0), out = new Float32Array(8);
 * for (const flavour of [MATMUL_TFJS_CPU, MATMUL_XNNPACK]) {
 *   matMulRows.run({ a, b: a, out }, { m: 2, s: 2, c: 2, transposeB: 1, flavour, job: flavour }, 0, 4);
 *   assert.deepEqual(Array.from(out), [5, 11, 11, 25, 1, 0, 0, 1]);
 * }
 * ```
 */
export const matMulRows: RowKernel<MatMulRowArrays, MatMulRowParams> = {
  arrays: ["a", "b", "out"],
  params: ["m", "s", "c", "transposeB", "flavour", "job"],
  run: (arrays, params, r0, r1) => {
    const m = params.m;
    for (let k = Math.floor(r0 / m); k * m < r1; k++) {
      const i0 = Math.max(r0 - k * m, 0), i1 = Math.min(r1 - k * m, m);
      (params.flavour === MATMUL_XNNPACK ? xnnpackRows : cpuRows)(arrays, params, k, i0, i1);
    }
  },
};

/** tfjs-backend-cpu's block of the shared axis (`MathBackendCPU.blockSize`). */
const CPU_BLOCK = 48;

/** Computes rows `[i0, i1)` of run k's product. */
type RunRows = (arrays: MatMulRowArrays, params: MatMulRowParams, k: number, i0: number, i1: number) => void;

/** Rows `[i0, i1)` of run k in tfjs-backend-cpu's arithmetic. */
const cpuRows: RunRows = ({ a, b, out }, { m, s, c, transposeB }, k, i0, i1) => {
  const baseB = k * s * c, strideT = transposeB ? 1 : c, strideJ = transposeB ? s : 1;
  for (let i = i0; i < i1; i++) {
    const rowA = (k * m + i) * s, rowOut = (k * m + i) * c;
    for (let j = 0; j < c; j++) {
      let acc = 0;
      for (let t0 = 0; t0 < s; t0 += CPU_BLOCK) {
        const t1 = Math.min(s, t0 + CPU_BLOCK);
        let sum = 0;
        for (let t = t0; t < t1; t++) sum += a[rowA + t] * b[baseB + t * strideT + j * strideJ];
        acc = Math.fround(acc + sum);
      }
      out[rowOut + j] = acc;
    }
  }
};

interface Wasm {
  memory: WebAssembly.Memory;
  matmul: (m: number, c: number, s: number, a: number, b: number, out: number) => void;
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
 * Rows `[i0, i1)` of run k in XNNPACK's arithmetic, by the WebAssembly kernel: b at the start of the operands
 * (packed as `[S, C]`, kept for the job's next chunk of the same run), then the rows of a, then their output.
 */
const xnnpackRows: RunRows = ({ a, b, out }, { m, s, c, transposeB, job }, k, i0, i1) => {
  const rows = i1 - i0;
  const bAt = HEAP_START, at = bAt + s * c * 4, outAt = at + rows * s * 4;
  const { memory, matmul } = instance(outAt + rows * c * 4 - HEAP_START);
  const heap = new Float32Array(memory.buffer);
  if (job !== packedJob || k !== packedRun) {
    const baseB = k * s * c;
    if (transposeB === 1) {
      for (let j = 0; j < c; j++) {
        for (let t = 0, from = baseB + j * s, to = bAt / 4 + j; t < s; t++, to += c) heap[to] = b[from + t];
      }
    } else {
      heap.set(b.subarray(baseB, baseB + s * c), bAt / 4);
    }
    [packedJob, packedRun] = [job, k];
  }
  heap.set(a.subarray((k * m + i0) * s, (k * m + i1) * s), at / 4);
  matmul(rows, c, s, at, bAt, outAt);
  out.set(heap.subarray(outAt / 4, outAt / 4 + rows * c), (k * m + i0) * c);
};
