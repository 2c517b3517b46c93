import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { gar } from "../../lib/losses/gar.ts";
import { garParts } from "../../lib/losses/gar_parts.ts";
import { droAggregate } from "../../lib/losses/dro_aggregate.ts";
import { droAggregateGradientReference } from "../../lib/losses/reference/dro_aggregate.ts";
import { GAR_EPS } from "../../lib/losses/constants.ts";
import { LossInputError } from "../../lib/losses/validate.ts";
import { garGradientReference, garPartsReference, garReference } from "../../lib/losses/reference/gar.ts";
import type { Matrix } from "../../lib/losses/reference/mod.ts";
import { maxAbs, maxAbsDiff, randomPair, scalar, tensor, toMatrix } from "./_gar_test_utils.ts";

await tf.setBackend("cpu");
await tf.ready();

const test = (name: string, fn: () => void | Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

type Mode = "pooled" | "perTarget";

/**
 * A float64 port of the authors' `GAR.forward` (loss.py), step by step as their code does it:
 * unbiased std clipped at eps, `+ eps` on each part, the detached factor (min for alpha > 1, max for
 * alpha < 1, 1 for alpha = 1) and the returned `alpha * log(mean((L / factor)^(1/alpha)))`.
 * `frozenFactor` plays the role of `.detach()` when the forward is differentiated numerically.
 */
function authorsGar(y: Matrix, f: Matrix, alpha: number, frozenFactor?: number) {
  const n = y.length;
  const t = y[0].length;
  const colMean = (m: Matrix, j: number) => m.reduce((s, r) => s + r[j], 0) / n;
  const colStd = (m: Matrix, j: number) => {
    const mu = colMean(m, j);
    return Math.sqrt(m.reduce((s, r) => s + (r[j] - mu) ** 2, 0) / (n - 1));
  };
  let pearson = 0;
  let cov = 0;
  let l1 = 0;
  for (let j = 0; j < t; j++) {
    const ps = Math.max(colStd(f, j), 1e-7);
    const ts = Math.max(colStd(y, j), 1e-7);
    const pm = colMean(f, j);
    const tm = colMean(y, j);
    for (let i = 0; i < n; i++) {
      pearson += ((f[i][j] - pm) / ps - (y[i][j] - tm) / ts) ** 2 / 2;
      cov += ((f[i][j] - pm) - (y[i][j] - tm)) ** 2 / 2;
      l1 += Math.abs(f[i][j] - y[i][j]);
    }
  }
  const bloss = l1 / (n * t) + 1e-7;
  const aloss = pearson / (n * t) + 1e-7;
  const closs = cov / (n * t) + 1e-7;
  const factor = frozenFactor ??
    (alpha > 1 ? Math.min(aloss, bloss, closs) : alpha < 1 ? Math.max(aloss, bloss, closs) : 1);
  const loss =
    ((aloss / factor) ** (1 / alpha) + (bloss / factor) ** (1 / alpha) + (closs / factor) ** (1 / alpha)) /
    3;
  return { value: Math.log(loss) * alpha, factor, parts: { mae: bloss, variance: closs, pearson: aloss } };
}

/**
 * The scale of the gradient's terms: the largest, over elements, of the sum of the absolute
 * values of the three weighted contributions (MAE, variance, Pearson). Float32 rounding is
 * relative to this, not to the (possibly much smaller, cancelling) total.
 */
function gradScale(y: Matrix, f: Matrix, alpha: number, mode: Mode): number {
  const n = y.length;
  const t = y[0].length;
  const stats = Array.from({ length: t }, (_, j) => {
    const yc = y.map((r) => r[j]);
    const fc = f.map((r) => r[j]);
    const parts = garPartsReference(yc, fc);
    const fm = fc.reduce((a, b) => a + b, 0) / n;
    const ym = yc.reduce((a, b) => a + b, 0) / n;
    const sF = Math.max(Math.sqrt(fc.reduce((a, v) => a + (v - fm) ** 2, 0) / (n - 1)), GAR_EPS);
    const sY = Math.max(Math.sqrt(yc.reduce((a, v) => a + (v - ym) ** 2, 0) / (n - 1)), GAR_EPS);
    const a = fc.map((v) => (v - fm) / sF);
    const r = a.map((v, i) => v - (yc[i] - ym) / sY);
    const d = fc.map((v, i) => v - fm - (yc[i] - ym));
    const ra = Math.abs(r.reduce((acc, v, i) => acc + v * a[i], 0)) / (n - 1);
    return { parts, sF, maxA: maxAbs([a]), maxR: maxAbs([r]), maxD: maxAbs([d]), ra };
  });
  const pooled = garPartsReference(y, f);
  let worst = 0;
  for (const s of stats) {
    const p = mode === "pooled" ? pooled : s.parts;
    const c = droAggregateGradientReference([p.mae, p.variance, p.pearson], alpha);
    const term = c[0] + c[1] * s.maxD + c[2] * (s.maxR + s.maxA * s.ra) / s.sF;
    worst = Math.max(worst, term / (n * t));
  }
  return worst;
}

function tfGar(y: Matrix, f: Matrix, alpha: number, mode: Mode, flat = false) {
  return tf.tidy(() => {
    const yt = tensor(y, flat);
    const ft = tensor(f, flat);
    const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => gar(yt, p, { alpha, multiTarget: mode }))(ft);
    return { value: scalar(value), grad: toMatrix(grad) };
  });
}

