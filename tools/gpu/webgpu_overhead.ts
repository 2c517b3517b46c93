/**
 * Where a WebGPU training step's time goes under Deno: the CPU cost of a kernel launch, the latency
 * of a read-back, the cost of uploading a batch, kernels and time per training step, and the O(N²)
 * pairwise loss at N = 1024, 2048. `deno run -A tools/gpu/webgpu_overhead.ts [webgpu|wasm|cpu]`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/backend.ts";
import { createFfnn } from "../../lib/model/ffnn.ts";
import { sgd } from "../../lib/model/optimizer.ts";
import { trainStep } from "../../lib/model/train_step.ts";
import { mae } from "../../lib/losses/mae.ts";
import { gar } from "../../lib/losses/gar.ts";
import { pairwiseDiffLoss } from "../../lib/losses/pairwise_diff_loss.ts";
import { setFiniteChecks } from "../../lib/losses/validate.ts";
const backend = Deno.args[0] ?? "webgpu";
await selectBackend({ backend: backend as "webgpu" });
setFiniteChecks(false);
const log = (s: string) => console.log(`[${backend}] ${s}`);
// per-dispatch cost: a GPU-resident tensor (> CPU hand-off size), chained adds
const big = tf.add(tf.randomNormal([4096, 1]), 0);
await big.data();
for (const n of [200, 1000]) {
  let y = tf.add(big, 1);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const z = tf.add(y, 1);
    y.dispose();
    y = z;
  }
  const t1 = performance.now();
  await y.data();
  const t2 = performance.now();
  log(
    `${n} chained adds [4096,1]: enqueue ${((t1 - t0) / n * 1000).toFixed(1)} us/op, total incl. readback ${
      ((t2 - t0) / n * 1000).toFixed(1)
    } us/op`,
  );
  y.dispose();
}
{
  const ts: number[] = [];
  for (let i = 0; i < 20; i++) {
    const z = tf.add(big, i);
    const t0 = performance.now();
    await z.data();
    ts.push(performance.now() - t0);
    z.dispose();
  }
  ts.sort((a, b) => a - b);
  log(
    `readback latency (await data of one [4096,1] result): median ${ts[10].toFixed(2)} ms, min ${
      ts[0].toFixed(2)
    } ms`,
  );
}
{
  const vals = new Float32Array(256 * 8).map(() => Math.random());
  let acc = tf.zeros([256, 8]);
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) {
    const u = tf.tensor2d(vals, [256, 8]);
    const z = tf.add(acc, u);
    u.dispose();
    acc.dispose();
    acc = z;
  }
  await acc.data();
  log(`upload + add of a [256,8] batch: ${((performance.now() - t0) / 100).toFixed(3)} ms each`);
}
for (const [inputDim, hidden] of [[8, [16, 32, 16, 8]], [81, [128, 256, 128, 64]]] as [number, number[]][]) {
  const x = tf.add(tf.randomNormal([256, inputDim]), 0) as tf.Tensor2D,
    y = tf.add(tf.randomNormal([256, 1]), 0) as tf.Tensor2D;
  for (
    const [name, obj] of [["mae", (t: tf.Tensor2D, p: tf.Tensor2D) => mae(t, p)], [
      "gar",
      (t: tf.Tensor2D, p: tf.Tensor2D) => gar(t, p),
    ]] as const
  ) {
    const m = createFfnn({ inputDim, outputDim: 1, hidden, seed: 0 });
    const opt = sgd(m.variables, { lr: 1e-4, momentum: 0.9 });
    for (let i = 0; i < 5; i++) trainStep(m, opt, x, y, obj).dispose();
    const prof = await tf.profile(() => {
      trainStep(m, opt, x, y, obj).dispose();
    });
    const n = 50;
    const t0 = performance.now();
    let last: tf.Scalar | null = null;
    for (let i = 0; i < n; i++) {
      last?.dispose();
      last = trainStep(m, opt, x, y, obj);
    }
    const t1 = performance.now();
    await last!.data();
    const t2 = performance.now();
    log(
      `(${hidden}) ${name}: ${prof.kernels.length} kernels/step; ${n} steps enqueue ${
        ((t1 - t0) / n).toFixed(2)
      } ms/step, incl. final readback ${((t2 - t0) / n).toFixed(2)} ms/step`,
    );
    opt.dispose();
    m.dispose();
  }
}
for (const n of [1024, 2048]) {
  const y = tf.add(tf.randomNormal([n, 1]), 0), p = tf.add(tf.randomNormal([n, 1]), 0);
  const g = tf.grad((q: tf.Tensor) => pairwiseDiffLoss(y, q));
  await g(p).data();
  const prof = await tf.profile(() => {
    g(p).dispose();
  });
  const t0 = performance.now();
  await g(p).data();
  log(
    `pairwiseDiffLoss fwd+bwd N=${n}: ${
      (performance.now() - t0).toFixed(1)
    } ms, ${prof.kernels.length} kernels: ${prof.kernels.map((k) => k.name).join(",")}`,
  );
}
