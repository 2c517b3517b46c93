import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { rnc } from "./lib/losses/rnc.ts";
import { rankSim } from "./lib/losses/rank_sim.ts";
import { conr } from "./lib/losses/conr.ts";
import { mae } from "./lib/losses/mae.ts";
import { huber } from "./lib/losses/huber.ts";
import { focalMae } from "./lib/losses/focal_mae.ts";
import { focalMse } from "./lib/losses/focal_mse.ts";
import { maePearson } from "./lib/losses/mae_pearson.ts";
import { setFiniteChecks } from "./lib/losses/_validate.ts";

function rand(seed: number, n: number): Float32Array { let a = seed; const out = new Float32Array(n); for (let i = 0; i < n; i++) { a = (a * 1103515245 + 12345) % 2147483648; out[i] = a / 2147483648 - 0.5; } return out; }
const N = Number(Deno.args[0] ?? 256), D = Number(Deno.args[1] ?? 64);
const yData = Array.from(rand(1, N), (v) => Math.round(v * 12)); // integer labels, many ties
const xData = rand(2, N * D);
const pData = Array.from(rand(3, N), (v) => v * 3);
const results: Record<string, Record<string, number[]>> = {};
for (const backend of (Deno.args[2] ?? "cpu,wasm").split(",")) {
  await tf.setBackend(backend); await tf.ready();
  const y = tf.tensor1d(yData), p = tf.tensor1d(pData), x = tf.tensor2d(xData, [N, D]);
  const fns: Record<string, (f: tf.Tensor) => tf.Scalar> = {
    rnc: (f) => rnc(y, f),
    rankSim: (f) => rankSim(y, f),
    conr: (f) => conr(y, p, f),
    mae: (f) => mae(y, f.slice([0, 0], [N, 1]).reshape([N])),
    huber: (f) => huber(y, f.slice([0, 0], [N, 1]).reshape([N])),
    focalMae: (f) => focalMae(y, f.slice([0, 0], [N, 1]).reshape([N])),
    focalMse: (f) => focalMse(y, f.slice([0, 0], [N, 1]).reshape([N])),
    maePearson: (f) => maePearson(y, f.slice([0, 0], [N, 1]).reshape([N])),
  };
  for (const [name, fn] of Object.entries(fns)) {
    if (Deno.args[3] && !Deno.args[3].split(",").includes(name)) continue;
    for (const checks of [false]) {
      setFiniteChecks(checks);
      const vg = tf.valueAndGrad(fn);
      const { value, grad } = vg(x); // warm-up
      const gsum = (await grad.abs().sum().data())[0];
      const v = (await value.data())[0];
      tf.dispose([value, grad]);
      const times: number[] = [];
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        const out = vg(x);
        await out.grad.data();
        times.push(performance.now() - t0);
        tf.dispose([out.value, out.grad]);
      }
      times.sort((a, b) => a - b);
      if (checks) { (results[name] ??= {})[backend] = [v, gsum]; }
      console.log(`${backend} N=${N} D=${D} ${name} checks=${checks}: median ${times[1].toFixed(1)} ms (min ${times[0].toFixed(1)}) value=${v.toFixed(6)} |grad|₁=${gsum.toExponential(4)}`);
    }
  }
  setFiniteChecks(true);
  console.log("tensors alive:", tf.memory().numTensors);
}
console.log(JSON.stringify(results));
