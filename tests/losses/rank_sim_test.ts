import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { selectBackend } from "../../lib/backend.ts";
import { rankSim } from "../../lib/losses/rank_sim.ts";
import { withHostLabels } from "../../lib/losses/host_labels.ts";
import { LossInputError } from "../../lib/losses/validate.ts";
import {
  rankNormalisedReference,
  rankSimReference,
  rankSimRowsReference,
} from "../../lib/losses/reference/baselines.ts";
import {
  assertClose,
  assertFinite,
  integerMatrix,
  kernelTrace,
  randomMatrix,
  seeded,
  TF_TEST,
  useCpu,
  valueAndGrad,
} from "./_baseline_helpers.ts";

function check(
  labels: number[],
  features: number[][],
  lambda: number,
  message: string,
  rngSeed?: number,
): { value: number; grad: number[][] } {
  const y = tf.tensor1d(labels);
  const rng = rngSeed === undefined ? undefined : seeded(rngSeed);
  const { value, grad } = valueAndGrad((x) => rankSim(y, x, { lambda, rng }), features);
  y.dispose();
  const ref = rankSimReference(labels, features, lambda, rngSeed === undefined ? undefined : seeded(rngSeed));
  assertClose(value, ref.value, { atol: 1e-6, rtol: 1e-6 }, `${message} value`);
  // The blackbox gradient is piecewise constant in multiples of 1/(U·λ): compare tightly.
  assertClose(grad, ref.grad, { atol: 1e-4, rtol: 1e-3, scaled: true }, `${message} grad`);
  return { value, grad: grad as number[][] };
}

Deno.test({
  name: "rankSim: value and blackbox gradient match the float64 reference (distinct labels)",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(31);
    for (const n of [2, 3, 8, 20, 48]) {
      for (const lambda of [0.5, 1, 2]) {
        const labels = randomMatrix(rng, n, 1, 3).map((r) => r[0]);
        const { value, grad } = check(labels, randomMatrix(rng, n, 6), lambda, `N=${n} λ=${lambda}`);
        if (n >= 8) {
          assert.ok(value > 0, "random features should not rank like the labels");
          assert.ok(grad.flat().some((v) => v !== 0), "the blackbox gradient should not vanish");
        }
      }
    }
  },
});

Deno.test({
  name: "rankSim: tied labels keep the first row per label (sorted), ties in the label ranks",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(32);
    for (const n of [4, 12, 40]) {
      const labels = integerMatrix(rng, n, 1, 7).map((r) => r[0]); // wine-like integer labels
      const { grad } = check(labels, randomMatrix(rng, n, 5), 2, `N=${n} tied`);
      // Rows that are not the first of their label get no gradient.
      const kept = new Set(rankSimRowsReference(labels));
      grad.forEach((row, i) => {
        if (!kept.has(i)) assert.ok(row.every((v) => v === 0), `row ${i} is unused`);
      });
    }
    assert.deepEqual(rankSimRowsReference([3, 1, 3, 2, 1]), [1, 3, 0]);
    // The tie rule of the ranks: later index first among equals (torch argsort + flip, stable sort).
    assert.deepEqual(rankNormalisedReference([-1, 0, -1, -2]), [0.75, 0.25, 0.5, 1]);
  },
});

Deno.test({
  name: "rankSim: the rng option picks a row per label uniformly, reproducibly",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(33);
    const labels = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3];
    const features = randomMatrix(rng, labels.length, 4);
    const first = check(labels, features, 1, "first rows");
    const sampled = check(labels, features, 1, "rng rows", 99);
    const again = check(labels, features, 1, "rng rows again", 99);
    assert.deepEqual(sampled, again);
    const rows = rankSimRowsReference(labels, seeded(99));
    assert.notDeepEqual(rows, rankSimRowsReference(labels), "seed 99 should pick some non-first row");
    assert.notDeepEqual(sampled.grad, first.grad);
    // Each pick is among the rows of its label.
    rows.forEach((r, g) => assert.equal(labels[r], g));
    assert.throws(
      () => rankSim(tf.tensor1d(labels), tf.tensor2d(features), { rng: () => 1 }),
      /rankSim: option rng must return a number in \[0, 1\)/,
    );
  },
});

