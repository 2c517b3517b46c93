/**
 * The kit's seeded pseudo-random generator.
 *
 * @module
 */

/**
 * Mulberry32: a seeded uniform generator on [0, 1) with 32-bit state (Tommy Ettinger's public-domain
 * design). Deterministic across platforms; fine for data splits, shuffles and test data, not for
 * cryptography. Equal seeds give equal streams.
 *
 * @param seed any number; reduced to an unsigned 32-bit integer
 * @returns a function returning the next uniform number in [0, 1)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mulberry32 } from "./mulberry32.ts";
 * const a = mulberry32(7), b = mulberry32(7);
 * const x = a();
 * assert.equal(x, b());
 * assert.ok(x >= 0 && x < 1);
 * ```
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
