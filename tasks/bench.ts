/**
 * `deno task bench` — the runtime comparison of the paper's Table 2, the loss-scaling data and the
 * dense-layer step comparison.
 *
 * ```
 * deno task bench [--json] [--backend wasm|cpu|webgpu] [--epochs N] [--warmup N] [--batch-size B]
 *                 [--datasets id,…] [--methods m,…] [--max-batches K]
 *                 [--scaling [--scaling-max-log2 K] [--memory-limit-mb MB]] [--steps] [--stock]
 *                 [--sweep [--epochs N]]
 * ```
 *
 * Default: the runtime table (Table 1's nine methods × every present tabular dataset +
 * `supercon-synthetic`; `--methods` takes any aliases of `lib/methods.ts`),
 * at least 5 measured epochs and 200 measured steps per method after at least 1 warm-up epoch and 20
 * steps, batch 256, on the best backend (see `lib/backend.ts`). With
 * `--scaling`, `--steps` and/or `--stock` only those parts run (add `--table` to run the table as
 * well). `--stock` times the kit's MAE and GAR training steps against tfjs as it stands (plain layers,
 * GAR by autodiff) at batch 256 and 4096 (or `--batch-size`).
 * `--sweep` times Table 1's grid (the `paper` profile) for one fold per dataset present and method, trained one
 * run at a time and as one group (`lib/bench/sweep.ts`; `--epochs` per run, default 10).
 * `--json` prints one object `{ backend, runtime?, missing?, scaling?, steps?, stock?, sweep? }` on stdout; progress
 * goes to stderr. Datasets come from the data location (`GAR_DATA_MIRROR`, `GAR_DATA_DIR`); absent
 * ones are listed under `missing`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type BackendName, describeBackend, selectBackend } from "../lib/backend.ts";
import { BENCH_DATASETS, loadBenchTables } from "../lib/bench/bench_datasets.ts";
import { BENCH_METHODS, runtimeBenchmark } from "../lib/bench/runtime.ts";
import { scalingBenchmark } from "../lib/bench/scaling.ts";
import { denseStepBenchmark } from "../lib/bench/steps.ts";
import { describeStockRow, stockStepBenchmark } from "../lib/bench/stock_steps.ts";
import { sweepBenchmark } from "../lib/bench/sweep.ts";
import { loadDataset } from "../lib/data/load_dataset.ts";
import type { RunData } from "../lib/experiment/run.ts";

/** The datasets `--sweep` times by default: Table 1's tasks the kit can load. */
const SWEEP_DATASETS = ["concrete", "wine", "parkinson-total", "parkinson-motor"];
import { type MethodAlias, methodByAlias } from "../lib/methods.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    json: { type: "boolean", default: false },
    backend: { type: "string" },
    epochs: { type: "string" },
    warmup: { type: "string" },
    "batch-size": { type: "string" },
    "max-batches": { type: "string" },
    datasets: { type: "string" },
    methods: { type: "string" },
    scaling: { type: "boolean", default: false },
    "scaling-max-log2": { type: "string", default: "20" },
    "memory-limit-mb": { type: "string" },
    steps: { type: "boolean", default: false },
    stock: { type: "boolean", default: false },
    sweep: { type: "boolean", default: false },
    table: { type: "boolean", default: false },
  },
});

const int = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${v}"`);
    Deno.exit(2);
  }
  return n;
};
const list = (v: string | undefined) => v?.split(",").map((s) => s.trim()).filter((s) => s !== "");

const log = (line: string) => console.error(line);
const choice = await selectBackend({ backend: values.backend as BackendName | undefined });
log(describeBackend(choice));
const out: Record<string, unknown> = { backend: choice.backend, adapter: choice.adapter };

