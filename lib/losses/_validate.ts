/**
 * Input checks shared by the losses. Internal: not re-exported by `mod.ts`.
 *
 * Every loss accepts `[N]` or `[N, T]` tensors for labels and predictions (`[N, D]` for features)
 * and rejects, with an error naming the function and the argument:
 * - a rank other than 1 or 2, or mismatched shapes between `yTrue` and `yPred`;
 * - fewer than 2 rows (pairwise and correlation losses are undefined on one sample);
 * - NaN or ±Infinity values (checked on the data: this reads the tensor back, see
 *   {@linkcode setFiniteChecks} to switch it off in a hot training loop; skipped for GPU-resident
 *   tensors on WebGPU under Deno, which cannot read synchronously);
 * - bad numeric options (non-finite, or out of the allowed range).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

let finiteChecks = true;

/**
 * Turns the NaN/±Inf data checks on or off for all losses (on by default). Shape and option
 * checks always run. Reading a tensor back forces a GPU sync, so a training loop that has already
 * validated its data may switch the data checks off.
 */
export function setFiniteChecks(on: boolean): void {
  finiteChecks = on;
}

/** Whether the NaN/±Inf data checks are on (see {@linkcode setFiniteChecks}). */
export function finiteChecksEnabled(): boolean {
  return finiteChecks;
}

/**
 * Reads a tensor synchronously, or returns null where the backend cannot: tfjs's WebGPU backend reads
 * GPU-resident data synchronously through an OffscreenCanvas, which Deno does not provide. The data
 * checks are then skipped for that tensor (shape and option checks still run).
 */
export function tryReadSync(t: tf.Tensor): ArrayLike<number> | null {
  try {
    return t.dataSync() as ArrayLike<number>;
  } catch {
    return null;
  }
}

/** The error every loss throws on bad input. */
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

/** Checks one `[N]` / `[N, T]` tensor; returns it as `[N, T]` (a reshape, no copy). */
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

/** Checks a `(yTrue, yPred)` pair: same shape, `[N]` or `[N, T]`, N ≥ minRows, finite. */
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

/** Checks features `[N, D]` against labels with N rows. */
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

/** Checks a numeric option: finite, and optionally > 0 (or ≥ 0). */
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
