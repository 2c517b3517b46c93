import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { pairwiseDiffLoss } from "../../lib/losses/pairwise_diff_loss.ts";
import { pairwiseDiffNormLoss } from "../../lib/losses/pairwise_diff_norm_loss.ts";
import { errorVarianceLoss } from "../../lib/losses/error_variance_loss.ts";
import { negPearsonLoss } from "../../lib/losses/neg_pearson_loss.ts";
import { LossInputError } from "../../lib/losses/validate.ts";
import {
  errorVarianceLossReference,
  negPearsonLossReference,
  pairwiseDiffLossReference,
  pairwiseDiffNormLossReference,
} from "../../lib/losses/reference/pairwise.ts";
import type { Matrix } from "../../lib/losses/reference/mod.ts";
import { maxAbs, maxAbsDiff, randomPair, scalar, tensor, toMatrix } from "./_gar_test_utils.ts";

await tf.setBackend("cpu");
await tf.ready();

const test = (name: string, fn: () => void | Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

type Loss = (t: tf.Tensor, p: tf.Tensor) => tf.Scalar;

function valueAndGrad(loss: Loss, y: Matrix, f: Matrix): { value: number; grad: Matrix } {
  return tf.tidy(() => {
    const yt = tensor(y);
    const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => loss(yt, p))(tensor(f));
    return { value: scalar(value), grad: toMatrix(grad) };
  });
}

const close = (a: number, b: number, rel = 1e-5) => Math.abs(a - b) <= rel * (1 + Math.abs(b));

const CASES: Array<[number, number, number]> = [[2, 1, 1], [5, 1, 0.01], [17, 1, 100], [9, 3, 1], [
  30,
  2,
  10,
]];

test("pairwise losses: tf values match the float64 references", () => {
  let seed = 1;
  for (const [n, t, scale] of CASES) {
    const { y, f } = randomPair(seed++, n, t, scale);
    const where = `n=${n} t=${t} scale=${scale}`;
    const check = (name: string, ours: number, ref: number) =>
      assert.ok(close(ours, ref), `${name} ${where}: ${ours} vs ${ref}`);
    const yt = tensor(y);
    const ft = tensor(f);
    check("halfSquared", scalar(pairwiseDiffLoss(yt, ft)), pairwiseDiffLossReference(y, f, "halfSquared"));
    check(
      "absolute",
      scalar(pairwiseDiffLoss(yt, ft, { loss: "absolute" })),
      pairwiseDiffLossReference(y, f, "absolute"),
    );
    check(
      "custom",
      scalar(pairwiseDiffLoss(yt, ft, { loss: (a, b) => tf.log1p(tf.square(tf.sub(a, b))) })),
      pairwiseDiffLossReference(y, f, (a, b) => Math.log1p((a - b) ** 2)),
    );
    for (const p of [1, 1.5, 2, 3]) {
      check(
        `diffnorm p=${p}`,
        scalar(pairwiseDiffNormLoss(yt, ft, { p })),
        pairwiseDiffNormLossReference(y, f, p),
      );
    }
    check("errorVariance", scalar(errorVarianceLoss(yt, ft)), errorVarianceLossReference(y, f));
    check("negPearson", scalar(negPearsonLoss(yt, ft)), negPearsonLossReference(y, f));
  }
});

test("O(N^2) = O(N): Theorem 1 (halfSquared = Var) and Corollary 3 (p = 2 diffnorm = 2 (1 - rho))", () => {
  let seed = 50;
  for (const [n, t, scale] of CASES) {
    const { y, f } = randomPair(seed++, n, t, scale);
    // float64: equal to rounding
    assert.ok(close(pairwiseDiffLossReference(y, f), errorVarianceLossReference(y, f), 1e-12));
    assert.ok(close(pairwiseDiffNormLossReference(y, f, 2), 2 * negPearsonLossReference(y, f), 1e-12));
    // tf: values and gradients of the two forms agree
    const pw = valueAndGrad((a, b) => pairwiseDiffLoss(a, b), y, f);
    const ev = valueAndGrad(errorVarianceLoss, y, f);
    assert.ok(close(pw.value, ev.value));
    assert.ok(maxAbsDiff(pw.grad, ev.grad) <= 1e-5 * maxAbs(ev.grad));
    const dn = valueAndGrad((a, b) => pairwiseDiffNormLoss(a, b, { p: 2 }), y, f);
    const np = valueAndGrad(negPearsonLoss, y, f);
    assert.ok(close(dn.value, 2 * np.value), `${dn.value} vs 2 * ${np.value}`);
    // the gradient of 1 - rho is a difference of terms of size (|a_i| + |b_i|)/(N s_f) (standardised
    // a, b): float32 rounding is relative to that scale (for N = 2 the exact gradient is 0)
    const scaleOf = (j: number) => {
      const col = (m: Matrix) => m.map((r) => r[j]);
      const z = (x: number[]) => {
        const mu = x.reduce((acc, v) => acc + v, 0) / n;
        const sd = Math.sqrt(x.reduce((acc, v) => acc + (v - mu) ** 2, 0) / n);
        return { sd, maxZ: Math.max(...x.map((v) => Math.abs(v - mu) / sd)) };
      };
      const zf = z(col(f));
      return (zf.maxZ + z(col(y)).maxZ) / (n * t * zf.sd);
    };
    const gScale = Math.max(...Array.from({ length: t }, (_, j) => scaleOf(j)));
    const twice = np.grad.map((r) => r.map((v) => 2 * v));
    assert.ok(maxAbsDiff(dn.grad, twice) <= 1e-5 * 2 * gScale, `${maxAbsDiff(dn.grad, twice)} vs ${gScale}`);
  }
});

