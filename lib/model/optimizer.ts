/**
 * Optimisers with PyTorch semantics (`torch.optim.SGD`, `torch.optim.Adam`), written on tfjs
 * variables: weight decay is L2 added to the gradient (`g ← g + wd·θ`) before the update, as
 * PyTorch does (not AdamW's decoupled decay).
 *
 * `step(grads)` reads the gradients (in the order of the variables given at construction) and does
 * not dispose them; the caller owns them. A `null` gradient (a variable the loss does not depend
 * on, e.g. the head while RNC pre-trains the features) skips that variable entirely — no decay, no
 * momentum or moment update — as PyTorch does for a parameter whose `.grad` is None.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** An optimiser over a fixed list of variables. */
export interface Optimizer {
  /** One update with `grads[i]` the gradient of `variables[i]` (null: leave that variable alone). */
  step(grads: (tf.Tensor | null)[]): void;
  /** Sets the learning rate used by the following steps. */
  setLearningRate(lr: number): void;
  /** The current learning rate. */
  readonly learningRate: number;
  /** Frees the optimiser's state (momentum buffers, moments). */
  dispose(): void;
}

function checkCount(variables: tf.Variable[], grads: (tf.Tensor | null)[]): void {
  if (grads.length !== variables.length) {
    throw new Error(`optimizer: ${grads.length} gradients for ${variables.length} variables`);
  }
}

function checkLr(lr: number): void {
  if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`optimizer: lr must be a positive number, got ${lr}`);
}

/**
 * SGD as `torch.optim.SGD(params, lr, momentum, weight_decay)` (dampening 0, no Nesterov):
 * `g = ∇ + wd·θ`; `buf = g` on the first step, else `buf = momentum·buf + g`; `θ ← θ − lr·buf`.
 * With momentum 0, `θ ← θ − lr·g`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { sgd } from "./optimizer.ts";
 * await tf.setBackend("cpu");
 * const w = tf.variable(tf.tensor1d([1]));
 * const opt = sgd([w], { lr: 0.1, momentum: 0.9 });
 * opt.step([tf.tensor1d([1])]); // buf = 1, w = 0.9
 * opt.step([tf.tensor1d([1])]); // buf = 1.9, w = 0.71
 * assert.ok(Math.abs(w.dataSync()[0] - 0.71) < 1e-6);
 * ```
 */
export function sgd(
  variables: tf.Variable[],
  o: { lr: number; momentum?: number; weightDecay?: number },
): Optimizer {
  checkLr(o.lr);
  const momentum = o.momentum ?? 0;
  const wd = o.weightDecay ?? 0;
  let lr = o.lr;
  const bufs: (tf.Variable | null)[] = variables.map(() => null);
  return {
    step(grads) {
      checkCount(variables, grads);
      tf.tidy(() => {
        grads.forEach((g0, i) => {
          if (g0 === null) return;
          const v = variables[i];
          const g = wd !== 0 ? tf.add(g0, tf.mul(v, wd)) : g0;
          if (momentum === 0) {
            v.assign(tf.sub(v, tf.mul(g, lr)));
            return;
          }
          const b = bufs[i];
          if (b === null) bufs[i] = tf.variable(g.clone(), false);
          else b.assign(tf.add(tf.mul(b, momentum), g));
          v.assign(tf.sub(v, tf.mul(bufs[i]!, lr)));
        });
      });
    },
    setLearningRate(next) {
      checkLr(next);
      lr = next;
    },
    get learningRate() {
      return lr;
    },
    dispose() {
      bufs.forEach((b, i) => {
        b?.dispose();
        bufs[i] = null;
      });
    },
  };
}

/**
 * Adam as `torch.optim.Adam(params, lr, betas=(β1, β2), eps, weight_decay)` (no AMSGrad):
 * `g = ∇ + wd·θ`; `m = β1·m + (1−β1)·g`; `v = β2·v + (1−β2)·g²`;
 * `θ ← θ − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + eps)`. Defaults β1 0.9, β2 0.999, eps 1e-8.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { adam } from "./optimizer.ts";
 * await tf.setBackend("cpu");
 * const w = tf.variable(tf.tensor1d([1]));
 * const opt = adam([w], { lr: 0.1 });
 * opt.step([tf.tensor1d([3])]); // the first Adam step moves by lr·sign(g)
 * assert.ok(Math.abs(w.dataSync()[0] - 0.9) < 1e-6);
 * ```
 */
export function adam(
  variables: tf.Variable[],
  o: { lr: number; weightDecay?: number; beta1?: number; beta2?: number; eps?: number },
): Optimizer {
  checkLr(o.lr);
  const wd = o.weightDecay ?? 0;
  const b1 = o.beta1 ?? 0.9;
  const b2 = o.beta2 ?? 0.999;
  const eps = o.eps ?? 1e-8;
  let lr = o.lr;
  const steps = variables.map(() => 0);
  let ms: tf.Variable[] | null = variables.map((v) => tf.variable(tf.zerosLike(v), false));
  let vs: tf.Variable[] | null = variables.map((v) => tf.variable(tf.zerosLike(v), false));
  return {
    step(grads) {
      checkCount(variables, grads);
      if (ms === null || vs === null) throw new Error("adam: optimizer was disposed");
      const [m, v] = [ms, vs];
      tf.tidy(() => {
        grads.forEach((g0, i) => {
          if (g0 === null) return;
          const t = ++steps[i];
          const bc1 = 1 - b1 ** t;
          const bc2 = Math.sqrt(1 - b2 ** t);
          const g = wd !== 0 ? tf.add(g0, tf.mul(variables[i], wd)) : g0;
          m[i].assign(tf.add(tf.mul(m[i], b1), tf.mul(g, 1 - b1)));
          v[i].assign(tf.add(tf.mul(v[i], b2), tf.mul(tf.square(g), 1 - b2)));
          const denom = tf.add(tf.div(tf.sqrt(v[i]), bc2), eps);
          variables[i].assign(tf.sub(variables[i], tf.mul(tf.div(m[i], denom), lr / bc1)));
        });
      });
    },
    setLearningRate(next) {
      checkLr(next);
      lr = next;
    },
    get learningRate() {
      return lr;
    },
    dispose() {
      ms?.forEach((x) => x.dispose());
      vs?.forEach((x) => x.dispose());
      ms = vs = null;
    },
  };
}
