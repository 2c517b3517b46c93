/**
 * How many runs a group may train together: as many as fit a memory budget, by an estimate of what one run of
 * the stacked network holds (weights, gradients, optimiser state, a batch's activations and their gradients, and
 * the N×N arrays of the pairwise baselines' host passes).
 *
 * @module
 */
import type { RunConfig } from "./run.ts";

/** The default budget of one worker's group: 256 MiB. */
export const GROUP_MEMORY_BUDGET_BYTES = 256 * 2 ** 20;

/**
 * Estimated bytes one run of `config` holds in a group, for an input width `inputDim`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runMemoryBytes } from "./group_size.ts";
 * const config = { hidden: [16, 32, 16, 8], batchSize: 256, optimizer: "sgd" as const, method: "MAE" as const };
 * assert.ok(runMemoryBytes(config, 8) < 2 ** 20); // the small network: well under a MiB
 * ```
 */
export function runMemoryBytes(
  config: Pick<RunConfig, "hidden" | "batchSize" | "optimizer" | "method">,
  inputDim: number,
): number {
  const sizes = [inputDim, ...config.hidden, 1];
  let params = 0, widths = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    params += (sizes[l] + 1) * sizes[l + 1];
    widths += sizes[l + 1];
  }
  const b = config.batchSize;
  const pairwise = ["RankSim", "RNC", "ConR"].includes(config.method) ? 6 * b * b : 0;
  return 4 * ((config.optimizer === "adam" ? 4 : 3) * params + 3 * b * widths + pairwise);
}

/**
 * The most runs a group of these runs may hold within `budgetBytes` (at least 1), by their costliest run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxGroupSize } from "./group_size.ts";
 * const config = { hidden: [128, 256, 128, 64], batchSize: 256, optimizer: "sgd" as const, method: "GAR" as const };
 * assert.ok(maxGroupSize([{ config, inputDim: 19 }]) >= 27); // the paper's grid fits in one group
 * assert.equal(maxGroupSize([{ config, inputDim: 19 }], 1), 1);
 * ```
 */
export function maxGroupSize(
  runs: readonly {
    config: Pick<RunConfig, "hidden" | "batchSize" | "optimizer" | "method">;
    inputDim: number;
  }[],
  budgetBytes = GROUP_MEMORY_BUDGET_BYTES,
): number {
  const worst = Math.max(1, ...runs.map((r) => runMemoryBytes(r.config, r.inputDim)));
  return Math.max(1, Math.floor(budgetBytes / worst));
}
