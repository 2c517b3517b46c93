/**
 * `deno task train` — train the paper's FFNN with a chosen loss on a registry dataset or your own CSV.
 *
 * ```
 * deno task train (--dataset <id> | --csv <file> --target <col>[,<col>…] [--features <col>,…])
 *                 --loss <mae|mse|huber|focal-mae|focal-mse|gar> [--alpha A] [--epochs N] [--seed S]
 *                 [--backend wasm|cpu|webgpu] [--lr LR] [--weight-decay WD] [--batch-size B]
 *                 [--separator C] [--drop-missing] [--json]
 * ```
 *
 * Model and optimiser: `lib/model/ffnn.ts` (hidden sizes by feature count, ELU, linear head with one
 * output per target, PyTorch-default initialisation seeded by `--seed`) and
 * `lib/model/train_loop.ts` (SGD momentum 0.9, weight decay 1e-4, lr 0.01, ×0.1 at 50 % and 75 %
 * of the epochs, batch `min(256, nTrain)` with the last partial batch dropped — never zero steps).
 * Defaults: 100 epochs, seed 0, loss required.
 *
 * CSV rules (each names the column): a missing `--target`/`--features` column is an error; a
 * non-numeric target or requested feature is an error; without `--features`, every other column is
 * a feature and non-numeric columns are skipped with a warning; missing cells (empty, NA, NaN,
 * null, None, ?) are an error unless `--drop-missing` drops those rows; a constant feature is dropped
 * with a warning; a constant target is an error. The separator is `--separator`, else `;` when
 * the header has `;` and no `,`, else `,`. Split: seeded 80/20 (`--seed`); features standardised with
 * training statistics; targets raw.
 *
 * Registry datasets load as `deno task data inspect` shows (the authors' split where they have one).
 * An unavailable dataset is reported with how to obtain it (exit status 3).
 *
 * Output: test MAE, RMSE, Pearson and Spearman (per target, averaged); `--json` prints
 * `{ metrics: { test: { mae, rmse, pearson, spearman }, train: {…} }, … }` (a correlation that is
 * undefined because the predictions are constant prints as null). Progress with ETA goes to stderr.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type BackendName, describeBackend, selectBackend } from "../lib/backend.ts";
import { columnKind, numericColumns, readCsv } from "../lib/data/csv.ts";
import { ChecksumError, DataFormatError, DataUnavailableError } from "../lib/data/errors.ts";
import { loadDataset } from "../lib/data/load_dataset.ts";
import { trainTestSplit } from "../lib/data/split.ts";
import { columnStats, standardize } from "../lib/data/standardize.ts";
import { createFfnn, paperHiddenSizes } from "../lib/model/ffnn.ts";
import { LOSS_NAMES, lossByName } from "../lib/model/loss_registry.ts";
import { regressionMetrics } from "../lib/model/metrics.ts";
import { predictRows, trainRegressor } from "../lib/model/train_loop.ts";

const USAGE =
  `usage: deno task train (--dataset <id> | --csv <file> --target <col>[,<col>…] [--features <col>,…])
       --loss <${LOSS_NAMES.join("|")}> [--alpha A] [--epochs N] [--seed S] [--backend wasm|cpu|webgpu]
       [--lr LR] [--weight-decay WD] [--batch-size B] [--separator C] [--drop-missing] [--json]`;

/** A usage or data problem reported to the user (exit status 2). */
class UsageError extends Error {}

/** Train/test tables ready for the model. */
export interface PreparedData {
  /** Training rows. */
  train: { x: number[][]; y: number[][] };
  /** Test rows. */
  test: { x: number[][]; y: number[][] };
  /** Feature names used. */
  featureNames: string[];
  /** Target names. */
  targetNames: string[];
  /** Warnings (skipped / dropped columns, dropped rows). */
  warnings: string[];
  /** Where the data came from. */
  source: Record<string, unknown>;
}

function splitList(s: string | undefined): string[] | undefined {
  return s === undefined ? undefined : s.split(",").map((c) => c.trim()).filter((c) => c !== "");
}

/**
 * Reads a CSV for training under the documented rules (see the module notes).
 *
 * @throws {DataFormatError} naming the column for a missing, non-numeric, constant-target or
 *   missing-value problem
 *
 * @example
 * ```ts
 * import { prepareCsv } from "./train.ts";
 * import assert from "node:assert/strict";
 * const lines = ["a,b,name,y", ...Array.from({ length: 20 }, (_, i) => `${i},1,n${i},${2 * i}`)];
 * const d = prepareCsv(new TextEncoder().encode(lines.join("\n")), "t.csv", { target: ["y"] });
 * assert.deepEqual(d.featureNames, ["a"]);
 * assert.equal(d.train.x.length, 16);
 * ```
 */
