import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { rnc } from "../../lib/losses/rnc.ts";
import { LossInputError } from "../../lib/losses/validate.ts";
import { numericGradient, rncReference } from "../../lib/losses/reference/baselines.ts";
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

function check(labels: number[][], features: number[][], temperature: number, message: string): void {
  const y = tf.tensor2d(labels);
  const { value, grad } = valueAndGrad((x) => rnc(y, x, { temperature }), features);
  y.dispose();
  assertClose(
    value,
    rncReference(labels, features, temperature),
    { atol: 1e-5, rtol: 1e-5 },
    `${message} value`,
  );
  const expected = numericGradient((f) => rncReference(labels, f, temperature), features);
  assertClose(grad, expected, { atol: 1e-3, rtol: 2e-3, scaled: true }, `${message} grad`);
}

Deno.test({
  name: "rnc: value and gradient match the float64 reference (continuous labels)",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(11);
    for (const n of [2, 3, 7, 16, 33]) {
      for (const t of [1, 2, 4]) {
        check(randomMatrix(rng, n, 1, 3), randomMatrix(rng, n, 4), t, `N=${n} t=${t}`);
      }
    }
  },
});

Deno.test({
  name: "rnc: ties in the label distances are handled exactly (integer and multi-column labels)",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(12);
    for (const n of [3, 8, 20, 40]) {
      check(integerMatrix(rng, n, 1, 4), randomMatrix(rng, n, 3), 2, `N=${n} 4 label levels`);
      check(integerMatrix(rng, n, 2, 3), randomMatrix(rng, n, 5), 1, `N=${n} 2 columns`);
    }
    // A symmetric layout: y_i ± 1 tie for every interior anchor.
    check([[0], [1], [2], [3], [4], [5]], randomMatrix(rng, 6, 2), 2, "equispaced labels");
  },
});

Deno.test({
  name: "rnc: fast-check property vs float64 (random N, D, label levels, temperature)",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 24 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(0.5, 1, 2, 4),
        fc.integer({ min: 0, max: 1 << 30 }),
        (n, d, levels, t, seed) => {
          const rng = seeded(seed);
          check(
            integerMatrix(rng, n, 1, levels),
            randomMatrix(rng, n, d),
            t,
            `N=${n} D=${d} levels=${levels}`,
          );
        },
      ),
      { seed: 4242, numRuns: 15 },
    );
  },
});

Deno.test({
  name: "rnc: a tie in the label distance puts both rows in the denominator (hand-computed)",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    // Anchor 0 (label 0): rows 1 and 2 are both at distance 1 (labels 1 and −1). Features on a line.
    const labels = [[0], [1], [-1]];
    const features = [[0], [1], [3]];
    const t = 1;
    const s = (a: number, b: number) => -Math.abs(features[a][0] - features[b][0]) / t;
    const term = (i: number, k: number, set: number[]) =>
      -(s(i, k) - Math.log(set.reduce((acc, j) => acc + Math.exp(s(i, j)), 0)));
    // d(0,·) = [_, 1, 1]; d(1,·) = [1, _, 2]; d(2,·) = [1, 2, _]
    const expected = (term(0, 1, [1, 2]) + term(0, 2, [1, 2]) + term(1, 0, [0, 2]) + term(1, 2, [2]) +
      term(2, 0, [0, 1]) + term(2, 1, [1])) / 6;
    const value = rnc(tf.tensor2d(labels), tf.tensor2d(features), { temperature: t }).dataSync()[0];
    assertClose(value, expected, { atol: 1e-6 });
    assertClose(rncReference(labels, features, t), expected, { atol: 1e-12 });
  },
});

