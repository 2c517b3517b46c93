/**
 * The losses' kernels by backend, and the dispatch to them. A loss (or a piece of one, as RankSim's
 * row ranks) calls {@linkcode runLossKernel} once, with named inputs and attributes; the registry
 * (`registry.ts`) runs the kernel registered for the active backend if it applies, else the loss runs
 * its own tensor program (ordinary tfjs ops, every backend). This module registers the kit's kernels:
 *
 * - `host/`: cpu and wasm (tensors in host memory) — float64 host passes, their row kernels shared
 *   between threads by a worker pool (`host/mod.ts`);
 * - `webgpu/`: webgpu — WGSL programs (`webgpu/mod.ts`).
 *
 * The kernels of the feature-space losses (RnC, ConR, RankSim) take K runs at once: features `[K, N, D]`
 * (and ConR's predictions `[K, N, T]`), per-run options as arrays, K values out; a single-run loss calls
 * them with K = 1.
 *
 * Internal to the kit: `lib/losses/mod.ts` re-exports nothing from here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lossKernel } from "./mod.ts";
 * assert.equal(lossKernel("rnc", "cpu")?.kernelName, "rnc");
 * assert.equal(lossKernel("rnc", "webgpu")?.applies !== undefined, true); // N ≤ 512 only
 * assert.equal(lossKernel("rankNormalised", "cpu"), undefined); // the tensor program
 * ```
 *
 * @module
 */
import { HOST_BACKENDS, HOST_KERNELS } from "./host/mod.ts";
import { registerLossKernel } from "./registry.ts";
import { WEBGPU_KERNELS } from "./webgpu/mod.ts";

for (const backendName of HOST_BACKENDS) {
  for (const kernel of HOST_KERNELS) registerLossKernel({ ...kernel, backendName });
}
for (const kernel of WEBGPU_KERNELS) registerLossKernel({ ...kernel, backendName: "webgpu" });

export { lossKernel, runLossKernel } from "./registry.ts";
export type { LossKernelName, LossKernelSignatures } from "./registry.ts";
