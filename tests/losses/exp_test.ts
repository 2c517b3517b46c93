/** The host passes' float64 `exp` (`lib/losses/kernels/host/exp.ts`) against `Math.exp`. */
import assert from "node:assert/strict";
import { exp } from "../../lib/losses/kernels/host/exp.ts";
import { mulberry32 } from "../../lib/random/mulberry32.ts";

Deno.test("exp is within 2 ulp of Math.exp where the result is normal", () => {
  const rng = mulberry32(3);
  let worst = 0;
  for (let k = 0; k < 300_000; k++) {
    const scale = [708, 40, 1, 1e-3][k % 4];
    const x = (rng() * 2 - 1) * scale;
    const want = Math.exp(x);
    const ulp = Math.abs(exp(x) - want) / (want * 2 ** -52);
    if (ulp > worst) worst = ulp;
  }
  assert.ok(worst <= 2, `worst error ${worst} ulp`);
});

Deno.test("exp: zero below float64's range, +∞ above it, NaN for NaN, exact at 0", () => {
  assert.equal(exp(0), 1);
  assert.equal(exp(-0), 1);
  assert.equal(exp(-746), 0);
  assert.equal(exp(-1e6), 0);
  assert.equal(exp(-Infinity), 0);
  assert.equal(exp(710), Infinity);
  assert.equal(exp(Infinity), Infinity);
  assert.ok(Number.isNaN(exp(NaN)));
  // Subnormal results: within the smallest subnormal of Math.exp's.
  for (const x of [-709, -720, -740, -745]) {
    assert.ok(Math.abs(exp(x) - Math.exp(x)) <= 2 ** -1074, `x = ${x}`);
  }
  assert.ok(Math.abs(exp(709.7) / Math.exp(709.7) - 1) < 1e-15);
});
