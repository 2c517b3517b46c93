/**
 * A tiny seeded pseudo-random number generator for the numerical proof checks, so every run sees
 * the same data (the proofs and their tests use it).
 *
 * @module
 */
import { gaussian } from "../lib/random/gaussian.ts";
import { mulberry32 as uniformStream } from "../lib/random/mulberry32.ts";

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
 * The kit's mulberry32 stream (`lib/random/`) with uniform and normal helpers on top.
 *
 * @param seed any number; it is reduced to an unsigned 32-bit integer
 * @returns a seeded {@linkcode Rng}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mulberry32 } from "./rng.ts";
 * const a = mulberry32(7), b = mulberry32(7);
 * const x = a.next();
 * assert.equal(x, b.next());
 * assert.ok(x >= 0 && x < 1);
 * ```
 */
export function mulberry32(seed: number): Rng {
  const next = uniformStream(seed);
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal: () => gaussian(next),
  };
}
