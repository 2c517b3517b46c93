/**
 * The host row kernels, and their table: the host pool (`../pool.ts`) tells its workers which kernel
 * to run by its index in {@linkcode ROW_KERNELS}. One file per loss (RnC, ConR, RankSim's two passes)
 * and `symmetrize.ts` (`G + Gᵀ`, which their backward passes share); what a row kernel is:
 * `row_kernel.ts`. No tfjs in this folder: the workers load it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ROW_KERNELS } from "./mod.ts";
 * assert.deepEqual(ROW_KERNELS.map((k) => k.params), [["temperature"], ["w", "e"], [], ["lambda", "scale"], []]);
 * ```
 *
 * @module
 */
import { conrRows } from "./conr.ts";
import { rankSimBackwardRows, rankSimForwardRows } from "./rank_sim.ts";
import { rncRows } from "./rnc.ts";
import type { RowKernel } from "./row_kernel.ts";
import { symmetrizeRows } from "./symmetrize.ts";

export * from "./row_kernel.ts";
export * from "./rnc.ts";
export * from "./conr.ts";
export * from "./rank_sim.ts";
export * from "./symmetrize.ts";

/** Every row kernel, in a fixed order (the pool's control block carries the index). */
export const ROW_KERNELS: readonly RowKernel[] = [
  rncRows,
  conrRows,
  rankSimForwardRows,
  rankSimBackwardRows,
  symmetrizeRows,
] as unknown as readonly RowKernel[];