export function prepareCsv(
  bytes: Uint8Array,
  name: string,
  options: {
    target: string[];
    features?: string[];
    separator?: string;
    dropMissing?: boolean;
    seed?: number;
  },
): PreparedData {
  const header = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 65536))).split("\n")[0];
  const separator = options.separator ?? (header.includes(";") && !header.includes(",") ? ";" : ",");
  const table = readCsv(bytes, { separator, name });
  const warnings: string[] = [];
  for (const t of options.target) {
    if (!table.columns.includes(t)) {
      throw new DataFormatError(
        `${name}: target column "${t}" not found; columns are: ${
          table.columns.map((c) => `"${c}"`).join(", ")
        }`,
      );
    }
  }
  let features: string[];
  if (options.features) {
    features = options.features;
    const overlap = features.filter((f) => options.target.includes(f));
    if (overlap.length) {
      throw new DataFormatError(`${name}: column "${overlap[0]}" is both a feature and a target`);
    }
    for (const f of features) columnKind(table, f); // throws naming a missing column
  } else {
    features = [];
    for (const c of table.columns.filter((c) => !options.target.includes(c))) {
      const k = columnKind(table, c);
      if (k.nonNumeric > 0) {
        warnings.push(
          `column "${c}" is not numeric (line ${k.firstBad?.line}: "${k.firstBad?.text}"); skipped — encode it numerically to use it`,
        );
      } else if (k.numeric === 0) warnings.push(`column "${c}" is empty; skipped`);
      else features.push(c);
    }
  }
  const { rows, dropped } = numericColumns(table, [...features, ...options.target], {
    missing: options.dropMissing ? "drop" : "error",
  });
  if (dropped > 0) warnings.push(`${dropped} row(s) with missing values dropped (--drop-missing)`);
  let x = rows.map((r) => r.slice(0, features.length));
  const y = rows.map((r) => r.slice(features.length));
  const ys = columnStats(y);
  options.target.forEach((t, j) => {
    if (!(ys.std[j] > 0)) {
      throw new DataFormatError(`${name}: target column "${t}" is constant; nothing to learn`);
    }
  });
  const xs = columnStats(x);
  const keep = features.map((_, j) => xs.std[j] > 0);
  features.forEach((f, j) => {
    if (!keep[j]) warnings.push(`column "${f}" is constant; dropped`);
  });
  features = features.filter((_, j) => keep[j]);
  x = x.map((r) => r.filter((_, j) => keep[j]));
  if (features.length === 0) {
    throw new DataFormatError(`${name}: no usable (numeric, non-constant) feature columns`);
  }
  if (rows.length < 10) {
    throw new DataFormatError(
      `${name}: ${rows.length} usable row(s); at least 10 are needed for an 80/20 split`,
    );
  }
  const s = trainTestSplit(rows.length, { seed: options.seed ?? 0, testFraction: 0.2 });
  const pick = (ids: number[]) => ({ x: ids.map((i) => x[i]), y: ids.map((i) => y[i]) });
  const train = pick(s.train);
  const test = pick(s.test);
  const [trX, teX] = standardize(train.x, test.x).sets;
  return {
    train: { x: trX, y: train.y },
    test: { x: teX, y: test.y },
    featureNames: features,
    targetNames: options.target,
    warnings,
    source: { csv: name, separator, split: `seeded 80/20 (seed ${options.seed ?? 0})`, standardize: "train" },
  };
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "?";
  return s < 60
    ? `${s.toFixed(0)}s`
    : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
}

function num(name: string, v: string | undefined, rule: (x: number) => boolean): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || !rule(x)) throw new UsageError(`--${name}: invalid value "${v}"`);
  return x;
}

/**
 * Runs the command with `args` (without the leading `deno task train`); returns the exit status
 * (0 ok, 1 training failed or checksum refused, 2 usage or data error, 3 dataset unavailable).
 *
 * @example
 * ```ts
 * import { main } from "./train.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await main(["--loss", "mae"]), 2); // neither --dataset nor --csv
 * ```
 */
