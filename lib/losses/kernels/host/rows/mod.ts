/**
 * The host row kernels, and their table: the host pool (`../pool.ts`) tells its workers which kernel
 * to run by its index in {@linkcode ROW_KERNELS}. One file per loss — RnC (its label side, its
 * centring and its feature side), ConR, RankSim (its label ranks and its two passes) — and three that
 * they share: `gram.ts` (each run's Gram matrix), `symmetrize.ts` (`(G + Gᵀ)·c`, which their backward
 * passes need) and `normalize.ts` (row normalisation and its gradient). Their feature sides are C
 * compiled to WebAssembly with 128-bit SIMD (`*.c` next to `_*_wasm.ts`, built by tools/wasm/build.sh;
 * `vector_math.h`: their exp and log), working in place in the host memory (`memory.ts`), each thread
 * with its own instance and scratch; the label sides stay JavaScript (once per call). What a row
 * kernel is: `row_kernel.ts`. Every kernel but a label side runs over K runs at once: row r of the job
 * is row `r mod N` of run `⌊r / N⌋` (RnC's feature side: of four runs), and a per-run option is an
 * array field. No tfjs in this folder: the workers load it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ROW_KERNELS } from "./mod.ts";
 * assert.deepEqual(ROW_KERNELS.map((k) => k.params.length), [0, 0, 0, 0, 0, 0, 1, 3, 2, 3, 3]);
 * ```
 *
 * @module
 */
import { conrRows } from "./conr.ts";
import { gramRows } from "./gram.ts";
import { rankSimBackwardRows, rankSimForwardRows, rankSimLabelRows } from "./rank_sim.ts";
import { normalizeGradientRows, normalizeRows } from "./normalize.ts";
import { rncCentreRows, rncLabelRows, rncRows } from "./rnc.ts";
import type { RowKernel } from "./row_kernel.ts";
import { symmetrizeRows } from "./symmetrize.ts";

export * from "./row_kernel.ts";
export * from "./rnc.ts";
export * from "./conr.ts";
export * from "./rank_sim.ts";
export * from "./symmetrize.ts";
export * from "./gram.ts";
export * from "./memory.ts";
export * from "./normalize.ts";

/** Every row kernel, in a fixed order (the pool's control block carries the index). */
export const ROW_KERNELS: readonly RowKernel[] = [
  rncLabelRows,
  rncRows,
  conrRows,
  rankSimLabelRows,
  rankSimForwardRows,
  rankSimBackwardRows,
  symmetrizeRows,
  gramRows,
  rncCentreRows,
  normalizeRows,
  normalizeGradientRows,
] as unknown as readonly RowKernel[];
