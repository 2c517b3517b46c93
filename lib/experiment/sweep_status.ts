/**
 * Planned vs recorded runs of a sweep (`deno task reproduce --status`): what of a plan
 * (`plan_sweep.ts`) the run cache holds, per experiment, in all, and per shard of `n`. Reads the
 * cache only (a run is recorded when its record file exists), so it answers the same for a local run,
 * shards run by hand, or a Slurm job array still at work.
 *
 * @module
 */
import { hasRecord } from "./run_cache.ts";
import { type PlannedKey, type RunGroup, shardGroups } from "./run_groups.ts";

/** Runs planned and recorded. */
export interface RunCounts {
  /** Distinct runs planned. */
  planned: number;
  /** Of them, with a record in the cache. */
  recorded: number;
  /** Of them, without: `planned − recorded`. */
  missing: number;
}

/** One experiment's counts. */
export interface ArtifactStatus extends RunCounts {
  /** The experiment's id (`table1`, …). */
  artifact: string;
}

/** One shard's counts. */
export interface ShardStatus extends RunCounts {
  /** The shard, 1 ≤ shard ≤ n. */
  shard: number;
  /** Its groups. */
  groups: number;
  /** Of them, with a run missing (what a task of this shard would compute). */
  groupsMissing: number;
}

/** What {@linkcode sweepStatus} returns. */
export interface SweepStatus {
  /** Per experiment, in the plan's order (a run two experiments share counts in both). */
  artifacts: ArtifactStatus[];
  /** Every distinct run of the plan. */
  total: RunCounts;
  /** Per shard of `options.shards` (`shardGroups`); absent without it. */
  shards?: ShardStatus[];
}

/** What {@linkcode sweepStatus} reads of a plan: each experiment's keys, and the groups. */
export interface PlannedSweep {
  /** Each experiment's run keys. */
  runs: readonly { experiment: { id: string }; keys: readonly string[] }[];
  /** The runs' groups. */
  groups: readonly RunGroup<PlannedKey>[];
}

const counts = (keys: Iterable<string>, recorded: ReadonlySet<string>): RunCounts => {
  const distinct = new Set(keys);
  const found = [...distinct].filter((k) => recorded.has(k)).length;
  return { planned: distinct.size, recorded: found, missing: distinct.size - found };
};

/**
 * Counts what of `plan` is recorded in `resultsDir`'s run cache (see the module notes); with
 * `options.shards` n, also per shard i of n as `--shard i/n` (and task i of `reproduce --slurm`'s
 * array) would take it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepStatus } from "./sweep_status.ts";
 * import { writeRecord } from "./run_cache.ts";
 * import type { RunConfig } from "./run.ts";
 * const resultsDir = await Deno.makeTempDir();
 * const group = (id: string, cost: number) => ({ id, runs: [{ key: id, config: {} as RunConfig }], cost });
 * const plan = {
 *   runs: [{ experiment: { id: "table1" }, keys: ["aa", "bb"] }, { experiment: { id: "table7" }, keys: ["bb", "cc"] }],
 *   groups: [group("aa", 3), group("bb", 2), group("cc", 1)],
 * };
 * // deno-lint-ignore no-explicit-any
 * await writeRecord(resultsDir, { key: "bb", inputs: {} as any, metrics: {} as any }, {});
 * const status = await sweepStatus(plan, resultsDir, { shards: 2 });
 * assert.deepEqual(status.artifacts.map((a) => [a.artifact, a.planned, a.recorded]), [["table1", 2, 1], ["table7", 2, 1]]);
 * assert.deepEqual(status.total, { planned: 3, recorded: 1, missing: 2 });
 * // shard 1 takes the costliest group (aa), shard 2 the others (bb, recorded, and cc)
 * assert.deepEqual(status.shards!.map((s) => [s.shard, s.planned, s.missing, s.groupsMissing]), [[1, 1, 1, 1], [2, 2, 1, 1]]);
 * await Deno.remove(resultsDir, { recursive: true });
 * ```
 */
export async function sweepStatus(
  plan: PlannedSweep,
  resultsDir: string,
  options: { shards?: number } = {},
): Promise<SweepStatus> {
  const all = new Set(plan.runs.flatMap((e) => e.keys));
  for (const g of plan.groups) for (const r of g.runs) all.add(r.key);
  const recorded = new Set<string>();
  for (const key of all) if (await hasRecord(resultsDir, key)) recorded.add(key);
  const status: SweepStatus = {
    artifacts: plan.runs.map((e) => ({ artifact: e.experiment.id, ...counts(e.keys, recorded) })),
    total: counts(all, recorded),
  };
  const n = options.shards;
  if (n !== undefined) {
    status.shards = [];
    for (let i = 1; i <= n; i++) {
      const mine = shardGroups(plan.groups, i, n);
      status.shards.push({
        shard: i,
        groups: mine.length,
        groupsMissing: mine.filter((g) => g.runs.some((r) => !recorded.has(r.key))).length,
        ...counts(mine.flatMap((g) => g.runs.map((r) => r.key)), recorded),
      });
    }
  }
  return status;
}
