/**
 * A group of runs trained as one program (`executeGroup`) against the single-run path (`executeRun`), for every
 * method of the registry:
 *
 * - determinism: on the host engine (cpu, wasm) a run's record is the same bytes computed alone or in a group;
 *   on WebGPU (the tensor engine, whose batched kernels pick their tiling by shape) a fixed group gives the same
 *   bytes every time, which is what the orchestrator relies on there (groups are a fixed function of the plan);
 * - equivalence: per-epoch metrics within 1e-3 (relative; 1e-2 absolute floor) of `executeRun`'s. The two paths
 *   sum the layers' products in different orders (the kit's SIMD kernels vs tfjs's), so they differ by float32
 *   rounding (~1e-7 relative per operation) amplified by a few epochs of training; measured: at most 6e-5 over
 *   4 epochs.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { probeWebGpuAdapter, selectBackend } from "../../lib/backend.ts";
import { canonicalJson } from "../../lib/experiment/canonical_json.ts";
import { executeRun, type RunConfig, type RunMetrics } from "../../lib/experiment/run.ts";
import { executeGroup } from "../../lib/experiment/run_group.ts";
import { type Method, METHODS } from "../../lib/methods.ts";
import { runConfig } from "./_run_config.ts";

const rows = Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(0.7 * i), Math.sin(0.3 * i)]);
// Labels with ties (RankSim keeps one row per unique label).
const label = (r: number[]) => [Math.round(4 * (r[0] - r[1] + 0.5 * r[2])) / 4];
const data = {
  train: { x: rows.slice(0, 48), y: rows.slice(0, 48).map(label) },
  test: { x: rows.slice(48), y: rows.slice(48).map(label) },
};

/** The method's grid × two learning rates, fold 1 of 5, 4 epochs of batch 16. */
function grid(method: Method, grid: readonly (number | null)[]): RunConfig[] {
  return grid.flatMap((param) =>
    [0.05, 0.01].map((lr) => runConfig({ method, param, lr, epochs: 4, batchSize: 16, milestones: [2, 3] }))
  );
}

function assertClose(ref: RunMetrics, got: RunMetrics, what: string): void {
  assert.equal(got.divergedAt, ref.divergedAt, `${what}: divergedAt`);
  for (const part of ["val", "test"] as const) {
    for (const k of ["mae", "rmse", "pearson", "spearman", "r2"] as const) {
      ref[part]![k].forEach((v, e) => {
        const g = got[part]![k][e];
        if (v === null || g === null) return assert.equal(g, v, `${what} ${part} ${k} epoch ${e + 1}`);
        assert.ok(
          Math.abs(v - g) <= 1e-3 * Math.max(1e-2, Math.abs(v)),
          `${what} ${part} ${k} epoch ${e + 1}: single ${v}, group ${g}`,
        );
      });
    }
  }
}

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`groups (${backend}): every method's runs equal the single-run path's and do not depend on their group`, async () => {
    await tf.setBackend(backend);
    for (const m of METHODS) {
      const configs = grid(m.name, m.grid);
      const group = await executeGroup(configs, data);
      for (let i = 0; i < configs.length; i++) {
        const what = `${m.name} ${JSON.stringify([configs[i].param, configs[i].lr])}`;
        const alone = (await executeGroup([configs[i]], data))[0];
        assert.equal(canonicalJson(alone), canonicalJson(group[i]), `${what}: alone vs in the group`);
        assertClose(await executeRun(configs[i], data), group[i], what);
      }
    }
  });
}

Deno.test("groups: a run that diverges stops alone, recorded as diverged at that epoch", async () => {
  await tf.setBackend("wasm");
  const configs = [
    runConfig({ method: "MSE", param: null, lr: 0.01 }),
    runConfig({ method: "MSE", param: null, lr: 1e9 }),
  ];
  const [ok, blown] = await executeGroup(configs, data);
  assert.equal(ok.divergedAt, null);
  assert.equal(blown.divergedAt, 1);
  assert.ok(blown.test.mae.every((v) => v === null));
  assert.equal(canonicalJson(ok), canonicalJson((await executeGroup([configs[0]], data))[0]));
  assert.equal(canonicalJson(blown), canonicalJson(await executeRun(configs[1], data)));
});

Deno.test("groups: configs that cannot share a program are refused", async () => {
  await assert.rejects(
    () => executeGroup([runConfig(), runConfig({ fold: 2 })], data),
    /run 1 does not share run 0's group key/,
  );
});

Deno.test({
  name:
    "groups (webgpu, tensor engine): equal to the single-run path, and a fixed group gives the same bytes again",
  sanitizeOps: false,
  sanitizeResources: false,
  ignore: (await probeWebGpuAdapter()) === null,
  fn: async () => {
    await selectBackend({ backend: "webgpu" });
    try {
      for (const name of ["MAE", "GAR", "RankSim", "RNC", "ConR"] as const) {
        const m = METHODS.find((e) => e.name === name)!;
        const configs = grid(m.name, m.grid);
        const group = await executeGroup(configs, data);
        const again = await executeGroup(configs, data);
        assert.equal(canonicalJson(again), canonicalJson(group), `${name}: the same group again`);
        assertClose(await executeRun(configs[0], data), group[0], name);
      }
    } finally {
      await tf.setBackend("cpu");
    }
  },
});
