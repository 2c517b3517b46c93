/**
 * The label-space losses over the runs axis (predictions `[K, N, T]` of K independent runs against shared
 * labels, one value per run): mae, mse, huber, focalMae, focalMse, maePearson (both forms), gar (pooled and
 * perTarget), garParts and droAggregate (the Table 5 ablations), with per-run options.
 *
 * - per run, value and gradient match the float64 references on cpu, wasm and webgpu;
 * - on the host backends (cpu, wasm) run k's value and gradient are the bits of the single-run loss on its
 *   slice, whatever other runs share the tensor (K = 1, 3, 5);
 * - forward + backward launch as many tfjs kernels at K = 5 as at K = 1;
 * - GAR's tensor program (the backends with no loss kernel) over the runs axis, on a cpu backend with no loss
 *   kernels registered;
 * - per-run options and the errors of bad ones.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { type BackendName, probeWebGpuAdapter, selectBackend } from "../../lib/backend.ts";
import * as L from "../../lib/losses/mod.ts";
import * as R from "../../lib/losses/reference/mod.ts";
import { gaussian, mulberry32 } from "../../lib/random/mod.ts";
import { TF_TEST } from "./_baseline_helpers.ts";

type Matrix = number[][];
const K = 5;
const N = 24;
const rng = mulberry32(20260113);
const normal = () => gaussian(rng);
const matrix = (n: number, d: number, f: (i: number) => number): Matrix =>
  Array.from({ length: n }, (_, i) => Array.from({ length: d }, () => Math.fround(f(i))));

/** Labels `[N, T]` and K runs' predictions, each run its own fit (scale, noise, offset). */
function runsData(t: number): { y: Matrix; f: Matrix[] } {
  const y = matrix(N, t, normal);
  const f = Array.from(
    { length: K },
    (_, k) =>
      y.map((r) => r.map((v) => Math.fround((0.3 + 0.2 * k) * v + (0.2 + 0.3 * k) * normal() + 0.1 * k))),
  );
  f[2][3] = [...y[3]]; // a zero error
  return { y, f };
}
const DATA = { 1: runsData(1), 2: runsData(2) };

/** One loss over the runs axis, with its single-run form and its float64 reference for run k. */
interface RunsCase {
  name: string;
  t: 1 | 2;
  /** The K runs at once (predictions `[K', N, T]` of the runs `ks`). */
  runs: (y: tf.Tensor, f: tf.Tensor3D, ks: number[]) => tf.Tensor1D;
  /** Run k alone, single-run form. */
  single: (y: tf.Tensor, f: tf.Tensor2D, k: number) => tf.Scalar;
  value: (y: Matrix, f: Matrix, k: number) => number;
  grad?: (y: Matrix, f: Matrix, k: number) => Matrix;
}

const DELTA = [0.25, 0.5, 1, 2, 4];
const BETA = [0.25, 1, 4, 0.5, 2];
const GAMMA = [1, 0, 2, 0.5, 1];
const ALPHA = [0.1, 0.5, 1, 3, 10];
const pick = (values: number[], ks: number[]) => ks.map((k) => values[k]);
const betaFrozen = (form: "paper" | "code") => (y: Matrix, f: Matrix) =>
  R.numericGradient((z) => R.maePearsonReference(y, z, form, R.maePearsonWeightReference(y, f, form)), f);
type Part = "mae" | "variance" | "pearson";

