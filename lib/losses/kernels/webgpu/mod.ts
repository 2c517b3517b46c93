/**
 * The losses' WebGPU kernels: WGSL programs that replace the many small kernel launches of a loss's
 * tensor program (under Deno a WebGPU step costs what its launches cost, ~0.2 ms each on the CPU side:
 * `docs/performance-h100.md`). One file per loss — `gar.ts` (the loss of all K runs), `rnc.ts` (the whole
 * loss, N ≤ 512), `conr.ts` (the per-pair part), `rank_sim.ts` (RankSim's row ranks, U ≤ 512) — each
 * with its applicability test, and `program.ts`, which runs a WGSL program on tfjs's WebGPU backend.
 * RnC's and ConR's programs take K runs at once (a thread per run and row or pair, one launch for all
 * runs); RankSim's row ranks take the rows of all runs as one `[K·U, U]` matrix.
 * Float32 throughout (WGSL has no float64). Internal to the kit: `kernels/mod.ts` registers
 * {@linkcode WEBGPU_KERNELS} for `webgpu`; `lib/losses/mod.ts` re-exports nothing from here.
 *
 * Under Deno a shader that does not compile runs as nothing, silently: every program has a value test
 * (`tests/losses/*_webgpu_test.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WEBGPU_KERNELS } from "./mod.ts";
 * assert.deepEqual(WEBGPU_KERNELS.map((k) => k.kernelName), ["gar", "rnc", "conr", "rankNormalised"]);
 * ```
 *
 * @module
 */
import type { AnyLossKernel } from "../registry.ts";
import { conrWebgpuKernel } from "./conr.ts";
import { garWebgpuKernel } from "./gar.ts";
import { rankNormalisedWebgpuKernel } from "./rank_sim.ts";
import { rncWebgpuKernel } from "./rnc.ts";

/** The WebGPU kernels, one per loss. */
export const WEBGPU_KERNELS: readonly AnyLossKernel[] = [
  garWebgpuKernel,
  rncWebgpuKernel,
  conrWebgpuKernel,
  rankNormalisedWebgpuKernel,
];
