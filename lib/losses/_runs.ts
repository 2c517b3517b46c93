/**
 * The runs axis of the label-space losses. Internal: the losses call these; `mod.ts` re-exports the types
 * only.
 *
 * A loss called with predictions `[K, N, T]` — the output of a stacked network holding K independent training
 * runs — against labels `[N]` or `[N, T]` that every run shares returns the K losses as a `[K]` tensor, value
 * k being the loss of `(yTrue, yPred[k])`; with predictions `[N]` or `[N, T]` it returns one scalar, as ever.
 * A numeric option is one number for every run or one per run ({@linkcode RunNumbers}).
 *
 * A tensor program over the runs axis broadcasts over K (labels `[N, T]` against `[K, N, T]`; a per-run
 * option as a `[K, 1, 1]` tensor, or a `[K, N, T]` one where the wasm backend broadcasts slowly) and reduces
 * each run over its own contiguous block (axes 1 and 2), so it launches as many kernels as the single-run
 * program whatever K, and on the host backends run k's value and gradient are the same bits whatever other
 * runs share the tensor.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkPair, checkRunNumbers, checkRunsPair } from "./validate.ts";

/**
 * What a loss returns for predictions of type `P`: the K losses `[K]` for `[K, N, T]` predictions (the runs
 * axis), one scalar otherwise.
 */
export type LossOf<P extends tf.Tensor> = P extends tf.Tensor3D ? tf.Tensor1D : tf.Scalar;

/** A numeric option over the runs axis: one number for every run, or one per run (K numbers). */
export type RunNumbers = number | readonly number[];

/** The checked labels and predictions of a label-space loss, in either form. */
export interface LabelPair {
  /** The labels `[N, T]` (shared by every run). */
  yTrue: tf.Tensor2D;
  /** The predictions: `[N, T]` (one run) or `[K, N, T]` (K runs). */
  yPred: tf.Tensor2D | tf.Tensor3D;
}

/** K for predictions over the runs axis (`[K, N, T]`), null for the single-run form. */
export function runsOf(yPred: tf.Tensor): number | null {
  return yPred instanceof tf.Tensor && yPred.rank === 3 ? yPred.shape[0] : null;
}

/** `checkPair` for one run (`runs` null), `checkRunsPair` for K runs. */
export function checkLabelPair(
  fn: string,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  runs: number | null,
): LabelPair {
  if (runs === null) {
    const [t, p] = checkPair(fn, yTrue, yPred);
    return { yTrue: t, yPred: p };
  }
  const checked = checkRunsPair(fn, yTrue, yPred);
  return { yTrue: checked.yTrue, yPred: checked.yPred };
}

/**
 * A numeric option for either form: the checked number for one run (`runs` null; an array is rejected as
 * `checkNumber` does); for K runs, the K checked values — as one number when they are all equal, else as a
 * `[K, 1, 1]` tensor that broadcasts over `[K, N, T]` (create it inside the loss's `tf.tidy`).
 */
export function runOption(
  fn: string,
  name: string,
  value: unknown,
  runs: number | null,
  rule: "positive" | "nonNegative" | "any" = "positive",
): number | number[] {
  if (runs === null) return checkNumber(fn, name, value, rule);
  const values = checkRunNumbers(fn, name, value, runs, rule);
  return values.every((v) => v === values[0]) ? values[0] : values;
}

/**
 * A checked option of {@linkcode runOption} as an operand: the number, or the per-run values as `[K, 1, 1]`
 * (for `tf.add`, `tf.sub`, `tf.mul`, `tf.div`, which broadcast it fast on every backend) or, given the full
 * shape `[K, N, T]`, as a tensor of that shape filled run by run on the host (for the ops that the wasm
 * backend broadcasts slowly, ~0.5 ms for 7k elements: `tf.minimum`, `tf.pow`, comparisons; same values, no
 * kernel).
 */
export function runOperand(value: number | number[], shape?: readonly number[]): number | tf.Tensor3D {
  if (typeof value === "number") return value;
  if (shape === undefined) return tf.tensor3d(value, [value.length, 1, 1]);
  const block = shape[1] * shape[2];
  const data = new Float32Array(value.length * block);
  value.forEach((v, k) => data.fill(v, k * block, (k + 1) * block));
  return tf.tensor3d(data, shape as [number, number, number]);
}

/** The mean over all elements of one run (`[N, T]` → scalar) or of each run (`[K, N, T]` → `[K]`). */
export function runMean(x: tf.Tensor): tf.Tensor {
  return x.rank === 3 ? tf.mean(x, [1, 2]) : tf.mean(x);
}
