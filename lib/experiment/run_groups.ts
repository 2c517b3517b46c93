/**
 * Which planned runs train together, and which process computes which: the runs that share a
 * {@linkcode groupKey} (same dataset, method, architecture, epochs, batch size, optimiser, milestones, label
 * standardisation, fold and seed; they differ in learning rate, weight decay and the method's parameter) form a
 * group, computed as one program (`run_group.ts`); a group larger than the size bound is cut, in key order, into
 * consecutive parts.
 *
 * Groups are a fixed function of the plan (its run keys and configs, the size bound), never of what is cached or
 * of which shard asks: a resumed or sharded sweep recomputes whole groups, so a record never depends on where it
 * was computed (on the host engine a run's record is the same bits in any group anyway; on WebGPU the batched
 * kernels pick their tiling by shape, so this rule is what keeps records reproducible there).
 *
 * @module
 */
import type { RunConfig } from "./run.ts";
import { groupKey } from "./run_group.ts";

/** A planned run. */
export interface PlannedKey {
  /** Its cache key. */
  key: string;
  /** Its config. */
  config: RunConfig;
}

/** Runs computed as one program. */
export interface RunGroup<T extends PlannedKey = PlannedKey> {
  /** The group's id: its first key. */
  id: string;
  /** Its runs, in key order. */
  runs: T[];
  /** Estimated cost, in multiply-adds of training (for balancing shards). */
  cost: number;
}

/** The multiply-adds of one epoch of training of a config on `rows` training rows (forward ×3 for backward). */
function epochCost(config: RunConfig, inputDim: number, rows: number): number {
  const sizes = [inputDim, ...config.hidden, 1];
  let macs = 0;
  for (let l = 0; l + 1 < sizes.length; l++) macs += sizes[l] * sizes[l + 1];
  return 3 * macs * rows;
}

/**
 * Groups `runs` (see the module notes): at most `maxSize` runs a group. `shape(dataset)` gives a dataset's input
 * width and training rows, for the cost estimate.
 *
 * @throws {Error} for a `maxSize` below 1
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupRuns } from "./run_groups.ts";
 * import type { RunConfig } from "./run.ts";
 * const config = (lr: number, fold: number): RunConfig => ({ dataset: "d", method: "MAE", param: null, lr,
 *   weightDecay: 0, epochs: 2, batchSize: 4, optimizer: "sgd", milestones: [], hidden: [2], fold, folds: 5,
 *   standardizeLabels: false, seed: 0, keepPredictions: false });
 * const runs = [{ key: "c", config: config(0.1, 0) }, { key: "a", config: config(0.01, 0) },
 *   { key: "b", config: config(0.1, 1) }];
 * const groups = groupRuns(runs, 27, () => ({ inputDim: 3, rows: 10 }));
 * assert.deepEqual(groups.map((g) => g.runs.map((r) => r.key)), [["a", "c"], ["b"]]);
 * ```
 */
export function groupRuns<T extends PlannedKey>(
  runs: readonly T[],
  maxSize: number,
  shape: (dataset: string) => { inputDim: number; rows: number },
): RunGroup<T>[] {
  if (!Number.isInteger(maxSize) || maxSize < 1) {
    throw new Error(`group size must be a positive integer, got ${maxSize}`);
  }
  const byKey = new Map<string, T[]>();
  for (const r of [...runs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const g = groupKey(r.config);
    if (!byKey.has(g)) byKey.set(g, []);
    byKey.get(g)!.push(r);
  }
  const groups: RunGroup<T>[] = [];
  for (const members of byKey.values()) {
    for (let i = 0; i < members.length; i += maxSize) {
      const part = members.slice(i, i + maxSize);
      const c = part[0].config;
      const { inputDim, rows } = shape(c.dataset);
      groups.push({
        id: part[0].key,
        runs: part,
        cost: part.length * c.epochs * epochCost(c, inputDim, rows),
      });
    }
  }
  return groups.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * The groups shard `i` (1-based) of `n` computes: whole groups, balanced by estimated cost (the costliest group
 * first to the least loaded shard, ties to the lower shard, groups of equal cost in id order), so the n shards are
 * disjoint, cover every group, and agree on the split whatever order the groups come in.
 *
 * @throws {Error} unless `1 ≤ i ≤ n`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardGroups } from "./run_groups.ts";
 * const g = (id: string, cost: number) => ({ id, runs: [], cost });
 * const groups = [g("a", 5), g("b", 3), g("c", 3), g("d", 1)];
 * assert.deepEqual(shardGroups(groups, 1, 2).map((x) => x.id), ["a", "d"]);
 * assert.deepEqual(shardGroups(groups, 2, 2).map((x) => x.id), ["b", "c"]);
 * ```
 */
export function shardGroups<G extends RunGroup<PlannedKey>>(groups: readonly G[], i: number, n: number): G[] {
  if (!Number.isInteger(i) || !Number.isInteger(n) || i < 1 || i > n) {
    throw new Error(`shard: expected 1 ≤ i ≤ n, got ${i}/${n}`);
  }
  const order = [...groups].sort((a, b) => b.cost - a.cost || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const load = new Array<number>(n).fill(0);
  const mine: G[] = [];
  for (const g of order) {
    let s = 0;
    for (let k = 1; k < n; k++) if (load[k] < load[s]) s = k;
    load[s] += g.cost;
    if (s === i - 1) mine.push(g);
  }
  return mine.sort((a, b) => (a.id < b.id ? -1 : 1));
}
