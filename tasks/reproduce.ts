/**
 * `deno task reproduce` — regenerates what the kit can reproduce into `results/`.
 *
 * ```
 * deno task reproduce [--backend X] [--results DIR] [--json]
 * ```
 *
 * Today it (1) checks every theorem numerically (`proofs/`), (2) fetches and verifies every dataset of
 * the registry (reporting the unavailable ones with how to obtain them), and (3) writes
 * `results/proofs.json`, `results/data.json`, `results/provenance.json` and `results/report.md`.
 * The experiments (Tables 1, 2, 5–7, Figures 1–12) are added by the protocol and notebook work;
 * until then the report says so rather than showing numbers it did not compute.
 *
 * Environment: `GAR_RESULTS_DIR` (default `results/`), `GAR_BACKEND`, `GAR_DATA_DIR`, `GAR_DATA_MIRROR`.
 * Exit status: 0 when every proof passed and no data file was refused, 1 otherwise, 2 on a usage error.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { type BackendName, describeBackend, selectBackend } from "../lib/backend.ts";
import { datasetEntries } from "../lib/data/registry.ts";
import { dataLocation, type DatasetStatus, fetchDataset } from "../lib/data/fetch_dataset.ts";
import { runProofs } from "../proofs/mod.ts";
import type { ProofResult } from "../proofs/types.ts";

const USAGE = "usage: deno task reproduce [--backend webgpu|wasm|cpu|auto] [--results DIR] [--json]";

/**
 * Where `results/` lives: `--results`, else `GAR_RESULTS_DIR`, else `results/` in the project.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultsDir } from "./reproduce.ts";
 * assert.equal(resultsDir("/tmp/gar-results"), "/tmp/gar-results");
 * ```
 */
export function resultsDir(option?: string): string {
  return resolve(
    option ?? Deno.env.get("GAR_RESULTS_DIR") ?? fileURLToPath(new URL("../results", import.meta.url)),
  );
}

async function writeJson(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, JSON.stringify(value, null, 2) + "\n");
  await Deno.rename(tmp, path);
}

function reportMarkdown(proofs: ProofResult[], data: DatasetStatus[], backend: string): string {
  const lines = [
    "# gar-kit reproduction report",
    "",
    `Backend: ${backend}`,
    "",
    "## Theorems, checked numerically",
    "",
    "| id | result | max residual (float32) | tolerance | claim |",
    "| --- | --- | --- | --- | --- |",
    ...proofs.map((p) =>
      `| ${p.id} | ${p.passed ? "PASS" : "**FAIL**"} | ${p.maxResidual.toExponential(2)} | ${
        p.tolerance.toExponential(2)
      } | ${p.claim.replaceAll("|", "\\|")} |`
    ),
    "",
    "## Data",
    "",
    "| dataset | available | how to obtain (if not) |",
    "| --- | --- | --- |",
    ...data.map((d) => `| ${d.id} | ${d.available ? "yes" : "no"} | ${d.available ? "" : d.howToObtain} |`),
    "",
    "## Experiments",
    "",
    "Not yet reproduced by this version of the kit: the benchmark tables and figures are produced by the",
    "protocol (issue #4) and notebook (issue #5) work. No number from the paper is shown here as measured.",
    "",
  ];
  return lines.join("\n");
}

/**
 * Runs the task with command-line arguments; returns the exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./reproduce.ts";
 * assert.equal(await main(["--no-such-flag"]), 2);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        backend: { type: "string" },
        results: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const started = performance.now();
  const out = resultsDir(values.results);
  await Deno.mkdir(out, { recursive: true });
  const choice = await selectBackend({ backend: values.backend as BackendName | "auto" | undefined });
  console.error(describeBackend(choice));

  console.error("proofs: checking Theorems 1, 4, 6 and Corollaries 2, 3 …");
  const proofs = await runProofs({
    onResult: (r, s) => console.error(`  ${r.id}: ${r.passed ? "PASS" : "FAIL"} (${s.toFixed(1)}s)`),
  });

  console.error("data: fetching and verifying every registered dataset …");
  const location = dataLocation();
  const data: DatasetStatus[] = [];
  for (const entry of datasetEntries()) {
    const status = await fetchDataset(entry.id, { location });
    data.push(status);
    console.error(`  ${entry.id}: ${status.available ? "available" : "not present"}`);
  }
  const refused = data.flatMap((d) => d.files).filter((f) => f.state === "refused");

  const provenance = {
    deno: Deno.version.deno,
    tfjs: tf.version.tfjs,
    backend: choice.backend,
    adapter: choice.adapter,
    dataCache: location.cacheDir,
    dataMirror: location.mirror,
    dataHashes: Object.fromEntries(
      data.flatMap((d) => d.files).filter((f) => f.actual).map((f) => [f.path, f.actual]),
    ),
    wallSeconds: (performance.now() - started) / 1000,
    finishedAt: new Date().toISOString(),
  };
  await writeJson(join(out, "proofs.json"), proofs);
  await writeJson(join(out, "data.json"), data);
  await writeJson(join(out, "provenance.json"), provenance);
  await Deno.writeTextFile(join(out, "report.md"), reportMarkdown(proofs, data, describeBackend(choice)));

  const failed = proofs.filter((p) => !p.passed).map((p) => p.id);
  const summary = {
    results: out,
    proofsPassed: proofs.length - failed.length,
    proofsFailed: failed,
    datasetsAvailable: data.filter((d) => d.available).map((d) => d.id),
    datasetsMissing: data.filter((d) => !d.available).map((d) => d.id),
    filesRefused: refused.map((f) => f.path),
  };
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log(`results written to ${out} (report.md, proofs.json, data.json, provenance.json)`);
    console.log(
      `proofs: ${summary.proofsPassed}/${proofs.length} passed${failed.length ? `; FAILED: ${failed}` : ""}`,
    );
    console.log(`data: available ${summary.datasetsAvailable.join(", ") || "none"}`);
    if (summary.datasetsMissing.length) {
      console.log(`data: not present ${summary.datasetsMissing.join(", ")}`);
    }
  }
  return failed.length === 0 && refused.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