test("pairwise losses: tf gradients match central finite differences of the float64 references", () => {
  const { y, f } = randomPair(77, 6, 2, 1);
  const losses: Array<[string, Loss, (y: Matrix, f: Matrix) => number]> = [
    ["halfSquared", (a, b) => pairwiseDiffLoss(a, b), (a, b) => pairwiseDiffLossReference(a, b)],
    [
      "absolute",
      (a, b) => pairwiseDiffLoss(a, b, { loss: "absolute" }),
      (a, b) => pairwiseDiffLossReference(a, b, "absolute"),
    ],
    [
      "diffnorm p=1.5",
      (a, b) => pairwiseDiffNormLoss(a, b, { p: 1.5 }),
      (a, b) => pairwiseDiffNormLossReference(a, b, 1.5),
    ],
    [
      "diffnorm p=3",
      (a, b) => pairwiseDiffNormLoss(a, b, { p: 3 }),
      (a, b) => pairwiseDiffNormLossReference(a, b, 3),
    ],
    ["errorVariance", errorVarianceLoss, errorVarianceLossReference],
    ["negPearson", negPearsonLoss, negPearsonLossReference],
  ];
  for (const [name, loss, ref] of losses) {
    const ours = valueAndGrad(loss, y, f).grad;
    const fd = f.map((r, i) =>
      r.map((_, j) => {
        const h = 1e-6;
        const up = f.map((row) => [...row]);
        const down = f.map((row) => [...row]);
        up[i][j] += h;
        down[i][j] -= h;
        return (ref(y, up) - ref(y, down)) / (2 * h);
      })
    );
    assert.ok(maxAbsDiff(ours, fd) <= 1e-4 * maxAbs(fd), `${name}: ${maxAbsDiff(ours, fd)} vs ${maxAbs(fd)}`);
  }
});

test("constant inputs: finite values and gradients with the documented eps behaviour", () => {
  const { y, f } = randomPair(90, 8, 1, 1);
  const constant = y.map(() => [Math.fround(1.25)]);
  const all: Array<[string, Loss]> = [
    ["halfSquared", (a, b) => pairwiseDiffLoss(a, b)],
    ["absolute", (a, b) => pairwiseDiffLoss(a, b, { loss: "absolute" })],
    ["diffnorm p=1", (a, b) => pairwiseDiffNormLoss(a, b, { p: 1 })],
    ["diffnorm p=2", (a, b) => pairwiseDiffNormLoss(a, b)],
    ["diffnorm p=3", (a, b) => pairwiseDiffNormLoss(a, b, { p: 3 })],
    ["errorVariance", errorVarianceLoss],
    ["negPearson", negPearsonLoss],
  ];
  for (const [name, loss] of all) {
    for (
      const [which, yy, ff] of [["f", y, constant], ["y", constant, f], ["both", constant, constant]] as const
    ) {
      const { value, grad } = valueAndGrad(loss, yy as Matrix, ff as Matrix);
      assert.ok(Number.isFinite(value) && grad.flat().every(Number.isFinite), `${name}, constant ${which}`);
    }
  }
  // documented values: a constant column normalises to 0 (diffnorm 1), has rho = 0 (negPearson 1)
  const at = (loss: Loss, yy: Matrix, ff: Matrix) => valueAndGrad(loss, yy, ff).value;
  assert.ok(close(at((a, b) => pairwiseDiffNormLoss(a, b), y, constant), 1));
  assert.ok(close(at((a, b) => pairwiseDiffNormLoss(a, b, { p: 3 }), constant, f), 1));
  assert.equal(at((a, b) => pairwiseDiffNormLoss(a, b), constant, constant), 0);
  assert.ok(close(at(negPearsonLoss, y, constant), 1));
  assert.ok(close(at(negPearsonLoss, constant, constant), 1));
  assert.ok(
    close(pairwiseDiffNormLossReference(y, constant), 1) && close(negPearsonLossReference(y, constant), 1),
  );
});

