/**
 * What a row kernel is: a pass over the anchor rows `[r0, r1)` of one call that reads named typed
 * arrays and named numeric parameters and writes only its rows' outputs, so that the host pool
 * (`../pool.ts`) can share the rows of one call between the main thread and its workers. A row's
 * result depends on nothing but the inputs, never on which thread ran it or on how the rows were
 * split: the results are the same bit for bit either way. No tfjs here or in any row kernel: the
 * pool's workers load them.
 *
 * A kernel lists its array fields and its parameters in a fixed order (the order in which the pool
 * passes them to a worker); an array field may be absent in a call (a kernel with two input forms
 * tells them apart by which arrays it got). Shapes are given per field. Over K independent runs (a
 * sweep's) a kernel's job has K·N rows, row r being row `r mod N` of run `⌊r / N⌋`: the arrays of a run
 * lead with the runs axis, what the runs share (the labels' side) has none, and a per-run option is an
 * array field of K values. A kernel in WebAssembly (`rnc.c`, `conr.c`, `rank_sim.c`, `gram.c`, `symmetrize.c`)
 * works on views of the host memory (`memory.ts`) in place — a view's `byteOffset` is its pointer — with each
 * thread's scratch there too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RowKernel } from "./row_kernel.ts";
 * const double: RowKernel<{ x: Float32Array; y: Float32Array }, { by: number }> = {
 *   arrays: ["x", "y"],
 *   params: ["by"],
 *   run: ({ x, y }, { by }, r0, r1) => {
 *     for (let i = r0; i < r1; i++) y[i] = by * x[i];
 *   },
 * };
 * const y = new Float32Array(2);
 * double.run({ x: Float32Array.of(1, 2), y }, { by: 2 }, 0, 2);
 * assert.deepEqual(Array.from(y), [2, 4]);
 * ```
 *
 * @module
 */

/** The typed arrays a row kernel reads and writes. */
export type RowArray = Float32Array | Float64Array | Int32Array;

/** A row kernel's arrays by name (absent: not given in this call). */
export type RowArrays = Record<string, RowArray | undefined>;

/** A row kernel's numeric parameters by name. */
export type RowParams = Record<string, number>;

/**
 * A row kernel: its fields' and parameters' names, the scratch it needs per thread, and the pass over rows
 * `[r0, r1)`.
 */
export interface RowKernel<A extends RowArrays = RowArrays, P extends RowParams = RowParams> {
  /** The array fields, every one the kernel may read or write, in a fixed order. */
  readonly arrays: readonly (keyof A & string)[];
  /** The parameters, in a fixed order. */
  readonly params: readonly (keyof P & string)[];
  /**
   * The bytes of private scratch in the host memory (`memory.ts`) that each thread running a job of the kernel
   * needs (absent: none). A WebAssembly kernel's arrays are then views of the host memory too.
   */
  scratchBytes?(arrays: A, params: P): number;
  /**
   * Reads `arrays` and `params`, writes the outputs of rows `[r0, r1)`; `scratch` is the byte offset of the
   * calling thread's scratch in the host memory (given with {@linkcode RowKernel.scratchBytes}).
   */
  run(arrays: A, params: P, r0: number, r1: number, scratch?: number): void;
}
