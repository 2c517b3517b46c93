/**
 * GAR's two WGSL kernels (`lib/losses/kernels/webgpu/gar.ts`): value and gradient against the float64
 * reference across batch sizes (one workgroup strides over any N), multi-target modes, a clipped
 * std and labels far from 0; and the kernel count of a forward + backward pass. Ignored where no
 * WebGPU adapter exists (CI has Mesa's software one).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { probeWebGpuAdapter, selectBackend } from "../../lib/backend.ts";
import { gar } from "../../lib/losses/gar.ts";
import { createFfnn } from "../../lib/model/ffnn.ts";
import { sgd } from "../../lib/model/optimizer.ts";
import { trainStep } from "../../lib/model/train_step.ts";
import { garGradientReference, garReference } from "../../lib/losses/reference/gar.ts";
import { gaussian, mulberry32 } from "../../lib/random/mod.ts";

const opts = { sanitizeOps: false, sanitizeResources: false, ignore: (await probeWebGpuAdapter()) === null };

Deno.test({
  name: "gar on webgpu: fused kernels match float64 for N from 2 to 65536, pooled and perTarget",
  ...opts,
  fn: async () => {
    await selectBackend({ backend: "webgpu" });
    try {
      const rng = mulberry32(7);
      const cases: { n: number; t: number; alpha: number; mt: "pooled" | "perTarget"; kind: string }[] = [
        { n: 2, t: 1, alpha: 1, mt: "pooled", kind: "random" },
        { n: 37, t: 3, alpha: 0.1, mt: "pooled", kind: "random" },
        { n: 300, t: 3, alpha: 10, mt: "perTarget", kind: "random" },
        { n: 65536, t: 2, alpha: 1, mt: "perTarget", kind: "random" },
        { n: 50, t: 1, alpha: 1, mt: "pooled", kind: "constant prediction (clipped std)" },
        { n: 1000, t: 15, alpha: 2, mt: "pooled", kind: "labels near 1000" },
      ];
      for (const c of cases) {
        const y: number[][] = [], f: number[][] = [];
        for (let i = 0; i < c.n; i++) {
          const yr = Array.from(
            { length: c.t },
            () => gaussian(rng) * 3 + (c.kind === "labels near 1000" ? 1000 : 0),
          );
          // the reference sees the float32 values the GPU sees (a sign(δ) flips otherwise where |δ| < ulp)
          y.push(yr.map(Math.fround));
          f.push(yr.map((v) => Math.fround(c.kind.startsWith("constant") ? 2.5 : v + gaussian(rng))));
        }
        const yt = tf.tensor2d(y), ft = tf.tensor2d(f);
        const value = (await gar(yt, ft, { alpha: c.alpha, multiTarget: c.mt }).data())[0];
        const grad = await tf.grad((p: tf.Tensor) => gar(yt, p, { alpha: c.alpha, multiTarget: c.mt }))(ft)
          .data();
        const ref = garReference(y, f, { alpha: c.alpha, multiTarget: c.mt });
        const gRef = garGradientReference(y, f, { alpha: c.alpha, multiTarget: c.mt }).flat();
        const label = `${c.kind} N=${c.n} T=${c.t} α=${c.alpha} ${c.mt}`;
        assert.ok(
          Math.abs(value - ref) <= 4e-6 * Math.max(1, Math.abs(ref)),
          `${label}: value ${value} vs ${ref}`,
        );
        const gMax = gRef.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        // float32 inputs near 1000 carry a relative rounding of 6e-8·1000/3 to the centred values
        const tol = c.kind === "labels near 1000" ? 2e-4 : 2e-6;
        for (let i = 0; i < gRef.length; i++) {
          assert.ok(
            Math.abs(grad[i] - gRef[i]) <= tol * gMax,
            `${label}: gradient[${i}] ${grad[i]} vs ${gRef[i]}`,
          );
        }
        tf.dispose([yt, ft]);
      }
    } finally {
      await selectBackend({ backend: "cpu" });
    }
  },
});

Deno.test({
  name:
    "gar on webgpu: gradients through a model with [N] labels (the inputs gar reshapes are kept for backward)",
  ...opts,
  fn: async () => {
    await selectBackend({ backend: "webgpu" });
    try {
      const xs = [[1, 2], [0, 1], [3, 1], [2, 2], [1, 0]];
      const labels = [1, 0.5, 2.5, 2, 0.2];
      const x = tf.tensor2d(xs), y = tf.tensor1d(labels);
      const w = tf.variable(tf.tensor2d([[0.3], [-0.2]]));
      const { value, grads } = tf.variableGrads(() => gar(y, tf.reshape(tf.matMul(x, w), [-1])));
      const gw = await grads[w.name].data();
      // float64: dGAR/dw = xᵀ · dGAR/df
      const gf = garGradientReference(labels, xs.map(([a, b]) => a * 0.3 - b * 0.2)).flat();
      const want = [0, 1].map((j) => xs.reduce((s, r, i) => s + r[j] * gf[i], 0));
      for (let j = 0; j < 2; j++) assert.ok(Math.abs(gw[j] - want[j]) < 1e-5, `${gw[j]} vs ${want[j]}`);
      assert.ok(Number.isFinite((await value.data())[0]));
    } finally {
      await selectBackend({ backend: "cpu" });
    }
  },
});

Deno.test({
  name: "gar on webgpu: a training step of the kit's FFNN matches the same step on cpu",
  ...opts,
  fn: async () => {
    const x = [[0, 1, 2], [1, 0, 1], [1, 1, 0], [0, 0, 3], [2, 1, 1], [3, 0, 1]];
    const y = [[1], [2], [3], [0], [2.5], [1.5]];
    const step = async (backend: "cpu" | "webgpu") => {
      await selectBackend({ backend });
      const model = createFfnn({ inputDim: 3, outputDim: 1, hidden: [4], seed: 3 });
      const opt = sgd(model.variables, { lr: 0.1, momentum: 0.9 });
      const loss = trainStep(model, opt, tf.tensor2d(x), tf.tensor2d(y), (t, p) => gar(t, p));
      return { loss: (await loss.data())[0], w: await model.variables[0].data() };
    };
    try {
      const cpu = await step("cpu");
      const gpu = await step("webgpu");
      assert.ok(Math.abs(gpu.loss - cpu.loss) < 1e-5, `${gpu.loss} vs ${cpu.loss}`);
      for (let i = 0; i < cpu.w.length; i++) assert.ok(Math.abs(gpu.w[i] - cpu.w[i]) < 1e-5, `w[${i}]`);
    } finally {
      await selectBackend({ backend: "cpu" });
    }
  },
});

Deno.test({
  name:
    "gar on webgpu: forward + backward runs in at most 3 compute kernels (stats, slice, gradient) plus a zero fill",
  ...opts,
  fn: async () => {
    await selectBackend({ backend: "webgpu" });
    try {
      const y = tf.randomNormal([4096, 1], 0, 1, "float32", 1),
        f = tf.randomNormal([4096, 1], 0, 1, "float32", 2);
      const prof = await tf.profile(() => tf.tidy(() => tf.grad((p: tf.Tensor) => gar(y, p))(f)));
      const compute = prof.kernelNames.filter((k) => !["Identity", "Reshape"].includes(k));
      assert.ok(prof.kernels.length <= 6, `${prof.kernels.length} kernels: ${prof.kernelNames}`);
      assert.ok(!compute.some((k) => ["Mean", "Sum", "Sub", "Exp", "Log"].includes(k)), `${compute}`);
    } finally {
      await selectBackend({ backend: "cpu" });
    }
  },
});
