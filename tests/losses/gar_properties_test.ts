import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import fc from "fast-check";
import { gar } from "../../lib/losses/gar.ts";
import { droAggregate } from "../../lib/losses/dro_aggregate.ts";
import { pairwiseDiffLoss } from "../../lib/losses/pairwise_diff_loss.ts";
import { errorVarianceLoss } from "../../lib/losses/error_variance_loss.ts";
import { garReference } from "../../lib/losses/reference/gar.ts";
import { droAggregateReference } from "../../lib/losses/reference/dro_aggregate.ts";
import {
  errorVarianceLossReference,
  negPearsonLossReference,
  pairwiseDiffLossReference,
  pairwiseDiffNormLossReference,
} from "../../lib/losses/reference/pairwise.ts";
import { scalar } from "./_gar_test_utils.ts";

await tf.setBackend("cpu");
await tf.ready();

const test = (name: string, fn: () => void | Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

const SEED = 20250713;
const value = fc.double({ min: -100, max: 100, noNaN: true }).map(Math.fround);
/** A batch of (y, f) rows, N = 2..12, float32 values. */
const batch = fc.array(fc.tuple(value, value), { minLength: 2, maxLength: 12 }).map((rows) => ({
  y: rows.map((r) => r[0]),
  f: rows.map((r) => r[1]),
}));
const sd = (x: number[]) => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / x.length);
};
/** Both columns clearly non-constant (away from the eps clips). */
const spread = batch.filter(({ y, f }) => sd(y) > 1e-2 && sd(f) > 1e-2);
const near = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * (1 + Math.abs(a) + Math.abs(b));

test("property: O(N^2) pairwise forms equal their O(N) forms (Theorem 1, Corollary 3 with its factor 2)", () => {
  fc.assert(
    fc.property(spread, ({ y, f }) => {
      assert.ok(near(pairwiseDiffLossReference(y, f), errorVarianceLossReference(y, f), 1e-10));
      assert.ok(near(pairwiseDiffNormLossReference(y, f, 2), 2 * negPearsonLossReference(y, f), 1e-10));
    }),
    { seed: SEED, numRuns: 100 },
  );
  // and in tfjs (float32)
  fc.assert(
    fc.property(spread, ({ y, f }) => {
      const [pw, ev] = tf.tidy(() => {
        const yt = tf.tensor1d(y);
        const ft = tf.tensor1d(f);
        return [scalar(pairwiseDiffLoss(yt, ft)), scalar(errorVarianceLoss(yt, ft))];
      });
      assert.ok(near(pw, ev, 1e-5), `${pw} vs ${ev}`);
    }),
    { seed: SEED, numRuns: 25 },
  );
});

test("property: pairwise losses are invariant to a shift of the predictions", () => {
  fc.assert(
    fc.property(spread, fc.double({ min: -50, max: 50, noNaN: true }), ({ y, f }, c) => {
      const g = f.map((v) => v + c);
      for (const loss of ["halfSquared", "absolute"] as const) {
        assert.ok(near(pairwiseDiffLossReference(y, f, loss), pairwiseDiffLossReference(y, g, loss), 1e-9));
      }
      for (const p of [1, 2, 3]) {
        assert.ok(near(pairwiseDiffNormLossReference(y, f, p), pairwiseDiffNormLossReference(y, g, p), 1e-9));
      }
      assert.ok(near(errorVarianceLossReference(y, f), errorVarianceLossReference(y, g), 1e-9));
    }),
    { seed: SEED, numRuns: 100 },
  );
});

test("property: the normalized pairwise loss is invariant to a positive scaling of the predictions", () => {
  fc.assert(
    fc.property(spread, fc.double({ min: 0.01, max: 100, noNaN: true }), ({ y, f }, k) => {
      const g = f.map((v) => v * k);
      for (const p of [1, 2, 3]) {
        assert.ok(near(pairwiseDiffNormLossReference(y, f, p), pairwiseDiffNormLossReference(y, g, p), 1e-9));
      }
      assert.ok(near(negPearsonLossReference(y, f), negPearsonLossReference(y, g), 1e-9));
    }),
    { seed: SEED, numRuns: 100 },
  );
});

