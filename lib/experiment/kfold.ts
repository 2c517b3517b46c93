/**
 * K-fold cross-validation indices as scikit-learn's `KFold(n_splits=k)` (no shuffling), which the
 * authors' main.py uses on the training part.
 *
 * @module
 */

/** One fold: training and validation row ids (ascending). */
export interface Fold {
  /** Rows the model trains on. */
  train: number[];
  /** Held-out validation rows (one contiguous block). */
  val: number[];
}

/**
 * The `k` folds of `n` rows without shuffling: fold `i` validates on the `i`-th contiguous block;
 * the first `n mod k` blocks have `⌊n/k⌋ + 1` rows, the others `⌊n/k⌋` (as scikit-learn).
 *
 * @throws {Error} unless `2 ≤ k ≤ n`
 *
 * @example
 * ```ts
 * import { kFold } from "./kfold.ts";
 * import assert from "node:assert/strict";
 * const folds = kFold(7, 3);
 * assert.deepEqual(folds.map((f) => f.val), [[0, 1, 2], [3, 4], [5, 6]]);
 * assert.deepEqual(folds[1].train, [0, 1, 2, 5, 6]);
 * ```
 */
export function kFold(n: number, k: number): Fold[] {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 2 || k > n) {
    throw new Error(`kFold: need integers 2 ≤ k ≤ n (got n = ${n}, k = ${k})`);
  }
  const folds: Fold[] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const size = Math.floor(n / k) + (i < n % k ? 1 : 0);
    const val = Array.from({ length: size }, (_, j) => start + j);
    const train = [
      ...Array.from({ length: start }, (_, j) => j),
      ...Array.from({ length: n - start - size }, (_, j) => start + size + j),
    ];
    folds.push({ train, val });
    start += size;
  }
  return folds;
}
