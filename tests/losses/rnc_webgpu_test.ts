/**
 * RnC's four WGSL kernels (`lib/losses/kernels/webgpu/rnc.ts`): value and gradient on WebGPU against the
 * float64 reference (values) and the cpu backend's host pass (gradients, themselves tested against
 * float64), across batch sizes (several workgroups), label columns, ties and temperatures; and the
 * kernel count of a forward + backward pass. Ignored where no WebGPU adapter exists (CI has Mesa's
 * software one).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { rnc } from "../../lib/losses/rnc.ts";
import { rncReference } from "../../lib/losses/reference/baselines.ts";
import { RNC_WEBGPU_MAX_N } from "../../lib/losses/kernels/webgpu/rnc.ts";
import { assertClose, integerMatrix, randomMatrix, seeded } from "./_baseline_helpers.ts";
import { onCpuAndWebgpu, WEBGPU_TEST, webgpuKernels } from "./_webgpu_helpers.ts";

Deno.test({
  name: "rnc on webgpu: fused kernels match float64 values and the host pass's gradients",
  ...WEBGPU_TEST,
  fn: async () => {
    const rng = seeded(51);
    const cases: { y: number[][]; temperature: number }[] = [
      { y: randomMatrix(rng, 3, 1, 2), temperature: 2 },
      { y: randomMatrix(rng, 70, 1, 2), temperature: 1 },
      { y: integerMatrix(rng, 90, 1, 6), temperature: 4 }, // tied label distances
      { y: integerMatrix(rng, 150, 2, 3), temperature: 2 }, // two columns, many ties
    ];
    for (const c of cases) {
      const n = c.y.length;
      const f = randomMatrix(rng, n, 6);
      const { host, gpu } = await onCpuAndWebgpu(
        (x) => rnc(tf.tensor2d(c.y), x, { temperature: c.temperature }),
        f,
      );
      const label = `N=${n} T=${c.y[0].length} t=${c.temperature}`;
      assertClose(
        gpu.value,
        rncReference(c.y, f, c.temperature),
        { atol: 1e-4, rtol: 1e-4 },
        `${label}: value`,
      );
      assert.ok(host.grad.some((v) => v !== 0), `${label}: the case has a gradient`);
      assertClose(gpu.grad, host.grad, { atol: 1e-3, rtol: 1e-3, scaled: true }, `${label}: gradient`);
    }
  },
});

Deno.test({
  name: "rnc on webgpu: above the kernels' batch limit, the tensor program gives the host pass's value",
  ...WEBGPU_TEST,
  fn: async () => {
    const rng = seeded(53);
    const n = RNC_WEBGPU_MAX_N + 8;
    const y = integerMatrix(rng, n, 1, 40), f = randomMatrix(rng, n, 4);
    const { host, gpu } = await onCpuAndWebgpu((x) => rnc(tf.tensor2d(y), x, { temperature: 2 }), f);
    assertClose(gpu.value, host.value, { atol: 1e-4, rtol: 1e-4 }, `N=${n}: value`);
    assertClose(gpu.grad, host.grad, { atol: 1e-3, rtol: 1e-3, scaled: true }, `N=${n}: gradient`);
  },
});

Deno.test({
  name: "rnc on webgpu: a forward + backward pass is a few dozen kernels (the tensor program's was ~160)",
  ...WEBGPU_TEST,
  fn: async () => {
    const rng = seeded(52);
    const kernels = await webgpuKernels(
      [randomMatrix(rng, 64, 1), randomMatrix(rng, 64, 8)],
      (y, f) => tf.grad((x: tf.Tensor) => rnc(y, x))(f),
    );
    assert.ok(kernels.length < 60, `${kernels.length} kernels`);
  },
});
