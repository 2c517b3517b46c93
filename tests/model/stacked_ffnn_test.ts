/**
 * The stacked FFNN (K runs as one program) against the single-run network it stacks: the same initial weights,
 * the same training within float32 tolerance, runs that do not see each other (a run's bits do not depend on its
 * group on the host engine), per-run optimiser settings, divergence and unreached layers.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createFfnn } from "../../lib/model/ffnn.ts";
import { adam, sgd } from "../../lib/model/optimizer.ts";
import { trainStep } from "../../lib/model/train_step.ts";
import { createStackedFfnn, type StackedObjective } from "../../lib/model/stacked_ffnn.ts";
import { mse } from "../../lib/losses/mse.ts";

const D = 5, N = 48, B = 16, HIDDEN = [16, 32, 8];
const x = Float32Array.from({ length: N * D }, (_, i) => Math.sin(0.37 * i));
const y = Float32Array.from({ length: N }, (_, i) => 3 * Math.cos(0.11 * i));
const batchRows = (s: number) => Array.from({ length: B }, (_, i) => (7 * i + 3 * s) % N);
const batchLabels = (rows: number[]) => tf.tensor2d(rows.map((r) => y[r]), [rows.length, 1]);

/**
 * MSE of every run (the stacked objective of the single-run `mse`: smooth, so that Adam's normalised steps do not
 * amplify an exactly cancelling gradient — MAE's ±1/N terms — into a step of size lr on one side only).
 */
const mseAll: StackedObjective = {
  usesOutput: true,
  usesFeatures: false,
  loss: (t, out) => tf.mean(tf.square(tf.sub(out, t)), [1, 2]) as tf.Tensor1D,
};

async function trainStackedSteps(
  engine: "host" | "tensor",
  seeds: number[],
  lr: number[],
  wd: number[],
  kind: "sgd" | "adam",
  steps: number,
  objective = mseAll,
): Promise<Float32Array[][]> {
  const net = createStackedFfnn({
    inputDim: D,
    outputDim: 1,
    hidden: HIDDEN,
    seeds,
    batchSize: B,
    engine,
    optimizer: { kind, lr, weightDecay: wd },
  });
  net.setTrainingRows(x, N);
  for (let s = 0; s < steps; s++) {
    const rows = batchRows(s);
    const yb = batchLabels(rows);
    tf.dispose([net.trainStep(rows, yb, objective), yb]);
  }
  const out = [];
  for (let k = 0; k < seeds.length; k++) out.push(await net.parameters(k));
  net.dispose();
  return out;
}

function trainSingle(
  seed: number,
  lr: number,
  wd: number,
  kind: "sgd" | "adam",
  steps: number,
): Float32Array[] {
  const model = createFfnn({ inputDim: D, outputDim: 1, hidden: HIDDEN, seed });
  const opt = kind === "sgd"
    ? sgd(model.variables, { lr, momentum: 0.9, weightDecay: wd })
    : adam(model.variables, { lr, weightDecay: wd });
  const xs = tf.tensor2d(x, [N, D]);
  for (let s = 0; s < steps; s++) {
    const rows = batchRows(s);
    const yb = batchLabels(rows);
    const xb = tf.gather(xs, rows) as tf.Tensor2D;
    tf.dispose([trainStep(model, opt, xb, yb, (t, p) => mse(t, p)), xb, yb]);
  }
  const out = model.variables.map((v) => v.dataSync() as Float32Array);
  tf.dispose(xs);
  model.dispose();
  opt.dispose();
  return out;
}