const CASES: RunsCase[] = [
  ...([1, 2] as const).flatMap((t): RunsCase[] => [
    { name: "mae", t, runs: (y, f) => L.mae(y, f), single: (y, f) => L.mae(y, f), value: R.maeReference },
    { name: "mse", t, runs: (y, f) => L.mse(y, f), single: (y, f) => L.mse(y, f), value: R.mseReference },
    {
      name: "huber δ per run",
      t,
      runs: (y, f, ks) => L.huber(y, f, { delta: pick(DELTA, ks) }),
      single: (y, f, k) => L.huber(y, f, { delta: DELTA[k] }),
      value: (y, f, k) => R.huberReference(y, f, DELTA[k]),
    },
    {
      name: "focalMae β per run",
      t,
      runs: (y, f, ks) => L.focalMae(y, f, { beta: pick(BETA, ks) }),
      single: (y, f, k) => L.focalMae(y, f, { beta: BETA[k] }),
      value: (y, f, k) => R.focalMaeReference(y, f, BETA[k], 1),
    },
    {
      name: "focalMse β per run, γ = 2",
      t,
      runs: (y, f, ks) => L.focalMse(y, f, { beta: pick(BETA, ks), gamma: 2 }),
      single: (y, f, k) => L.focalMse(y, f, { beta: BETA[k], gamma: 2 }),
      value: (y, f, k) => R.focalMseReference(y, f, BETA[k], 2),
    },
    {
      name: "maePearson paper",
      t,
      runs: (y, f) => L.maePearson(y, f),
      single: (y, f) => L.maePearson(y, f),
      value: (y, f) => R.maePearsonReference(y, f, "paper"),
      grad: betaFrozen("paper"),
    },
    {
      name: "maePearson code",
      t,
      runs: (y, f) => L.maePearson(y, f, { form: "code" }),
      single: (y, f) => L.maePearson(y, f, { form: "code" }),
      value: (y, f) => R.maePearsonReference(y, f, "code"),
      grad: betaFrozen("code"),
    },
    ...(["pooled", "perTarget"] as const).map((multiTarget): RunsCase => ({
      name: `gar α per run ${multiTarget}`,
      t,
      runs: (y, f, ks) => L.gar(y, f, { alpha: pick(ALPHA, ks), multiTarget }),
      single: (y, f, k) => L.gar(y, f, { alpha: ALPHA[k], multiTarget }),
      value: (y, f, k) => R.garReference(y, f, { alpha: ALPHA[k], multiTarget }),
      grad: (y, f, k) => R.garGradientReference(y, f, { alpha: ALPHA[k], multiTarget }),
    })),
    ...(["mae", "variance", "pearson"] as const).map((part): RunsCase => ({
      name: `garParts ${part}`,
      t,
      runs: (y, f) => L.garParts(y, f)[part],
      single: (y, f) => L.garParts(y, f)[part],
      value: (y, f) => R.garPartsReference(y, f)[part],
    })),
    ...([["mae", "variance"], ["variance", "pearson"], ["mae", "pearson"]] as Part[][]).map((
      parts,
    ): RunsCase => ({
      name: `droAggregate(garParts ${parts.join(" + ")}) α per run`,
      t,
      runs: (y, f, ks) => {
        const p = L.garParts(y, f);
        return L.droAggregate(parts.map((k) => p[k]), pick(ALPHA, ks));
      },
      single: (y, f, k) => {
        const p = L.garParts(y, f);
        return L.droAggregate(parts.map((q) => p[q]), ALPHA[k]);
      },
      value: (y, f, k) => {
        const p = R.garPartsReference(y, f);
        return R.droAggregateReference(parts.map((q) => p[q]), ALPHA[k]);
      },
    })),
  ]),
  {
    name: "focalMae γ mixed per run",
    t: 1,
    runs: (y, f, ks) => L.focalMae(y, f, { beta: 1, gamma: pick(GAMMA, ks) }),
    single: (y, f, k) => L.focalMae(y, f, { beta: 1, gamma: GAMMA[k] }),
    value: (y, f, k) => R.focalMaeReference(y, f, 1, GAMMA[k]),
  },
];

// Expected values and gradients per case and run, in float64.
const EXPECTED = CASES.map((c) => {
  const { y, f } = DATA[c.t];
  return f.map((fk, k) => ({
    value: c.value(y, fk, k),
    grad: c.grad ? c.grad(y, fk, k) : R.numericGradient((z) => c.value(y, z, k), fk),
  }));
});

/** The values `[K']` and the gradient `[K', N, T]` (of their sum) of runs `ks` at once, read back. */
async function runsValueAndGrad(
  c: RunsCase,
  ks: number[],
): Promise<{ values: Float32Array; grad: Float32Array }> {
  const { y, f } = DATA[c.t];
  const yt = tf.tensor2d(y), ft = tf.tensor3d(ks.map((k) => f[k]));
  const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => tf.sum(c.runs(yt, p as tf.Tensor3D, ks)))(ft);
  const values = c.runs(yt, ft, ks);
  assert.deepEqual(values.shape, [ks.length], `${c.name}: shape`);
  const out = { values: (await values.data()) as Float32Array, grad: (await grad.data()) as Float32Array };
  tf.dispose([yt, ft, value, grad, values]);
  return out;
}