const ALPHAS = [0.1, 1, 10];
const MODES: Mode[] = ["pooled", "perTarget"];

test("gar: float32 value and gradient match the float64 references (N, T, scale, alpha, mode)", () => {
  let worstValue = 0;
  let worstGrad = 0;
  let seed = 1;
  for (const n of [2, 3, 16, 64]) {
    for (const t of [1, 3]) {
      for (const scale of [1e-3, 1, 1e3]) {
        const { y, f } = randomPair(seed++, n, t, scale);
        for (const alpha of ALPHAS) {
          for (const mode of MODES) {
            const ours = tfGar(y, f, alpha, mode);
            const ref = garReference(y, f, { alpha, multiTarget: mode });
            const refGrad = garGradientReference(y, f, { alpha, multiTarget: mode });
            const vErr = Math.abs(ours.value - ref) / (1 + Math.abs(ref));
            const gErr = maxAbsDiff(ours.grad, refGrad) / gradScale(y, f, alpha, mode);
            worstValue = Math.max(worstValue, vErr);
            worstGrad = Math.max(worstGrad, gErr);
            const where = `n=${n} t=${t} scale=${scale} alpha=${alpha} ${mode}`;
            assert.ok(vErr < 1e-5, `value ${where}: ${ours.value} vs ${ref}`);
            assert.ok(gErr < 1e-5, `gradient ${where}: relative error ${gErr}`);
          }
        }
      }
    }
  }
  console.log(
    `gar float32 vs float64: worst value error ${worstValue.toExponential(2)}, ` +
      `worst gradient error (relative to the scale of its terms) ${worstGrad.toExponential(2)}`,
  );
});

test("gar: [N] and [N, 1] inputs give the same value and gradient", () => {
  const { y, f } = randomPair(7, 9, 1, 2);
  const a = tfGar(y, f, 0.5, "pooled", true);
  const b = tfGar(y, f, 0.5, "pooled", false);
  assert.equal(a.value, b.value);
  assert.deepEqual(a.grad, b.grad);
});

test("gar: perTarget differs from pooled for T > 1 and equals the mean of per-column GARs", () => {
  const { y, f } = randomPair(11, 12, 3, 1);
  // make the columns very different in scale so pooling matters
  const y2 = y.map((r) => [r[0], 100 * r[1], 0.01 * r[2]].map(Math.fround));
  const f2 = f.map((r) => [r[0], 100 * r[1], 0.01 * r[2]].map(Math.fround));
  const pooled = tfGar(y2, f2, 1, "pooled").value;
  const perTarget = tfGar(y2, f2, 1, "perTarget").value;
  assert.ok(Math.abs(pooled - perTarget) > 0.1);
  const cols = [0, 1, 2].map((j) => tfGar(y2.map((r) => [r[j]]), f2.map((r) => [r[j]]), 1, "pooled").value);
  assert.ok(Math.abs(perTarget - (cols[0] + cols[1] + cols[2]) / 3) < 1e-5);
});

test("reference gradient equals central finite differences of the reference value", () => {
  let seed = 100;
  for (const [n, t] of [[2, 1], [5, 2], [20, 1], [8, 3]]) {
    for (const alpha of [0.2, 1, 5]) {
      for (const mode of MODES) {
        const { y, f } = randomPair(seed++, n, t, 3);
        const g = garGradientReference(y, f, { alpha, multiTarget: mode });
        const h = 1e-6;
        let worst = 0;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < t; j++) {
            const plus = f.map((r) => [...r]);
            const minus = f.map((r) => [...r]);
            plus[i][j] += h;
            minus[i][j] -= h;
            const fd = (garReference(y, plus, { alpha, multiTarget: mode }) -
              garReference(y, minus, { alpha, multiTarget: mode })) / (2 * h);
            worst = Math.max(worst, Math.abs(fd - g[i][j]));
          }
        }
        assert.ok(worst < 1e-7 * maxAbs(g) + 1e-10, `n=${n} t=${t} alpha=${alpha} ${mode}: ${worst}`);
      }
    }
  }
});