Deno.test({
  name: "rankSim: fast-check property vs float64 (random N, D, label levels, λ)",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 32 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 64 }),
        fc.constantFrom(0.5, 1, 2),
        fc.integer({ min: 0, max: 1 << 30 }),
        (n, d, levels, lambda, seed) => {
          const rng = seeded(seed);
          const labels = integerMatrix(rng, n, 1, levels).map((r) => r[0]);
          check(labels, randomMatrix(rng, n, d), lambda, `N=${n} D=${d} levels=${levels}`);
        },
      ),
      { seed: 31337, numRuns: 15 },
    );
  },
});

Deno.test({
  name: "rankSim: known answers, [N, 1] labels, and no ×100 weight",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    // Features on a quarter circle in label order: similarities rank exactly as labels → 0.
    const angles = [0, 0.3, 0.7, 1.2, 1.5];
    const aligned = angles.map((a) => [Math.cos(a), Math.sin(a)]);
    const y = [0, 0.3, 0.7, 1.2, 1.5];
    assert.equal(rankSim(tf.tensor1d(y), tf.tensor2d(aligned)).dataSync()[0], 0);
    assert.equal(rankSim(tf.tensor2d(y, [5, 1]), tf.tensor2d(aligned)).dataSync()[0], 0);
    // Reversed labels: a positive value equal to the reference (which carries no ×100 factor).
    const reversed = [...y].reverse();
    const value = rankSim(tf.tensor2d(reversed, [5, 1]), tf.tensor2d(aligned)).dataSync()[0];
    assert.ok(value > 0);
    assertClose(value, rankSimReference(reversed, aligned, 2).value, { atol: 1e-6 });
    assert.ok(value < 5, "a ×100 weight would make this > 5");
  },
});

Deno.test({
  name: "rankSim: all labels equal, constant or zero features give no NaN",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(34);
    const same = valueAndGrad((x) => rankSim(tf.tensor1d([2, 2, 2, 2]), x), randomMatrix(rng, 4, 3));
    assert.equal(same.value, 0); // one row left: U = 1
    assert.ok((same.grad as number[][]).flat().every((v) => v === 0));
    for (
      const feats of [
        Array.from({ length: 5 }, () => [1, -2, 0.5]),
        Array.from({ length: 5 }, () => [0, 0, 0]),
      ]
    ) {
      const { value, grad } = valueAndGrad((x) => rankSim(tf.tensor1d([0, 1, 2, 3, 4]), x), feats);
      assertFinite(value);
      assertFinite(grad as number[][]);
    }
  },
});

Deno.test({
  name: "rankSim: bad inputs throw LossInputError",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const y = tf.tensor1d([0, 1, 2]);
    const x = tf.tensor2d([[0, 1], [1, 0], [1, 1]]);
    assert.throws(
      () => rankSim(tf.tensor2d([[0, 1], [1, 2], [2, 3]]), x),
      /rankSim: yTrue must have shape \[N\] or \[N, 1\]/,
    );
    assert.throws(() => rankSim(y, tf.tensor2d([[0, 1], [1, 0]])), /features has 2 rows but yTrue has 3/);
    assert.throws(
      () => rankSim(y, tf.tensor3d([[[0]], [[1]], [[2]]])),
      /features must be a tf.Tensor of shape \[N, D\]/,
    );
    assert.throws(() => rankSim(tf.tensor1d([0]), tf.tensor2d([[1, 0]])), /at least 2/);
    assert.throws(() => rankSim(tf.tensor1d([0, NaN, 1]), x), /yTrue contains NaN/);
    assert.throws(() => rankSim(y, x, { lambda: 0 }), /rankSim: option lambda must be > 0/);
    assert.throws(() => rankSim(y, x, { rng: 3 as unknown as () => number }), LossInputError);
  },
});

