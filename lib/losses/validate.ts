/**
 * The input checks of the losses, and the switch of their data checks.
 *
 * Every loss accepts `[N]` or `[N, T]` tensors for labels and predictions (`[N, D]` for features)
 * and rejects, with a {@linkcode LossInputError} naming the function and the argument:
 * - a rank other than 1 or 2, or mismatched shapes between `yTrue` and `yPred`;
 * - fewer than 2 rows (pairwise and correlation losses are undefined on one sample);
 * - NaN or ±Infinity values (checked on the data: this reads the tensor back, see
 *   {@linkcode setFiniteChecks} and {@linkcode withoutFiniteChecks} to switch it off in a hot
 *   training loop; skipped for GPU-resident tensors on WebGPU under Deno, which cannot read
 *   synchronously);
 * - bad numeric options (non-finite, or out of the allowed range).
 *
 * `LossInputError`, `setFiniteChecks` and `withoutFiniteChecks` are re-exported by `mod.ts`; the
 * checks themselves (`asMatrix`, `checkPair`, `checkFeatures`, `checkNumber`, `tryReadSync`,
 * `finiteChecksEnabled`) are for the kit's losses and its training code.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { checkPair, LossInputError } from "./validate.ts";
 * await tf.setBackend("cpu");
 * assert.throws(() => checkPair("myLoss", tf.tensor1d([1, 2]), tf.tensor1d([1, NaN])), LossInputError);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

let finiteChecks = true;

/**
 * Turns the NaN/±Inf data checks on or off for all losses (on by default). Shape and option
 * checks always run. Reading a tensor back forces a GPU sync, so a training loop that has already
 * validated its data may switch the data checks off ({@linkcode withoutFiniteChecks} does so for
 * one function call and restores the setting).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { finiteChecksEnabled, setFiniteChecks } from "./validate.ts";
 * setFiniteChecks(false);
 * assert.equal(finiteChecksEnabled(), false);
 * setFiniteChecks(true);
 * ```
 */
export function setFiniteChecks(on: boolean): void {
  finiteChecks = on;
}

/**
 * Whether the NaN/±Inf data checks are on (see {@linkcode setFiniteChecks}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { finiteChecksEnabled } from "./validate.ts";
 * assert.equal(finiteChecksEnabled(), true); // the default
 * ```
 */
export function finiteChecksEnabled(): boolean {
  return finiteChecks;
}

/**
 * Runs `fn` with the NaN/±Inf data checks off and restores their previous setting when it returns
 * or throws — or, when `fn` returns a promise, when that promise settles (for an async training loop:
 * the checks stay off while it awaits). Returns what `fn` returns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { finiteChecksEnabled, withoutFiniteChecks } from "./validate.ts";
 * assert.equal(withoutFiniteChecks(() => finiteChecksEnabled()), false);
 * assert.equal(finiteChecksEnabled(), true);
 * const during = await withoutFiniteChecks(async () => {
 *   await Promise.resolve();
 *   return finiteChecksEnabled();
 * });
 * assert.equal(during, false);
 * assert.equal(finiteChecksEnabled(), true);
 * ```
 */
export function withoutFiniteChecks<T>(fn: () => T): T {
  const saved = finiteChecks;
  finiteChecks = false;
  let result: T;
  try {
    result = fn();
  } catch (error) {
    finiteChecks = saved;
    throw error;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      finiteChecks = saved;
    }) as T;
  }
  finiteChecks = saved;
  return result;
}

/**
 * Reads a tensor synchronously, or returns null where the backend cannot: tfjs's WebGPU backend reads
 * GPU-resident data synchronously through an OffscreenCanvas, which Deno does not provide. The data
 * checks are then skipped for that tensor (shape and option checks still run).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { tryReadSync } from "./validate.ts";
 * await tf.setBackend("cpu");
 * assert.deepEqual(Array.from(tryReadSync(tf.tensor1d([1, 2]))!), [1, 2]);
 * ```
 */
export function tryReadSync(t: tf.Tensor): ArrayLike<number> | null {
  try {
    return t.dataSync() as ArrayLike<number>;
  } catch {
    return null;
  }
}

/**
 * The error every loss throws on bad input.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { gar } from "./gar.ts";
 * import { LossInputError } from "./validate.ts";
 * await tf.setBackend("cpu");
 * assert.throws(() => gar(tf.tensor1d([1]), tf.tensor1d([1])), LossInputError); // one row
 * ```
 */
export class LossInputError extends Error {
  /** @param message what is wrong, naming the function and the argument */
  constructor(message: string) {
    super(message);
    this.name = "LossInputError";
  }
}

function assertFinite(fn: string, name: string, t: tf.Tensor): void {
  if (!finiteChecks) return;
  const data = tryReadSync(t);
  if (data === null) return;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new LossInputError(
        `${fn}: ${name} contains ${data[i]} at flat index ${i}; remove or impute non-finite values`,
      );
    }
  }
}

