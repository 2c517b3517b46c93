/**
 * A float64 `exp` for the host kernels' inner loops, ~2.5× cheaper than `Math.exp` under V8 (an
 * out-of-line call there) and as accurate for normal results. No tfjs: the pool's workers run it.
 *
 * `exp(x) = 2^m · 2^(j/64) · exp(r)` with `x = (64m + j)·ln2/64 + r`, `|r| ≤ ln2/128`: `ln2/64` is
 * split in two parts (Cody–Waite) so that `x − k·ln2/64` is exact, `2^(j/64)` and `2^m` come from
 * tables, and `exp(r)` is its degree-6 Taylor polynomial (truncation error < 2^−60). No branch:
 * `x` is clamped to [−746, 710] first, where `2^m` reaches 0 and +∞, so that results below
 * float64's range are 0 (subnormal ones within 2^−1074), results above are +∞, and NaN stays NaN.
 * Within 2 ulp of `Math.exp` where the result is normal (tested).
 *
 * @module
 */

const LN2_HI = 6.93147180369123816490e-1 / 64; // 32 significant bits: k·LN2_HI is exact for |k| < 2^21
const LN2_LO = 1.90821492927058770002e-10 / 64;
const INV_STEP = 64 / Math.LN2;
const FRACTION = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
const POWER_OFFSET = 1100; // 2^m for m in [−1100, 1100): 0 below −1074, +∞ from 1024
const POWER = Float64Array.from({ length: 2 * POWER_OFFSET }, (_, i) => 2 ** (i - POWER_OFFSET));

/**
 * `e^x` in float64 (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exp } from "./exp.ts";
 * assert.equal(exp(0), 1);
 * assert.equal(exp(1000), Infinity);
 * ```
 */
export function exp(x: number): number {
  const y = Math.min(710, Math.max(-746, x));
  const k = Math.floor(y * INV_STEP + 0.5); // (Math.round is an out-of-line call in V8)
  const m = k | 0;
  const r = y - k * LN2_HI - k * LN2_LO;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
  return POWER[(m >> 6) + POWER_OFFSET] * FRACTION[m & 63] * p;
}
