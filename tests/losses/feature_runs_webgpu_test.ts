/**
 * RankSim, RnC and ConR over the runs axis on WebGPU: each run's value against the float64 reference and its
 * gradient against the cpu backend's host pass (itself tested against float64 and the single-run calls), with
 * per-run options; a forward + backward pass launches as many kernels for K = 4 runs as for one; and RnC above
 * its kernels' batch limit (the tensor program once per run). Ignored where no WebGPU adapter exists (CI has
 * Mesa's software one).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/backend.ts";
import { conr } from "../../lib/losses/conr.ts";
import { rankSim } from "../../lib/losses/rank_sim.ts";
import { rnc } from "../../lib/losses/rnc.ts";
import { RNC_WEBGPU_MAX_N } from "../../lib/losses/kernels/webgpu/rnc.ts";
import { conrReference, rankSimReference, rncReference } from "../../lib/losses/reference/baselines.ts";
import { assertClose, integerMatrix, randomMatrix, seeded } from "./_baseline_helpers.ts";
import { WEBGPU_TEST } from "./_webgpu_helpers.ts";

type Matrix = number[][];

interface RunsValueGrad {
  values: number[];
  /** Each run's gradient, flattened. */
  grads: number[][];
}

/** The K values and the gradient of their sum at `x` (`[K][N][D]`) on the active backend, read asynchronously. */
async function runsValueGrad(f: (x: tf.Tensor3D) => tf.Tensor1D, x: Matrix[]): Promise<RunsValueGrad> {
  const input = tf.tensor3d(x);
  const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(f(t as tf.Tensor3D)))(input);
  const values = Array.from(await f(input).data());
  const flat = await grad.data(), size = flat.length / x.length;
  tf.dispose([input, value, grad]);
  return { values, grads: x.map((_, k) => Array.from(flat.subarray(k * size, (k + 1) * size))) };
}

/** {@linkcode runsValueGrad} on cpu (the host pass) and on webgpu; leaves the cpu backend active. */
async function onCpuAndWebgpu(
  f: (x: tf.Tensor3D) => tf.Tensor1D,
  x: Matrix[],
): Promise<{ host: RunsValueGrad; gpu: RunsValueGrad }> {
  await selectBackend({ backend: "cpu" });
  const host = await runsValueGrad(f, x);
  await selectBackend({ backend: "webgpu" });
  try {
    return { host, gpu: await runsValueGrad(f, x) };
  } finally {
    await selectBackend({ backend: "cpu" });
  }
}

/** The number of kernels `tf.profile` records for a forward + backward pass of `f` at `x` on webgpu. */
async function webgpuKernelCount(f: (x: tf.Tensor3D) => tf.Tensor1D, x: Matrix[]): Promise<number> {
  await selectBackend({ backend: "webgpu" });
  try {
    const input = tf.tensor3d(x);
    const info = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(f(t as tf.Tensor3D)))(input));
    tf.dispose([input, info.result as tf.Tensor]);
    return info.kernels.length;
  } finally {
    await selectBackend({ backend: "cpu" });
  }
}

const squeezed = (rng: () => number, y: Matrix) =>
  y.map((r) => r.map((v) => Math.fround(v + 0.8 * (rng() - 0.5))));

