import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { conr } from "../../lib/losses/conr.ts";
import { LossInputError } from "../../lib/losses/validate.ts";
import { conrReference, numericGradient } from "../../lib/losses/reference/baselines.ts";
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

const DEFAULTS = { w: 1, t: 0.07, e: 0.01 };

function check(
  labels: number[][],
  preds: number[][],
  features: number[][],
  options: { w: number; t: number; e: number },
  message: string,
): number {
  const y = tf.tensor2d(labels);
  const p = tf.tensor2d(preds);
  const { value, grad } = valueAndGrad((x) => conr(y, p, x, options), features);
  tf.dispose([y, p]);
  assertClose(
    value,
    conrReference(labels, preds, features, options),
    { atol: 1e-5, rtol: 1e-5 },
    `${message} value`,
  );
  const expected = numericGradient((f) => conrReference(labels, preds, f, options), features);
  assertClose(grad, expected, { atol: 1e-3, rtol: 2e-3, scaled: true }, `${message} grad`);
  return value;
}

/** Predictions squeezed together, so that far labels often have close predictions (negatives). */
function squeezed(rng: () => number, labels: number[][]): number[][] {
  return labels.map((r) => r.map((v) => Math.fround(0.2 * v + 0.3 * (rng() - 0.5))));
}

Deno.test({
  name: "conr: value and gradient match the float64 reference (ties, several N, options)",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(21);
    let positives = 0;
    for (const n of [2, 3, 8, 17, 40]) {
      const tied = integerMatrix(rng, n, 1, 6); // integer labels: distances tie, some exactly = w
      positives += check(tied, squeezed(rng, tied), randomMatrix(rng, n, 4), DEFAULTS, `N=${n} tied`);
      const cont = randomMatrix(rng, n, 1, 2);
      positives += check(cont, squeezed(rng, cont), randomMatrix(rng, n, 3), DEFAULTS, `N=${n} continuous`);
      const multi = integerMatrix(rng, n, 3, 4);
      check(
        multi,
        squeezed(rng, multi),
        randomMatrix(rng, n, 5),
        { w: 1.5, t: 0.5, e: 0.2 },
        `N=${n} 3 columns`,
      );
    }
    assert.ok(positives > 0, "some batches must have a non-zero loss");
  },
});

Deno.test({
  name: "conr: fast-check property vs float64",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 24 }),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom(0.5, 1, 2),
        fc.constantFrom(0.07, 0.5),
        fc.integer({ min: 0, max: 1 << 30 }),
        (n, targets, w, t, seed) => {
          const rng = seeded(seed);
          const y = integerMatrix(rng, n, targets, 5);
          check(y, squeezed(rng, y), randomMatrix(rng, n, 3), { w, t, e: 0.01 }, `N=${n} T=${targets}`);
        },
      ),
      { seed: 777, numRuns: 15 },
    );
  },
});

Deno.test({
  name: "conr: the authors' quirk — Σ_k exp(pos_ik) includes exp(0) = 1 for every non-positive k",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    // Row 0: positive {1} (|0 − 0.5| ≤ 1), negative {2} (|0 − 3| > 1 but |0 − 0.6| ≤ 1).
    // Row 1: positive {0}, negative {2} (|0.5 − 3| > 1, |0.5 − 0.6| ≤ 1). Row 2: no positive.
    const y = [0, 0.5, 3];
    const p = [0, 0.5, 0.6];
    const x = [[1, 0], [0.6, 0.8], [0, 1]];
    const { t, e } = DEFAULTS;
    const cos01 = 0.6;
    const cos02 = 0;
    const cos12 = 0.8;
    // D_0 = exp(pos_00 = 0) + exp(cos01/t) + exp(pos_02 = 0) + exp(3e)·exp(cos02/t)
    const d0 = 1 + Math.exp(cos01 / t) + 1 + Math.exp(3 * e) * Math.exp(cos02 / t);
    const d1 = Math.exp(cos01 / t) + 1 + 1 + Math.exp(2.5 * e) * Math.exp(cos12 / t);
    const loss0 = Math.log(d0) - cos01 / t;
    const loss1 = Math.log(d1) - cos01 / t;
    const expected = (loss0 + loss1 + 0) / 3;
    const value = conr(tf.tensor1d(y), tf.tensor1d(p), tf.tensor2d(x)).dataSync()[0];
    assertClose(value, expected, { atol: 1e-5, rtol: 1e-5 });
    assertClose(conrReference(y, p, x, DEFAULTS), expected, { atol: 1e-12, rtol: 1e-12 });
  },
});

