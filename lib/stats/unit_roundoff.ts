/**
 * Float32's unit roundoff.
 *
 * @module
 */

/**
 * The unit roundoff of IEEE float32, `u = 2⁻²⁴`: the largest relative error of one rounded float32
 * operation. The theorem checks' tolerances are multiples of it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FLOAT32_UNIT_ROUNDOFF } from "./unit_roundoff.ts";
 * assert.equal(Math.fround(1 + FLOAT32_UNIT_ROUNDOFF), 1); // ties to even: 1 + u rounds to 1
 * ```
 */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;
