/**
 * A tiny seeded pseudo-random number generator for the numerical proof checks, so every run sees
 * the same data. Internal to `proofs/`.
 *
 * @module
 */

/** A source of uniform numbers in `[0, 1)`, plus helpers built on it. */
export interface Rng {
  /** The next uniform number in `[0, 1)` (32 bits of randomness). */
  next(): number;
  /** A uniform number in `[lo, hi)`. */
  uniform(lo: number, hi: number): number;
  /** A standard normal draw (Box–Muller on two uniforms). */
  normal(): number;
}

/**
 * Mulberry32: a 32-bit state generator (Tommy Ettinger's public-domain design). Good enough for
 * test data, not for cryptography. Equal seeds give equal streams.
 *
 * @param seed any number; it is reduced to an unsigned 32-bit integer
 * @returns a seeded {@linkcode Rng}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mulberry32 } from "./_rng.ts";
 * const a = mulberry32(7), b = mulberry32(7);
 * const x = a.next();
 * assert.equal(x, b.next());
 * assert.ok(x >= 0 && x < 1);
 * ```
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal: () => {
      const u1 = 1 - next(); // (0, 1]: log is finite
      const u2 = next();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
  };
}