/**
 * Checks one `[N]` / `[N, T]` tensor; returns it as `[N, T]` (a reshape, no copy).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { asMatrix } from "./validate.ts";
 * await tf.setBackend("cpu");
 * assert.deepEqual(asMatrix("myLoss", "yTrue", tf.tensor1d([1, 2, 3])).shape, [3, 1]);
 * ```
 */
export function asMatrix(fn: string, name: string, t: tf.Tensor, minRows = 2): tf.Tensor2D {
  if (!(t instanceof tf.Tensor)) throw new LossInputError(`${fn}: ${name} must be a tf.Tensor`);
  if (t.rank !== 1 && t.rank !== 2) {
    throw new LossInputError(`${fn}: ${name} must have shape [N] or [N, T], got [${t.shape.join(", ")}]`);
  }
  if (t.shape[0] < minRows) {
    throw new LossInputError(
      `${fn}: ${name} has ${t.shape[0]} row(s); at least ${minRows} are needed (batch axis 0)`,
    );
  }
  if (t.rank === 2 && t.shape[1] === 0) throw new LossInputError(`${fn}: ${name} has zero columns`);
  assertFinite(fn, name, t);
  return (t.rank === 1 ? t.reshape([t.shape[0], 1]) : t) as tf.Tensor2D;
}

/**
 * Checks a `(yTrue, yPred)` pair: same shape, `[N]` or `[N, T]`, N ≥ minRows, finite; returns both
 * as `[N, T]`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { checkPair } from "./validate.ts";
 * await tf.setBackend("cpu");
 * assert.throws(() => checkPair("myLoss", tf.tensor1d([1, 2]), tf.tensor1d([1, 2, 3])), /must match/);
 * ```
 */
export function checkPair(
  fn: string,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  minRows = 2,
): [tf.Tensor2D, tf.Tensor2D] {
  const t = asMatrix(fn, "yTrue", yTrue, minRows);
  const p = asMatrix(fn, "yPred", yPred, minRows);
  if (t.shape[0] !== p.shape[0] || t.shape[1] !== p.shape[1]) {
    throw new LossInputError(
      `${fn}: yTrue has shape [${yTrue.shape.join(", ")}] but yPred has shape [${yPred.shape.join(", ")}]; ` +
        "they must match (use [N] or [N, T] for both)",
    );
  }
  return [t, p];
}

/**
 * Checks features `[N, D]` against labels with N rows.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { checkFeatures } from "./validate.ts";
 * await tf.setBackend("cpu");
 * assert.throws(() => checkFeatures("myLoss", tf.zeros([3, 2]), 4), /features has 3 rows/);
 * ```
 */
export function checkFeatures(fn: string, features: tf.Tensor, rows: number): tf.Tensor2D {
  if (!(features instanceof tf.Tensor) || features.rank !== 2) {
    throw new LossInputError(
      `${fn}: features must be a tf.Tensor of shape [N, D], got ${
        features instanceof tf.Tensor ? `[${features.shape.join(", ")}]` : typeof features
      }`,
    );
  }
  if (features.shape[0] !== rows) {
    throw new LossInputError(`${fn}: features has ${features.shape[0]} rows but yTrue has ${rows}`);
  }
  assertFinite(fn, "features", features);
  return features as tf.Tensor2D;
}

/**
 * Checks a numeric option: finite, and optionally > 0 (or ≥ 0); returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkNumber } from "./validate.ts";
 * assert.equal(checkNumber("myLoss", "alpha", 2, "positive"), 2);
 * assert.throws(() => checkNumber("myLoss", "alpha", 0, "positive"), /must be > 0/);
 * ```
 */
export function checkNumber(
  fn: string,
  name: string,
  value: unknown,
  rule: "positive" | "nonNegative" | "any" = "positive",
): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new LossInputError(`${fn}: option ${name} must be a finite number, got ${String(value)}`);
  }
  if (rule === "positive" && !(value > 0)) {
    throw new LossInputError(`${fn}: option ${name} must be > 0, got ${value}`);
  }
  if (rule === "nonNegative" && !(value >= 0)) {
    throw new LossInputError(`${fn}: option ${name} must be >= 0, got ${value}`);
  }
  return value;
}

/** The checked inputs of a loss over the runs axis (see {@linkcode checkRunsPair}). */
export interface RunsPair {
  /** The labels, shared by every run: `[N, T]`. */
  yTrue: tf.Tensor2D;
  /** The predictions of every run: `[K, N, T]`. */
  yPred: tf.Tensor3D;
  /** K, the number of runs. */
  runs: number;
}

