/**
 * The pool's worker (a Deno Worker): selects the backend it is told, receives datasets once, then trains groups
 * of runs (`executeGroup`) and stores each run's record in the run cache (its meta file names the host, the
 * process and, inside Slurm, the job and array task that computed it). Messages: see `pool.ts`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import * as tf from "@tensorflow/tfjs";
import { type BackendName, selectBackend } from "../backend.ts";
import type { RunData } from "./run.ts";
import { executeGroup } from "./run_group.ts";
import { type RunKeyInputs, writeRecord } from "./run_cache.ts";
import { slurmJobEnv } from "../slurm/job_env.ts";

const datasets = new Map<string, RunData>();
const slurm = slurmJobEnv();
let resultsDir = "";

self.onmessage = async (ev: MessageEvent) => {
  const msg = ev.data;
  try {
    if (msg.type === "init") {
      resultsDir = msg.resultsDir;
      const choice = await selectBackend({ backend: msg.backend as BackendName });
      self.postMessage({ type: "ready", backend: choice.backend });
    } else if (msg.type === "data") {
      datasets.set(msg.id, msg.data);
    } else if (msg.type === "group") {
      const runs = msg.runs as { key: string; inputs: RunKeyInputs }[];
      const recorded = new Set<string>(msg.recorded);
      const data = datasets.get(runs[0].inputs.config.dataset);
      if (!data) throw new Error(`worker: no data for ${runs[0].inputs.config.dataset}`);
      const started = performance.now();
      const metrics = await executeGroup(runs.map((r) => r.inputs.config), data);
      const seconds = (performance.now() - started) / 1000;
      let written = 0;
      for (let k = 0; k < runs.length; k++) {
        const { key, inputs } = runs[k];
        if (recorded.has(key)) continue;
        await writeRecord(resultsDir, { key, inputs, metrics: metrics[k] }, {
          key,
          timing: {
            seconds: seconds / runs.length,
            secondsPerEpoch: seconds / runs.length / inputs.config.epochs,
            groupSeconds: seconds,
            groupSize: runs.length,
          },
          provenance: {
            backend: tf.getBackend(),
            tfjs: tf.version.tfjs,
            deno: Deno.version.deno,
            host: Deno.hostname(),
            pid: Deno.pid,
            ...(slurm.jobId === null ? {} : { slurm }),
            group: runs[0].key,
            finishedAt: new Date().toISOString(),
          },
        });
        written++;
      }
      self.postMessage({ type: "done", seconds, written });
    }
  } catch (e) {
    self.postMessage({ type: "error", message: (e as Error).stack ?? String(e) });
  }
};
