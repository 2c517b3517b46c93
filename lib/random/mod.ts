/**
 * Seeded randomness shared by the data splits, the proofs and the tests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gaussian, mulberry32 } from "./mod.ts";
 * assert.equal(gaussian(mulberry32(3)), gaussian(mulberry32(3)));
 * ```
 *
 * @module
 */
export * from "./mulberry32.ts";
export * from "./gaussian.ts";
