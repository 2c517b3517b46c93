/**
 * The losses' host kernels, for the backends whose tensors live in host memory (cpu and wasm,
 * {@linkcode HOST_BACKENDS}): there a loss built from small tensor ops costs far more in per-op
 * overhead (tens of µs per op on wasm) than in arithmetic, so each kernel reads its inputs once and
 * computes in float64 on the host, around at most one matrix product per pass on the backend.
 *
 * - One file per loss: `gar.ts` (one fused pass for K runs), `rnc.ts`, `conr.ts`, `rank_sim.ts`
 *   (each around the row kernels of `rows/`, one file per loss there too, and `rows/symmetrize.ts`).
 * - `pool.ts` runs the row kernels on the main thread and on background workers (`_worker.ts`), bit
 *   for bit the same whatever the split; `order.ts` (row orders), `exp.ts` (a cheaper float64 `exp`),
 *   `normalize.ts` (row normalisation and its gradient), `heap_io.ts` (tensor ↔ host copies) are
 *   their building blocks; `backend.ts` says which backends these are.
 * - Internal to the kit: `kernels/mod.ts` registers {@linkcode HOST_KERNELS} for each host backend;
 *   `lib/losses/mod.ts` re-exports nothing from here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HOST_BACKENDS, HOST_KERNELS } from "./mod.ts";
 * assert.deepEqual(HOST_KERNELS.map((k) => k.kernelName), ["gar", "rnc", "conr", "rankSim"]);
 * assert.deepEqual(HOST_BACKENDS, ["cpu", "wasm"]);
 * ```
 *
 * @module
 */
import type { AnyLossKernel } from "../registry.ts";
import { conrHostKernel } from "./conr.ts";
import { garHostKernel } from "./gar.ts";
import { rankSimHostKernel } from "./rank_sim.ts";
import { rncHostKernel } from "./rnc.ts";

export { HOST_BACKENDS, hostBackend } from "./backend.ts";

/** The host kernels, one per loss. */
export const HOST_KERNELS: readonly AnyLossKernel[] = [
  garHostKernel,
  rncHostKernel,
  conrHostKernel,
  rankSimHostKernel,
];
