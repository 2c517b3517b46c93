/**
 * Seeded permutations and the 80/20 train/test split convention.
 *
 * The kit's pseudo-random generator is mulberry32 (32-bit state, seeded by an integer); it is
 * deterministic across platforms. It cannot reproduce NumPy's global-state permutations, which
 * is why the authors' own split ids are used wherever their files provide them.
 *
 * @module
 */
import { mulberry32 } from "../random/mulberry32.ts";

/**
 * A seeded permutation of `0..n-1` (Fisher–Yates with {@linkcode mulberry32}).
 *
 * @example
 * ```ts
 * import { seededPermutation } from "./split.ts";
 * import assert from "node:assert/strict";
 * const p = seededPermutation(5, 42);
 * assert.deepEqual([...p].sort(), [0, 1, 2, 3, 4]);
 * ```
 */
export function seededPermutation(n: number, seed: number): number[] {
  const rand = mulberry32(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Row ids of a train/test split. */
export interface SplitIds {
  /** Training row ids. */
  train: number[];
  /** Test row ids. */
  test: number[];
}

/**
 * Splits a permutation the authors' way: `test = ids[:floor(f·N)]`, `train = ids[floor(f·N):]`.
 * With `ids` omitted, a {@linkcode seededPermutation} of `n` rows is used.
 *
 * @param n number of rows
 * @param options `testFraction` (default 0.2), `seed` (default 0), or explicit `ids`
 *
 * @example
 * ```ts
 * import { trainTestSplit } from "./split.ts";
 * import assert from "node:assert/strict";
 * const s = trainTestSplit(10, { seed: 3 });
 * assert.equal(s.test.length, 2);
 * assert.equal(s.train.length, 8);
 * ```
 */
export function trainTestSplit(
  n: number,
  options: { testFraction?: number; seed?: number; ids?: ArrayLike<number> } = {},
): SplitIds {
  const f = options.testFraction ?? 0.2;
  const ids = options.ids ? Array.from(options.ids) : seededPermutation(n, options.seed ?? 0);
  const teN = Math.floor(f * ids.length);
  return { test: ids.slice(0, teN), train: ids.slice(teN) };
}