Deno.test({
  name: "conr: no gradient into yPred; no negatives → 0; constant inputs give no NaN",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(22);
    const y = tf.tensor1d([0, 0.5, 3, 4, 7]);
    const x = tf.tensor2d(randomMatrix(rng, 5, 3));
    const [gPred, gFeat] = tf.grads((p: tf.Tensor, f: tf.Tensor) => conr(y, p, f))([
      tf.tensor1d([0, 0.4, 0.6, 0.2, 0.9]),
      x,
    ]);
    assert.deepEqual(Array.from(gPred.dataSync()), [0, 0, 0, 0, 0]);
    assert.ok(Array.from(gFeat.dataSync()).some((v) => v !== 0));
    // Predictions equal to far-apart labels: no negatives anywhere → 0, zero gradient.
    const far = tf.tensor1d([0, 10, 20, 30, 40]);
    const none = valueAndGrad((f) => conr(far, far, f), randomMatrix(rng, 5, 3));
    assert.equal(none.value, 0);
    assertFinite(none.grad as number[][]);
    assert.ok((none.grad as number[][]).flat().every((v) => v === 0));
    // Constant labels (all positives, no negatives), constant predictions, constant / zero features.
    const cases: [number[], number[], number[][]][] = [
      [[1, 1, 1, 1], [0, 3, 6, 9], randomMatrix(rng, 4, 2)],
      [[0, 2, 4, 6], [5, 5, 5, 5], randomMatrix(rng, 4, 2)],
      [[0, 2, 4, 6], [5, 5, 5, 5], [[1, 2], [1, 2], [1, 2], [1, 2]]],
      [[0, 2, 4, 6], [5, 5, 5, 5], [[0, 0], [0, 0], [1, 0], [0, 0]]],
    ];
    for (const [labels, preds, feats] of cases) {
      const { value, grad } = valueAndGrad((f) => conr(tf.tensor1d(labels), tf.tensor1d(preds), f), feats);
      assertFinite(value, `labels ${labels} preds ${preds}`);
      assertFinite(grad as number[][], `labels ${labels} preds ${preds}`);
      assertClose(value, conrReference(labels, preds, feats, DEFAULTS), { atol: 1e-5, rtol: 1e-5 });
    }
  },
});

Deno.test({
  name: "conr: bad inputs throw LossInputError",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const y = tf.tensor1d([0, 1, 2]);
    const x = tf.tensor2d([[0, 1], [1, 0], [1, 1]]);
    assert.throws(
      () => conr(y, tf.tensor1d([0, 1]), x),
      /conr: yTrue has shape \[3\] but yPred has shape \[2\]/,
    );
    assert.throws(() => conr(y, y, tf.tensor2d([[0, 1]])), /conr: features has 1 rows but yTrue has 3/);
    assert.throws(() => conr(y, tf.tensor1d([0, NaN, 1]), x), /yPred contains NaN/);
    assert.throws(
      () => conr(y, y, tf.tensor2d([[0, 1], [1, Infinity], [1, 1]])),
      /features contains Infinity/,
    );
    assert.throws(() => conr(y, y, x, { w: -1 }), /conr: option w must be >= 0/);
    assert.throws(() => conr(y, y, x, { t: 0 }), /conr: option t must be > 0/);
    assert.throws(() => conr(y, y, x, { e: NaN }), LossInputError);
  },
});

Deno.test({
  name: "conr: vectorised — kernel count independent of N",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const traces = [];
    for (const n of [8, 64]) {
      const rng = seeded(n);
      const yy = integerMatrix(rng, n, 1, 5);
      const y = tf.tensor2d(yy);
      const p = tf.tensor2d(squeezed(rng, yy));
      const x = tf.tensor2d(randomMatrix(rng, n, 4));
      traces.push(await kernelTrace(() => tf.grad((f: tf.Tensor) => conr(y, p, f))(x)));
      tf.dispose([y, p, x]);
    }
    assert.deepEqual(traces[0].kernels, traces[1].kernels);
    assert.ok(traces[1].maxOutputSize <= 64 * 64 * 4, `largest intermediate ${traces[1].maxOutputSize}`);
  },
});
