/**
 * The host engine of the stacked FFNN: K runs' weights, optimiser state and activations in one WebAssembly memory
 * of the kit's own, computed by the SIMD kernels of `stacked_ffnn.c` (forward, backward and optimiser, a call per
 * layer for all runs). Only the objective runs on the tfjs backend (cpu or wasm): the network's output and
 * features go to it as tensors, and their gradients come back. A small network's step is thus a dozen kernel calls
 * whatever K is, instead of ~100 tfjs dispatches per run.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { StackedFfnn, StackedOptimizerOptions } from "../../stacked_types.ts";
import { WASM_BASE64 } from "./stacked_ffnn_wasm.ts";

/** The kernels' exports: every argument is an int32 (a size, a stride, a flag or a byte offset) or a float32
 * scalar; their C signatures and meaning are in `stacked_ffnn.c`. */
interface Kernels {
  layer_forward: (...args: number[]) => void;
  layer_backward: (...args: number[]) => void;
  add_into: (...args: number[]) => void;
  sgd_step: (...args: number[]) => void;
  adam_step: (...args: number[]) => void;
}

let compiled: WebAssembly.Module | null = null;

function kernelModule(): WebAssembly.Module {
  if (compiled === null) {
    const bin = atob(WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

/**
 * A bump allocator over one growable memory: offsets in bytes, 16-byte aligned; views made on demand. The first
 * two pages are left to the module (the linker's stack area, which the kernels never use: they keep no arrays on
 * the stack).
 */
class Arena {
  readonly memory = new WebAssembly.Memory({ initial: 2 });
  #top = 2 * 65536;
  alloc(floats: number): number {
    const at = this.#top;
    this.#top += (floats * 4 + 15) & ~15;
    const pages = Math.ceil(this.#top / 65536) - this.memory.buffer.byteLength / 65536;
    if (pages > 0) this.memory.grow(pages);
    return at;
  }
  f32(at: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, n);
  }
  u8(at: number, n: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, at, n);
  }
}

interface Layer {
  I: number;
  O: number;
  w: number;
  b: number;
  dw: number;
  db: number;
  /** SGD's buffers or Adam's first moments, then Adam's second moments. */
  state: [number, number, number, number];
  h: number;
  dh: number;
  /** Optimiser steps taken by this layer's parameters (0: none yet). */
  steps: number;
}

/** Copies a tensor's values into `target` (same length) without an intermediate array where the backend allows. */
function readInto(t: tf.Tensor, target: Float32Array): void {
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.Tensor) => Float32Array };
  if (tf.getBackend() === "wasm" && typeof backend.typedArrayFromHeap === "function") {
    target.set(backend.typedArrayFromHeap(t));
  } else target.set(t.dataSync() as Float32Array);
}

/**
 * The host engine (see the module notes): `sizes` the layer sizes, `initial[k]` run k's initial parameters
 * `[w0, b0, …]`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { createHostStackedFfnn } from "./stacked_ffnn_host.ts";
 * await tf.setBackend("cpu");
 * const w = [Float32Array.of(1, 2), Float32Array.of(0)]; // one linear layer [2] → [1]
 * const net = createHostStackedFfnn([2, 1], [w, w], { kind: "sgd", lr: [0.1, 0.2], weightDecay: [0, 0] }, 4);
 * const out = await net.predict(Float32Array.of(1, 1), 1);
 * assert.deepEqual(Array.from(out), [3, 3]); // both runs: 1·1 + 1·2 + 0
 * net.dispose();
 * ```
 */
