/**
 * A pool of Deno Workers (`worker.ts`) that computes groups of runs in parallel, by default one worker per CPU
 * Slurm gave the task (`SLURM_CPUS_PER_TASK`, inside a job started with `--cpus-per-task`), else one per core.
 * Every worker selects the same backend; each receives a dataset's rows once, before its first group on that
 * dataset, then trains groups (`run_group.ts`) and writes their runs' records to the cache itself (atomically,
 * one record per run), so a group killed half-way leaves nothing and every finished one is kept.
 *
 * @module
 */
import { slurmJobEnv } from "../slurm/job_env.ts";
import type { RunData } from "./run.ts";
import type { RunKeyInputs } from "./run_cache.ts";

/** A group of runs to compute together. */
export interface PoolTask {
  /** The runs: cache key and key inputs (the config among them). */
  runs: { key: string; inputs: RunKeyInputs }[];
  /** Keys of runs whose records exist already: computed with the group, not written again. */
  recorded?: string[];
}

/** Options of {@linkcode runPool}. */
export interface PoolOptions {
  /** Workers (default {@linkcode defaultJobs}: `SLURM_CPUS_PER_TASK` when set, else one per core). */
  jobs?: number;
  /** Backend every worker selects. */
  backend: string;
  /** Results folder (records go to `<resultsDir>/runs/`). */
  resultsDir: string;
  /** Rows by dataset id. */
  datasets: ReadonlyMap<string, RunData>;
  /** Called after each finished group with its wall seconds and the number of records it wrote. */
  onDone?: (task: PoolTask, seconds: number, written: number) => void;
}

/**
 * The workers a pool starts when not told (`PoolOptions.jobs`): the CPUs Slurm gave the task
 * (`SLURM_CPUS_PER_TASK`, set inside a job submitted with `--cpus-per-task`), else one per core.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultJobs } from "./pool.ts";
 * assert.ok(Number.isInteger(defaultJobs()) && defaultJobs() >= 1);
 * ```
 */
export function defaultJobs(): number {
  return Math.max(1, slurmJobEnv().cpusPerTask ?? navigator.hardwareConcurrency ?? 1);
}

/**
 * Computes `tasks` on a pool of workers, the costliest first as given; resolves when all are stored, rejects on
 * the first failure (after stopping the workers).
 *
 * @example
 * ```ts
 * import { runPool } from "./pool.ts";
 * await runPool([], { backend: "cpu", resultsDir: "/tmp", datasets: new Map() }); // nothing to do
 * ```
 */
export async function runPool(tasks: readonly PoolTask[], options: PoolOptions): Promise<void> {
  if (tasks.length === 0) return;
  const jobs = Math.max(1, Math.min(tasks.length, options.jobs ?? defaultJobs()));
  const queue = [...tasks];
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      const start = (w: Worker, sent: Set<string>) => {
        const task = queue.shift();
        if (!task) {
          if (active === 0) resolve();
          return;
        }
        active++;
        const id = task.runs[0].inputs.config.dataset;
        if (!sent.has(id)) {
          const data = options.datasets.get(id);
          if (!data) return reject(new Error(`pool: no data for dataset ${id}`));
          w.postMessage({ type: "data", id, data });
          sent.add(id);
        }
        w.postMessage({ type: "group", runs: task.runs, recorded: task.recorded ?? [] });
        w.onmessage = (ev: MessageEvent) => {
          const m = ev.data;
          if (m.type === "error") return reject(new Error(`group ${task.runs[0].key}: ${m.message}`));
          if (m.type === "done") {
            active--;
            options.onDone?.(task, m.seconds, m.written);
            start(w, sent);
          }
        };
      };
      for (let i = 0; i < jobs; i++) {
        const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
        workers.push(w);
        const sent = new Set<string>();
        w.onerror = (e) => {
          e.preventDefault();
          reject(new Error(`worker failed: ${e.message}`));
        };
        w.onmessage = (ev: MessageEvent) => {
          if (ev.data.type === "ready") start(w, sent);
          else if (ev.data.type === "error") reject(new Error(ev.data.message));
        };
        w.postMessage({ type: "init", backend: options.backend, resultsDir: options.resultsDir });
      }
    });
  } finally {
    workers.forEach((w) => w.terminate());
  }
}
