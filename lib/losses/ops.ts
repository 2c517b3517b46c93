/**
 * Small differentiable building blocks shared by the baseline losses (RankSim, RnC, ConR,
 * MAE-Pearson) and their kernels (`kernels/`). Internal to the kit: not re-exported by `mod.ts`.
 *
 * Every helper here has a gradient that is finite everywhere and that runs on the cpu, wasm and
 * webgpu backends. Two tfjs 4.22 pitfalls the losses avoid with these: comparison kernels
 * (`Less`, `Greater`, …) have no gradient, so backpropagating through a mask made from a
 * differentiable tensor throws (use {@linkcode detachedMap}); and `tf.gather`'s gradient needs
 * `UnsortedSegmentSum`, a kernel the wasm backend lacks (gather only off the tape).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** What the body of {@linkcode unaryCustomGrad} returns: a value and its vector-Jacobian product. */
export interface UnaryCustomGradResult {
  /** The forward value. */
  value: tf.Tensor;
  /** Maps the upstream gradient (and the tensors passed to `save`) to the input's gradient. */
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor;
}

/**
 * A typed one-input `tf.customGrad`: `body(x, save)` returns the value and its gradient function.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { unaryCustomGrad } from "./ops.ts";
 * await tf.setBackend("cpu");
 * const twice = unaryCustomGrad((x) => ({ value: x.mul(2), gradFunc: (dy) => dy.mul(2) }));
 * assert.equal(tf.grad((x: tf.Tensor) => twice(x).sum())(tf.scalar(1)).dataSync()[0], 2);
 * ```
 */
export function unaryCustomGrad(
  body: (x: tf.Tensor, save: tf.GradSaveFunc) => UnaryCustomGradResult,
): (x: tf.Tensor) => tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const { value, gradFunc } = body(args[0] as tf.Tensor, args[1] as tf.GradSaveFunc);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => gradFunc(dy, saved) };
  });
  return (x: tf.Tensor) => f(x);
}

/**
 * The identity in the forward pass, a zero gradient in the backward pass (torch's `.detach()`).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { stopGradient } from "./ops.ts";
 * await tf.setBackend("cpu");
 * const g = tf.grad((x: tf.Tensor) => stopGradient(x).mul(x).sum())(tf.tensor1d([3]));
 * assert.equal(g.dataSync()[0], 3); // d(c·x)/dx with c = x held constant
 * ```
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const f = unaryCustomGrad((a) => ({
    value: a.clone(),
    gradFunc: (dy) => tf.zerosLike(dy),
  }));
  return f(x) as T;
}

/**
 * `fn(x)` computed off the gradient tape, with a zero gradient for `x`. Use it for masks made by
 * comparisons (`tf.less`, `tf.lessEqual`, …) of a differentiable tensor: tfjs has no gradient for
 * comparison kernels and would otherwise throw when backpropagating through them.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { detachedMap } from "./ops.ts";
 * await tf.setBackend("cpu");
 * const masked = (x: tf.Tensor) => x.mul(detachedMap(x, (a) => tf.cast(tf.greater(a, 0), "float32"))).sum();
 * assert.deepEqual(Array.from(tf.grad(masked)(tf.tensor1d([-1, 2])).dataSync()), [0, 1]);
 * ```
 */
export function detachedMap(x: tf.Tensor, fn: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const f = unaryCustomGrad((a, save) => {
    save([a]);
    return { value: fn(a), gradFunc: (_dy, saved) => tf.zerosLike(saved[0]) };
  });
  return f(x);
}

/**
 * `|x|` with torch's gradient `sign(x)·dy`, which is 0 at `x = 0`; tfjs's own `abs` gradient is
 * `−dy` there (it uses `step(x, −1)`).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { absSignGrad } from "./ops.ts";
 * await tf.setBackend("cpu");
 * const g = tf.grad((x: tf.Tensor) => absSignGrad(x).sum())(tf.tensor1d([-2, 0, 3]));
 * assert.deepEqual(Array.from(g.dataSync()), [-1, 0, 1]);
 * ```
 */
export function absSignGrad<T extends tf.Tensor>(x: T): T {
  const f = unaryCustomGrad((a, save) => {
    save([a]);
    return { value: tf.abs(a), gradFunc: (dy, saved) => tf.mul(dy, tf.sign(saved[0])) };
  });
  return f(x) as T;
}