const methods = list(values.methods) ?? [...BENCH_METHODS];
for (const m of methods) {
  try {
    methodByAlias(m);
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(2);
  }
}
const runTable = values.table || (!values.scaling && !values.steps && !values.stock && !values.sweep);
const batchSize = int("batch-size", values["batch-size"]);
if (runTable) {
  const { tables, missing } = await loadBenchTables(list(values.datasets) ?? BENCH_DATASETS);
  for (const m of missing) log(`${m.id}: ${m.reason}`);
  const rows = await runtimeBenchmark({
    tables,
    methods: methods as MethodAlias[],
    epochs: int("epochs", values.epochs),
    warmupEpochs: int("warmup", values.warmup),
    batchSize,
    maxBatches: int("max-batches", values["max-batches"]),
    onProgress: log,
  });
  out.runtime = rows;
  out.missing = missing;
  if (!values.json) {
    console.log(`\nTable 2 (ms per epoch, median; ratio to MAE), backend ${choice.backend}`);
    console.log(
      `${"dataset".padEnd(20)}${"method".padEnd(11)}${"all ms".padStart(10)}${"×MAE".padStart(7)}` +
        `${"loss ms".padStart(10)}${"×MAE".padStart(8)}`,
    );
    for (const r of rows) {
      console.log(
        `${r.dataset.padEnd(20)}${r.method.padEnd(11)}${r.allTimeMs.toFixed(1).padStart(10)}` +
          `${r.allRatioToMae.toFixed(2).padStart(7)}${r.lossTimeMs.toFixed(1).padStart(10)}` +
          `${r.lossRatioToMae.toFixed(2).padStart(8)}`,
      );
    }
  }
}
if (values.scaling) {
  const mb = int("memory-limit-mb", values["memory-limit-mb"]);
  const points = await scalingBenchmark({
    toLog2: int("scaling-max-log2", values["scaling-max-log2"]),
    memoryLimitBytes: mb === undefined ? undefined : mb * 2 ** 20,
    onProgress: log,
  });
  out.scaling = { x: "batch size N", y: "loss forward + backward, ms (median)", points };
  if (!values.json) {
    console.log(`\nScaling (loss forward + backward, ms), backend ${choice.backend}`);
    for (const p of points) {
      console.log(`${p.method.padEnd(9)} N=${String(p.n).padEnd(8)} ${p.ms?.toFixed(3) ?? p.skipped}`);
    }
  }
}
if (values.steps) {
  const rows = await denseStepBenchmark({ batchSize });
  out.steps = rows;
  if (!values.json) {
    console.log(`\nTraining step, dense vs plain tfjs ops, backend ${choice.backend}`);
    for (const r of rows) {
      console.log(
        `(${r.hidden.join(",")}) batch ${r.batchSize}: dense ${r.denseMs.toFixed(2)} ms, plain ` +
          `${r.plainMs.toFixed(2)} ms, ${r.speedup.toFixed(2)}×`,
      );
    }
  }
}
if (values.stock) {
  const rows = await stockStepBenchmark({
    batchSizes: batchSize === undefined ? undefined : [batchSize],
    onProgress: log,
  });
  out.stock = rows;
  if (!values.json) {
    console.log(`\nTraining step, the kit against stock tfjs (ms; GAR ÷ MAE), backend ${choice.backend}`);
    for (const r of rows) console.log(describeStockRow(r));
  }
}
if (values.sweep) {
  const datasets = new Map<string, RunData>();
  for (const id of list(values.datasets) ?? SWEEP_DATASETS) {
    try {
      const d = await loadDataset(id);
      datasets.set(id, { train: d.train, test: d.test });
    } catch (e) {
      log(`${id}: not present (${(e as Error).message.split("\n")[0]})`);
    }
  }
  const rows = await sweepBenchmark({
    datasets,
    methods: (values.methods ? methods : undefined)?.map((a) => methodByAlias(a).name),
    epochs: int("epochs", values.epochs),
    onProgress: log,
  });
  out.sweep = rows;
  if (!values.json) {
    console.log(`\nSweep: Table 1's grid, one fold, runs per hour, backend ${choice.backend}`);
    console.log(
      `${"dataset".padEnd(17)}${"method".padEnd(11)}${"runs".padStart(5)}${"one at a time".padStart(15)}` +
        `${"grouped".padStart(10)}${"×".padStart(7)}${"GFLOP/s".padStart(9)}${"matmul".padStart(8)}`,
    );
    for (const r of rows) {
      console.log(
        `${r.dataset.padEnd(17)}${r.method.padEnd(11)}${String(r.runs).padStart(5)}` +
          `${r.singleRunsPerHour.toFixed(0).padStart(15)}${r.batchedRunsPerHour.toFixed(0).padStart(10)}` +
          `${r.speedup.toFixed(1).padStart(7)}${r.gflops.toFixed(1).padStart(9)}${
            r.matmulGflops.toFixed(1).padStart(8)
          }`,
      );
    }
  }
}
if (values.json) console.log(JSON.stringify(out, null, 2));
