import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { droAggregate } from "../../lib/losses/dro_aggregate.ts";
import { LossInputError } from "../../lib/losses/validate.ts";
import {
  droAggregateGradientReference,
  droAggregateReference,
} from "../../lib/losses/reference/dro_aggregate.ts";
import { prng } from "./_gar_test_utils.ts";

await tf.setBackend("cpu");
await tf.ready();

const test = (name: string, fn: () => void | Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

/** Value and gradient of droAggregate in tfjs for float64 inputs (rounded to float32). */
function tfDro(losses: number[], alpha: number): { value: number; grad: number[] } {
  return tf.tidy(() => {
    const xs = losses.map((l) => tf.scalar(l));
    const { value, grads } = tf.valueAndGrads((...ls: tf.Tensor[]) => droAggregate(ls as tf.Scalar[], alpha))(
      xs,
    );
    return { value: value.dataSync()[0], grad: grads.map((g) => g.dataSync()[0]) };
  });
}

const ALPHAS = [1e-3, 0.1, 1, 10, 1e3];
const rand = prng(42);
const SETS: number[][] = [
  [1e-12, 1, 1e12],
  [1e-12, 1e12],
  [1e-12, 3e-5, 0.7, 42, 1e12],
  [2.5],
  [1, 1, 1],
  [1e-7, 1e-7, 0.3],
  // random sets, log-uniform over 1e-12..1e12, M = 2..6
  ...Array.from({ length: 6 }, (_, k) => Array.from({ length: 2 + (k % 5) }, () => 10 ** (24 * rand() - 12))),
].map((s) => s.map(Math.fround));

test("droAggregate: value and gradient are finite and match float64 for alpha in [1e-3, 1e3], L in [1e-12, 1e12]", () => {
  let worstValue = 0;
  let worstGrad = 0;
  for (const losses of SETS) {
    for (const alpha of ALPHAS) {
      const ours = tfDro(losses, alpha);
      const ref = droAggregateReference(losses, alpha);
      const refGrad = droAggregateGradientReference(losses, alpha);
      const where = `alpha=${alpha} losses=${losses}`;
      assert.ok(Number.isFinite(ours.value) && ours.grad.every(Number.isFinite), `not finite: ${where}`);
      const vErr = Math.abs(ours.value - ref) / (1 + Math.abs(ref));
      worstValue = Math.max(worstValue, vErr);
      assert.ok(vErr < 2e-6, `value ${where}: ${ours.value} vs ${ref}`);
      ours.grad.forEach((g, i) => {
        // relative per component; components whose weight underflows float32 may be 0 in both
        const err = Math.abs(g - refGrad[i]) / Math.max(Math.abs(refGrad[i]), 1e-30);
        if (Math.abs(refGrad[i]) > 1e-30) worstGrad = Math.max(worstGrad, err);
        assert.ok(err < 1e-4 || Math.abs(refGrad[i]) < 1e-30, `grad[${i}] ${where}: ${g} vs ${refGrad[i]}`);
      });
    }
  }
  console.log(
    `droAggregate float32 vs float64: worst value error ${worstValue.toExponential(2)}, ` +
      `worst relative gradient error ${worstGrad.toExponential(2)}`,
  );
});

test("droAggregate: finite beyond the spec range (1e-30..1e30, alpha 1e-4 and 1e4)", () => {
  for (const alpha of [1e-4, 1e4]) {
    const ours = tfDro([1e-30, 1e30, 1], alpha);
    assert.ok(Number.isFinite(ours.value) && ours.grad.every(Number.isFinite));
  }
});

test("droAggregate reference: gradient equals central finite differences", () => {
  // differences in log L (dV/dlog L_i = L_i dV/dL_i = w_i), so the step suits every magnitude
  for (const losses of [[0.5, 2, 7], [1e-3, 1, 30, 0.2]]) {
    for (const alpha of [0.05, 0.5, 1, 3, 50]) {
      const g = droAggregateGradientReference(losses, alpha);
      losses.forEach((l, i) => {
        const h = 1e-6;
        const up = losses.map((v, k) => (k === i ? v * Math.exp(h) : v));
        const down = losses.map((v, k) => (k === i ? v * Math.exp(-h) : v));
        const fd = (droAggregateReference(up, alpha) - droAggregateReference(down, alpha)) / (2 * h);
        assert.ok(Math.abs(fd - g[i] * l) < 1e-8, `alpha=${alpha} i=${i}: ${fd} vs ${g[i] * l}`);
      });
      // the weights w_i = L_i dV/dL_i are a softmax: they sum to 1
      assert.ok(Math.abs(g.reduce((s, gi, i) => s + gi * losses[i], 0) - 1) < 1e-14);
    }
  }
});

test("droAggregate: the definition alpha * log(mean L^(1/alpha)) where it does not overflow", () => {
  const losses = [0.3, 1.7, 4];
  for (const alpha of [0.25, 0.5, 1, 2, 8]) {
    const direct = alpha * Math.log(losses.reduce((s, l) => s + l ** (1 / alpha), 0) / losses.length);
    assert.ok(Math.abs(droAggregateReference(losses, alpha) - direct) < 1e-14);
    assert.ok(Math.abs(tfDro(losses, alpha).value - direct) < 1e-6);
  }
});

test("droAggregate: limits (alpha -> 0: max; alpha = 1: log mean; alpha -> inf: log geometric mean)", () => {
  const losses = [0.01, 0.5, 3, 20];
  const m = losses.length;
  const logMax = Math.log(20);
  const logMean = Math.log(losses.reduce((a, b) => a + b, 0) / m);
  const logGeo = losses.reduce((a, l) => a + Math.log(l), 0) / m;
  for (const f of [droAggregateReference, (l: number[], a: number) => tfDro(l, a).value]) {
    // alpha -> 0: log max - alpha log M <= V <= log max
    const small = f(losses, 1e-3);
    assert.ok(small <= logMax + 1e-6 && small >= logMax - 1e-3 * Math.log(m) - 1e-6);
    // alpha = 1: exactly the log of the arithmetic mean
    assert.ok(Math.abs(f(losses, 1) - logMean) < 1e-6);
    // alpha -> inf: log geometric mean <= V <= log geo + var(log L) / (2 alpha) + O(alpha^-2)
    const large = f(losses, 1e3);
    assert.ok(large >= logGeo - 1e-5 && large - logGeo < 1e-2, `${large} vs ${logGeo}`);
    // M = 1: log L for any alpha
    for (const alpha of ALPHAS) {
      assert.ok(Math.abs(f([Math.fround(3.7)], alpha) - Math.log(Math.fround(3.7))) < 1e-6);
    }
  }
});

test("droAggregate: bad inputs throw LossInputError naming the argument", () => {
  const ok = [tf.scalar(1), tf.scalar(2)];
  const cases: Array<[() => unknown, RegExp]> = [
    [() => droAggregate([], 1), /losses must be a non-empty array/],
    [() => droAggregate(ok, 0), /option alpha must be > 0/],
    [() => droAggregate(ok, -1), /option alpha must be > 0/],
    [() => droAggregate(ok, NaN), /option alpha must be a finite number/],
    [() => droAggregate(ok, Infinity), /option alpha must be a finite number/],
    [() => droAggregate([tf.scalar(1), tf.scalar(0)], 1), /losses\[1\] must be finite and > 0, got 0/],
    [() => droAggregate([tf.scalar(-1), tf.scalar(1)], 1), /losses\[0\] must be finite and > 0/],
    [() => droAggregate([tf.scalar(1), tf.scalar(NaN)], 1), /losses\[1\] must be finite and > 0, got NaN/],
    [() => droAggregate([tf.scalar(Infinity)], 1), /losses\[0\] must be finite/],
    [
      () => droAggregate([tf.scalar(1), tf.tensor1d([1, 2]) as unknown as tf.Scalar], 1),
      /losses\[1\] must be a scalar/,
    ],
  ];
  for (const [call, message] of cases) {
    assert.throws(
      call,
      (e: unknown) => e instanceof LossInputError && message.test(e.message),
      String(message),
    );
  }
});

test("droAggregate: no tensor leaks", () => {
  const ls = [tf.scalar(1), tf.scalar(2), tf.scalar(5)];
  droAggregate(ls, 0.5).dispose();
  const before = tf.memory().numTensors;
  droAggregate(ls, 0.5).dispose();
  tf.grads((...xs: tf.Tensor[]) => droAggregate(xs as tf.Scalar[], 3))(ls).forEach((g) => g.dispose());
  assert.equal(tf.memory().numTensors, before);
});