Deno.test({
  name:
    "feature losses over the runs axis on webgpu: each run's value matches float64, its gradient the host pass",
  ...WEBGPU_TEST,
  fn: async () => {
    const rng = seeded(501);
    const k = 3;
    for (const [n, columns] of [[70, 1], [150, 2]]) {
      const y = columns === 1 ? randomMatrix(rng, n, 1, 2) : integerMatrix(rng, n, 2, 3);
      const x = Array.from({ length: k }, () => randomMatrix(rng, n, 5));
      const temperature = [1, 2, 4];
      const options = { w: [1, 0.5, 0.8], t: [0.07, 0.5, 0.2], e: [0.01, 0.1, 0] };
      const preds = Array.from({ length: k }, () => squeezed(rng, y));
      const losses: [string, (f: tf.Tensor3D) => tf.Tensor1D, (r: number) => number][] = [
        ["rnc", (f) => rnc(tf.tensor2d(y), f, { temperature }), (r) => rncReference(y, x[r], temperature[r])],
        [
          "conr",
          (f) => conr(tf.tensor2d(y), tf.tensor3d(preds), f, options),
          (r) => conrReference(y, preds[r], x[r], { w: options.w[r], t: options.t[r], e: options.e[r] }),
        ],
      ];
      if (columns === 1) {
        const values = y.map((row) => row[0]), lambda = [2, 0.5, 1];
        losses.push([
          "rankSim",
          (f) => rankSim(tf.tensor2d(y), f, { lambda, hostLabels: values }),
          (r) => rankSimReference(values, x[r], lambda[r]).value,
        ]);
      }
      for (const [name, loss, reference] of losses) {
        const { host, gpu } = await onCpuAndWebgpu(loss, x);
        for (let r = 0; r < k; r++) {
          const label = `${name} N=${n} T=${columns} run ${r}`;
          assertClose(gpu.values[r], reference(r), { atol: 1e-4, rtol: 1e-4 }, `${label}: value`);
          assert.ok(host.grads[r].some((v) => v !== 0), `${label}: the case has a gradient`);
          if (name === "rankSim") {
            // TrueRanker ranks s + λ·g, formed in float32 on the device and in float64 on the host: a near-tie
            // can rank the other way and move a few entries (see rank_sim_webgpu_test.ts). Most agree.
            const close = gpu.grads[r].filter((v, i) => Math.abs(v - host.grads[r][i]) <= 1e-4).length;
            assert.ok(
              close >= 0.97 * host.grads[r].length,
              `${label}: ${close} of ${host.grads[r].length} close`,
            );
          } else {
            assertClose(
              gpu.grads[r],
              host.grads[r],
              { atol: 1e-3, rtol: 1e-3, scaled: true },
              `${label}: gradient`,
            );
          }
        }
      }
    }
  },
});

Deno.test({
  name: "feature losses over the runs axis on webgpu: K = 4 runs launch as many kernels as one",
  ...WEBGPU_TEST,
  fn: async () => {
    const rng = seeded(502);
    const n = 48, y = randomMatrix(rng, n, 1, 2), values = y.map((r) => r[0]);
    const x = Array.from({ length: 4 }, () => randomMatrix(rng, n, 6));
    const preds = Array.from({ length: 4 }, () => squeezed(rng, y));
    const losses: [string, (k: number) => (f: tf.Tensor3D) => tf.Tensor1D][] = [
      ["rnc", (k) => (f) => rnc(tf.tensor2d(y), f, { temperature: [1, 2, 3, 4].slice(0, k) })],
      ["conr", (k) => (f) => conr(tf.tensor2d(y), tf.tensor3d(preds.slice(0, k)), f)],
      [
        "rankSim",
        (k) => (f) => rankSim(tf.tensor2d(y), f, { lambda: [1, 2, 3, 4].slice(0, k), hostLabels: values }),
      ],
    ];
    for (const [name, loss] of losses) {
      const one = await webgpuKernelCount(loss(1), x.slice(0, 1));
      assert.equal(await webgpuKernelCount(loss(4), x), one, `${name}: K = 4 vs K = 1`);
    }
  },
});

Deno.test({
  name: "rnc over the runs axis on webgpu: above the kernels' batch limit, the tensor program runs per run",
  ...WEBGPU_TEST,
  fn: async () => {
    const rng = seeded(503);
    const n = RNC_WEBGPU_MAX_N + 8;
    const y = integerMatrix(rng, n, 1, 40), x = [randomMatrix(rng, n, 3), randomMatrix(rng, n, 3)];
    const { host, gpu } = await onCpuAndWebgpu((f) => rnc(tf.tensor2d(y), f, { temperature: [2, 1] }), x);
    for (let r = 0; r < 2; r++) {
      assertClose(gpu.values[r], host.values[r], { atol: 1e-4, rtol: 1e-4 }, `run ${r}: value`);
      assertClose(
        gpu.grads[r],
        host.grads[r],
        { atol: 1e-3, rtol: 1e-3, scaled: true },
        `run ${r}: gradient`,
      );
    }
  },
});
