/**
 * The tensor engine on WebGPU (Mesa's software adapter in CI): a training step of K runs launches the same
 * kernels as a step of one run — the launches are shared, which is what makes a GPU sweep cost about one run's
 * step (a kernel launch costs ~0.2 ms of CPU under Deno; the arithmetic of 27 small networks is negligible on a
 * GPU). Ignored where no WebGPU adapter exists.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { probeWebGpuAdapter, selectBackend } from "../../lib/backend.ts";
import { methodRunsObjective } from "../../lib/methods.ts";
import { createStackedFfnn } from "../../lib/model/stacked_ffnn.ts";
import { withHostLabels } from "../../lib/losses/host_labels.ts";

const opts = { sanitizeOps: false, sanitizeResources: false, ignore: (await probeWebGpuAdapter()) === null };

Deno.test({
  name:
    "stacked FFNN on webgpu: a step of 27 runs launches as many kernels as a step of one, for every Table 1 method",
  ...opts,
  fn: async () => {
    await selectBackend({ backend: "webgpu" });
    try {
      const D = 8, N = 64;
      const x = Float32Array.from({ length: N * D }, (_, i) => Math.sin(0.37 * i));
      const y = Float32Array.from({ length: N }, (_, i) => Math.round(4 * Math.cos(0.11 * i)));
      const rows = Array.from({ length: N }, (_, i) => i);
      for (
        const [method, param] of [["MAE", null], ["GAR", 1], ["RankSim", 2], ["RNC", 2], ["ConR", 1]] as const
      ) {
        const kernels: number[] = [];
        for (const K of [1, 27]) {
          const net = createStackedFfnn({
            inputDim: D,
            outputDim: 1,
            seeds: new Array(K).fill(0),
            batchSize: N,
            engine: "tensor",
            optimizer: { kind: "sgd", lr: new Array(K).fill(0.01), weightDecay: new Array(K).fill(1e-4) },
          });
          net.setTrainingRows(x, N);
          const objective = methodRunsObjective(method, new Array(K).fill(param), 100)(0);
          const step = async () => {
            const yb = withHostLabels(tf.tensor2d(y, [N, 1]), y);
            const losses = net.trainStep(rows, yb, objective);
            await losses.data();
            tf.dispose([losses, yb]);
          };
          await step(); // the first step creates the optimiser's state
          const profile = await tf.profile(step);
          kernels.push(profile.kernels.length);
          net.dispose();
        }
        assert.equal(kernels[1], kernels[0], `${method}: kernels of a step, K = 1 vs K = 27`);
      }
    } finally {
      await tf.setBackend("cpu");
    }
  },
});