/** The value and gradient of run k alone, single-run form, read back. */
function singleValueAndGrad(c: RunsCase, k: number): { value: Float32Array; grad: Float32Array } {
  return tf.tidy(() => {
    const { y, f } = DATA[c.t];
    const yt = tf.tensor2d(y);
    const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => c.single(yt, p as tf.Tensor2D, k))(
      tf.tensor2d(f[k]),
    );
    return { value: value.dataSync() as Float32Array, grad: grad.dataSync() as Float32Array };
  });
}

const maxAbs = (m: ArrayLike<number>) => Array.from(m).reduce((a, v) => Math.max(a, Math.abs(v)), 0);
const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));
const ALL = Array.from({ length: K }, (_, k) => k);

async function checkAgainstFloat64(backend: BackendName): Promise<void> {
  await selectBackend({ backend });
  for (const [i, c] of CASES.entries()) {
    const { values, grad } = await runsValueAndGrad(c, ALL);
    const size = N * c.t;
    for (let k = 0; k < K; k++) {
      const want = EXPECTED[i][k];
      const where = `${backend} ${c.name} T=${c.t} run ${k}`;
      const vTol = 1e-4 * Math.max(1, Math.abs(want.value));
      assert.ok(
        Math.abs(values[k] - want.value) <= vTol,
        `${where}: value ${values[k]} vs float64 ${want.value}`,
      );
      const flat = want.grad.flat();
      const scale = Math.max(maxAbs(flat), 1e-6);
      const err = maxAbs(flat.map((w, j) => grad[k * size + j] - w));
      assert.ok(err <= 2e-3 * scale, `${where}: gradient error ${err} (scale ${scale})`);
    }
  }
}

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test({
    name: `runs axis: every label-space loss on ${backend}, run by run, matches float64`,
    ...TF_TEST,
    fn: () => checkAgainstFloat64(backend),
  });
}
const NO_WEBGPU = (await probeWebGpuAdapter()) === null;
Deno.test({
  name: "runs axis: every label-space loss on webgpu, run by run, matches float64",
  ...TF_TEST,
  ignore: NO_WEBGPU,
  fn: async () => {
    try {
      await checkAgainstFloat64("webgpu");
    } finally {
      await selectBackend({ backend: "cpu" });
    }
  },
});

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test({
    name:
      `runs axis on ${backend}: run k is, bit for bit, the single-run loss on its slice, alone or among 3 or 5`,
    ...TF_TEST,
    fn: async () => {
      await selectBackend({ backend });
      for (const c of CASES) {
        const size = N * c.t;
        for (const ks of [ALL, [3, 0, 4], ...ALL.map((k) => [k])]) {
          const { values, grad } = await runsValueAndGrad(c, ks);
          ks.forEach((k, j) => {
            const one = singleValueAndGrad(c, k);
            const where = `${backend} ${c.name} T=${c.t} run ${k} among [${ks}]`;
            assert.deepEqual(bits([values[j]]), bits(one.value), `${where}: value`);
            assert.deepEqual(
              bits(grad.subarray(j * size, (j + 1) * size)),
              bits(one.grad),
              `${where}: gradient`,
            );
          });
        }
      }
    },
  });
}

Deno.test({
  name:
    "runs axis: forward + backward launch as many tfjs kernels for 5 runs as for 2 (no loop over the runs)",
  ...TF_TEST,
  fn: async () => {
    for (const backend of ["cpu", "wasm"] as const) {
      await selectBackend({ backend });
      for (const c of CASES) {
        const counts: number[] = [];
        for (const ks of [[0, 1], ALL]) {
          const { y, f } = DATA[c.t];
          const yt = tf.tensor2d(y), ft = tf.tensor3d(ks.map((k) => f[k]));
          const info = await tf.profile(() =>
            tf.grad((p: tf.Tensor) => tf.sum(c.runs(yt, p as tf.Tensor3D, ks)))(ft)
          );
          tf.dispose([yt, ft, info.result as tf.Tensor]);
          counts.push(info.kernels.length);
        }
        assert.equal(
          counts[1],
          counts[0],
          `${backend} ${c.name}: ${counts[0]} kernels for K = 2, ${counts[1]} for 5`,
        );
      }
    }
  },
});

