/**
 * ConR's two WGSL kernels (`lib/losses/kernels/webgpu/conr.ts`): value and gradient on WebGPU against the
 * float64 reference (values) and the cpu backend's host pass (gradients, themselves tested against
 * float64), across batch sizes (several workgroups), label columns, ties and options; and the kernel
 * count of a forward + backward pass. Ignored where no WebGPU adapter exists (CI has Mesa's software
 * one).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { conr, type ConrOptions } from "../../lib/losses/conr.ts";
import { conrReference } from "../../lib/losses/reference/baselines.ts";
import { assertClose, integerMatrix, randomMatrix, seeded } from "./_baseline_helpers.ts";
import { onCpuAndWebgpu, WEBGPU_TEST, webgpuKernels } from "./_webgpu_helpers.ts";

Deno.test({
  name: "conr on webgpu: fused kernels match float64 values and the host pass's gradients",
  ...WEBGPU_TEST,
  fn: async () => {
    const rng = seeded(41);
    const cases: { n: number; y: number[][]; o: ConrOptions }[] = [
      { n: 3, y: randomMatrix(rng, 3, 1, 2), o: {} },
      { n: 70, y: randomMatrix(rng, 70, 1, 2), o: { w: 0.5, t: 0.5, e: 0.1 } },
      { n: 150, y: integerMatrix(rng, 150, 2, 3), o: {} }, // two columns, many ties
    ];
    for (const c of cases) {
      const p = c.y.map((r) => r.map((v) => Math.fround(v + 0.8 * (rng() - 0.5))));
      const f = randomMatrix(rng, c.n, 5);
      const { host, gpu } = await onCpuAndWebgpu((x) => conr(tf.tensor2d(c.y), tf.tensor2d(p), x, c.o), f);
      const ref = conrReference(c.y, p, f, { w: c.o.w ?? 1, t: c.o.t ?? 0.07, e: c.o.e ?? 0.01 });
      const label = `N=${c.n} T=${c.y[0].length} ${JSON.stringify(c.o)}`;
      assertClose(gpu.value, ref, { atol: 1e-4, rtol: 1e-4 }, `${label}: value`);
      assert.ok(host.grad.some((v) => v !== 0), `${label}: the case has a gradient`);
      assertClose(gpu.grad, host.grad, { atol: 1e-3, rtol: 1e-3, scaled: true }, `${label}: gradient`);
    }
  },
});

Deno.test({
  name: "conr on webgpu: a forward + backward pass is a few dozen kernels (the tensor program's was ~190)",
  ...WEBGPU_TEST,
  fn: async () => {
    const rng = seeded(42);
    const kernels = await webgpuKernels(
      [randomMatrix(rng, 64, 1), randomMatrix(rng, 64, 1), randomMatrix(rng, 64, 8)],
      (y, p, f) => tf.grad((x: tf.Tensor) => conr(y, p, x))(f),
    );
    assert.ok(kernels.length < 80, `${kernels.length} kernels`);
  },
});
