/**
 * RankSim, RnC and ConR over the runs axis (features `[K, N, D]`, ConR's predictions `[K, N, T]`, the labels
 * shared, options per run): per run the float64 reference's value and gradient on cpu and wasm; bit for bit the
 * single-run call's value and gradient on that slice (with each run's own upstream gradient), whatever other
 * runs share the call (K = 1, 3, 5); the same tfjs kernels for K = 1 and K = 5 (one host kernel call per
 * pass); and the checks of the runs-axis inputs. (One thread or two: `host_pool_test.ts`.)
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/backend.ts";
import { conr } from "../../lib/losses/conr.ts";
import { rankSim } from "../../lib/losses/rank_sim.ts";
import { rnc } from "../../lib/losses/rnc.ts";
import { LossInputError } from "../../lib/losses/validate.ts";
import {
  conrReference,
  numericGradient,
  rankSimReference,
  rncReference,
} from "../../lib/losses/reference/baselines.ts";
import {
  assertClose,
  integerMatrix,
  kernelTrace,
  randomMatrix,
  seeded,
  TF_TEST,
  useCpu,
} from "./_baseline_helpers.ts";

type Matrix = number[][];

/** One loss over the runs axis and per run, on data of K runs. */
interface RunsCase {
  name: string;
  /** The features of every run, `[K][N][D]`. */
  features: Matrix[];
  /** Each run's upstream gradient. */
  weights: number[];
  /** The loss of all runs: `[K]`. */
  runs: (x: tf.Tensor3D) => tf.Tensor1D;
  /** The single-run loss of run k on its slice. */
  single: (x: tf.Tensor2D, k: number) => tf.Scalar;
}

/** The K values, and the gradient of `Σ_k weight_k·loss_k`, as plain arrays. */
function runsValueGrad(c: RunsCase): { values: number[]; grads: number[][] } {
  return tf.tidy(() => {
    const x = tf.tensor3d(c.features);
    const k = c.features.length;
    const values = Array.from(c.runs(x).dataSync());
    const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(c.runs(f as tf.Tensor3D), c.weights)))(x);
    const flat = grad.dataSync(), size = flat.length / k;
    return {
      values,
      grads: Array.from({ length: k }, (_, r) => Array.from(flat.subarray(r * size, (r + 1) * size))),
    };
  });
}

/** Run k's single-run value, and the gradient of `weight_k·loss` on its slice. */
function singleValueGrad(c: RunsCase, k: number): { value: number; grad: number[] } {
  return tf.tidy(() => {
    const x = tf.tensor2d(c.features[k]);
    const value = c.single(x, k).dataSync()[0];
    const grad = tf.grad((f: tf.Tensor) => tf.mul(c.single(f as tf.Tensor2D, k), c.weights[k]))(x);
    return { value, grad: Array.from(grad.dataSync()) };
  });
}

/** Predictions near the labels, squeezed so that far labels have close predictions (ConR's negatives). */
function predictions(rng: () => number, y: Matrix): Matrix {
  return y.map((r) => r.map((v) => Math.fround(0.3 * v + 0.6 * (rng() - 0.5))));
}

/** Runs `body` on cpu, then on wasm; leaves the cpu backend active. */
async function onHostBackends(body: (backend: "cpu" | "wasm") => void | Promise<void>): Promise<void> {
  try {
    for (const backend of ["cpu", "wasm"] as const) {
      await selectBackend({ backend });
      await body(backend);
    }
  } finally {
    await useCpu();
  }
}

/**
 * The three losses on `k` runs of N rows — distinct or tied labels, one or two label columns, per-run options,
 * run r's upstream gradient r + 1 — restricted to the runs `pick` (default: all), which keep their data and
 * options.
 */
