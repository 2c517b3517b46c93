// Prototype: a stacked-FFNN training step on the host wasm kernels vs the kit's single-run step.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createFfnn } from "../../lib/model/ffnn.ts";
import { sgd } from "../../lib/model/optimizer.ts";
import { trainStep } from "../../lib/model/train_step.ts";
import { mae } from "../../lib/losses/mae.ts";
await tf.setBackend("wasm");

const memory = new WebAssembly.Memory({ initial: 256 });
const inst = new WebAssembly.Instance(new WebAssembly.Module(Deno.readFileSync(new URL("./ffnn.wasm", import.meta.url))), { env: { memory } });
// deno-lint-ignore no-explicit-any
const ex = inst.exports as any;
let top = 1024;
function alloc(n: number): number { // floats
  const p = top; top += ((n * 4 + 15) & ~15);
  const need = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
  if (need > 0) memory.grow(need);
  return p;
}
const f32 = (p: number, n: number) => new Float32Array(memory.buffer, p, n);

function stacked(R: number, sizes: number[], Bn: number) {
  const L = sizes.length - 1;
  const W: number[] = [], b: number[] = [], dW: number[] = [], db: number[] = [], mW: number[] = [], mb: number[] = [], H: number[] = [], dH: number[] = [];
  for (let l = 0; l < L; l++) {
    const [I, O] = [sizes[l], sizes[l + 1]];
    W.push(alloc(R * I * O)); b.push(alloc(R * O)); dW.push(alloc(R * I * O)); db.push(alloc(R * O));
    mW.push(alloc(R * I * O)); mb.push(alloc(R * O)); H.push(alloc(R * Bn * O)); dH.push(alloc(R * Bn * O));
    const w = f32(W[l], R * I * O); for (let i = 0; i < w.length; i++) w[i] = (Math.random() * 2 - 1) / Math.sqrt(I);
  }
  const X = alloc(Bn * sizes[0]); const wt = alloc(Math.max(...sizes) ** 2);
  const lr = alloc(R), wd = alloc(R), active = alloc(R);
  f32(lr, R).fill(0.01); f32(wd, R).fill(1e-4); new Uint8Array(memory.buffer, active, R).fill(1);
  let first = 1;
  return {
    step(x: Float32Array, y: Float32Array) {
      f32(X, x.length).set(x);
      for (let l = 0; l < L; l++) ex.layer_forward(R, Bn, sizes[l], sizes[l + 1], l ? H[l - 1] : X, l ? Bn * sizes[l] : 0, W[l], b[l], H[l], l < L - 1 ? 1 : 0);
      // MAE gradient on the host: sign(f - y)/Bn
      const out = f32(H[L - 1], R * Bn), g = f32(dH[L - 1], R * Bn);
      for (let r = 0; r < R; r++) for (let i = 0; i < Bn; i++) g[r * Bn + i] = Math.sign(out[r * Bn + i] - y[i]) / Bn;
      for (let l = L - 1; l >= 0; l--) ex.layer_backward(R, Bn, sizes[l], sizes[l + 1], l ? H[l - 1] : X, l ? Bn * sizes[l] : 0, W[l], H[l], dH[l], dW[l], db[l], l ? dH[l - 1] : 0, l < L - 1 ? 1 : 0, wt);
      for (let l = 0; l < L; l++) {
        ex.sgd_step(R, sizes[l] * sizes[l + 1], W[l], dW[l], mW[l], lr, wd, 0.9, first, active);
        ex.sgd_step(R, sizes[l + 1], b[l], db[l], mb[l], lr, wd, 0.9, first, active);
      }
      first = 0;
    },
  };
}

for (const [name, sizes] of [["small", [8, 16, 32, 16, 8, 1]], ["large", [19, 128, 256, 128, 64, 1]]] as const) {
  const Bn = 256;
  const x = Float32Array.from({ length: Bn * sizes[0] }, () => Math.random());
  const y = Float32Array.from({ length: Bn }, () => Math.random());
  // single-run kit step
  const model = createFfnn({ inputDim: sizes[0], outputDim: 1, hidden: sizes.slice(1, -1) as number[] });
  const opt = sgd(model.variables, { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 });
  const xt = tf.tensor2d(x, [Bn, sizes[0]]), yt = tf.tensor2d(y, [Bn, 1]);
  const single = () => { trainStep(model, opt, xt, yt, (t, p) => mae(t, p)).dispose(); };
  for (let i = 0; i < 20; i++) single();
  let t0 = performance.now(); const n1 = name === "small" ? 200 : 20;
  for (let i = 0; i < n1; i++) single();
  const singleMs = (performance.now() - t0) / n1;
  const flopsPerRun = 6 * Bn * sizes.slice(0, -1).reduce((s, v, i) => s + v * sizes[i + 1], 0);
  for (const R of [1, 9, 27]) {
    const s = stacked(R, sizes as unknown as number[], Bn);
    for (let i = 0; i < 5; i++) s.step(x, y);
    t0 = performance.now(); const n = name === "small" ? 100 : 5;
    for (let i = 0; i < n; i++) s.step(x, y);
    const ms = (performance.now() - t0) / n;
    console.log(`${name} R=${R}: ${ms.toFixed(3)} ms/step, ${(ms / R).toFixed(3)} ms/run-step; single ${singleMs.toFixed(3)} ms; speedup ${(singleMs * R / ms).toFixed(2)}x; ${(flopsPerRun * R / ms / 1e6).toFixed(1)} GFLOP/s`);
  }
}
