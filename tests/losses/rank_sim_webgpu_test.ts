/**
 * RankSim on WebGPU: the row-ranks kernel (`lib/losses/kernels/webgpu/rank_sim.ts`) against the float64
 * reference's `rank_normalised` (ties, ±0, clustered rows), and the whole loss's value and blackbox
 * gradient against the cpu backend's host pass (itself tested against float64) for batches over
 * several workgroups; and the kernel count of a forward + backward pass. Ignored where no WebGPU
 * adapter exists (CI has Mesa's software one).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/backend.ts";
import { rankSim } from "../../lib/losses/rank_sim.ts";
import { RANKS_WEBGPU_MAX_U, rowRanksWebgpu } from "../../lib/losses/kernels/webgpu/rank_sim.ts";
import { rankNormalisedReference } from "../../lib/losses/reference/baselines.ts";
import { assertClose, randomMatrix, seeded } from "./_baseline_helpers.ts";
import { onCpuAndWebgpu, WEBGPU_TEST, webgpuKernels } from "./_webgpu_helpers.ts";

Deno.test({
  name: "rankSim on webgpu: the row-ranks kernel gives rank_normalised exactly (ties, ±0, clusters)",
  ...WEBGPU_TEST,
  fn: async () => {
    await selectBackend({ backend: "webgpu" });
    try {
      const rng = seeded(61);
      const rows = [
        Array.from({ length: 70 }, () => Math.fround(rng() * 2 - 1)),
        Array.from({ length: 70 }, () => Math.floor(rng() * 4) / 4), // ties
        Array.from({ length: 70 }, (_, k) => (k % 3 === 0 ? 0 : k % 3 === 1 ? -0 : 1)), // ±0
        Array.from({ length: 70 }, () => Math.fround(1 - rng() ** 3 * 1e-3)), // clustered near 1
      ];
      const ranks = await rowRanksWebgpu(tf.tensor2d(rows)).array();
      rows.forEach((r, i) =>
        assert.deepEqual(ranks[i], rankNormalisedReference(r).map(Math.fround), `row ${i}`)
      );
    } finally {
      await selectBackend({ backend: "cpu" });
    }
  },
});

Deno.test({
  name: "rankSim on webgpu: value and blackbox gradient match the host pass (distinct and tied labels)",
  ...WEBGPU_TEST,
  fn: async () => {
    const rng = seeded(62);
    // (the last size is above the kernel's limit: the tensor program's row sorts)
    for (const [n, levels] of [[100, 0], [150, 20], [RANKS_WEBGPU_MAX_U + 8, 0]]) {
      const y = Array.from(
        { length: n },
        () => (levels ? Math.floor(rng() * levels) : Math.fround(rng() * 3)),
      );
      const f = randomMatrix(rng, n, 6);
      const { host, gpu } = await onCpuAndWebgpu(
        (x) => rankSim(tf.tensor1d(y), x, { lambda: 2, hostLabels: y }),
        f,
      );
      assertClose(gpu.value, host.value, { atol: 1e-5, rtol: 1e-5 }, `N=${n}: value`);
      assert.ok(host.grad.some((v) => v !== 0), `N=${n}: the case has a gradient`);
      // TrueRanker's gradient ranks s + λ·g, which the device forms in float32 by autodiff and the
      // host pass in float64 (rounded once): a near-tie in a row can rank the other way, moving a
      // few entries by ~1/(U·λ)·|q|. All but a few entries agree closely.
      const scale = Math.max(...host.grad.map(Math.abs));
      const off = gpu.grad.filter((v, k) => Math.abs(v - host.grad[k]) > 1e-3 * scale + 1e-7).length;
      assert.ok(off <= gpu.grad.length / 100, `N=${n}: ${off} of ${gpu.grad.length} gradient entries differ`);
    }
  },
});

Deno.test({
  name: "rankSim on webgpu: a forward + backward pass has no row sort and a few dozen kernels",
  ...WEBGPU_TEST,
  fn: async () => {
    const rng = seeded(63);
    const yv = Array.from({ length: 64 }, () => Math.fround(rng()));
    const names = await webgpuKernels(
      [yv.map((v) => [v]), randomMatrix(rng, 64, 8)],
      (y, f) => tf.grad((x: tf.Tensor) => rankSim(y, x, { hostLabels: yv }))(f),
    );
    assert.ok(!names.includes("TopK"), "no TopK");
    assert.ok(names.length < 90, `${names.length} kernels`);
  },
});
