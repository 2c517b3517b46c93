/**
 * Standard normal draws from a uniform generator.
 *
 * @module
 */

/**
 * One standard normal draw by Box–Muller from two uniforms of `uniform` (e.g. {@linkcode mulberry32}).
 *
 * @param uniform a generator of numbers in [0, 1)
 * @returns a draw from N(0, 1)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gaussian } from "./gaussian.ts";
 * import { mulberry32 } from "./mulberry32.ts";
 * const rng = mulberry32(1);
 * const xs = Array.from({ length: 2000 }, () => gaussian(rng));
 * const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
 * assert.ok(Math.abs(mean) < 0.1);
 * ```
 */
export function gaussian(uniform: () => number): number {
  const u1 = 1 - uniform(); // (0, 1]: the log is finite
  const u2 = uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