function cases(seed: number, n: number, k: number, d = 5, pick?: number[]): RunsCase[] {
  const rng = seeded(seed);
  const sel = pick ?? Array.from({ length: k }, (_, r) => r);
  const features = () => {
    const all = Array.from({ length: k }, () => randomMatrix(rng, n, d));
    return sel.map((r) => all[r]);
  };
  const temperature = sel.map((r) => [1, 2, 0.5, 4, 3][r % 5]);
  const lambda = sel.map((r) => [2, 0.5, 1, 3, 1.5][r % 5]);
  const weights = sel.map((r) => r + 1);
  const out: RunsCase[] = [];
  for (
    const [label, y] of [["continuous", randomMatrix(rng, n, 1, 2)], [
      "tied",
      integerMatrix(rng, n, 1, 4),
    ]] as const
  ) {
    const yt = tf.tensor2d(y);
    const values = y.map((r) => r[0]);
    out.push({
      name: `rankSim ${label}`,
      features: features(),
      weights,
      runs: (x) => rankSim(yt, x, { lambda, hostLabels: values }),
      single: (x, r) => rankSim(yt, x, { lambda: lambda[r], hostLabels: values }),
    });
    if (label === "tied") {
      // The rows kept, picked at random once per call, are shared by the runs.
      out.push({
        name: "rankSim tied, rng",
        features: features(),
        weights,
        runs: (x) => rankSim(yt, x, { lambda, rng: seeded(9) }),
        single: (x, r) => rankSim(yt, x, { lambda: lambda[r], rng: seeded(9) }),
      });
    }
    out.push({
      name: `rnc ${label}`,
      features: features(),
      weights,
      runs: (x) => rnc(yt, x, { temperature }),
      single: (x, r) => rnc(yt, x, { temperature: temperature[r] }),
    });
  }
  const y2 = integerMatrix(rng, n, 2, 3);
  out.push({
    name: "rnc two columns",
    features: features(),
    weights,
    runs: (x) => rnc(tf.tensor2d(y2), x, { temperature }),
    single: (x, r) => rnc(tf.tensor2d(y2), x, { temperature: temperature[r] }),
  });
  for (const y of [integerMatrix(rng, n, 1, 5), integerMatrix(rng, n, 2, 4)]) {
    const allPreds = Array.from({ length: k }, () => predictions(rng, y));
    const preds = sel.map((r) => allPreds[r]);
    const options = {
      w: temperature.map((t) => t / 2),
      t: lambda.map((l) => l / 10),
      e: temperature.map((t) => t / 20),
    };
    out.push({
      name: `conr T=${y[0].length}`,
      features: features(),
      weights,
      runs: (x) => conr(tf.tensor2d(y), tf.tensor3d(preds), x, options),
      single: (x, r) =>
        conr(tf.tensor2d(y), tf.tensor2d(preds[r]), x, { w: options.w[r], t: options.t[r], e: options.e[r] }),
    });
  }
  return out;
}

Deno.test({
  name: "feature losses over the runs axis: each run matches float64 on cpu and wasm (value and gradient)",
  ...TF_TEST,
  fn: () =>
    onHostBackends((backend) => {
      const rng = seeded(301);
      const k = 3, n = 9;
      const y = integerMatrix(rng, n, 1, 4), values = y.map((r) => r[0]);
      const preds = Array.from({ length: k }, () => predictions(rng, y));
      const x = Array.from({ length: k }, () => randomMatrix(rng, n, 4));
      const temperature = [1, 2, 4], lambda = [0.5, 1, 2];
      const options = [{ w: 1, t: 0.07, e: 0.01 }, { w: 0.5, t: 0.5, e: 0.1 }, { w: 2, t: 0.2, e: 0 }];
      const losses: [string, (x: tf.Tensor3D) => tf.Tensor1D, (f: Matrix, r: number) => number][] = [
        [
          "rnc",
          (f) => rnc(tf.tensor2d(y), f, { temperature }),
          (f, r) => rncReference(y, f, temperature[r]),
        ],
        [
          "conr",
          (f) =>
            conr(tf.tensor2d(y), tf.tensor3d(preds), f, {
              w: options.map((o) => o.w),
              t: options.map((o) => o.t),
              e: options.map((o) => o.e),
            }),
          (f, r) => conrReference(y, preds[r], f, options[r]),
        ],
        [
          "rankSim",
          (f) => rankSim(tf.tensor2d(y), f, { lambda }),
          (f, r) => rankSimReference(values, f, lambda[r]).value,
        ],
      ];
      for (const [name, loss, reference] of losses) {
        const weights = [1, 1, 1]; // (RankSim's blackbox gradient is not linear in its upstream gradient)
        const { values: got, grads } = runsValueGrad({
          name,
          features: x,
          weights,
          runs: loss,
          single: () => tf.scalar(0),
        });
        for (let r = 0; r < k; r++) {
          const label = `${backend} ${name} run ${r}`;
          assertClose(got[r], reference(x[r], r), { atol: 1e-5, rtol: 1e-5 }, `${label}: value`);
          // (RankSim's blackbox gradient is no derivative of its value: its own reference.)
          const expected = name === "rankSim"
            ? rankSimReference(values, x[r], lambda[r]).grad
            : numericGradient((f) => reference(f, r), x[r]);
          assertClose(grads[r], expected, { atol: 1e-3, rtol: 2e-3, scaled: true }, `${label}: gradient`);
        }
      }
    }),
});

