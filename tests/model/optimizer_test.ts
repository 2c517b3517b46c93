import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { adam, sgd } from "../../lib/model/optimizer.ts";
import { createFfnn } from "../../lib/model/ffnn.ts";
import { trainStep } from "../../lib/model/train_step.ts";
import { trainRegressor } from "../../lib/model/train_loop.ts";

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

Deno.test("sgd: PyTorch semantics (decay added to the gradient, buf = g on the first step, momentum after)", async () => {
  await tf.setBackend("cpu");
  const w = tf.variable(tf.tensor1d([2, -1]));
  const opt = sgd([w], { lr: 0.1, momentum: 0.9, weightDecay: 0.5 });
  // step 1: g = (1, 1) + 0.5·(2, −1) = (2, 0.5); buf = g; w = (2, −1) − 0.1·(2, 0.5) = (1.8, −1.05)
  opt.step([tf.tensor1d([1, 1])]);
  const w1 = w.dataSync();
  close(w1[0], 1.8);
  close(w1[1], -1.05);
  // step 2: g = (1, 1) + 0.5·(1.8, −1.05) = (1.9, 0.475); buf = 0.9·(2, 0.5) + g = (3.7, 0.925)
  opt.setLearningRate(0.01);
  opt.step([tf.tensor1d([1, 1])]);
  const w2 = w.dataSync();
  close(w2[0], 1.8 - 0.037);
  close(w2[1], -1.05 - 0.00925);
  assert.equal(opt.learningRate, 0.01);
  // a null gradient leaves the variable (and its buffer) alone
  const before = Array.from(w.dataSync());
  opt.step([null]);
  assert.deepEqual(Array.from(w.dataSync()), before);
  assert.throws(() => opt.step([]), /0 gradients for 1 variables/);
  assert.throws(() => sgd([w], { lr: 0 }), /lr must be a positive number/);
  opt.dispose();
  w.dispose();
});

Deno.test("adam: PyTorch semantics with L2 decay in the gradient, bias correction, per-variable steps", async () => {
  await tf.setBackend("cpu");
  const w = tf.variable(tf.tensor1d([1]));
  const opt = adam([w], { lr: 0.1, weightDecay: 0.1 });
  // hand computation, float64
  let [x, m, v] = [1, 0, 0];
  for (let t = 1; t <= 3; t++) {
    const g = 2 * t + 0.1 * x;
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * g * g;
    x -= (0.1 / (1 - 0.9 ** t)) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
    opt.step([tf.tensor1d([2 * t])]);
    close(w.dataSync()[0], x, 1e-5);
  }
  opt.dispose();
  w.dispose();
});

Deno.test("trainStep: frees every intermediate; RNC-style objective on features leaves the head untouched", async () => {
  await tf.setBackend("cpu");
  const model = createFfnn({ inputDim: 3, outputDim: 1, hidden: [4, 5], seed: 2 });
  const opt = sgd(model.variables, { lr: 0.1, momentum: 0.9, weightDecay: 1e-3 });
  const x = tf.tensor2d([[1, 2, 3], [0, 1, 0], [2, 0, 1], [1, 1, 1]]);
  const y = tf.tensor2d([[1], [0], [2], [1]]);
  const head = Array.from(model.variables[4].dataSync());
  const first = Array.from(model.variables[0].dataSync());
  const n0 = tf.memory().numTensors;
  const loss = trainStep(model, opt, x, y, (_t, _o, f) => tf.mean(tf.square(f)) as tf.Scalar);
  loss.dispose();
  const n1 = tf.memory().numTensors;
  // momentum buffers for the 4 hidden variables are the only new tensors
  assert.equal(n1 - n0, 4);
  assert.deepEqual(Array.from(model.variables[4].dataSync()), head);
  assert.notDeepEqual(Array.from(model.variables[0].dataSync()), first);
  trainStep(model, opt, x, y, (t, o) => tf.mean(tf.abs(tf.sub(o, t))) as tf.Scalar).dispose();
  assert.notDeepEqual(Array.from(model.variables[4].dataSync()), head);
  opt.dispose();
  model.dispose();
});

Deno.test("train loop: adam option, divergence stop, deterministic for a seed", async () => {
  await tf.setBackend("cpu");
  const x = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i)]);
  const y = x.map(([a, b]) => [a * b]);
  const loss = (t: tf.Tensor, p: tf.Tensor) => tf.mean(tf.square(tf.sub(p, t))) as tf.Scalar;
  const run = async () => {
    const m = createFfnn({ inputDim: 2, outputDim: 1, hidden: [8], seed: 5 });
    const r = await trainRegressor(m, x, y, {
      loss,
      epochs: 5,
      batchSize: 16,
      optimizer: "adam",
      lr: 1e-2,
      seed: 3,
    });
    const w = Array.from(m.variables[0].dataSync());
    m.dispose();
    return { r, w };
  };
  const a = await run(), b = await run();
  assert.deepEqual(a.r.lossHistory, b.r.lossHistory);
  assert.deepEqual(a.w, b.w);
  assert.ok(a.r.lossHistory[4] < a.r.lossHistory[0]);
  const m = createFfnn({ inputDim: 2, outputDim: 1, hidden: [8], seed: 5 });
  const big = y.map(([v]) => [v * 1e30]);
  const r = await trainRegressor(m, x, big, { loss, epochs: 5, lr: 10, onDiverge: "stop" });
  assert.ok(r.divergedAt !== null && r.epochs === r.divergedAt - 1);
  await assert.rejects(() => trainRegressor(m, x, big, { loss, epochs: 5, lr: 10 }), /diverged at epoch/);
  await assert.rejects(
    () => trainRegressor(m, [[1, NaN], [1, 2]], [[1], [2]], { loss }),
    /x row 0 has a NaN/,
  );
  m.dispose();
});
