/**
 * Float64 plain-TypeScript references of every loss (and of GAR's gradient): the oracle of the tests.
 * They take `number[]` (`[N]`) or `number[][]` (`[N][T]`) and return plain numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorVarianceLossReference } from "./mod.ts";
 * assert.equal(errorVarianceLossReference([0, 0], [1, -1]), 1);
 * ```
 *
 * @module
 */
export * from "./gar.ts";
export * from "./dro_aggregate.ts";
export * from "./pairwise.ts";
export * from "./baselines.ts";
export type { Matrix } from "./_matrix.ts";