const maxDiff = (a: Float32Array[], b: Float32Array[]) =>
  Math.max(...a.map((v, i) => Math.max(...v.map((z, j) => Math.abs(z - b[i][j])))));

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`stacked FFNN (${backend}): each run trains as the single-run network does, on both engines`, async () => {
    await tf.setBackend(backend);
    const seeds = [3, 4, 5], lr = [0.1, 0.05, 0.01], wd = [1e-4, 1e-3, 0];
    for (const kind of ["sgd", "adam"] as const) {
      for (const engine of ["host", "tensor"] as const) {
        const stacked = await trainStackedSteps(engine, seeds, lr, wd, kind, 6);
        seeds.forEach((seed, k) => {
          const d = maxDiff(stacked[k], trainSingle(seed, lr[k], wd[k], kind, 6));
          // Six steps of float32 training: the products sum in another order than tfjs's, so the weights agree
          // to float32 rounding amplified by a few steps (Adam normalises tiny gradients, hence its looser bound).
          assert.ok(d <= (kind === "sgd" ? 1e-5 : 1e-4), `${engine} ${kind} run ${k}: max |Δw| ${d}`);
        });
      }
    }
  });

  Deno.test(`stacked FFNN (${backend}, host engine): a run's weights are the same bits alone or in any group`, async () => {
    await tf.setBackend(backend);
    const full = await trainStackedSteps(
      "host",
      [1, 2, 3, 4],
      [0.1, 0.01, 0.05, 0.2],
      [0, 1e-4, 1e-3, 1e-5],
      "sgd",
      5,
    );
    const alone = await trainStackedSteps("host", [3], [0.05], [1e-3], "sgd", 5);
    const pair = await trainStackedSteps("host", [4, 3], [0.2, 0.05], [1e-5, 1e-3], "sgd", 5);
    assert.equal(maxDiff(full[2], alone[0]), 0);
    assert.equal(maxDiff(full[2], pair[1]), 0);
    assert.equal(maxDiff(full[3], pair[0]), 0);
  });
}

Deno.test("stacked FFNN: a diverged run is left alone and does not touch the others", async () => {
  await tf.setBackend("wasm");
  const net = createStackedFfnn({
    inputDim: D,
    outputDim: 1,
    hidden: HIDDEN,
    seeds: [1, 1],
    batchSize: B,
    optimizer: { kind: "sgd", lr: [0.01, 0.01], weightDecay: [0, 0] },
  });
  const ref = await trainStackedSteps("host", [1], [0.01], [0], "sgd", 4);
  net.setTrainingRows(x, N);
  net.deactivate(1);
  const before = await net.parameters(1);
  for (let s = 0; s < 4; s++) {
    const rows = batchRows(s);
    const yb = batchLabels(rows);
    tf.dispose([net.trainStep(rows, yb, mseAll), yb]);
  }
  assert.equal(maxDiff(await net.parameters(1), before), 0);
  assert.equal(maxDiff(await net.parameters(0), ref[0]), 0);
  net.dispose();
});

Deno.test("stacked FFNN: a head the objective does not reach is not updated (RNC's pre-training)", async () => {
  for (const engine of ["host", "tensor"] as const) {
    await tf.setBackend("cpu");
    const featuresOnly: StackedObjective = {
      usesOutput: false,
      usesFeatures: true,
      loss: (_t, _out, f) => tf.mean(tf.square(f), [1, 2]) as tf.Tensor1D,
    };
    const start = await trainStackedSteps(engine, [2], [0.1], [1e-3], "sgd", 0);
    const after = await trainStackedSteps(engine, [2], [0.1], [1e-3], "sgd", 3, featuresOnly);
    const L = start[0].length;
    assert.equal(maxDiff(after[0].slice(L - 2), start[0].slice(L - 2)), 0, `${engine}: head moved`);
    assert.ok(maxDiff(after[0].slice(0, 2), start[0].slice(0, 2)) > 0, `${engine}: first layer did not move`);
  }
});

Deno.test("stacked FFNN: per-run settings are checked", () => {
  const base = { inputDim: 2, outputDim: 1, seeds: [0, 1], batchSize: 4 };
  assert.throws(
    () => createStackedFfnn({ ...base, optimizer: { kind: "sgd", lr: [0.1], weightDecay: [0, 0] } }),
    /optimizer.lr has 1 values for 2 runs/,
  );
  assert.throws(
    () => createStackedFfnn({ ...base, seeds: [], optimizer: { kind: "sgd", lr: [], weightDecay: [] } }),
    /one seed per run/,
  );
});
