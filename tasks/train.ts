/**
 * `deno task train` — train the paper's FFNN with a chosen method on a registry dataset or your own CSV.
 *
 * ```
 * deno task train (--dataset <id> | --csv <file> --target <col>[,<col>…] [--features <col>,…])
 *                 --loss <alias> [--alpha A] [--epochs N] [--seed S]
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
 * `--loss` takes a method's alias in `lib/methods.ts` (`mae`, `mse`, `huber`, `focal-mae`,
 * `focal-mse`, `ranksim`, `rnc`, `conr`, `gar`, `mae-pearson`, Table 5's `gar-mae`, …), trained
 * with the method's objective and its default parameter (Huber δ = 1, focal β = 0.2, RankSim λ = 2,
 * RNC τ = 2, ConR β = 1, GAR and its variants α = 1); `--alpha` sets GAR's α.
 *
 * A CSV is prepared by `lib/data/prepare_csv.ts` (each error names the column): the separator is
 * `--separator` or sniffed from the header; without `--features` every other numeric column is a
 * feature; rows with missing cells are an error unless `--drop-missing`; constant features are
 * dropped; split seeded 80/20 (`--seed`); features standardised with training statistics; targets raw.
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
import { type BackendName, describeBackend, selectBackend } from "../lib/backend.ts";
import { ChecksumError, DataFormatError, DataUnavailableError } from "../lib/data/errors.ts";
import { loadDataset, type Part } from "../lib/data/load_dataset.ts";
import { prepareCsv } from "../lib/data/prepare_csv.ts";
import { methodObjective, METHODS } from "../lib/methods.ts";
import { createFfnn, paperHiddenSizes } from "../lib/model/ffnn.ts";
import { regressionMetrics } from "../lib/model/metrics.ts";
import { predictRows, trainRegressor } from "../lib/model/train_loop.ts";
import { parseOptions, UsageError } from "./_cli.ts";
import { formatSeconds, stderrProgress } from "./_progress.ts";

/** What `--loss` takes: every method's alias. */
const LOSSES = METHODS.map((m) => m.alias);

const USAGE =
  `usage: deno task train (--dataset <id> | --csv <file> --target <col>[,<col>…] [--features <col>,…])
       --loss <${LOSSES.join("|")}>
       [--alpha A] [--epochs N] [--seed S] [--backend wasm|cpu|webgpu]
       [--lr LR] [--weight-decay WD] [--batch-size B] [--separator C] [--drop-missing] [--json]`;

/** Train/test tables ready for the model, and where they came from. */
interface PreparedData {
  /** Training rows. */
  train: Part;
  /** Test rows. */
  test: Part;
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
  const values = parseOptions(args, {
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
  }, USAGE);
  if (values === null) return 0;
  if ((values.dataset === undefined) === (values.csv === undefined)) {
    throw new UsageError(`give exactly one of --dataset or --csv\n${USAGE}`);
  }
  if (values.loss === undefined) throw new UsageError(`--loss is required\n${USAGE}`);
  const alpha = num("alpha", values.alpha, (x) => x > 0);
  const method = METHODS.find((m) => m.alias === values.loss);
  if (method === undefined) {
    throw new UsageError(`unknown loss "${values.loss}"; use one of ${LOSSES.join(", ")}`);
  }
  if (alpha !== undefined && method.alias !== "gar") {
    throw new UsageError(`--alpha applies to gar only, not ${method.alias}`);
  }
  const param = alpha ?? method.defaultParam;
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
    const d = prepareCsv(bytes, values.csv, {
      target,
      features: splitList(values.features),
      separator: values.separator,
      dropMissing: values["drop-missing"],
      seed,
    });
    data = {
      ...d,
      source: { csv: values.csv, separator: d.separator, split: d.split, standardize: d.standardize },
    };
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
  const progress = stderrProgress();
  const every = Math.max(1, Math.round(epochs / 10));
  const result = await trainRegressor(model, data.train.x, data.train.y, {
    objective: methodObjective(method.name, param, epochs),
    epochs,
    lr,
    weightDecay,
    batchSize,
    seed,
    onEpoch: ({ epoch, loss: l, lr: now }) => {
      const elapsed = (performance.now() - started) / 1000;
      const eta = (elapsed / epoch) * (epochs - epoch);
      const line = `epoch ${epoch}/${epochs} loss ${l.toPrecision(5)} lr ${now.toExponential(1)} ` +
        `elapsed ${formatSeconds(elapsed)} ETA ${formatSeconds(eta)}`;
      progress.show(line, epoch % every === 0 || epoch === epochs);
      if (epoch === epochs) progress.end();
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const test = regressionMetrics(data.test.y, await predictRows(model, data.test.x));
  const train = regressionMetrics(data.train.y, await predictRows(model, data.train.x));
  model.dispose();
  const report = {
    ...data.source,
    loss: values.loss,
    ...(method.alias === "gar" ? { alpha: param } : {}),
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
        method.alias === "gar" ? ` (alpha ${param})` : ""
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
