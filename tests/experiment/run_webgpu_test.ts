/**
 * Training on WebGPU end to end: `executeRun` (the training loop, per-epoch predictions, the
 * protocol's objectives) reads nothing back synchronously, which Deno's WebGPU cannot do, and RankSim
 * gets the batch labels from the host (`withHostLabels`). Each method's training-loss curve matches
 * the cpu backend's. Ignored where no WebGPU adapter exists (CI has Mesa's software one).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { probeWebGpuAdapter, selectBackend } from "../../lib/backend.ts";
import { executeRun } from "../../lib/experiment/run.ts";
import { runConfig } from "./_run_config.ts";
import type { Method } from "../../lib/methods.ts";

const opts = { sanitizeOps: false, sanitizeResources: false, ignore: (await probeWebGpuAdapter()) === null };

// 48 rows, labels with ties (RankSim keeps one row per unique label).
const rows = Array.from({ length: 48 }, (_, i) => [Math.sin(i), Math.cos(0.7 * i), Math.sin(0.3 * i)]);
const label = (r: number[]) => [Math.round(4 * (r[0] - r[1] + 0.5 * r[2])) / 4];
const data = {
  train: { x: rows.slice(0, 40), y: rows.slice(0, 40).map(label) },
  test: { x: rows.slice(40), y: rows.slice(40).map(label) },
};
const config = (method: Method, param: number | null) =>
  runConfig({ method, param, fold: null, keepPredictions: true });

Deno.test({
  name: "training on webgpu: every method trains and its loss curve matches cpu's",
  ...opts,
  fn: async () => {
    const methods: [Method, number | null][] = [["MAE", null], ["GAR", 1], ["RankSim", 2], ["RNC", 2], [
      "ConR",
      1,
    ]];
    const curves: Record<string, number[][]> = {};
    for (const backend of ["cpu", "webgpu"] as const) {
      await selectBackend({ backend });
      for (const [method, param] of methods) {
        const m = await executeRun(config(method, param), data);
        assert.equal(m.divergedAt, null, `${method} on ${backend} diverged`);
        assert.ok(m.predictions!.test.every((r) => r.every((v) => v !== null && Number.isFinite(v))));
        (curves[method] ??= []).push(m.trainLoss as number[]);
      }
    }
    await tf.setBackend("cpu");
    for (const [method] of methods) {
      const [cpu, gpu] = curves[method];
      cpu.forEach((v, e) =>
        assert.ok(
          Math.abs(v - gpu[e]) <= 1e-3 * Math.max(1, Math.abs(v)),
          `${method} epoch ${e + 1}: cpu ${v}, webgpu ${gpu[e]}`,
        )
      );
    }
  },
});