Deno.test({
  name: "feature losses over the runs axis: on cpu and wasm each run is its single-run call, bit for bit",
  ...TF_TEST,
  fn: () =>
    onHostBackends((backend) => {
      for (const [n, d] of [[6, 3], [40, 9]]) {
        for (const c of cases(310 + n, n, 3, d)) {
          const { values, grads } = runsValueGrad(c);
          c.features.forEach((_, r) => {
            const one = singleValueGrad(c, r);
            const label = `${backend} ${c.name} N=${n} run ${r}`;
            assert.equal(values[r], one.value, `${label}: value`);
            assert.deepEqual(grads[r], one.grad, `${label}: gradient`);
          });
        }
      }
    }),
});

Deno.test({
  name: "feature losses over the runs axis: a run's bits do not depend on the runs beside it (K = 1, 3, 5)",
  ...TF_TEST,
  fn: () =>
    onHostBackends((backend) => {
      const five = cases(320, 48, 5, 6).map(runsValueGrad);
      // Run 2 alone, and among runs 1..3: the same data, option and upstream gradient.
      for (const pick of [[2], [1, 2, 3]]) {
        cases(320, 48, 5, 6, pick).forEach((c, i) => {
          const { values, grads } = runsValueGrad(c);
          const at = pick.indexOf(2), label = `${backend} ${c.name}: run 2 with K = ${pick.length}`;
          assert.equal(values[at], five[i].values[2], `${label}: value`);
          assert.deepEqual(grads[at], five[i].grads[2], `${label}: gradient`);
        });
      }
    }),
});

Deno.test({
  name: "feature losses over the runs axis: K = 1 and K = 5 launch the same tfjs kernels on cpu and wasm",
  ...TF_TEST,
  fn: () =>
    onHostBackends(async (backend) => {
      const one = cases(330, 24, 1), five = cases(330, 24, 5);
      for (const [i, c] of five.entries()) {
        const trace = async (cc: RunsCase) => {
          const x = tf.tensor3d(cc.features);
          const t = await kernelTrace(() => tf.grad((f: tf.Tensor) => tf.sum(cc.runs(f as tf.Tensor3D)))(x));
          x.dispose();
          return t.kernels;
        };
        assert.deepEqual(await trace(one[i]), await trace(c), `${backend} ${c.name}`);
      }
    }),
});

Deno.test({
  name: "feature losses over the runs axis: bad runs inputs and per-run options throw LossInputError",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const y = tf.tensor1d([0, 1, 2, 3]);
    const x = tf.randomNormal([2, 4, 3]) as tf.Tensor3D;
    const p = tf.zeros([2, 4, 1]) as tf.Tensor3D;
    // Options: one per run, each checked.
    assert.throws(
      () => rnc(y, x, { temperature: [1, 2, 3] }),
      /rnc: option temperature has 3 values for 2 runs/,
    );
    assert.throws(() => rnc(y, x, { temperature: [1, 0] }), /rnc: option temperature\[1\] must be > 0/);
    assert.throws(() => rankSim(y, x, { lambda: [1] }), /rankSim: option lambda has 1 values for 2 runs/);
    assert.throws(() => conr(y, p, x, { t: [0.1, -1] }), /conr: option t\[1\] must be > 0/);
    assert.throws(() => conr(y, p, x, { w: [-1, 1] }), /conr: option w\[0\] must be >= 0/);
    assert.throws(() => conr(y, p, x, { e: [0, NaN] }), LossInputError);
    // A per-run array is no single-run option.
    assert.throws(
      () => rnc(y, tf.unstack(x)[0], { temperature: [1, 2] as unknown as number }),
      /rnc: option temperature must be a finite number/,
    );
    // Shapes: features of another batch size, predictions of another run count, labels with several columns.
    assert.throws(
      () => rnc(y, tf.zeros([2, 5, 3]) as tf.Tensor3D),
      /rnc: features must be a tf.Tensor of shape/,
    );
    assert.throws(() => rankSim(y, tf.zeros([2, 3, 3]) as tf.Tensor3D), /N = 4 rows, got \[2, 3, 3\]/);
    assert.throws(
      () => conr(y, tf.zeros([3, 4, 1]) as tf.Tensor3D, x),
      /features must have shape \[K, N, D\] with K = 3/,
    );
    assert.throws(() => conr(y, tf.zeros([2, 4, 2]) as tf.Tensor3D, x), /yPred has shape \[2, 4, 2\]/);
    assert.throws(() => conr(y, p, tf.zeros([2, 4]) as unknown as tf.Tensor3D), /K = 2/);
    assert.throws(() => rankSim(tf.zeros([4, 2]), x), /rankSim: yTrue must have shape \[N\] or \[N, 1\]/);
    assert.throws(() => rnc(y, tf.zeros([0, 4, 3]) as tf.Tensor3D), /no runs/);
    assert.throws(() => rnc(y, x.mul(NaN) as tf.Tensor3D), /rnc: features contains NaN/);
  },
});
