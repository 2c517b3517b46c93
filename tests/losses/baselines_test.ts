import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { mae } from "../../lib/losses/mae.ts";
import { mse } from "../../lib/losses/mse.ts";
import { huber } from "../../lib/losses/huber.ts";
import { focalMae } from "../../lib/losses/focal_mae.ts";
import { focalMse } from "../../lib/losses/focal_mse.ts";
import { maePearson } from "../../lib/losses/mae_pearson.ts";
import { LossInputError } from "../../lib/losses/validate.ts";
import {
  focalMaeReference,
  focalMseReference,
  huberReference,
  maePearsonReference,
  maePearsonWeightReference,
  maeReference,
  mseReference,
  numericGradient,
} from "../../lib/losses/reference/baselines.ts";
import type { Matrix } from "../../lib/losses/reference/mod.ts";
import {
  assertClose,
  assertFinite,
  kernelTrace,
  randomMatrix,
  seeded,
  TF_TEST,
  useCpu,
  valueAndGrad,
} from "./_baseline_helpers.ts";

type LabelLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;
type RefLoss = (yTrue: Matrix, yPred: Matrix) => number;

interface Case {
  name: string;
  loss: LabelLoss;
  ref: RefLoss;
  /** The float64 oracle of the gradient (defaults to finite differences of `ref`). */
  refGrad?: (yTrue: Matrix, yPred: Matrix) => Matrix;
}

const maePearsonGrad = (form: "paper" | "code") => (t: Matrix, p: Matrix) => {
  const w = maePearsonWeightReference(t, p, form); // the detached weight, held constant
  return numericGradient((q) => maePearsonReference(t, q, form, w), p);
};

const CASES: Case[] = [
  { name: "mae", loss: mae, ref: maeReference },
  { name: "mse", loss: mse, ref: mseReference },
  { name: "huber δ=1", loss: (t, p) => huber(t, p), ref: (t, p) => huberReference(t, p, 1) },
  {
    name: "huber δ=0.25",
    loss: (t, p) => huber(t, p, { delta: 0.25 }),
    ref: (t, p) => huberReference(t, p, 0.25),
  },
  { name: "huber δ=4", loss: (t, p) => huber(t, p, { delta: 4 }), ref: (t, p) => huberReference(t, p, 4) },
  {
    name: "focalMae default",
    loss: (t, p) => focalMae(t, p),
    ref: (t, p) => focalMaeReference(t, p, 0.2, 1),
  },
  {
    name: "focalMae β=4 γ=2",
    loss: (t, p) => focalMae(t, p, { beta: 4, gamma: 2 }),
    ref: (t, p) => focalMaeReference(t, p, 4, 2),
  },
  {
    name: "focalMae β=1 γ=0.5",
    loss: (t, p) => focalMae(t, p, { beta: 1, gamma: 0.5 }),
    ref: (t, p) => focalMaeReference(t, p, 1, 0.5),
  },
  {
    name: "focalMse default",
    loss: (t, p) => focalMse(t, p),
    ref: (t, p) => focalMseReference(t, p, 0.2, 1),
  },
  {
    name: "focalMse β=0.25",
    loss: (t, p) => focalMse(t, p, { beta: 0.25 }),
    ref: (t, p) => focalMseReference(t, p, 0.25, 1),
  },
  {
    name: "maePearson paper",
    loss: (t, p) => maePearson(t, p),
    ref: (t, p) => maePearsonReference(t, p, "paper"),
    refGrad: maePearsonGrad("paper"),
  },
  {
    name: "maePearson code",
    loss: (t, p) => maePearson(t, p, { form: "code" }),
    ref: (t, p) => maePearsonReference(t, p, "code"),
    refGrad: maePearsonGrad("code"),
  },
];

/** Checks value and gradient (w.r.t. yPred) of one case on one batch against float64. */
function checkCase(c: Case, yTrue: Matrix, yPred: Matrix, asVector: boolean): void {
  const t = asVector ? yTrue.map((r) => r[0]) : yTrue;
  const p = asVector ? yPred.map((r) => r[0]) : yPred;
  const yT = asVector ? tf.tensor1d(t as number[]) : tf.tensor2d(t as number[][]);
  const { value, grad } = valueAndGrad((x) => c.loss(yT, x), p);
  yT.dispose();
  const label = `${c.name} N=${yTrue.length} T=${yTrue[0].length}${asVector ? " [N]" : ""}`;
  assertClose(value, c.ref(yTrue, yPred), { atol: 1e-6, rtol: 2e-5 }, `${label} value`);
  const expected = (c.refGrad ?? ((a, b) => numericGradient((q) => c.ref(a, q), b)))(yTrue, yPred);
  assertClose(
    grad,
    asVector ? expected.map((r) => r[0]) : expected,
    { atol: 2e-4, rtol: 1e-3, scaled: true },
    `${label} grad`,
  );
}