test("authors' port: our value minus theirs is log(factor); our gradient is theirs (finite differences)", () => {
  let worstGrad = 0;
  let seed = 200;
  for (const [n, t] of [[4, 1], [16, 1], [10, 3]]) {
    for (const alpha of [0.1, 0.5, 1, 2, 10]) {
      const { y, f } = randomPair(seed++, n, t, 2);
      const theirs = authorsGar(y, f, alpha);
      const ours = garReference(y, f, { alpha }); // pooled, as the authors
      assert.ok(
        Math.abs(ours - theirs.value - Math.log(theirs.factor)) < 1e-12,
        `alpha=${alpha}: ${ours} - ${theirs.value} != log ${theirs.factor}`,
      );
      // their forward differentiated with the factor held fixed (their .detach())
      const g = garGradientReference(y, f, { alpha });
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < t; j++) {
          const h = 1e-6 * Math.max(1, Math.abs(f[i][j]));
          const plus = f.map((r) => [...r]);
          const minus = f.map((r) => [...r]);
          plus[i][j] += h;
          minus[i][j] -= h;
          const fd = (authorsGar(y, plus, alpha, theirs.factor).value -
            authorsGar(y, minus, alpha, theirs.factor).value) / (2 * h);
          const err = Math.abs(fd - g[i][j]) / maxAbs(g);
          worstGrad = Math.max(worstGrad, err);
          assert.ok(err < 1e-7, `n=${n} t=${t} alpha=${alpha} [${i},${j}]: fd ${fd} vs ${g[i][j]}`);
        }
      }
    }
  }
  console.log(`authors' forward (finite differences) vs our gradient: worst ${worstGrad.toExponential(2)}`);
});

test("garParts matches the authors' parts (tf float32 and float64 reference)", () => {
  let seed = 300;
  for (const [n, t] of [[2, 1], [7, 1], [33, 4]]) {
    const { y, f } = randomPair(seed++, n, t, 5);
    const theirs = authorsGar(y, f, 1).parts;
    const ref = garPartsReference(y, f);
    for (const mode of MODES) {
      const ours = tf.tidy(() => {
        const p = garParts(tensor(y), tensor(f), { multiTarget: mode });
        return { mae: scalar(p.mae), variance: scalar(p.variance), pearson: scalar(p.pearson) };
      });
      for (const k of ["mae", "variance", "pearson"] as const) {
        assert.ok(Math.abs(ref[k] - theirs[k]) < 1e-12 * (1 + theirs[k]), `${k} reference`);
        assert.ok(
          Math.abs(ours[k] - theirs[k]) < 1e-5 * theirs[k],
          `${k} ${mode}: ${ours[k]} vs ${theirs[k]}`,
        );
      }
    }
  }
});

test("fused gar gradient equals autodiff through droAggregate(garParts)", () => {
  let seed = 400;
  for (const [n, t] of [[6, 1], [25, 2]]) {
    for (const alpha of [0.1, 1, 10]) {
      const { y, f } = randomPair(seed++, n, t, 1.5);
      const fused = tfGar(y, f, alpha, "pooled");
      const composed = tf.tidy(() => {
        const yt = tensor(y);
        const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => {
          const { mae, variance, pearson } = garParts(yt, p);
          return droAggregate([mae, variance, pearson], alpha);
        })(tensor(f));
        return { value: scalar(value), grad: toMatrix(grad) };
      });
      assert.ok(Math.abs(fused.value - composed.value) < 1e-5 * (1 + Math.abs(fused.value)));
      assert.ok(maxAbsDiff(fused.grad, composed.grad) < 1e-4 * maxAbs(fused.grad));
    }
  }
});

test("gar: the gradient with respect to yTrue is zero", () => {
  const { y, f } = randomPair(500, 6, 2, 1);
  const g = tf.tidy(() => toMatrix(tf.grad((t: tf.Tensor) => gar(t, tensor(f)))(tensor(y))));
  assert.ok(g.flat().every((v) => v === 0));
});

