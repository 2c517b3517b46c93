import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/backend.ts";
import { BENCH_METHODS, runtimeBenchmark } from "../../lib/bench/runtime.ts";
import { predictedBytes, scalingBenchmark } from "../../lib/bench/scaling.ts";
import { plainApply } from "../../lib/bench/plain_apply.ts";
import { syntheticSuperconductivity } from "../../lib/bench/synthetic_supercon.ts";
import { denseStepBenchmark } from "../../lib/bench/steps.ts";
import { stockStepBenchmark } from "../../lib/bench/stock_steps.ts";
import { finiteChecksEnabled } from "../../lib/losses/validate.ts";
import { createFfnn } from "../../lib/model/ffnn.ts";

const test = (name: string, fn: () => void | Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

test("runtimeBenchmark: a tiny config gives one well-formed row per method, MAE's ratios are 1", async () => {
  await selectBackend({ backend: "cpu" });
  const table = syntheticSuperconductivity({ rows: 70, features: 5, seed: 3 });
  // createFfnn (lib/model, issue #4) may keep its initial-value tensors alive after dispose; count
  // that per model so that only the benchmark's own tensors are checked for leaks.
  let before = tf.memory().numTensors;
  createFfnn({ inputDim: 5, outputDim: 1, hidden: [6, 4] }).dispose();
  const perModel = tf.memory().numTensors - before;
  before = tf.memory().numTensors;
  const rows = await runtimeBenchmark({
    tables: [table],
    epochs: 2,
    warmupEpochs: 1,
    batchSize: 16,
    hidden: [6, 4],
  });
  assert.equal(tf.memory().numTensors - before, perModel * BENCH_METHODS.length, "no tensor leaks");
  assert.deepEqual(rows.map((r) => r.method), [...BENCH_METHODS]);
  for (const r of rows) {
    assert.equal(r.dataset, "supercon-synthetic");
    assert.equal(r.backend, "cpu");
    assert.equal(r.batchesPerEpoch, 4); // 70 rows, batches of 16, the partial one dropped
    for (const k of ["allTimeMs", "lossTimeMs", "allRatioToMae", "lossRatioToMae"] as const) {
      assert.ok(Number.isFinite(r[k]) && r[k] > 0, `${r.method} ${k} = ${r[k]}`);
    }
  }
  const maeRow = rows.find((r) => r.method === "mae")!;
  assert.equal(maeRow.allRatioToMae, 1);
  assert.equal(maeRow.lossRatioToMae, 1);
  // Ratios are medians of per-epoch ratios (paired within each epoch).
  const median = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  for (const r of rows) {
    const epochs = r.allEpochMs!, maeEpochs = maeRow.allEpochMs!;
    assert.equal(epochs.length, 2);
    assert.ok(Math.abs(r.allTimeMs - median(epochs)) < 1e-12);
    const want = median(epochs.map((v, e) => v / maeEpochs[e]));
    assert.ok(Math.abs(r.allRatioToMae - want) < 1e-12, `${r.method}: ${r.allRatioToMae} vs ${want}`);
  }
  // The loss time is part of the work of a training epoch, which also runs the model.
  assert.ok(maeRow.lossTimeMs < maeRow.allTimeMs);
});

test("runtimeBenchmark: MAE is added when not asked for; bad options throw", async () => {
  await selectBackend({ backend: "cpu" });
  const table = syntheticSuperconductivity({ rows: 20, features: 3 });
  const rows = await runtimeBenchmark({
    tables: [table],
    methods: ["gar"],
    epochs: 1,
    warmupEpochs: 0,
    batchSize: 8,
    hidden: [3],
  });
  assert.deepEqual(rows.map((r) => r.method), ["mae", "gar"]);
  await assert.rejects(() => runtimeBenchmark({ tables: [table], epochs: 0 }), /epochs/);
  await assert.rejects(
    () => runtimeBenchmark({ tables: [table], batchSize: 64 }),
    /fewer rows than one batch/,
  );
  await assert.rejects(
    () => runtimeBenchmark({ tables: [table], methods: ["nope" as never] }),
    /unknown method "nope"; use one of mae, mse/,
  );
});

test("scalingBenchmark: stops before the memory bound and never runs a point above it", async () => {
  await selectBackend({ backend: "cpu" });
  const limit = predictedBytes("pairwise", 64); // 64 fits, 128 does not
  const points = await scalingBenchmark({ fromLog2: 4, toLog2: 8, repeats: 1, memoryLimitBytes: limit });
  const pairwise = points.filter((p) => p.method === "pairwise");
  assert.deepEqual(pairwise.map((p) => p.n), [16, 32, 64, 128, 256]);
  for (const p of pairwise) {
    if (p.predictedBytes <= limit) assert.ok(p.ms !== null && p.ms > 0, `N=${p.n} measured`);
    else assert.equal(p.skipped, "memory bound");
  }
  assert.ok(points.filter((p) => p.method === "gar").every((p) => p.ms !== null));
  // The prediction is an upper bound on what the pairwise reference really allocates.
  const n = 128;
  const y = tf.randomNormal([n, 1], 0, 1, "float32", 1), f = tf.randomNormal([n, 1], 0, 1, "float32", 2);
  const { L } = await import("./_losses.ts");
  const info = await tf.profile(() => tf.grad((q: tf.Tensor) => L(y, q))(f));
  assert.ok(info.peakBytes <= predictedBytes("pairwise", n), `peak ${info.peakBytes} > predicted`);
  tf.dispose([y, f]);
});

for (const backend of ["cpu", "wasm"] as const) {
  test(`dense vs plain tfjs ops: identical outputs and gradients (${backend})`, async () => {
    await selectBackend({ backend });
    const model = createFfnn({ inputDim: 7, outputDim: 2, hidden: [16, 32, 16, 8], seed: 4 });
    const x = tf.randomNormal([33, 7], 0, 1, "float32", 9) as tf.Tensor2D;
    const y = tf.randomNormal([33, 2], 0, 1, "float32", 10) as tf.Tensor2D;
    const run = (apply: typeof model.apply) =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const { output, features } = apply(x);
          return tf.add(tf.mean(tf.square(tf.sub(output, y))), tf.mean(tf.square(features))) as tf.Scalar;
        }, model.variables);
        return [value, ...model.variables.map((v) => grads[v.name])];
      });
    const a = run((input) => model.apply(input));
    const b = run((input) => plainApply(model, input));
    a.forEach((t, i) => {
      const u = t.dataSync(), v = b[i].dataSync();
      const scale = Math.max(1e-6, ...Array.from(v, Math.abs));
      for (let k = 0; k < u.length; k++) {
        assert.ok(
          Math.abs(u[k] - v[k]) <= 4 * 1.2e-7 * scale * Math.sqrt(33),
          `tensor ${i}[${k}]: ${u[k]} vs ${v[k]}`,
        );
      }
    });
    tf.dispose([...a, ...b, x, y]);
    model.dispose();
  });
}