Deno.test({
  name: "rankSim: vectorised — kernel count independent of N (distinct and tied labels)",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    for (const levels of [1e9, 5]) {
      const traces = [];
      for (const n of [8, 64]) {
        const rng = seeded(n);
        const y = tf.tensor1d(integerMatrix(rng, n, 1, levels).map((r) => r[0]));
        const x = tf.tensor2d(randomMatrix(rng, n, 4));
        traces.push(await kernelTrace(() => tf.grad((f: tf.Tensor) => rankSim(y, f))(x)));
        tf.dispose([y, x]);
      }
      assert.deepEqual(traces[0].kernels, traces[1].kernels, `levels=${levels}`);
      assert.ok(traces[1].maxOutputSize <= 64 * 64 * 4);
    }
  },
});

Deno.test({
  name: "rankSim: hostLabels gives the same value and gradient as reading yTrue; a wrong length is an error",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const labels = [[0], [1], [1], [2], [0], [3]];
    const feats = randomMatrix(seeded(77), labels.length, 4);
    const y = tf.tensor2d(labels);
    const a = valueAndGrad((x) => rankSim(y, x, { lambda: 2 }), feats);
    const b = valueAndGrad((x) => rankSim(y, x, { lambda: 2, hostLabels: labels.map((r) => r[0]) }), feats);
    assert.equal(a.value, b.value);
    assert.deepEqual(a.grad, b.grad);
    assert.throws(
      () => rankSim(y, tf.tensor2d(feats), { hostLabels: [0, 1] }),
      (e: unknown) =>
        e instanceof LossInputError && /hostLabels has 2 values but yTrue has 6 rows/.test(e.message),
    );
    y.dispose();
  },
});

Deno.test({
  name:
    "rankSim: two calls in one gradient (the first's kept arrays taken by the second) give each its own bits",
  ...TF_TEST,
  fn: async () => {
    for (const backend of ["cpu", "wasm"] as const) {
      await selectBackend({ backend });
      tf.tidy(() => {
        const rng = seeded(78);
        const y = tf.tensor1d(Array.from({ length: 10 }, (_, i) => i % 7));
        const [a, b] = [tf.tensor2d(randomMatrix(rng, 10, 4)), tf.tensor2d(randomMatrix(rng, 10, 4))];
        // The backward pass runs the second call's first, then the first's, whose forward arrays it recomputes.
        const both = tf.grads((p: tf.Tensor, q: tf.Tensor) =>
          tf.add(rankSim(y, p as tf.Tensor2D, { lambda: 2 }), rankSim(y, q as tf.Tensor2D, { lambda: 0.5 }))
        )([a, b]);
        const one = tf.grad((p: tf.Tensor) => rankSim(y, p as tf.Tensor2D, { lambda: 2 }))(a);
        const two = tf.grad((q: tf.Tensor) => rankSim(y, q as tf.Tensor2D, { lambda: 0.5 }))(b);
        assert.deepEqual(both[0].dataSync(), one.dataSync(), `${backend}: first call`);
        assert.deepEqual(both[1].dataSync(), two.dataSync(), `${backend}: second call`);
      });
    }
    await useCpu();
  },
});

Deno.test("rankSim: labels recorded with withHostLabels are used like option hostLabels", async () => {
  await tf.setBackend("cpu");
  const values = [0, 1, 1, 2, 3, 3];
  const x = tf.tensor2d([[1, 0], [0.8, 0.6], [0.6, 0.8], [0, 1], [-0.6, 0.8], [-1, 0.2]]);
  // The recorded values decide the unique-label rows: record other labels than the tensor holds.
  const recorded = [5, 4, 3, 2, 1, 0];
  const y = withHostLabels(tf.tensor1d(values), recorded);
  const viaRecord = rankSim(y, x).dataSync()[0];
  const viaOption = rankSim(tf.tensor1d(values), x, { hostLabels: recorded }).dataSync()[0];
  const fromTensor = rankSim(tf.tensor1d(values), x).dataSync()[0];
  assert.equal(viaRecord, viaOption);
  assert.notEqual(viaRecord, fromTensor);
  assert.throws(() => withHostLabels(tf.tensor1d([1, 2]), [1]), /1 values for a tensor of 2 elements/);
});