test("gar: constant predictions / labels give a finite value and gradient matching the reference", () => {
  const { y, f } = randomPair(600, 10, 2, 1);
  const constF = f.map(() => [0.5, -2]);
  const constY = y.map(() => [3, 3]);
  const cases: Array<[string, Matrix, Matrix]> = [
    ["constant predictions", y, constF],
    ["constant labels", constY, f],
    ["both constant", constY, constF],
    ["predictions equal labels", y, y],
  ];
  for (const [name, yy, ff] of cases) {
    for (const alpha of ALPHAS) {
      for (const mode of MODES) {
        const ours = tfGar(yy, ff, alpha, mode);
        assert.ok(Number.isFinite(ours.value), `${name}: value ${ours.value}`);
        assert.ok(ours.grad.flat().every(Number.isFinite), `${name}: gradient not finite`);
        const ref = garReference(yy, ff, { alpha, multiTarget: mode });
        assert.ok(
          Math.abs(ours.value - ref) < 1e-5 * (1 + Math.abs(ref)),
          `${name}: ${ours.value} vs ${ref}`,
        );
        const refGrad = garGradientReference(yy, ff, { alpha, multiTarget: mode });
        assert.ok(maxAbsDiff(ours.grad, refGrad) <= 1e-4 * maxAbs(refGrad) + 1e-12, `${name} gradient`);
      }
    }
  }
  // constant predictions: the Pearson part is (0 - b)^2/2 averaged, (N - 1)/(2N) per column
  const parts = garPartsReference(y, constF);
  assert.ok(Math.abs(parts.pearson - (9 / 20 + GAR_EPS)) < 1e-12);
});

test("gar: bad inputs throw LossInputError naming the argument", () => {
  const y = tf.tensor1d([1, 2, 3]);
  const f = tf.tensor1d([1, 2, 4]);
  const cases: Array<[() => unknown, RegExp]> = [
    [() => gar(y, tf.tensor1d([1, 2])), /yTrue has shape \[3\] but yPred has shape \[2\]/],
    [() => gar(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 2]])), /yTrue has 1 row/],
    [() => gar(y, tf.tensor1d([1, NaN, 2])), /yPred contains NaN/],
    [() => gar(tf.tensor1d([1, Infinity, 2]), f), /yTrue contains Infinity/],
    [() => gar(y, tf.tensor1d([-Infinity, 0, 2])), /yPred contains -Infinity/],
    [() => gar(y, f, { alpha: 0 }), /option alpha must be > 0/],
    [() => gar(y, f, { alpha: -1 }), /option alpha must be > 0/],
    [() => gar(y, f, { alpha: NaN }), /option alpha must be a finite number/],
    [() => gar(y, f, { alpha: Infinity }), /option alpha must be a finite number/],
    [() => gar(y, f, { multiTarget: "columns" as "pooled" }), /option multiTarget must be/],
    [() => garParts(y, f, { multiTarget: "x" as "pooled" }), /garParts: option multiTarget/],
    [() => garParts(y, tf.tensor1d([1, 2])), /garParts: yTrue has shape/],
  ];
  for (const [call, message] of cases) {
    assert.throws(
      call,
      (e: unknown) => e instanceof LossInputError && message.test(e.message),
      String(message),
    );
  }
});

test("gar: no tensor leaks (value and gradient)", () => {
  const y = tf.tensor2d([[1, 2], [2, 1], [3, 5]]);
  const f = tf.tensor2d([[1.5, 2], [2, 0.5], [2.5, 4]]);
  gar(y, f).dispose(); // warm-up
  const before = tf.memory().numTensors;
  gar(y, f, { alpha: 0.3 }).dispose();
  tf.grad((p: tf.Tensor) => gar(y, p, { multiTarget: "perTarget" }))(f).dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("gar works as a tfjs-layers loss: one fit step on 8 rows gives a finite loss", async () => {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: 1,
      inputShape: [3],
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  model.compile({ optimizer: "sgd", loss: (t: tf.Tensor, p: tf.Tensor) => gar(t, p, { alpha: 1 }) });
  const x = tf.tensor2d(Array.from({ length: 8 }, (_, i) => [i / 8, Math.sin(i), (i % 3) - 1]));
  const yy = tf.tensor2d(Array.from({ length: 8 }, (_, i) => [2 * (i / 8) - Math.sin(i)]));
  const history = await model.fit(x, yy, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
  const loss = history.history.loss[0] as number;
  assert.ok(Number.isFinite(loss), `loss ${loss}`);
  const weights = model.getWeights().map((w) => Array.from(w.dataSync())).flat();
  assert.ok(weights.every(Number.isFinite));
});
