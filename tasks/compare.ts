/**
 * `deno task compare` — on your own table, does GAR beat MAE (and the other losses), and by how much? The
 * paper's protocol (Appendix B.6) on your CSV, each method tuned by cross-validation.
 *
 * ```
 * deno task compare --csv <file> --target <col>[,<col>…] [--features <col>,…]
 *                   [--test-csv <file> | --test-fraction F] [--seed S]
 *                   [--methods mae,gar,…|all] [--grid quick|paper] [--standardize-labels | --raw-labels]
 *                   [--hidden 64,32] [--epochs N] [--separator C] [--drop-missing]
 *                   [--results DIR] [--jobs N] [--shard i/n] [--force] [--backend wasm|cpu|webgpu] [--json]
 * ```
 *
 * What it does is `lib/compare/` (`compareCsv`, then `writeCompareReport`): the CSV prepared as
 * `deno task train --csv` prepares it (same rules and errors), a seeded 80/20 split (`--seed`,
 * `--test-fraction`) or your test file (`--test-csv`, same columns); 5-fold CV on the training part; every
 * method (default: Table 1's nine, `mae, mse, huber, focal-mae, focal-mse, ranksim, rnc, conr, gar`; `all`: every
 * method of `lib/methods.ts`) at every point of its grid (`--grid quick`, the default: lr 1e-1, 1e-2, 1e-3 ×
 * weight decay 1e-4 × the method's parameters; `paper`: × weight decay 1e-3, 1e-4, 1e-5); 100 epochs
 * (`--epochs`), the paper's model by feature count (`--hidden`); labels standardised with the training part's
 * mean and std (default, `--standardize-labels`; `--raw-labels` to train on raw labels as the paper's Table 1);
 * per fold and metric the best validation point, its test value; mean (std) over the folds; GAR's gains over MAE
 * and the best other method, with t-test p-values.
 *
 * Runs go through the run cache `<results>/runs/` (an interrupted comparison resumes; `--shard i/n` computes a
 * slice, and a run without it reports them all); progress with ETA on stderr. Results folder (`--results`,
 * default `results/compare/<csv name>/`, under `GAR_RESULTS_DIR` when set): `report.html`, `report.md`,
 * `compare.json`, `tables/`, `figures/`. Stdout: the table (or, with `--json`, `compare.json`'s object, whose
 * `rows` are `{ method, metric, mean, std, folds }`).
 *
 * Exit status: 0 ok; 2 usage or data error (a missing, constant, non-numeric or incomplete column, too few
 * rows — each message names the file and column, and the line of a non-numeric value); 1 anything else.
 *
 * @module
 */
import { basename, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BackendName, describeBackend, selectBackend } from "../lib/backend.ts";
import { DataFormatError } from "../lib/data/errors.ts";
import {
  COMPARE_GRIDS,
  compareCsv,
  type CompareGrid,
  compareJson,
  writeCompareReport,
} from "../lib/compare/mod.ts";
import { type Method, methodByAlias, METHODS } from "../lib/methods.ts";
import { METRIC_LABEL } from "../lib/paper/experiment.ts";
import { toMarkdown } from "../lib/render/table.ts";
import { parseOptions, UsageError } from "./_cli.ts";
import { runsProgress } from "./_progress.ts";

const USAGE = `usage: deno task compare --csv <file> --target <col>[,<col>…] [--features <col>,…]
       [--test-csv <file> | --test-fraction F] [--seed S]
       [--methods mae,gar,…|all] [--grid ${COMPARE_GRIDS.join("|")}] [--standardize-labels | --raw-labels]
       [--hidden 64,32] [--epochs N] [--separator C] [--drop-missing]
       [--results DIR] [--jobs N] [--shard i/n] [--force] [--backend wasm|cpu|webgpu] [--json]`;

const list = (s: string | undefined) => s?.split(",").map((c) => c.trim()).filter((c) => c !== "");

function number(name: string, v: string | undefined, ok: (x: number) => boolean): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || !ok(x)) throw new UsageError(`--${name}: invalid value "${v}"\n${USAGE}`);
  return x;
}

/**
 * Runs the command with `args` (without the leading `deno task compare`); returns the exit status (0 ok, 2
 * usage or data error, 1 otherwise).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./compare.ts";
 * assert.equal(await main(["--target", "y"]), 2); // no --csv
 * ```
 */
export async function main(args: string[]): Promise<number> {
  try {
    return await run(args);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return e instanceof UsageError || e instanceof DataFormatError ? 2 : 1;
  }
}

/** `--methods`: aliases (or `all`) → names; default Table 1's nine (undefined). */
function methodsOf(option: string | undefined): Method[] | undefined {
  if (option === undefined) return undefined;
  if (option.trim() === "all") return METHODS.map((m) => m.name);
  const aliases = list(option) ?? [];
  if (aliases.length === 0) throw new UsageError(`--methods: no method given\n${USAGE}`);
  return aliases.map((a) => {
    try {
      return methodByAlias(a).name;
    } catch (e) {
      throw new UsageError(`--methods: ${(e as Error).message}`);
    }
  });
}