Deno.test({
  name: "label-space baselines: value and gradient match the float64 references ([N] and [N, T])",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(7);
    for (const n of [2, 3, 8, 33]) {
      for (const targets of [1, 3]) {
        const yTrue = randomMatrix(rng, n, targets, 2);
        // Predictions correlated with the labels plus noise (a positive Pearson, non-trivial MAE).
        const noise = randomMatrix(rng, n, targets, 1.5);
        const yPred = yTrue.map((r, i) => r.map((v, j) => Math.fround(0.7 * v + noise[i][j] + 0.3)));
        for (const c of CASES) checkCase(c, yTrue, yPred, false);
        if (targets === 1) { for (const c of CASES) checkCase(c, yTrue, yPred, true); }
      }
    }
  },
});

Deno.test({
  name: "label-space baselines: fast-check property vs float64 (random N, T, scale)",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0.1, 1, 10),
        fc.integer({ min: 0, max: 1 << 30 }),
        (n, targets, scale, seed) => {
          const rng = seeded(seed);
          const yTrue = randomMatrix(rng, n, targets, scale);
          const yPred = randomMatrix(rng, n, targets, scale);
          for (const c of CASES) checkCase(c, yTrue, yPred, false);
        },
      ),
      { seed: 20250601, numRuns: 12 },
    );
  },
});

Deno.test({
  name: "label-space baselines: known values",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const y = tf.tensor1d([0, 0, 0, 0]);
    const f = tf.tensor1d([0.5, -3, 1, 2]);
    assert.equal(mae(y, f).dataSync()[0], 6.5 / 4);
    assertClose(mse(y, f).dataSync()[0], (0.25 + 9 + 1 + 4) / 4);
    // HuberLoss(1): 0.125, 2.5, 0.5 (|r| = 1 is on the linear side), 1.5
    assertClose(huber(y, f).dataSync()[0], (0.125 + 2.5 + 0.5 + 1.5) / 4);
    // Perfectly correlated predictions: ρ = 1 → MAE-Pearson = MAE.
    const yt = tf.tensor1d([1, 2, 3, 4]);
    assertClose(
      maePearson(yt, tf.tensor1d([3, 5, 7, 9])).dataSync()[0],
      maeReference([1, 2, 3, 4], [3, 5, 7, 9]),
      {
        atol: 1e-5,
      },
    );
    // Anti-correlated: ρ = −1 → −MAE + 2·2.
    assertClose(maePearson(yt, tf.tensor1d([4, 3, 2, 1])).dataSync()[0], -2 + 4, { atol: 1e-5 });
  },
});

Deno.test({
  name: "label-space baselines: the focal weight is not detached",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    // d/dr [r·(2σ(βr) − 1)] = (2σ(βr) − 1) + r·2β·σ(βr)(1 − σ(βr)) for r > 0; N = 2, mean → /2.
    const beta = 1;
    const r = 1.5;
    const s = 1 / (1 + Math.exp(-beta * r));
    const expected = ((2 * s - 1) + r * 2 * beta * s * (1 - s)) / 2;
    const { grad } = valueAndGrad((x) => focalMae(tf.tensor1d([0, 0]), x, { beta }), [r, 0]);
    assertClose((grad as number[])[0], expected, { atol: 1e-6 });
    assert.ok(Math.abs((grad as number[])[0] - (2 * s - 1) / 2) > 0.1); // a detached weight would give this
  },
});

Deno.test({
  name: "label-space baselines: maePearson's β is detached",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const t = [[0.3], [1.2], [-0.7], [2.2], [0.1]];
    const p = [[0.9], [0.4], [-0.1], [1.0], [1.5]];
    const { grad } = valueAndGrad((x) => maePearson(tf.tensor2d(t), x), p);
    const full = numericGradient((q) => maePearsonReference(t, q, "paper"), p); // β varying with q
    const held = maePearsonGrad("paper")(t, p);
    assertClose(grad, held, { atol: 1e-4, scaled: true }, "held-β gradient");
    const gap = Math.max(...full.map((r, i) => Math.abs(r[0] - held[i][0])));
    assert.ok(gap > 1e-2, `the two gradients should differ here (gap ${gap})`);
  },
});