/**
 * Row-wise L2 normalisation `x / max(‖x‖₂, 1e-12)`, torch's `F.normalize(x, dim=1)`, written as
 * `x / sqrt(max(Σx², 1e-24))` so that the gradient is finite for an all-zero row (torch gives the
 * same gradient there: the clamp blocks the norm's branch). Over a leading runs axis (`[K, N, D]`),
 * every run's rows.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { l2Normalize } from "./ops.ts";
 * await tf.setBackend("cpu");
 * const n = l2Normalize(tf.tensor2d([[3, 4], [0, 0]]));
 * assert.deepEqual(Array.from(n.dataSync(), (v) => Math.round(v * 1e6) / 1e6), [0.6, 0.8, 0, 0]);
 * ```
 */
export function l2Normalize<T extends tf.Tensor2D | tf.Tensor3D>(x: T): T {
  // 1e-24 = (1e-12)²: F.normalize's default eps on the norm, applied to the squared norm.
  const sq = tf.sum(tf.square(x), x.rank - 1, true);
  return tf.div(x, tf.sqrt(tf.maximum(sq, 1e-24)));
}

/**
 * Pairwise label distances `[N, N]` from labels `[N, T]`: the sum (`"sum"`, RnC's L1) or the mean
 * (`"mean"`, ConR) over the T columns of `|y_i − y_j|`. Memory O(N²·T). Over K runs, `[K, N, T]` gives
 * `[K, N, N]`, each run's matrix the same values as its own call.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { pairwiseL1 } from "./ops.ts";
 * await tf.setBackend("cpu");
 * const d = pairwiseL1(tf.tensor2d([[0, 0], [1, 3]]), "mean");
 * assert.deepEqual(Array.from(d.dataSync()), [0, 2, 2, 0]);
 * ```
 */
export function pairwiseL1<T extends tf.Tensor2D | tf.Tensor3D>(y: T, reduce: "sum" | "mean"): T {
  const runs = y.shape.slice(0, -2), [n, t] = y.shape.slice(-2);
  const diff = tf.abs(tf.sub(y.reshape([...runs, n, 1, t]), y.reshape([...runs, 1, n, t])));
  const axis = runs.length + 2;
  return (reduce === "sum" ? tf.sum(diff, axis) : tf.mean(diff, axis)) as T;
}

/**
 * The Gram matrix `q·qᵀ` (`[N, D]` → `[N, N]`) with its gradient `(G + Gᵀ)·q` for the upstream `G`,
 * both as plain (unflagged) matrix products with explicit transposes: on the wasm backend a
 * `matMul` with `transposeA`/`transposeB` (what `tf.matMul(q, q, false, true)` and tfjs's own
 * matMul gradient use) is 5–15× slower than a transpose followed by a plain product. Over a leading
 * runs axis (`[K, N, D]` → `[K, N, N]`), every run's.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { gram } from "./ops.ts";
 * await tf.setBackend("cpu");
 * const q = tf.tensor2d([[1, 2], [3, 4]]);
 * assert.deepEqual(Array.from(gram(q).dataSync()), [5, 11, 11, 25]);
 * const g = tf.grad((x: tf.Tensor) => gram(x as tf.Tensor2D).sum())(q); // (1 + 1ᵀ)·q
 * assert.deepEqual(Array.from(g.dataSync()), [8, 12, 8, 12]);
 * ```
 */
export function gram<T extends tf.Tensor2D | tf.Tensor3D>(q: T): T {
  // The transpose of the last two axes (of every run's matrix, over a leading runs axis).
  const t = (m: tf.Tensor) => m.rank === 3 ? tf.transpose(m, [0, 2, 1]) : tf.transpose(m);
  const f = unaryCustomGrad((x, save) => {
    save([x]);
    return {
      value: tf.matMul(x as tf.Tensor2D, t(x) as tf.Tensor2D),
      gradFunc: (dy, saved) => tf.matMul(tf.add(dy, t(dy)) as tf.Tensor2D, saved[0] as tf.Tensor2D),
    };
  });
  return f(q) as T;
}