test("denseStepBenchmark: one row per model with positive times", async () => {
  await selectBackend({ backend: "cpu" });
  const rows = await denseStepBenchmark({
    models: [[3, [4, 4]], [2, [3]]],
    batchSize: 8,
    rounds: 2,
    stepsPerRound: 2,
  });
  assert.equal(rows.length, 2);
  for (const r of rows) {
    assert.ok(r.denseMs > 0 && r.plainMs > 0 && Math.abs(r.speedup - r.plainMs / r.denseMs) < 1e-12);
  }
});

test("stockStepBenchmark: one row per model and batch size, consistent ratios, checks restored", async () => {
  await selectBackend({ backend: "cpu" });
  const rows = await stockStepBenchmark({
    models: [[3, [4, 4]], [2, [3]]],
    batchSizes: [8, 16],
    rounds: 1,
    stepsPerRound: 1,
  });
  assert.deepEqual(rows.map((r) => [r.inputDim, r.batchSize]), [[3, 8], [3, 16], [2, 8], [2, 16]]);
  for (const r of rows) {
    assert.ok([r.kitMaeMs, r.kitGarMs, r.stockMaeMs, r.stockGarMs].every((v) => v > 0));
    assert.ok(Math.abs(r.kitGarToMae - r.kitGarMs / r.kitMaeMs) < 1e-12);
    assert.ok(Math.abs(r.stockGarToMae - r.stockGarMs / r.stockMaeMs) < 1e-12);
    assert.ok(Math.abs(r.garSpeedup - r.stockGarMs / r.kitGarMs) < 1e-12);
  }
  assert.equal(finiteChecksEnabled(), true);
});

test("scalingBenchmark: several passes per read-back report a time per pass; a bad count is an error", async () => {
  await selectBackend({ backend: "cpu" });
  const pts = await scalingBenchmark({ fromLog2: 3, toLog2: 4, repeats: 1, passesPerReadback: 3 });
  assert.ok(pts.length === 4 && pts.every((p) => p.ms !== null && p.ms > 0));
  await assert.rejects(
    () => scalingBenchmark({ passesPerReadback: 0 }),
    /passesPerReadback must be an integer ≥ 1/,
  );
});