Deno.test({
  name: "label-space baselines: constant predictions, constant labels and zero errors give no NaN",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const varying = [0.5, -1, 2, 3.5, 0];
    const constant = [1.25, 1.25, 1.25, 1.25, 1.25];
    const batches: [string, number[], number[]][] = [
      ["constant predictions", varying, constant],
      ["constant labels", constant, varying],
      ["both constant", constant, constant],
      ["zero error", varying, varying],
    ];
    for (const c of CASES) {
      for (const [what, t, p] of batches) {
        const { value, grad } = valueAndGrad((x) => c.loss(tf.tensor1d(t), x), p);
        assertFinite(value, `${c.name} ${what} value`);
        assertFinite(grad as number[], `${c.name} ${what} grad`);
      }
    }
    // Documented eps behaviour of maePearson: ρ ≈ 0 for constant predictions, so the loss ≈ 1.
    assertClose(maePearson(tf.tensor1d(varying), tf.tensor1d(constant)).dataSync()[0], 1, { atol: 1e-3 });
    // The zero-error subgradient is 0, as torch.
    const { grad } = valueAndGrad((x) => mae(tf.tensor1d(varying), x), varying);
    assert.deepEqual(grad, [0, 0, 0, 0, 0]);
  },
});

Deno.test({
  name: "label-space baselines: bad inputs throw LossInputError naming the argument",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const ok = tf.tensor1d([1, 2, 3]);
    const losses: [string, LabelLoss][] = CASES.map((c) => [c.name, c.loss]);
    for (const [name, loss] of losses) {
      assert.throws(() => loss(ok, tf.tensor1d([1, 2])), LossInputError, name);
      assert.throws(() => loss(ok, tf.tensor2d([[1, 2, 3]]).reshape([3, 1]).reshape([1, 3])), LossInputError);
      assert.throws(() => loss(tf.tensor1d([1]), tf.tensor1d([1])), /at least 2/, name);
      assert.throws(() => loss(ok, tf.tensor1d([1, NaN, 3])), /yPred contains NaN/, name);
      assert.throws(() => loss(tf.tensor1d([1, Infinity, 3]), ok), /yTrue contains Infinity/, name);
      assert.throws(
        () => loss(tf.tensor3d([[[1]], [[2]]]), tf.tensor3d([[[1]], [[2]]])),
        LossInputError,
        name,
      );
    }
    assert.throws(() => huber(ok, ok, { delta: 0 }), /huber: option delta must be > 0/);
    assert.throws(() => huber(ok, ok, { delta: NaN }), /delta must be a finite number/);
    assert.throws(() => focalMae(ok, ok, { beta: -1 }), /focalMae: option beta/);
    assert.throws(() => focalMse(ok, ok, { gamma: -0.5 }), /focalMse: option gamma must be >= 0/);
    assert.throws(() => maePearson(ok, ok, { form: "other" as "paper" }), /maePearson: option form/);
  },
});

Deno.test({
  name: "label-space baselines: usable as tfjs-layers losses",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rng = seeded(3);
    const x = tf.tensor2d(randomMatrix(rng, 16, 3));
    const y = tf.tensor2d(randomMatrix(rng, 16, 1));
    for (const c of CASES) {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
      model.compile({ optimizer: tf.train.sgd(0.01), loss: (t: tf.Tensor, p: tf.Tensor) => c.loss(t, p) });
      const history = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false });
      const losses = history.history.loss as number[];
      assert.equal(losses.length, 2);
      losses.forEach((v) => assert.ok(Number.isFinite(v), `${c.name}: loss ${v}`));
      model.dispose();
    }
  },
});

Deno.test({
  name: "label-space baselines: no per-row JavaScript loop (kernel count independent of N)",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    for (const c of CASES) {
      const counts = [];
      for (const n of [4, 64]) {
        const rng = seeded(n);
        const t = tf.tensor2d(randomMatrix(rng, n, 2));
        const p = tf.tensor2d(randomMatrix(rng, n, 2));
        const trace = await kernelTrace(() => tf.grad((q: tf.Tensor) => c.loss(t, q))(p));
        counts.push(trace.kernels.length);
        tf.dispose([t, p]);
      }
      assert.equal(counts[0], counts[1], `${c.name}: ${counts[0]} kernels at N=4, ${counts[1]} at N=64`);
    }
  },
});
