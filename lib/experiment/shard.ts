/**
 * Sharding of the run list: `--shard i/n`.
 *
 * @module
 */

/**
 * The `i`-th (1-based) of `n` disjoint slices of `keys`: the keys whose position in the sorted,
 * de-duplicated list is ≡ i − 1 (mod n). The n slices are disjoint and together cover every key,
 * whatever order the keys come in.
 *
 * @throws {Error} unless `1 ≤ i ≤ n`
 *
 * @example
 * ```ts
 * import { shardSlice } from "./shard.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(shardSlice(["c", "a", "b", "d"], 1, 2), ["a", "c"]);
 * assert.deepEqual(shardSlice(["c", "a", "b", "d"], 2, 2), ["b", "d"]);
 * ```
 */
export function shardSlice(keys: readonly string[], i: number, n: number): string[] {
  if (!Number.isInteger(i) || !Number.isInteger(n) || i < 1 || i > n) {
    throw new Error(`shard: expected 1 ≤ i ≤ n, got ${i}/${n}`);
  }
  return [...new Set(keys)].sort().filter((_, k) => k % n === i - 1);
}