test("pairwise losses: scale and shift behaviour on simple data", () => {
  const y = tf.tensor1d([1, 2, 4, 8]);
  // f = 3y + 1: perfect shape, so diffnorm and negPearson are 0, error variance is Var(2y + 1) = 4 Var(y)
  const f = tf.tensor1d([4, 7, 13, 25]);
  assert.ok(Math.abs(scalar(pairwiseDiffNormLoss(y, f, { p: 1 }))) < 1e-6);
  assert.ok(Math.abs(scalar(negPearsonLoss(y, f))) < 1e-6);
  assert.ok(close(scalar(errorVarianceLoss(y, f)), 4 * 7.1875));
  // f = -y: rho = -1
  assert.ok(close(scalar(negPearsonLoss(y, tf.neg(y))), 2));
  assert.ok(close(scalar(pairwiseDiffNormLoss(y, tf.neg(y))), 4));
});

test("pairwise losses: bad inputs throw LossInputError naming the argument", () => {
  const y = tf.tensor1d([1, 2, 3]);
  const f = tf.tensor1d([1, 2, 4]);
  const cases: Array<[() => unknown, RegExp]> = [
    [
      () => pairwiseDiffLoss(y, f, { loss: "squared" as "absolute" }),
      /pairwiseDiffLoss: option loss must be/,
    ],
    [
      () => pairwiseDiffLoss(y, f, { loss: (a) => tf.sum(a) }),
      /option loss \(a function\) must return a tensor of shape \[3, 3, 1\]/,
    ],
    [
      () => pairwiseDiffLoss(y, tf.tensor1d([1, 2])),
      /pairwiseDiffLoss: yTrue has shape \[3\] but yPred has shape \[2\]/,
    ],
    [() => pairwiseDiffLoss(tf.tensor1d([1]), tf.tensor1d([1])), /pairwiseDiffLoss: yTrue has 1 row/],
    [() => pairwiseDiffNormLoss(y, f, { p: 0.5 }), /pairwiseDiffNormLoss: option p must be >= 1/],
    [() => pairwiseDiffNormLoss(y, f, { p: NaN }), /option p must be a finite number/],
    [() => pairwiseDiffNormLoss(y, f, { p: Infinity }), /option p must be a finite number/],
    [() => pairwiseDiffNormLoss(y, tf.tensor1d([NaN, 1, 2])), /pairwiseDiffNormLoss: yPred contains NaN/],
    [() => errorVarianceLoss(tf.tensor1d([1, Infinity, 2]), f), /errorVarianceLoss: yTrue contains Infinity/],
    [
      () => errorVarianceLoss(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1], [3]])),
      /errorVarianceLoss: yTrue has shape/,
    ],
    [() => negPearsonLoss(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 2]])), /negPearsonLoss: yTrue has 1 row/],
    [() => negPearsonLoss(y, tf.tensor1d([1, -Infinity, 2])), /negPearsonLoss: yPred contains -Infinity/],
  ];
  for (const [call, message] of cases) {
    assert.throws(
      call,
      (e: unknown) => e instanceof LossInputError && message.test(e.message),
      String(message),
    );
  }
});

test("pairwise losses: no tensor leaks", () => {
  const y = tf.tensor2d([[1, 2], [2, 1], [3, 5]]);
  const f = tf.tensor2d([[1.5, 2], [2, 0.5], [2.5, 4]]);
  const fns: Loss[] = [
    (a, b) => pairwiseDiffLoss(a, b, { loss: "absolute" }),
    (a, b) => pairwiseDiffNormLoss(a, b, { p: 1.5 }),
    errorVarianceLoss,
    negPearsonLoss,
  ];
  fns.forEach((fn) => fn(y, f).dispose());
  const before = tf.memory().numTensors;
  for (const fn of fns) {
    fn(y, f).dispose();
    tf.grad((p: tf.Tensor) => fn(y, p))(f).dispose();
  }
  assert.equal(tf.memory().numTensors, before);
});
