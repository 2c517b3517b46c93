/**
 * The tensor engine of the stacked FFNN: K runs' weights as tfjs variables with a leading runs axis (`[K, in, out]`,
 * `[K, 1, out]`), the forward pass as batched matrix products on the active backend (one launch per layer for all
 * runs on WebGPU), gradients by tfjs's autodiff, and the optimiser's update as tfjs ops with per-run learning rates
 * and weight decays broadcast over the runs axis. Nothing is read back during training, so it suits a GPU backend;
 * it is also the reference the host engine is tested against.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { StackedFfnn, StackedOptimizerOptions } from "../../stacked_types.ts";

/**
 * The tensor engine (see the module notes): `sizes` the layer sizes, `initial[k]` run k's initial parameters.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { createTensorStackedFfnn } from "./stacked_ffnn_tensor.ts";
 * await tf.setBackend("cpu");
 * const w = [Float32Array.of(1, 2), Float32Array.of(0)];
 * const net = createTensorStackedFfnn([2, 1], [w, w], { kind: "sgd", lr: [0.1, 0.2], weightDecay: [0, 0] });
 * assert.deepEqual(Array.from(await net.predict(Float32Array.of(1, 1), 1)), [3, 3]);
 * net.dispose();
 * ```
 */
export function createTensorStackedFfnn(
  sizes: readonly number[],
  initial: readonly Float32Array[][],
  optimizer: StackedOptimizerOptions,
): StackedFfnn {
  const K = initial.length;
  const L = sizes.length - 1;
  const stack = (l: number, shape: number[]) => {
    const all = new Float32Array(K * shape.reduce((a, b) => a * b, 1));
    initial.forEach((v, k) => all.set(v[l], k * v[l].length));
    return tf.variable(tf.tensor(all, [K, ...shape]), true);
  };
  const variables: tf.Variable[] = [];
  for (let l = 0; l < L; l++) {
    variables.push(stack(2 * l, [sizes[l], sizes[l + 1]]), stack(2 * l + 1, [1, sizes[l + 1]]));
  }
  const adam = optimizer.kind === "adam";
  const momentum = optimizer.momentum ?? 0.9;
  const lr = [...optimizer.lr];
  const active = new Array<boolean>(K).fill(true);
  const perRun = (values: readonly number[]) => tf.tensor3d(Float32Array.from(values), [K, 1, 1]);
  let wd = perRun(optimizer.weightDecay);
  let activeMask = perRun(active.map(Number));
  const bufs: (tf.Variable | null)[] = variables.map(() => null);
  const moments = adam
    ? variables.map((v) => [tf.variable(tf.zerosLike(v), false), tf.variable(tf.zerosLike(v), false)])
    : [];
  const steps = variables.map(() => 0);
  let train: tf.Tensor2D | null = null;

  function apply(x: tf.Tensor2D): { output: tf.Tensor3D; features: tf.Tensor3D } {
    let h: tf.Tensor3D = tf.tile(tf.expandDims(x, 0), [K, 1, 1]) as tf.Tensor3D;
    let features = h;
    for (let l = 0; l < L; l++) {
      const z = tf.add(tf.matMul(h, variables[2 * l] as tf.Tensor3D), variables[2 * l + 1]) as tf.Tensor3D;
      if (l < L - 1) {
        h = tf.elu(z);
        features = h;
      } else h = z;
    }
    return { output: h, features };
  }

  function update(i: number, g0: tf.Tensor): void {
    const v = variables[i];
    steps[i]++;
    tf.tidy(() => {
      const g = tf.add(g0, tf.mul(v, wd));
      let next: tf.Tensor;
      if (!adam) {
        let m = g;
        if (momentum !== 0) {
          const b = bufs[i];
          if (b === null) bufs[i] = tf.variable(g.clone(), false);
          else {b.assign(
              tf.where(tf.cast(activeMask, "bool").broadcastTo(b.shape), tf.add(tf.mul(b, momentum), g), b),
            );}
          m = bufs[i]!;
        }
        next = tf.sub(v, tf.mul(m, perRun(lr)));
      } else {
        const [m, s] = moments[i];
        const t = steps[i];
        const bc1 = 1 - 0.9 ** t, bc2 = Math.sqrt(1 - 0.999 ** t);
        const keep = tf.cast(activeMask, "bool").broadcastTo(m.shape);
        m.assign(tf.where(keep, tf.add(tf.mul(m, 0.9), tf.mul(g, 1 - 0.9)), m));
        s.assign(tf.where(keep, tf.add(tf.mul(s, 0.999), tf.mul(tf.square(g), 1 - 0.999)), s));
        const denom = tf.add(tf.div(tf.sqrt(s), bc2), 1e-8);
        next = tf.sub(v, tf.mul(tf.div(m, denom), perRun(lr.map((x) => x / bc1))));
      }
      v.assign(tf.where(tf.cast(activeMask, "bool").broadcastTo(v.shape), next, v));
    });
  }

  return {
    runs: K,
    sizes,
    engine: "tensor",
    setTrainingRows(x, n) {
      train?.dispose();
      train = tf.tensor2d(x.slice(0, n * sizes[0]), [n, sizes[0]]);
    },
    trainStep(rows, yTrue, objective) {
      if (train === null) throw new Error("stacked FFNN: setTrainingRows first");
      let losses: tf.Tensor1D | null = null;
      tf.tidy(() => {
        const idx = tf.tensor1d(Int32Array.from(rows), "int32");
        const xb = tf.gather(train!, idx) as tf.Tensor2D;
        const { grads } = tf.variableGrads(() => {
          const { output, features } = apply(xb);
          losses = tf.keep(objective.loss(yTrue, output, features));
          return tf.sum(losses) as tf.Scalar;
        }, variables);
        variables.forEach((v, i) => {
          if (grads[v.name]) update(i, grads[v.name]);
        });
      });
      return losses!;
    },
    async predict(x, n) {
      const out = tf.tidy(() => apply(tf.tensor2d(x.slice(0, n * sizes[0]), [n, sizes[0]])).output);
      const values = await out.data() as Float32Array;
      out.dispose();
      return values;
    },
    scaleLearningRates(factor) {
      for (let k = 0; k < K; k++) lr[k] = lr[k] * factor;
    },
    learningRates() {
      return [...lr];
    },
    deactivate(k) {
      active[k] = false;
      activeMask.dispose();
      activeMask = perRun(active.map(Number));
    },
    async parameters(k) {
      const out: Float32Array[] = [];
      for (const v of variables) {
        const t = tf.tidy(() => tf.slice(v, [k], [1]).reshape([-1]));
        out.push(await t.data() as Float32Array);
        t.dispose();
      }
      return out;
    },
    dispose() {
      [...variables, ...bufs.filter((b) => b !== null), ...moments.flat(), wd, activeMask].forEach((t) =>
        t!.dispose()
      );
      train?.dispose();
      wd = activeMask = null as unknown as tf.Tensor3D;
    },
  };
}
