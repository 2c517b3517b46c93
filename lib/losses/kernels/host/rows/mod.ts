/**
 * The host row kernels, and their table: the host pool (`../pool.ts`) tells its workers which kernel
 * to run by its index in {@linkcode ROW_KERNELS}. One file per loss — RnC (its label side and its
 * feature side), ConR, RankSim (its label ranks and its two passes) — and two that they share:
 * `symmetrize.ts` (`G + Gᵀ`, which their backward passes need) and `matmul.ts` (the matrix products, in
 * the arithmetic of the tfjs backend, tfjs-backend-cpu's or XNNPACK's; `matmul.c` compiled to
 * WebAssembly for the latter). What a row kernel is: `row_kernel.ts`. Every kernel but a label side
 * runs over K runs at once: row r of the job is row `r mod N` of run `⌊r / N⌋`, and a per-run option
 * is an array field. No tfjs in this folder: the workers load it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ROW_KERNELS } from "./mod.ts";
 * assert.deepEqual(ROW_KERNELS.map((k) => k.params.length), [0, 0, 0, 0, 0, 0, 1, 3, 6, 2, 3, 3]);
 * ```
 *
 * @module
 */
import { conrRows } from "./conr.ts";
import { gramRows } from "./gram.ts";
import { matMulRows } from "./matmul.ts";
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
export * from "./matmul.ts";
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
  matMulRows,
  rncCentreRows,
  normalizeRows,
  normalizeGradientRows,
] as unknown as readonly RowKernel[];