/** The kernels `tf.profile` records for the values and the gradient (upstream 1 per run) of `f` at `x`. */
async function runsKernels(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): Promise<string[]> {
  const dy = tf.ones([x.shape[0]]);
  const info = await tf.profile(() => tf.tidy(() => tf.grad(f)(x, dy)));
  tf.dispose([dy, info.result as tf.Tensor]);
  return info.kernelNames;
}

Deno.test({
  name: "runs axis: gar's host kernel is one kernel call for any K (value and gradient per run in one pass)",
  ...TF_TEST,
  fn: async () => {
    for (const backend of ["cpu", "wasm"] as const) {
      await selectBackend({ backend });
      const { y, f } = DATA[2];
      const yt = tf.tensor2d(y), ft = tf.tensor3d(f);
      const names = await runsKernels((p) => L.gar(yt, p as tf.Tensor3D), ft);
      tf.dispose([yt, ft]);
      const compute = names.filter((k) => !["Identity", "ZerosLike"].includes(k));
      assert.deepEqual(compute, ["unnamed scope"], `${backend}: ${names}`);
    }
  },
});

Deno.test({
  name: "runs axis: gar on webgpu is its two WGSL kernels for any K (stats, slice; gradient)",
  ...TF_TEST,
  ignore: NO_WEBGPU,
  fn: async () => {
    await selectBackend({ backend: "webgpu" });
    try {
      const y = tf.randomNormal([512, 2], 0, 1, "float32", 1),
        f = tf.randomNormal([27, 512, 2], 0, 1, "float32", 2);
      const names = await runsKernels((p) => L.gar(y, p as tf.Tensor3D), f);
      tf.dispose([y, f]);
      const compute = names.filter((k) => !["Identity", "Fill", "ZerosLike"].includes(k));
      // (the WGSL programs are not tfjs kernels)
      assert.deepEqual(compute, ["Slice", "unnamed scope"], `${names}`);
    } finally {
      await selectBackend({ backend: "cpu" });
    }
  },
});

Deno.test({
  name: "runs axis: gar's tensor program (no loss kernels) matches float64 and one run, run by run",
  ...TF_TEST,
  fn: async () => {
    // A cpu backend under another name: tfjs's kernels, but none of the kit's loss kernels.
    if (!tf.findBackend("plain-cpu")) {
      tf.registerBackend("plain-cpu", () => Object.assign(new MathBackendCPU(), { firstUse: false }), -1);
      for (const kernel of tf.getKernelsForBackend("cpu")) {
        tf.registerKernel({ ...kernel, backendName: "plain-cpu" });
      }
    }
    await tf.setBackend("plain-cpu");
    try {
      for (const [i, c] of CASES.entries()) {
        if (!c.name.startsWith("gar α")) continue;
        const { values, grad } = await runsValueAndGrad(c, ALL);
        for (let k = 0; k < K; k++) {
          const want = EXPECTED[i][k], one = singleValueAndGrad(c, k);
          const where = `${c.name} T=${c.t} run ${k}`;
          assert.ok(
            Math.abs(values[k] - want.value) <= 1e-4 * Math.max(1, Math.abs(want.value)),
            `${where}: value`,
          );
          // (the same ops as one run, broadcast over K: here even the same bits)
          assert.deepEqual(bits([values[k]]), bits(one.value), `${where}: value vs one run`);
          assert.deepEqual(
            bits(grad.subarray(k * N * c.t, (k + 1) * N * c.t)),
            bits(one.grad),
            `${where}: gradient`,
          );
          const flat = want.grad.flat(), scale = Math.max(maxAbs(flat), 1e-6);
          const err = maxAbs(flat.map((w, j) => grad[k * N * c.t + j] - w));
          assert.ok(err <= 2e-3 * scale, `${where}: gradient error ${err} (scale ${scale})`);
        }
      }
    } finally {
      await selectBackend({ backend: "cpu" });
    }
  },
});

Deno.test({
  name: "runs axis: gar with a constant run (clipped std) keeps the other runs' values, no NaN",
  ...TF_TEST,
  fn: async () => {
    for (const backend of ["cpu", "wasm"] as const) {
      await selectBackend({ backend });
      const { y, f } = DATA[1];
      const runs = [f[0], y.map(() => [2.5]), f[1]];
      const { value, grad } = tf.tidy(() => {
        const out = tf.valueAndGrad((p: tf.Tensor) => tf.sum(L.gar(tf.tensor2d(y), p as tf.Tensor3D)))(
          tf.tensor3d(runs),
        );
        return { value: L.gar(tf.tensor2d(y), tf.tensor3d(runs)).dataSync(), grad: out.grad.dataSync() };
      });
      runs.forEach((fk, k) => {
        assert.ok(
          Math.abs(value[k] - R.garReference(y, fk)) <= 1e-5 * Math.max(1, Math.abs(value[k])),
          `run ${k}`,
        );
      });
      assert.ok(grad.every(Number.isFinite));
    }
  },
});

