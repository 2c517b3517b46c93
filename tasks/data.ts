/**
 * `deno task data` — the dataset registry, verified fetching, and inspection.
 *
 * ```
 * deno task data list [--json]                 registry entries and whether the cache holds them
 * deno task data fetch [ids…] [--json]         obtain + verify (all datasets when no id is given)
 * deno task data inspect <id> [--json] [--seed S] [--standardize train|authors-full-data|none]
 * deno task data export <id> [--out DIR] [--json]   the raw UCI rows in the authors' split, as CSV files
 * ```
 *
 * `export` (`concrete`, `wine`, `parkinson-total`, `parkinson-motor`; `lib/data/export_split.ts`) writes
 * `DIR/<id>-train.csv` and `DIR/<id>-test.csv` (default DIR: the current folder): the data as a user holds
 * them, for `deno task compare --csv DIR/<id>-train.csv --test-csv DIR/<id>-test.csv --target <column>`.
 *
 * Environment: `GAR_DATA_DIR` (cache, default `data/cache`), `GAR_DATA_MIRROR` (copy from a local
 * folder instead of the network), `GAR_DATA_OFFLINE=1`, `GAR_FETCH_TIMEOUT_MS`.
 *
 * Exit status: 0 on success (unavailable datasets are reported, not errors); 1 when a checksum
 * mismatch refused a file; 2 on a usage error.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ChecksumError } from "../lib/data/errors.ts";
import { dataLocation, type DatasetStatus, fetchDataset } from "../lib/data/fetch_dataset.ts";
import { inspectDataset } from "../lib/data/inspect_dataset.ts";
import { datasetEntries, datasetEntry, type StandardizeMode } from "../lib/data/registry.ts";
import { EXPORTABLE_DATASETS, exportAuthorsSplit } from "../lib/data/export_split.ts";

const USAGE = `usage:
  deno task data list [--json]
  deno task data fetch [ids…] [--json]
  deno task data inspect <id> [--json] [--seed S] [--standardize train|authors-full-data|none]
  deno task data export <${EXPORTABLE_DATASETS.join("|")}> [--out DIR] [--json]`;

function printStatus(s: DatasetStatus): void {
  console.log(`${s.id}: ${s.available ? "available" : "UNAVAILABLE"}`);
  for (const f of s.files) {
    const mark =
      { verified: "ok ", unverified: "?? ", present: "ok ", missing: "-- ", refused: "XX " }[f.state];
    console.log(`  ${mark}${f.state.padEnd(10)} ${f.path}${f.message ? `  (${f.message})` : ""}`);
  }
  if (!s.available) console.log(`  how to obtain: ${s.howToObtain}`);
}

/**
 * Runs the command with `args` (without the leading `deno task data`); returns the exit status.
 *
 * @example
 * ```ts
 * import { main } from "./data.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await main(["bogus"]), 2);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        seed: { type: "string" },
        standardize: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...ids] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const location = dataLocation();
  try {
    if (command === "list") {
      const rows = [];
      for (const e of datasetEntries()) {
        const s = await fetchDataset(e.id, { location, acquire: false });
        rows.push({
          id: e.id,
          title: e.title,
          cached: s.available,
          parser: e.parser,
          split: e.split.description,
          licence: e.licence,
          citation: e.citation,
          sources: e.sources,
          files: e.files.map((f) => ({
            path: f.path,
            bytes: f.bytes,
            sha256: f.sha256,
            required: f.required,
            state: s.files.find((x) => x.path === f.path)?.state,
          })),
        });
      }
      if (values.json) console.log(JSON.stringify({ cacheDir: location.cacheDir, datasets: rows }, null, 2));
      else {
        console.log(`cache: ${location.cacheDir}`);
        for (const r of rows) {
          console.log(`${r.id.padEnd(20)} ${(r.cached ? "cached" : "-").padEnd(7)} ${r.title}`);
        }
      }
      return 0;
    }
    if (command === "fetch") {
      const targets = ids.length > 0 ? ids : datasetEntries().map((e) => e.id);
      targets.forEach((id) => datasetEntry(id));
      const statuses: DatasetStatus[] = [];
      for (const id of targets) {
        const s = await fetchDataset(id, { location });
        statuses.push(s);
        if (!values.json) printStatus(s);
      }
      const refused = statuses.some((s) => s.files.some((f) => f.state === "refused"));
      if (values.json) {
        console.log(JSON.stringify(
          statuses.map((s) => ({
            ...s,
            files: s.files.map(({ checksumErrors: _c, ...f }) => f),
          })),
          null,
          2,
        ));
      } else {
        const n = statuses.filter((s) => s.available).length;
        console.log(
          `\n${n} of ${statuses.length} dataset(s) available${
            refused ? "; checksum mismatches refused (see XX)" : ""
          }`,
        );
      }
      return refused ? 1 : 0;
    }
    if (command === "inspect") {
      if (ids.length !== 1) {
        console.error(`inspect takes one dataset id\n${USAGE}`);
        return 2;
      }
      const mode = values.standardize;
      if (mode !== undefined && !["train", "authors-full-data", "none"].includes(mode)) {
        console.error(`--standardize must be train, authors-full-data or none`);
        return 2;
      }
      const report = await inspectDataset(ids[0], {
        location,
        seed: values.seed === undefined ? undefined : Number(values.seed),
        ...(mode === undefined ? {} : { standardize: mode as StandardizeMode }),
      });
      if (values.json) console.log(JSON.stringify(report, null, 2));
      else {
        console.log(`${report.id}: ${report.available ? "available" : "UNAVAILABLE"}`);
        if (!report.available) console.log(`  ${report.reason}`);
        else {
          console.log(`  rows: train ${report.rows?.train}, test ${report.rows?.test}`);
          console.log(`  features (${report.features}): ${report.featureNames.join(", ")}`);
          console.log(`  targets (${report.targets}): ${report.targetNames.join(", ")}`);
          console.log(`  standardize: ${report.standardize}; split: ${report.split}`);
          console.log(
            `  first train row: ${JSON.stringify(report.firstTrainRow)} → ${
              JSON.stringify(report.firstTrainTarget)
            }`,
          );
          for (const [p, h] of Object.entries(report.sha256)) console.log(`  sha256 ${h}  ${p}`);
          for (const n of report.notes ?? []) console.log(`  note: ${n}`);
        }
      }
      return 0;
    }
    if (command === "export") {
      if (ids.length !== 1 || !EXPORTABLE_DATASETS.includes(ids[0])) {
        console.error(`export takes one of ${EXPORTABLE_DATASETS.join(", ")}\n${USAGE}`);
        return 2;
      }
      const out = await exportAuthorsSplit(ids[0], values.out ?? ".");
      if (values.json) console.log(JSON.stringify(out, null, 2));
      else {
        console.log(`${out.files.train} (${out.rows.train} rows)\n${out.files.test} (${out.rows.test} rows)`);
        console.log(`columns: ${[...out.features, ...out.targets].join(", ")}; split: ${out.split}`);
        console.log(
          `compare: deno task compare --csv ${out.files.train} --test-csv ${out.files.test} --target ${
            out.targets.join(",")
          }`,
        );
      }
      return 0;
    }
    console.error(command === undefined ? USAGE : `unknown command "${command}"\n${USAGE}`);
    return 2;
  } catch (e) {
    if (e instanceof ChecksumError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    if (e instanceof Error && e.message.startsWith("unknown dataset")) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