async function run(args: string[]): Promise<number> {
  const values = parseOptions(args, {
    csv: { type: "string" },
    target: { type: "string" },
    features: { type: "string" },
    "test-csv": { type: "string" },
    "test-fraction": { type: "string" },
    seed: { type: "string" },
    methods: { type: "string" },
    grid: { type: "string" },
    "standardize-labels": { type: "boolean", default: false },
    "raw-labels": { type: "boolean", default: false },
    hidden: { type: "string" },
    epochs: { type: "string" },
    separator: { type: "string" },
    "drop-missing": { type: "boolean", default: false },
    results: { type: "string" },
    jobs: { type: "string" },
    shard: { type: "string" },
    force: { type: "boolean", default: false },
    backend: { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  }, USAGE);
  if (values === null) return 0;
  if (values.csv === undefined) throw new UsageError(`--csv is required\n${USAGE}`);
  const target = list(values.target);
  if (!target?.length) throw new UsageError(`--target <col>[,<col>…] is required\n${USAGE}`);
  if (values["test-csv"] !== undefined && values["test-fraction"] !== undefined) {
    throw new UsageError(`--test-csv and --test-fraction exclude each other`);
  }
  if (values["standardize-labels"] && values["raw-labels"]) {
    throw new UsageError(`--standardize-labels and --raw-labels exclude each other`);
  }
  const grid = values.grid ?? "quick";
  if (!(COMPARE_GRIDS as readonly string[]).includes(grid)) {
    throw new UsageError(`--grid: unknown grid "${grid}"; use ${COMPARE_GRIDS.join(" or ")}`);
  }
  const hidden = list(values.hidden)?.map((h) => number("hidden", h, (x) => Number.isInteger(x) && x >= 1)!);
  let shard: [number, number] | undefined;
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || +m[1] < 1 || +m[1] > +m[2]) {
      throw new UsageError(`--shard: expected i/n with 1 ≤ i ≤ n, got "${values.shard}"`);
    }
    shard = [+m[1], +m[2]];
  }
  const methods = methodsOf(values.methods);
  const resultsDir = resolve(
    values.results ??
      join(
        Deno.env.get("GAR_RESULTS_DIR") ?? fileURLToPath(new URL("../results", import.meta.url)),
        "compare",
        basename(values.csv, extname(values.csv)),
      ),
  );
  const choice = await selectBackend({ backend: values.backend as BackendName | "auto" | undefined });
  console.error(describeBackend(choice));
  const progress = runsProgress();
  const result = await compareCsv({
    csv: values.csv,
    target,
    features: list(values.features),
    testCsv: values["test-csv"],
    testFraction: number("test-fraction", values["test-fraction"], (x) => x > 0 && x < 1),
    seed: number("seed", values.seed, Number.isInteger),
    separator: values.separator,
    dropMissing: values["drop-missing"],
    methods,
    grid: grid as CompareGrid,
    epochs: number("epochs", values.epochs, (x) => Number.isInteger(x) && x >= 1),
    hidden,
    standardizeLabels: !values["raw-labels"],
    resultsDir,
    backend: choice.backend,
    jobs: number("jobs", values.jobs, (x) => Number.isInteger(x) && x >= 1),
    shard,
    force: values.force,
    onPlanned: (p) =>
      console.error(
        `compare: ${p.total} runs (grid ${grid}${
          shard ? `, shard ${shard.join("/")}` : ""
        }), ${p.cached} cached, ` +
          `${p.toCompute} to compute in ${p.groups} groups; results ${resultsDir}`,
      ),
    onProgress: (p) => progress.show(p),
  });
  progress.end();
  for (const w of result.input.warnings) console.error(`warning: ${w}`);
  const written = await writeCompareReport(resultsDir, result, { onWarning: (m) => console.error(m) });
  if (values.json) {
    console.log(JSON.stringify(compareJson(result), null, 2));
    return 0;
  }
  const metrics = [...new Set(result.rows.map((r) => r.metric))];
  console.log(toMarkdown({
    title: `${basename(values.csv)}: test metrics, mean (std) over ${result.settings.folds} folds` +
      (result.units === "target" ? "" : " (MAE, RMSE in standardised units)"),
    columns: [{ key: "method" }, ...metrics.map((m) => ({ key: m, label: METRIC_LABEL[m] }))],
    rows: result.settings.methods.map((method) => ({
      method,
      ...Object.fromEntries(
        result.rows.filter((r) => r.method === method).map((r) => [r.metric, { mean: r.mean, std: r.std }]),
      ),
    })),
  }));
  for (const g of result.gains) {
    const pct = (v: number | null) => (v === null ? "—" : `${v >= 0 ? "+" : ""}${v.toFixed(2)} %`);
    const p = (v: number | null) => (v === null ? "—" : v.toPrecision(2));
    console.log(
      `GAR ${METRIC_LABEL[g.metric]}: vs mae ${pct(g.gainVsMae)} (p ${p(g.pVsMae)}), vs best other ` +
        `${g.bestOther ?? "—"} ${pct(g.gainVsBest)} (p ${p(g.pVsBest)})`,
    );
  }
  if (result.runs.found < result.runs.planned) {
    console.log(`incomplete: ${result.runs.found} of ${result.runs.planned} runs (run the other shards)`);
  }
  console.log(`report: ${written.htmlPath} (also report.md, compare.json)`);
  console.log(`computed ${result.runs.computed}, cached ${result.runs.cached}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