Deno.test({
  name: "runs axis: bad inputs and per-run options throw LossInputError naming the argument",
  ...TF_TEST,
  fn: async () => {
    await selectBackend({ backend: "cpu" });
    const y = tf.tensor1d([1, 2, 3]), f = tf.zeros([2, 3, 1]) as tf.Tensor3D;
    const cases: [() => unknown, RegExp][] = [
      [() => L.mae(y, tf.zeros([2, 4, 1])), /mae: yTrue has shape \[3\] but yPred has shape \[2, 4, 1\]/],
      [() => L.gar(tf.zeros([3, 2]), tf.zeros([2, 3, 1])), /gar: yTrue has shape \[3, 2\]/],
      [() => L.huber(y, f, { delta: [1, 2, 3] }), /huber: option delta has 3 values for 2 runs/],
      [() => L.huber(y, f, { delta: [1, 0] }), /huber: option delta\[1\] must be > 0/],
      [() => L.huber(y, tf.zeros([3]), { delta: [1] }), /huber: option delta must be a finite number/],
      [() => L.focalMse(y, f, { gamma: [1, -1] }), /focalMse: option gamma\[1\] must be >= 0/],
      [() => L.gar(y, f, { alpha: [1, NaN] }), /gar: option alpha\[1\] must be a finite number/],
      [() => L.gar(y, f, { alpha: [1] }), /gar: option alpha has 1 values for 2 runs/],
      [
        () => L.droAggregate([tf.tensor1d([1, 2]), tf.tensor1d([1])], 1),
        /losses\[1\] must be a \[2\] tf.Tensor/,
      ],
      [() => L.droAggregate([tf.tensor1d([1, 2]), tf.scalar(1)], 1), /losses\[1\] must be a \[2\] tf.Tensor/],
      [() => L.droAggregate([tf.tensor1d([1, 2])], [1, 2, 3]), /option alpha has 3 values for 2 runs/],
      [
        () => L.droAggregate([tf.tensor1d([1, 2]), tf.tensor1d([3, 0])], 1),
        /losses\[1\] must be finite and > 0, got 0 \(run 1\)/,
      ],
    ];
    for (const [call, message] of cases) {
      assert.throws(
        call,
        (e: unknown) => e instanceof L.LossInputError && message.test(e.message),
        String(message),
      );
    }
    tf.dispose([y, f]);
  },
});

Deno.test({
  name: "runs axis: droAggregate of [K] sub-losses is, run by run, droAggregate of that run's scalars (bits)",
  ...TF_TEST,
  fn: async () => {
    await selectBackend({ backend: "cpu" });
    const subLosses = [[0.5, 2, 1e-3], [3, 2, 7], [1e-6, 40, 1]]; // [M][K]
    const alphas = [0.1, 1, 10];
    const { value, grads } = tf.tidy(() => {
      const ls = subLosses.map((l) => tf.tensor1d(l));
      const out = tf.valueAndGrads((...xs: tf.Tensor[]) =>
        tf.sum(L.droAggregate(xs as tf.Tensor1D[], alphas))
      )(ls);
      return { value: L.droAggregate(ls, alphas).dataSync(), grads: out.grads.map((g) => g.dataSync()) };
    });
    for (let k = 0; k < 3; k++) {
      const one = tf.tidy(() => {
        const ls = subLosses.map((l) => tf.scalar(l[k]));
        const out = tf.valueAndGrads((...xs: tf.Tensor[]) => L.droAggregate(xs as tf.Scalar[], alphas[k]))(
          ls,
        );
        return { value: out.value.dataSync()[0], grads: out.grads.map((g) => g.dataSync()[0]) };
      });
      assert.deepEqual(bits([value[k]]), bits([one.value]), `run ${k}: value`);
      assert.deepEqual(bits(grads.map((g) => g[k])), bits(one.grads), `run ${k}: gradient`);
    }
  },
});