Deno.test({
  name: "rnc: logits spread by hundreds stay finite and match float64, whatever runs share the call",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    // Features ten times the labels (plus noise) at temperature 1/4: an anchor's farthest label is ~400 logits
    // below its nearest row, where a float32 exponential underflows (the kernel takes float64 ones there).
    const rng = seeded(14);
    const n = 12, labels = Array.from({ length: n }, (_, i) => [i]);
    const spread = labels.map(([v]) => [10 * v + rng(), rng(), rng()]);
    const t = 0.25;
    check(labels, spread, t, "spread logits");
    // Its bits alone and between two ordinary runs (which keep float32 exponentials).
    const y = tf.tensor2d(labels);
    const runs = [randomMatrix(rng, n, 3), spread, randomMatrix(rng, n, 3)];
    const of = (features: number[][][], temperature: number[]) =>
      tf.tidy(() => {
        const x = tf.tensor3d(features);
        const grad = tf.grad((f: tf.Tensor) => tf.sum(rnc(y, f as tf.Tensor3D, { temperature })))(x);
        return {
          values: Array.from(rnc(y, x, { temperature }).dataSync()),
          grad: Array.from(grad.dataSync()),
        };
      });
    const alone = of([spread], [t]), among = of(runs, [1, t, 2]);
    assert.ok(Number.isFinite(alone.values[0]));
    assert.equal(among.values[1], alone.values[0]);
    assert.deepEqual(among.grad.slice(n * 3, 2 * n * 3), alone.grad);
    y.dispose();
  },
});

Deno.test({
  name: "rnc: constant labels, duplicate and constant features give no NaN",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(13);
    const constantLabels = Array.from({ length: 6 }, () => [2]);
    check(constantLabels, randomMatrix(rng, 6, 3), 2, "constant labels");
    // Duplicate feature rows: a zero off-diagonal distance (gradient of ‖·‖ at 0 must be 0, not NaN).
    const f = randomMatrix(rng, 6, 3);
    f[4] = [...f[1]];
    check(integerMatrix(rng, 6, 1, 3), f, 2, "duplicate rows");
    // All feature rows equal: every logit is 0, loss = mean over pairs of log(#denominator).
    const same = Array.from({ length: 5 }, () => [0.5, -1]);
    const { value, grad } = valueAndGrad((x) => rnc(tf.tensor1d([0, 1, 2, 3, 4]), x), same);
    assertFinite(grad as number[][], "constant features grad");
    assertClose(value, rncReference([0, 1, 2, 3, 4], same, 2), { atol: 1e-6 });
    assert.ok(value > 0);
  },
});

Deno.test({
  name: "rnc: bad inputs throw LossInputError",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const y = tf.tensor1d([0, 1, 2]);
    const x = tf.tensor2d([[0, 1], [1, 0], [1, 1]]);
    assert.throws(() => rnc(y, tf.tensor2d([[0, 1], [1, 0]])), /rnc: features has 2 rows but yTrue has 3/);
    assert.throws(
      () => rnc(y, tf.tensor1d([0, 1, 2])),
      /rnc: features must be a tf.Tensor of shape \[N, D\]/,
    );
    assert.throws(() => rnc(tf.tensor1d([0]), tf.tensor2d([[0, 1]])), /at least 2/);
    assert.throws(() => rnc(y, tf.tensor2d([[0, 1], [NaN, 0], [1, 1]])), /features contains NaN/);
    assert.throws(() => rnc(tf.tensor1d([0, Infinity, 1]), x), /yTrue contains Infinity/);
    assert.throws(() => rnc(y, x, { temperature: 0 }), LossInputError);
    assert.throws(() => rnc(y, x, { temperature: -1 }), /temperature must be > 0/);
  },
});

Deno.test({
  name: "rnc: vectorised — kernel count independent of N, no O(N³) intermediate",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const traces = [];
    for (const n of [8, 64]) {
      const rng = seeded(n);
      const y = tf.tensor2d(integerMatrix(rng, n, 1, 5));
      const x = tf.tensor2d(randomMatrix(rng, n, 4));
      traces.push(await kernelTrace(() => tf.grad((f: tf.Tensor) => rnc(y, f))(x)));
      tf.dispose([y, x]);
    }
    assert.deepEqual(traces[0].kernels, traces[1].kernels);
    // At N = 64, D = 4 the largest tensor is an [N, N] matrix (4096 entries), far below N³ = 262144.
    assert.ok(traces[1].maxOutputSize <= 64 * 64 * 4, `largest intermediate ${traces[1].maxOutputSize}`);
  },
});
