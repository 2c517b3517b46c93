/**
 * GAR's two WGSL kernels (`lib/losses/_gar_webgpu.ts`): value and gradient against the float64
 * reference across batch sizes (one workgroup strides over any N), multi-target modes, a clipped
 * std and labels far from 0; and the kernel count of a forward + backward pass. Ignored where no
 * WebGPU adapter exists (CI has Mesa's software one).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { probeWebGpuAdapter, selectBackend } from "../../lib/backend.ts";
import { gar } from "../../lib/losses/gar.ts";
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
