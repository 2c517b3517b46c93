/**
 * The losses' host kernels, for the backends whose tensors live in host memory (cpu and wasm,
 * {@linkcode HOST_BACKENDS}): there a loss built from small tensor ops costs far more in per-op
 * overhead (tens of µs per op on wasm) than in arithmetic, so each kernel reads its inputs once and
 * computes on the host, whatever the backend in the same arithmetic: GAR in float64 JavaScript; RnC, ConR
 * and RankSim in WebAssembly SIMD row kernels (`rows/*.c`), float32 where the tests' float64 tolerances
 * allow (Gram matrices, products, exponentials), float64 for the sums and logs.
 *
 * - One file per loss: `gar.ts` (one fused pass for K runs, no row kernel), `rnc.ts`, `conr.ts`, `rank_sim.ts`
 *   (each around the row kernels of `rows/`, one file per loss there too, and the shared `rows/gram.ts`,
 *   `rows/symmetrize.ts`, `rows/normalize.ts`). RnC, ConR and RankSim take K runs at once (a sweep's:
 *   features `[K, N, D]`, the labels shared, options per run): the label side is computed once per call for
 *   all runs, each run's feature side by the same row kernels as a single run's (so a run's bits do not
 *   depend on K), and no tfjs op runs per run.
 * - `pool.ts` runs the row kernels on the main thread and on background workers (`_worker.ts`), bit
 *   for bit the same whatever the split, on arrays in the host memory (`rows/memory.ts`: one shared
 *   `WebAssembly.Memory` that the kernels work in); `order.ts` (row orders), `runs.ts` (the small per-run
 *   passes the kernels share), `heap_io.ts` (tensor ↔ host copies) are their building blocks;
 *   `backend.ts` says which backends these are.
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