test("property: every loss (and gar in tfjs) is invariant to a permutation of the batch", () => {
  fc.assert(
    fc.property(spread, fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ y, f }, s) => {
      // a deterministic shuffle from s
      const idx = y.map((_, i) => i);
      let state = s;
      for (let i = idx.length - 1; i > 0; i--) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        const j = state % (i + 1);
        [idx[i], idx[j]] = [idx[j], idx[i]];
      }
      const yp = idx.map((i) => y[i]);
      const fp = idx.map((i) => f[i]);
      assert.ok(
        near(
          pairwiseDiffLossReference(y, f, "absolute"),
          pairwiseDiffLossReference(yp, fp, "absolute"),
          1e-10,
        ),
      );
      assert.ok(
        near(pairwiseDiffNormLossReference(y, f, 3), pairwiseDiffNormLossReference(yp, fp, 3), 1e-10),
      );
      assert.ok(near(negPearsonLossReference(y, f), negPearsonLossReference(yp, fp), 1e-10));
      for (const alpha of [0.1, 1, 10]) {
        assert.ok(near(garReference(y, f, { alpha }), garReference(yp, fp, { alpha }), 1e-10));
        const [a, b] = tf.tidy(() => [
          scalar(gar(tf.tensor1d(y), tf.tensor1d(f), { alpha })),
          scalar(gar(tf.tensor1d(yp), tf.tensor1d(fp), { alpha })),
        ]);
        assert.ok(near(a, b, 1e-5), `alpha=${alpha}: ${a} vs ${b}`);
      }
    }),
    { seed: SEED, numRuns: 30 },
  );
});

test("property: gar in tfjs matches the float64 reference on arbitrary batches", () => {
  fc.assert(
    fc.property(spread, fc.constantFrom(0.1, 0.5, 1, 2, 10), ({ y, f }, alpha) => {
      const ours = tf.tidy(() => scalar(gar(tf.tensor1d(y), tf.tensor1d(f), { alpha })));
      const ref = garReference(y, f, { alpha });
      assert.ok(Math.abs(ours - ref) <= 1e-5 * (1 + Math.abs(ref)), `${ours} vs ${ref}`);
    }),
    { seed: SEED, numRuns: 40 },
  );
});

const subLosses = fc.array(fc.double({ min: -12, max: 12, noNaN: true }).map((e) => Math.fround(10 ** e)), {
  minLength: 1,
  maxLength: 6,
});
const alphaArb = fc.double({ min: -3, max: 3, noNaN: true }).map((e) => 10 ** e);

test("property: the DRO value is non-increasing in alpha", () => {
  fc.assert(
    fc.property(subLosses, alphaArb, alphaArb, (losses, a1, a2) => {
      const [lo, hi] = a1 <= a2 ? [a1, a2] : [a2, a1];
      const vLo = droAggregateReference(losses, lo);
      const vHi = droAggregateReference(losses, hi);
      assert.ok(vLo >= vHi - 1e-12 * (1 + Math.abs(vHi)), `alpha ${lo} -> ${vLo}, ${hi} -> ${vHi}`);
    }),
    { seed: SEED, numRuns: 200 },
  );
  fc.assert(
    fc.property(subLosses, alphaArb, alphaArb, (losses, a1, a2) => {
      const [lo, hi] = a1 <= a2 ? [a1, a2] : [a2, a1];
      const [vLo, vHi] = tf.tidy(() => {
        const ls = losses.map((l) => tf.scalar(l));
        return [scalar(droAggregate(ls, lo)), scalar(droAggregate(ls, hi))];
      });
      assert.ok(vLo >= vHi - 2e-6 * (1 + Math.abs(vHi)), `alpha ${lo} -> ${vLo}, ${hi} -> ${vHi}`);
    }),
    { seed: SEED, numRuns: 50 },
  );
});

test("property: min L <= exp(DRO value) <= max L", () => {
  fc.assert(
    fc.property(subLosses, alphaArb, (losses, alpha) => {
      const logMin = Math.log(Math.min(...losses));
      const logMax = Math.log(Math.max(...losses));
      const v = droAggregateReference(losses, alpha);
      assert.ok(v >= logMin - 1e-12 && v <= logMax + 1e-12);
      const vt = tf.tidy(() => scalar(droAggregate(losses.map((l) => tf.scalar(l)), alpha)));
      const tol = 2e-6 * (1 + Math.abs(v));
      assert.ok(vt >= logMin - tol && vt <= logMax + tol, `${logMin} <= ${vt} <= ${logMax}`);
    }),
    { seed: SEED, numRuns: 100 },
  );
});