export function createHostStackedFfnn(
  sizes: readonly number[],
  initial: readonly Float32Array[][],
  optimizer: StackedOptimizerOptions,
  batchSize: number,
): StackedFfnn {
  const K = initial.length;
  const L = sizes.length - 1;
  const arena = new Arena();
  const ex = new WebAssembly.Instance(kernelModule(), { env: { memory: arena.memory } })
    .exports as unknown as Kernels;
  const adam = optimizer.kind === "adam";
  const layers: Layer[] = [];
  for (let l = 0; l < L; l++) {
    const [I, O] = [sizes[l], sizes[l + 1]];
    const p = K * I * O, q = K * O;
    layers.push({
      I,
      O,
      w: arena.alloc(p),
      b: arena.alloc(q),
      dw: arena.alloc(p),
      db: arena.alloc(q),
      state: [arena.alloc(p), arena.alloc(q), adam ? arena.alloc(p) : 0, adam ? arena.alloc(q) : 0],
      h: arena.alloc(K * batchSize * O),
      dh: arena.alloc(K * batchSize * O),
      steps: 0,
    });
  }
  const xBatch = arena.alloc(batchSize * sizes[0]);
  const featGrad = L >= 2 ? arena.alloc(K * batchSize * sizes[L - 1]) : 0;
  const wt = arena.alloc(Math.max(...layers.map((l) => l.I * l.O)));
  const lrPtr = arena.alloc(K), wdPtr = arena.alloc(K), stepPtr = arena.alloc(K), activePtr = arena.alloc(K);
  let train = 0, trainRows = 0;
  // Learning rates in float64 (the decay multiplies them as the single-run optimiser does), passed as float32.
  const lr = [...optimizer.lr];
  arena.f32(wdPtr, K).set(optimizer.weightDecay);
  arena.u8(activePtr, K).fill(1);
  initial.forEach((values, k) => {
    layers.forEach((layer, l) => {
      arena.f32(layer.w + k * layer.I * layer.O * 4, layer.I * layer.O).set(values[2 * l]);
      arena.f32(layer.b + k * layer.O * 4, layer.O).set(values[2 * l + 1]);
    });
  });
  const momentum = optimizer.momentum ?? 0.9;

  /** Forward of `n` rows already in xBatch through every layer. */
  function forward(n: number): void {
    layers.forEach((layer, l) => {
      const [x, sx] = l === 0 ? [xBatch, 0] : [layers[l - 1].h, n * layer.I];
      ex.layer_forward(
        K,
        n,
        layer.I,
        layer.O,
        x,
        sx,
        layer.w,
        layer.b,
        layer.h,
        l < L - 1 ? 1 : 0,
        activePtr,
      );
    });
  }

  function loadRows(source: Float32Array, rows: ArrayLike<number>, from = 0, count = rows.length): void {
    const d = sizes[0];
    const xb = arena.f32(xBatch, count * d);
    for (let i = 0; i < count; i++) {
      const r = rows[from + i];
      xb.set(source.subarray(r * d, (r + 1) * d), i * d);
    }
  }

  function tensorOf(at: number, shape: [number, number, number]): tf.Tensor3D {
    // A copy: the cpu backend keeps the array it is given, and these buffers change at the next step.
    return tf.tensor3d(arena.f32(at, shape[0] * shape[1] * shape[2]).slice(), shape);
  }

  function update(layer: Layer): void {
    layer.steps++;
    const P = layer.I * layer.O;
    if (!adam) {
      arena.f32(lrPtr, K).set(lr);
      const first = layer.steps === 1 ? 1 : 0;
      ex.sgd_step(K, P, layer.w, layer.dw, layer.state[0], lrPtr, wdPtr, momentum, first, activePtr);
      ex.sgd_step(K, layer.O, layer.b, layer.db, layer.state[1], lrPtr, wdPtr, momentum, first, activePtr);
      return;
    }
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const t = layer.steps;
    const bc1 = 1 - b1 ** t, bc2 = Math.sqrt(1 - b2 ** t);
    arena.f32(stepPtr, K).set(lr.map((v) => v / bc1));
    const [m, v, mb, vb] = [layer.state[0], layer.state[2], layer.state[1], layer.state[3]];
    const args = [b1, 1 - b1, b2, 1 - b2, eps, bc2] as const;
    ex.adam_step(K, P, layer.w, layer.dw, m, v, stepPtr, wdPtr, ...args, activePtr);
    ex.adam_step(K, layer.O, layer.b, layer.db, mb, vb, stepPtr, wdPtr, ...args, activePtr);
  }

  return {
    runs: K,
    sizes,
    engine: "host",
    setTrainingRows(x, n) {
      if (n > trainRows) [train, trainRows] = [arena.alloc(n * sizes[0]), n];
      arena.f32(train, n * sizes[0]).set(x.subarray(0, n * sizes[0]));
    },
    trainStep(rows, yTrue, objective) {
      const n = rows.length;
      if (n > batchSize) {
        throw new Error(`stacked FFNN: a batch of ${n} rows exceeds the batch size ${batchSize}`);
      }
      loadRows(arena.f32(train, trainRows * sizes[0]), rows);
      forward(n);
      const head = layers[L - 1];
      const T = head.O;
      const H = sizes[L - 1];
      const output = tensorOf(head.h, [K, n, T]);
      const features = L >= 2
        ? tensorOf(layers[L - 2].h, [K, n, H])
        : tf.tile(tf.tensor3d(arena.f32(xBatch, n * H).slice(), [1, n, H]), [K, 1, 1]) as tf.Tensor3D;
      const wrt = [...(objective.usesOutput ? [output] : []), ...(objective.usesFeatures ? [features] : [])];
      let perRun: tf.Tensor1D | null = null;
      const grads = tf.grads((...args: tf.Tensor[]) => {
        const o = objective.usesOutput ? args[0] : output;
        const f = objective.usesFeatures ? args[args.length - 1] : features;
        perRun = tf.keep(objective.loss(yTrue, o as tf.Tensor3D, f as tf.Tensor3D));
        return tf.sum(perRun);
      })(wrt);
      const dOutput = objective.usesOutput ? grads[0] : null;
      const dFeatures = objective.usesFeatures ? grads[grads.length - 1] : null;
      if (dOutput) readInto(dOutput, arena.f32(head.dh, K * n * T));
      if (dFeatures && L >= 2) readInto(dFeatures, arena.f32(featGrad, K * n * H));
      tf.dispose([output, features, ...grads]);
      // Backward, head first. A head the objective does not reach passes nothing down and is not updated.
      if (L >= 2) {
        const below = layers[L - 2];
        if (dOutput) {
          ex.layer_backward(
            K,
            n,
            head.I,
            T,
            below.h,
            n * head.I,
            head.w,
            head.h,
            head.dh,
            head.dw,
            head.db,
            below.dh,
            0,
            wt,
            activePtr,
          );
        } else arena.f32(below.dh, K * n * H).fill(0);
        if (dFeatures) ex.add_into(K * n * H, below.dh, featGrad);
      } else if (dOutput) {
        ex.layer_backward(
          K,
          n,
          head.I,
          T,
          xBatch,
          0,
          head.w,
          head.h,
          head.dh,
          head.dw,
          head.db,
          0,
          0,
          wt,
          activePtr,
        );
      }
      for (let l = L - 2; l >= 0; l--) {
        const layer = layers[l];
        const [x, sx] = l === 0 ? [xBatch, 0] : [layers[l - 1].h, n * layer.I];
        const dx = l === 0 ? 0 : layers[l - 1].dh;
        ex.layer_backward(
          K,
          n,
          layer.I,
          layer.O,
          x,
          sx,
          layer.w,
          layer.h,
          layer.dh,
          layer.dw,
          layer.db,
          dx,
          1,
          wt,
          activePtr,
        );
      }
      layers.forEach((layer, l) => {
        if (l < L - 1 || dOutput) update(layer);
      });
      return perRun!;
    },
    predict(x, n) {
      const T = sizes[L];
      const out = new Float32Array(K * n * T);
      const all = Int32Array.from({ length: n }, (_, i) => i);
      for (let start = 0; start < n; start += batchSize) {
        const c = Math.min(batchSize, n - start);
        loadRows(x, all, start, c);
        forward(c);
        const h = arena.f32(layers[L - 1].h, K * c * T);
        for (let k = 0; k < K; k++) out.set(h.subarray(k * c * T, (k + 1) * c * T), (k * n + start) * T);
      }
      return Promise.resolve(out);
    },
    scaleLearningRates(factor) {
      for (let k = 0; k < K; k++) lr[k] = lr[k] * factor;
    },
    learningRates() {
      return [...lr];
    },
    deactivate(k) {
      arena.u8(activePtr, K)[k] = 0;
    },
    parameters(k) {
      return Promise.resolve(layers.flatMap((layer) => [
        arena.f32(layer.w + k * layer.I * layer.O * 4, layer.I * layer.O).slice(),
        arena.f32(layer.b + k * layer.O * 4, layer.O).slice(),
      ]));
    },
    dispose() {
      // The memory goes with the last reference to it.
      layers.length = 0;
    },
  };
}
