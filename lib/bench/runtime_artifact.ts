/**
 * The runtime comparison (Table 2) as an artifact of a reproduction: the benchmark's settings per
 * profile, and `results/bench/runtime.json`, which `deno task reproduce` writes and notebook
 * `04-runtime` reads (or computes, when absent or made under another profile or backend).
 *
 * | profile | measured epochs | warm-up epochs | batches per epoch | loss scaling, batch sizes |
 * | --- | --- | --- | --- | --- |
 * | `smoke` | 1 | 0 | at most 2 | 2^8 … 2^12 |
 * | `standard` | ≥ 5 and ≥ 200 steps | ≥ 1 and ≥ 20 steps | all | 2^8 … 2^16 |
 * | `quick` | ≥ 5 and ≥ 200 steps | ≥ 1 and ≥ 20 steps | all | 2^8 … 2^20 |
 * | `paper` | 10 | 2 | all | 2^8 … 2^20 |
 *
 * All use batch 256, the paper's model sizes, and every tabular dataset present plus the
 * Super-Conductivity-shaped synthetic table ({@linkcode BENCH_DATASETS}).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { BENCH_DATASETS, loadBenchTables } from "./bench_datasets.ts";
import { runtimeBenchmark, type RuntimeOptions, type RuntimeRow } from "./runtime.ts";
import { scalingBenchmark, type ScalingPoint } from "./scaling.ts";

/** The benchmark settings of each profile (see the module table). */
export const RUNTIME_PROFILES: Readonly<
  Record<string, Pick<RuntimeOptions, "epochs" | "warmupEpochs" | "maxBatches"> & { scalingToLog2: number }>
> = {
  smoke: { epochs: 1, warmupEpochs: 0, maxBatches: 2, scalingToLog2: 12 },
  standard: { scalingToLog2: 16 }, // runtimeBenchmark's default epochs (≥ 5, ≥ 200 steps)
  quick: { scalingToLog2: 20 },
  paper: { epochs: 10, warmupEpochs: 2, scalingToLog2: 20 },
};

/** What `results/bench/runtime.json` holds. */
export interface RuntimeArtifact {
  /** Profile the benchmark ran under. */
  profile: string;
  /** tfjs backend. */
  backend: string;
  /** Table 2's rows. */
  rows: RuntimeRow[];
  /** Datasets that could not be loaded, with the reason. */
  missing: { id: string; reason: string }[];
  /** Loss forward + backward time by batch size, GAR vs the O(N²) reference. */
  scaling: ScalingPoint[];
  /** When it finished (ISO time). */
  finishedAt: string;
}

/**
 * The path of the runtime artifact in a results folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeArtifactPath } from "./runtime_artifact.ts";
 * assert.equal(runtimeArtifactPath("/r"), "/r/bench/runtime.json");
 * ```
 */
export function runtimeArtifactPath(resultsDir: string): string {
  return join(resultsDir, "bench", "runtime.json");
}

/**
 * Runs the runtime benchmark with the profile's settings on the active tfjs backend and writes
 * `results/bench/runtime.json` atomically; with `reuse`, returns the stored artifact instead when
 * it was made under the same profile and backend.
 *
 * @example
 * ```ts ignore
 * import { runtimeArtifact } from "./runtime_artifact.ts";
 * const { rows } = await runtimeArtifact("smoke", "results", { reuse: true });
 * ```
 */
export async function runtimeArtifact(
  profile: string,
  resultsDir: string,
  options: { reuse?: boolean; onProgress?: (line: string) => void } = {},
): Promise<RuntimeArtifact> {
  const settings = RUNTIME_PROFILES[profile];
  if (!settings) {
    throw new Error(
      `runtimeArtifact: unknown profile "${profile}"; use ${Object.keys(RUNTIME_PROFILES).join(", ")}`,
    );
  }
  const path = runtimeArtifactPath(resultsDir);
  if (options.reuse) {
    try {
      const stored = JSON.parse(await Deno.readTextFile(path)) as RuntimeArtifact;
      if (stored.profile === profile && stored.backend === tf.getBackend() && Array.isArray(stored.scaling)) {
        return stored;
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw new Error(`${path}: ${(e as Error).message}`);
    }
  }
  const { tables, missing } = await loadBenchTables(BENCH_DATASETS);
  const { scalingToLog2, ...table } = settings;
  const rows = await runtimeBenchmark({ tables, ...table, onProgress: options.onProgress });
  const scaling = await scalingBenchmark({ toLog2: scalingToLog2, onProgress: options.onProgress });
  const artifact: RuntimeArtifact = {
    profile,
    backend: tf.getBackend(),
    rows,
    missing,
    scaling,
    finishedAt: new Date().toISOString(),
  };
  await writeFileAtomic(path, JSON.stringify(artifact, null, 2) + "\n");
  return artifact;
}