export async function main(args: string[]): Promise<number> {
  try {
    return await run(args);
  } catch (e) {
    if (e instanceof UsageError || e instanceof DataFormatError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    if (e instanceof DataUnavailableError) {
      console.error(`unavailable: ${e.message}`);
      return 3;
    }
    if (e instanceof ChecksumError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

async function run(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        dataset: { type: "string" },
        csv: { type: "string" },
        target: { type: "string" },
        features: { type: "string" },
        separator: { type: "string" },
        "drop-missing": { type: "boolean", default: false },
        loss: { type: "string" },
        alpha: { type: "string" },
        epochs: { type: "string" },
        seed: { type: "string" },
        backend: { type: "string" },
        lr: { type: "string" },
        "weight-decay": { type: "string" },
        "batch-size": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if ((values.dataset === undefined) === (values.csv === undefined)) {
    throw new UsageError(`give exactly one of --dataset or --csv\n${USAGE}`);
  }
  if (values.loss === undefined) throw new UsageError(`--loss is required\n${USAGE}`);
  const alpha = num("alpha", values.alpha, (x) => x > 0);
  const loss = (() => {
    try {
      return lossByName(values.loss, { alpha });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  })();
  const epochs = num("epochs", values.epochs, (x) => Number.isInteger(x) && x >= 1) ?? 100;
  const seed = num("seed", values.seed, Number.isInteger) ?? 0;
  const lr = num("lr", values.lr, (x) => x > 0) ?? 0.01;
  const weightDecay = num("weight-decay", values["weight-decay"], (x) => x >= 0) ?? 1e-4;
  const batchSize = num("batch-size", values["batch-size"], (x) => Number.isInteger(x) && x >= 2) ?? 256;

  let data: PreparedData;
  if (values.csv !== undefined) {
    const target = splitList(values.target);
    if (!target || target.length === 0) throw new UsageError(`--csv needs --target <col>[,<col>…]`);
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(values.csv);
    } catch (e) {
      throw new UsageError(`cannot read --csv ${values.csv}: ${(e as Error).message}`);
    }
    data = prepareCsv(bytes, values.csv, {
      target,
      features: splitList(values.features),
      separator: values.separator,
      dropMissing: values["drop-missing"],
      seed,
    });
  } else {
    if (values.target || values.features) throw new UsageError("--target/--features apply to --csv only");
    const d = await loadDataset(values.dataset!, { seed });
    for (const part of [d.train, d.test]) {
      d.targetNames.forEach((t, j) => {
        const bad = part.y.filter((r) => !Number.isFinite(r[j])).length;
        if (bad > 0) {
          throw new DataFormatError(
            `${d.id}: target "${t}" has ${bad} missing value(s); this minimal trainer needs complete targets`,
          );
        }
      });
    }
    data = {
      train: d.train,
      test: d.test,
      featureNames: d.featureNames,
      targetNames: d.targetNames,
      warnings: d.notes,
      source: { dataset: d.id, split: d.split, standardize: d.standardize, files: d.files },
    };
  }
  for (const w of data.warnings) console.error(`warning: ${w}`);

  const choice = await selectBackend({ backend: values.backend as BackendName | undefined });
  console.error(describeBackend(choice));
  const inputDim = data.featureNames.length;
  const outputDim = data.targetNames.length;
  const hidden = paperHiddenSizes(inputDim);
  const model = createFfnn({ inputDim, outputDim, hidden, seed });
  const started = performance.now();
  const tty = Deno.stderr.isTerminal();
  const every = Math.max(1, Math.round(epochs / 10));
  const result = await trainRegressor(model, data.train.x, data.train.y, {
    loss,
    epochs,
    lr,
    weightDecay,
    batchSize,
    seed,
    onEpoch: ({ epoch, loss: l, lr: now }) => {
      const elapsed = (performance.now() - started) / 1000;
      const eta = (elapsed / epoch) * (epochs - epoch);
      const line = `epoch ${epoch}/${epochs} loss ${l.toPrecision(5)} lr ${now.toExponential(1)} ` +
        `elapsed ${fmtTime(elapsed)} ETA ${fmtTime(eta)}`;
      if (tty) Deno.stderr.writeSync(new TextEncoder().encode(`\r${line}   ${epoch === epochs ? "\n" : ""}`));
      else if (epoch % every === 0 || epoch === epochs) console.error(line);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const test = regressionMetrics(data.test.y, await predictRows(model, data.test.x));
  const train = regressionMetrics(data.train.y, await predictRows(model, data.train.x));
  model.dispose();
  const report = {
    ...data.source,
    loss: values.loss,
    ...(values.loss === "gar" ? { alpha: alpha ?? 1 } : {}),
    epochs,
    seed,
    lr,
    weightDecay,
    momentum: 0.9,
    batchSize: result.batchSize,
    stepsPerEpoch: result.stepsPerEpoch,
    hidden,
    backend: choice.backend,
    rows: { train: data.train.x.length, test: data.test.x.length },
    featureNames: data.featureNames,
    targetNames: data.targetNames,
    warnings: data.warnings,
    finalTrainLoss: result.lossHistory[result.lossHistory.length - 1],
    seconds,
    metrics: { test, train },
  };
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(
      `${values.dataset ?? values.csv}: loss ${values.loss}${
        values.loss === "gar" ? ` (alpha ${alpha ?? 1})` : ""
      }, ` +
        `${epochs} epochs, batch ${result.batchSize} × ${result.stepsPerEpoch} steps, backend ${choice.backend}, ` +
        `${seconds.toFixed(1)} s`,
    );
    console.log(
      `rows: train ${report.rows.train}, test ${report.rows.test}; features ${inputDim}, targets ${outputDim}`,
    );
    const f = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : "undefined");
    console.log(
      `test  MAE ${f(test.mae)}  RMSE ${f(test.rmse)}  Pearson ${f(test.pearson)}  Spearman ${
        f(test.spearman)
      }`,
    );
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