/**
 * Checks the inputs of a label-space loss over the runs axis: predictions `[K, N, T]` of K independent training
 * runs (a stacked network's output) against labels `[N]` or `[N, T]` that every run shares. Finite checks as
 * {@linkcode asMatrix}.
 *
 * @throws {LossInputError} naming `fn` on a bad rank, fewer than `minRows` rows, zero runs or columns, mismatched
 *   shapes, or non-finite values
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { checkRunsPair } from "./validate.ts";
 * await tf.setBackend("cpu");
 * const { yTrue, yPred, runs } = checkRunsPair("mae", tf.tensor1d([1, 2]), tf.zeros([3, 2, 1]));
 * assert.deepEqual([yTrue.shape, yPred.shape, runs], [[2, 1], [3, 2, 1], 3]);
 * assert.throws(() => checkRunsPair("mae", tf.tensor1d([1, 2]), tf.zeros([3, 2, 2])), /yPred has shape \[3, 2, 2\]/);
 * ```
 */
export function checkRunsPair(fn: string, yTrue: tf.Tensor, yPred: tf.Tensor, minRows = 2): RunsPair {
  if (!(yPred instanceof tf.Tensor) || yPred.rank !== 3) {
    throw new LossInputError(
      `${fn}: over the runs axis yPred must have shape [K, N, T], got ${
        yPred instanceof tf.Tensor ? `[${yPred.shape.join(", ")}]` : typeof yPred
      }`,
    );
  }
  const t = asMatrix(fn, "yTrue", yTrue, minRows);
  const [k, n, cols] = yPred.shape;
  if (k < 1) throw new LossInputError(`${fn}: yPred has no runs (K = 0)`);
  if (n !== t.shape[0] || cols !== t.shape[1]) {
    throw new LossInputError(
      `${fn}: yTrue has shape [${yTrue.shape.join(", ")}] but yPred has shape [${yPred.shape.join(", ")}]; ` +
        "over the runs axis yPred must be [K, N, T] for labels [N, T] (or [K, N, 1] for labels [N])",
    );
  }
  assertFinite(fn, "yPred", yPred);
  return { yTrue: t, yPred: yPred as tf.Tensor3D, runs: k };
}

/**
 * Checks the features of a feature-space loss over the runs axis: `[K, N, D]`, one `[N, D]` matrix per run.
 *
 * @throws {LossInputError} naming `fn` on a bad shape or non-finite values
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { checkRunsFeatures } from "./validate.ts";
 * await tf.setBackend("cpu");
 * assert.deepEqual(checkRunsFeatures("rnc", tf.zeros([2, 4, 3]), 4, 2).shape, [2, 4, 3]);
 * assert.throws(() => checkRunsFeatures("rnc", tf.zeros([2, 5, 3]), 4, 2), /N = 4 rows, got \[2, 5, 3\]/);
 * ```
 */
export function checkRunsFeatures(fn: string, features: tf.Tensor, rows: number, runs: number): tf.Tensor3D {
  if (!(features instanceof tf.Tensor) || features.rank !== 3 || features.shape[0] !== runs) {
    throw new LossInputError(
      `${fn}: over the runs axis features must have shape [K, N, D] with K = ${runs}, got ${
        features instanceof tf.Tensor ? `[${features.shape.join(", ")}]` : typeof features
      }`,
    );
  }
  if (features.shape[1] !== rows) {
    throw new LossInputError(
      `${fn}: features must be a tf.Tensor of shape [N, D] (or [K, N, D] over K runs) for the labels' ` +
        `N = ${rows} rows, got [${features.shape.join(", ")}]`,
    );
  }
  assertFinite(fn, "features", features);
  return features as tf.Tensor3D;
}

/**
 * Checks a numeric option of a loss over K runs: one number for every run, or one per run (an array of length K).
 * Returns the K values.
 *
 * @throws {LossInputError} naming the option (and the run) on a wrong length or a value that breaks `rule`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkRunNumbers } from "./validate.ts";
 * assert.deepEqual(checkRunNumbers("gar", "alpha", 2, 3), [2, 2, 2]);
 * assert.deepEqual(checkRunNumbers("gar", "alpha", [0.1, 1, 10], 3), [0.1, 1, 10]);
 * assert.throws(() => checkRunNumbers("gar", "alpha", [1, -1], 2), /alpha\[1\] must be > 0/);
 * assert.throws(() => checkRunNumbers("gar", "alpha", [1, 2], 3), /2 values for 3 runs/);
 * ```
 */
export function checkRunNumbers(
  fn: string,
  name: string,
  value: unknown,
  runs: number,
  rule: "positive" | "nonNegative" | "any" = "positive",
): number[] {
  if (!Array.isArray(value)) return new Array<number>(runs).fill(checkNumber(fn, name, value, rule));
  if (value.length !== runs) {
    throw new LossInputError(`${fn}: option ${name} has ${value.length} values for ${runs} runs`);
  }
  return value.map((v, k) => checkNumber(fn, `${name}[${k}]`, v, rule));
}
