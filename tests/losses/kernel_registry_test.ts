/**
 * The kernel registry (`lib/losses/kernels/`): every loss family's kernels are registered for the
 * backends they serve, each WebGPU kernel's size limit is its own applicability test, the losses reach
 * their host kernels through the dispatcher on cpu (bit for bit the kernel's own result), and an op
 * with no applicable kernel gets `null` (its tensor program runs).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { lossKernel, runLossKernel } from "../../lib/losses/kernels/mod.ts";
import { HOST_BACKENDS } from "../../lib/losses/kernels/host/backend.ts";
import { RNC_WEBGPU_MAX_N } from "../../lib/losses/kernels/webgpu/rnc.ts";
import { RANKS_WEBGPU_MAX_U } from "../../lib/losses/kernels/webgpu/rank_sim.ts";
import { registerLossKernel } from "../../lib/losses/kernels/registry.ts";
import { conr } from "../../lib/losses/conr.ts";
import { gar } from "../../lib/losses/gar.ts";
import { rankSim } from "../../lib/losses/rank_sim.ts";
import { rnc } from "../../lib/losses/rnc.ts";
import { TF_TEST, useCpu } from "./_baseline_helpers.ts";

Deno.test("kernel registry: host kernels on cpu and wasm, WebGPU kernels on webgpu", () => {
  assert.deepEqual([...HOST_BACKENDS], ["cpu", "wasm"]);
  for (const backend of HOST_BACKENDS) {
    for (const name of ["gar", "rnc", "conr", "rankSim"] as const) {
      const kernel = lossKernel(name, backend);
      assert.equal(kernel?.kernelName, name, `${name} on ${backend}`);
      assert.equal(kernel?.applies, undefined, `${name} on ${backend} applies to every batch`);
    }
    assert.equal(lossKernel("rankNormalised", backend), undefined);
  }
  for (const name of ["gar", "rnc", "conr", "rankNormalised"] as const) {
    assert.equal(lossKernel(name, "webgpu")?.kernelName, name);
  }
  assert.equal(lossKernel("rankSim", "webgpu"), undefined); // the tensor program, with the WGSL ranks
  assert.throws(
    () => registerLossKernel({ kernelName: "gar", backendName: "cpu", kernelFunc: () => tf.scalar(0) }),
    /already registered/,
  );
});

Deno.test({
  name: "kernel registry: the WebGPU size limits are the kernels' own applicability tests",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    const rncKernel = lossKernel("rnc", "webgpu")!;
    const rncApplies = (n: number) =>
      tf.tidy(() =>
        rncKernel.applies!({ yTrue: tf.zeros([n, 1]), features: tf.zeros([2, n, 3]) }, {
          temperature: [2, 2],
        })
      );
    assert.equal(rncApplies(RNC_WEBGPU_MAX_N), true);
    assert.equal(rncApplies(RNC_WEBGPU_MAX_N + 1), false);
    const ranks = lossKernel("rankNormalised", "webgpu")!;
    const ranksApply = (u: number) => tf.tidy(() => ranks.applies!({ s: tf.zeros([3, u]) }, {}));
    assert.equal(ranksApply(RANKS_WEBGPU_MAX_U), true);
    assert.equal(ranksApply(RANKS_WEBGPU_MAX_U + 1), false);
    assert.equal(lossKernel("gar", "webgpu")!.applies, undefined);
    assert.equal(lossKernel("conr", "webgpu")!.applies, undefined);
  },
});

Deno.test({
  name: "kernel registry: on cpu the losses are their host kernels, bit for bit; no kernel gives null",
  ...TF_TEST,
  fn: async () => {
    await useCpu();
    tf.tidy(() => {
      const y = tf.tensor2d([[0.5], [1.5], [0.25], [3], [2]]);
      const p = tf.tensor2d([[0.75], [1], [0.5], [2.5], [2.25]]);
      const x = tf.tensor2d([[1, 0, 2], [0, 1, 1], [1, 1, 0], [2, 0, 1], [0, 2, 1]]);
      const labels = Array.from(y.dataSync());
      const same = (a: tf.Scalar, b: tf.Scalar | null) => assert.equal(a.dataSync()[0], b!.dataSync()[0]);
      same(
        gar(y, p, { alpha: 2 }),
        runLossKernel("gar", { yTrue: y, yPred: p }, { alpha: [2], pooled: true }) as tf.Scalar,
      );
      // (The feature losses' kernels take K runs, here K = 1, and return K values.)
      const [p1, x1] = [p.expandDims(0) as tf.Tensor3D, x.expandDims(0) as tf.Tensor3D];
      const one = (t: tf.Tensor1D | null) => t!.reshape([]) as tf.Scalar;
      same(rnc(y, x), one(runLossKernel("rnc", { yTrue: y, features: x1 }, { temperature: [2] })));
      same(
        conr(y, p, x),
        one(runLossKernel("conr", { yTrue: y, yPred: p1, features: x1 }, { w: [1], t: [0.07], e: [0.01] })),
      );
      same(
        rankSim(y, x),
        one(runLossKernel("rankSim", { features: x1 }, { labels, rows: null, lambda: [2] })),
      );
      assert.equal(runLossKernel("rankNormalised", { s: x }, {}), null);
    });
  },
});
