/**
 * The pool's worker (a Deno Worker): selects the backend it is told, receives datasets once, then
 * trains runs and stores their records in the run cache. Messages: see `pool.ts`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import * as tf from "@tensorflow/tfjs";
import { type BackendName, selectBackend } from "../backend.ts";
import { executeRun, type RunData } from "./run.ts";
import { type RunKeyInputs, writeRecord } from "./run_cache.ts";

const datasets = new Map<string, RunData>();
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
    } else if (msg.type === "run") {
      const inputs = msg.inputs as RunKeyInputs;
      const data = datasets.get(inputs.config.dataset);
      if (!data) throw new Error(`worker: no data for ${inputs.config.dataset}`);
      const started = performance.now();
      const metrics = await executeRun(inputs.config, data);
      const seconds = (performance.now() - started) / 1000;
      await writeRecord(resultsDir, { key: msg.key, inputs, metrics }, {
        key: msg.key,
        timing: { seconds, secondsPerEpoch: seconds / inputs.config.epochs },
        provenance: {
          backend: tf.getBackend(),
          tfjs: tf.version.tfjs,
          deno: Deno.version.deno,
          pid: Deno.pid,
          finishedAt: new Date().toISOString(),
          ...(msg.provenance ?? {}),
        },
      });
      self.postMessage({ type: "done", key: msg.key, seconds });
    }
  } catch (e) {
    self.postMessage({ type: "error", key: msg.key ?? null, message: (e as Error).stack ?? String(e) });
  }
};
