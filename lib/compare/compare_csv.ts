/**
 * The paper's comparison on a table of the user's (`deno task compare`, `notebooks/08-your-data.ipynb`): the
 * Table 1 protocol (Appendix B.6) run through the kit's runner on the user's CSV.
 *
 * 1. The CSV is prepared by `lib/data/prepare_csv.ts` (the rules and errors of `deno task train --csv`): a
 *    seeded train/test split (or the user's test file), features standardised with the training part's
 *    statistics. The training part needs at least 10 rows (two per fold).
 * 2. The methods (default: Table 1's nine) run as one experiment of the protocol runner
 *    (`runExperiments`: grouped runs on a worker pool, the run cache `<resultsDir>/runs/`, resumable and
 *    shardable): 5-fold CV (KFold, no shuffle) on the training part, each method's grid (`grids.ts`), the
 *    paper's model by feature count (or `hidden`), SGD momentum 0.9, batch 256, lr ×0.1 at 50 % and 75 % of the
 *    epochs; labels standardised with the training part's mean and std unless `standardizeLabels: false`.
 * 3. The table (`summarizeExperiment`): for each fold and each metric separately the (configuration, epoch)
 *    with the best validation value, its test value; mean (std, ddof 0) over the folds; GAR's gains over MAE
 *    and over the best other method, pooled two-sample t-test p-values. With standardised labels and one
 *    target, MAE and RMSE are given back in the target's units (× the label std); with several targets they
 *    stay in standardised units (averaged over the targets, each in its own std).
 * 4. GAR and MAE are refitted at the configuration selected most often for MAE (`refit.ts`), for the
 *    predicted-vs-true scatter of the report (`report.ts`).
 *
 * @module
 */
import { basename } from "node:path";
import { DataFormatError } from "../data/errors.ts";
import { prepareCsv } from "../data/prepare_csv.ts";
import { columnStats } from "../data/standardize.ts";
import { cell } from "../experiment/aggregate.ts";
import { type Experiment, TABLE1_METHODS } from "../experiment/experiments.ts";
import { runExperiments, type RunExperimentsOptions } from "../experiment/orchestrate.ts";
import { FOLDS } from "../experiment/profiles.ts";
import type { RunData } from "../experiment/run.ts";
import { datasetHash } from "../experiment/run_cache.ts";
import { type Metric, METRICS } from "../experiment/select.ts";
import type { ExperimentSummary } from "../experiment/summary.ts";
import { type Method, methodByName } from "../methods.ts";
import { paperHiddenSizes } from "../model/ffnn.ts";
import { type CompareGrid, compareProfile } from "./grids.ts";
import { refitSelected } from "./refit.ts";

/** The dataset id the user's table runs under (the run cache keys it by its content). */
export const USER_TABLE = "user-table";

/** Options of {@linkcode compareCsv}. */
export interface CompareOptions {
  /** The CSV (path). */
  csv: string;
  /** Target columns. */
  target: string[];
  /** Feature columns (default: every other numeric column). */
  features?: string[];
  /** A test CSV (path) with the same columns: its rows are the test part, instead of a split. */
  testCsv?: string;
  /** Share of the rows in the test part of the seeded split (default 0.2). */
  testFraction?: number;
  /** Seed of the split (default 0). */
  seed?: number;
  /** Separator (default: sniffed, see `prepare_csv.ts`). */
  separator?: string;
  /** Drop rows with missing cells instead of failing. */
  dropMissing?: boolean;
  /** Methods, by name (default: Table 1's nine); run in the registry's order. */
  methods?: readonly Method[];
  /** The grid (default `quick`). */
  grid?: CompareGrid;
  /** Epochs (default 100, the paper's). */
  epochs?: number;
  /** Hidden layer sizes (default: the paper's by feature count). */
  hidden?: number[];
  /** Standardise the labels with the training part's mean and std (default true). */
  standardizeLabels?: boolean;
  /** Results folder: the run cache `runs/`, and where the report goes. */
  resultsDir: string;
  /** The tfjs backend of the runs (part of the cache key). */
  backend: string;
  /** Workers (default one per core). */
  jobs?: number;
  /** `[i, n]`: compute slice i of n of the runs (the table is then made from whatever runs exist). */
  shard?: [number, number];
  /** Recompute runs even when cached. */
  force?: boolean;
  /** Called once the runs are planned (see `runExperiments`). */
  onPlanned?: RunExperimentsOptions["onPlanned"];
  /** Called after each computed group of runs. */
  onProgress?: RunExperimentsOptions["onProgress"];
}

/** One cell of the table: a method's test metric, mean (std) over the folds, and the per-fold values. */
export interface CompareRow {
  /** The method, in its command-line spelling (`mae`, `focal-mae`, `gar`, …). */
  method: string;
  /** The metric. */
  metric: Metric;
  /** Mean over the folds. */
  mean: number;
  /** Standard deviation over the folds (ddof 0). */
  std: number;
  /** The test value of each fold's selection. */
  folds: number[];
}

/** GAR's comparison on one metric (gains in %, positive: GAR better). */
export interface CompareGains {
  /** The metric. */
  metric: Metric;
  /** The best method other than GAR (command-line spelling), or null. */
  bestOther: string | null;
  /** Gain over MAE, %. */
  gainVsMae: number | null;
  /** Gain over the best other method, %. */
  gainVsBest: number | null;
  /** Pooled t-test p-value vs MAE. */
  pVsMae: number | null;
  /** Pooled t-test p-value vs the best other method. */
  pVsBest: number | null;
}

/** A refitted method's predictions of the test rows (see `refit.ts`). */
export interface CompareRefit {
  /** The method (command-line spelling). */
  method: string;
  /** Its configuration selected most often for MAE (see `refit.ts`): learning rate. */
  lr: number;
  /** Weight decay. */
  weightDecay: number;
  /** The method's parameter (null without one). */
  param: number | null;
  /** Epochs trained: the median of the epochs selected with this configuration for MAE. */
  epochs: number;
  /** In how many folds the MAE selection chose this configuration, of how many. */
  selected: { count: number; of: number };
  /** Its test metrics after the last epoch (MAE, RMSE in the units of the table). */
  test: Record<Metric, number | null>;
  /** Its predictions of the test rows, in the targets' units (null where it diverged). */
  predictions: (number | null)[][];
}

/** What {@linkcode compareCsv} found: every number of the report (`compare.json`). */
export interface CompareResult {
  /** The user's table. */
  input: {
    /** The CSV. */
    csv: string;
    /** The test CSV, or null. */
    testCsv: string | null;
    /** Target columns. */
    targets: string[];
    /** Feature columns used. */
    features: string[];
    /** Rows of the training and test parts. */
    rows: { train: number; test: number };
    /** The split, in words. */
    split: string;
    /** Warnings of the preparation (skipped or dropped columns, dropped rows). */
    warnings: string[];
    /** sha256 of the rows as the runs see them. */
    sha256: string;
  };
  /** The protocol's settings. */
  settings: {
    /** Methods (command-line spelling). */
    methods: string[];
    /** Grid name. */
    grid: CompareGrid;
    /** Learning rates. */
    lrs: number[];
    /** Weight decays. */
    weightDecays: number[];
    /** Each method's parameter grid (command-line spelling → values; null: none). */
    params: Record<string, (number | null)[]>;
    /** Epochs. */
    epochs: number;
    /** Epochs after which the lr is multiplied by 0.1. */
    milestones: number[];
    /** CV folds. */
    folds: number;
    /** Hidden layer sizes. */
    hidden: number[];
    /** Batch size. */
    batchSize: number;
    /** Labels standardised with the training part's mean / std. */
    standardizeLabels: boolean;
    /** Seed of the split. */
    seed: number;
    /** Backend of the runs. */
    backend: string;
  };
  /**
   * In which units MAE and RMSE are: `"target"` (raw labels, or standardised labels given back × std for one
   * target) or `"standardised"` (several targets with standardised labels).
   */
  units: "target" | "standardised";
  /** The training part's label mean and std per target (what standardisation uses). */
  labelStats: { mean: number[]; std: number[] };
  /** Every method × metric. */
  rows: CompareRow[];
  /** GAR's gains and p-values per metric (when GAR and another method ran). */
  gains: CompareGains[];
  /** GAR's and MAE's refits (when their CV runs are complete). */
  refits: CompareRefit[];
  /** The test rows' targets, in their units (the scatter's x). */
  truth: number[][];
  /**
   * Runs: of the whole plan, planned and found (all found: the table is complete); of this shard, found in the
   * cache and computed now.
   */
  runs: { planned: number; found: number; cached: number; computed: number };
  /** The table as the experiment runner summarised it (in the units above; the report's tables and figures). */
  summary: ExperimentSummary;
  /** Code version, tfjs, profile (the grid), shard, compute seconds, wall seconds. */
  provenance: Record<string, unknown>;
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    throw new DataFormatError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** The summary with MAE and RMSE multiplied by `scale` (when not 1) and the dataset named `name`. */
function inUnits(summary: ExperimentSummary, scale: number, name: string): ExperimentSummary {
  const scaled = new Set<Metric>(scale === 1 ? [] : ["mae", "rmse"]);
  return {
    ...summary,
    rows: summary.rows.map((r) => ({
      ...r,
      dataset: name,
      cells: Object.fromEntries(
        Object.entries(r.cells).map((
          [m, c],
        ) => [m, scaled.has(m as Metric) ? cell(c.values.map((v) => v * scale)) : c]),
      ),
    })),
    comparisons: summary.comparisons.map((c) => ({ ...c, dataset: name })),
  };
}

const alias = (name: string) => methodByName(name).alias;

/**
 * Runs the comparison (see the module notes) and returns every number; writes nothing but the run cache and
 * `<resultsDir>/tables/compare.json` (the runner's summary); `writeCompareReport` writes the report.
 *
 * @throws {DataFormatError} for a file that cannot be read or a table the rules refuse (each message names the
 *   file and column, and the line of a non-numeric value), or fewer than 10 training rows
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareCsv } from "./compare_csv.ts";
 * const dir = await Deno.makeTempDir();
 * const lines = ["x,y", ...Array.from({ length: 30 }, (_, i) => `${i},${2 * i + Math.sin(i)}`)];
 * await Deno.writeTextFile(`${dir}/t.csv`, lines.join("\n"));
 * const r = await compareCsv({ csv: `${dir}/t.csv`, target: ["y"], methods: ["MAE", "GAR"], epochs: 2,
 *   resultsDir: dir, backend: "cpu", jobs: 1 });
 * assert.deepEqual(r.rows.filter((x) => x.metric === "pearson").map((x) => [x.method, x.folds.length]), [["mae", 5], ["gar", 5]]);
 * assert.deepEqual(r.refits.map((x) => x.method), ["mae", "gar"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function compareCsv(o: CompareOptions): Promise<CompareResult> {
  const started = performance.now();
  const seed = o.seed ?? 0;
  const prepared = prepareCsv(await readInput(o.csv), o.csv, {
    target: o.target,
    features: o.features,
    separator: o.separator,
    dropMissing: o.dropMissing,
    seed,
    testFraction: o.testFraction,
    test: o.testCsv === undefined ? undefined : { bytes: await readInput(o.testCsv), name: o.testCsv },
  });
  if (prepared.train.x.length < 2 * FOLDS) {
    throw new DataFormatError(
      `${o.csv}: the training part has ${prepared.train.x.length} row(s); ${FOLDS}-fold cross-validation needs ` +
        `at least ${2 * FOLDS}`,
    );
  }
  const data: RunData = { train: prepared.train, test: prepared.test };
  const standardizeLabels = o.standardizeLabels ?? true;
  const names = o.methods ?? TABLE1_METHODS;
  const methods = TABLE1_METHODS.filter((m) => names.includes(m));
  for (const m of names) if (!methods.includes(m)) methods.push(m);
  const hidden = o.hidden ?? paperHiddenSizes(prepared.featureNames.length);
  const experiment: Experiment = {
    id: "compare",
    title: `Your table: ${basename(o.csv)}`,
    kind: "cv",
    datasets: [USER_TABLE],
    methods,
    hidden,
    standardizeLabels,
  };
  const grid = o.grid ?? "quick";
  const profile = compareProfile(grid, o.epochs ?? 100);
  const run = await runExperiments({
    profile,
    only: [],
    experiments: [experiment],
    tables: new Map([[USER_TABLE, data]]),
    datasets: [],
    shard: o.shard ?? [1, 1],
    jobs: o.jobs,
    force: o.force ?? false,
    backend: o.backend,
    resultsDir: o.resultsDir,
    onPlanned: o.onPlanned,
    onProgress: o.onProgress,
  });
  const labelStats = columnStats(data.train.y);
  const targets = prepared.targetNames.length;
  const scale = standardizeLabels && targets === 1 ? labelStats.std[0] || 1 : 1;
  const summary = inUnits(run.reports[0], scale, basename(o.csv));
  const refits = await refitSelected(methods.filter((m) => m === "MAE" || m === "GAR"), {
    experiment,
    profile,
    data,
    backend: o.backend,
    resultsDir: o.resultsDir,
    jobs: o.jobs,
    force: o.force,
  });
  const unstandardize = (rows: (number | null)[][]) =>
    standardizeLabels
      ? rows.map((r) =>
        r.map((v, j) => (v === null ? null : v * (labelStats.std[j] || 1) + labelStats.mean[j]))
      )
      : rows;
  return {
    input: {
      csv: o.csv,
      testCsv: o.testCsv ?? null,
      targets: prepared.targetNames,
      features: prepared.featureNames,
      rows: { train: data.train.x.length, test: data.test.x.length },
      split: prepared.split,
      warnings: prepared.warnings,
      sha256: await datasetHash(data),
    },
    settings: {
      methods: methods.map(alias),
      grid,
      lrs: [...profile.lrs as number[]],
      weightDecays: profile.weightDecays,
      params: Object.fromEntries(methods.map((m) => [alias(m), [...methodByName(m).grid]])),
      epochs: profile.epochs,
      milestones: profile.milestones,
      folds: FOLDS,
      hidden,
      batchSize: 256,
      standardizeLabels,
      seed,
      backend: o.backend,
    },
    units: standardizeLabels && targets > 1 ? "standardised" : "target",
    labelStats,
    rows: summary.rows.flatMap((r) =>
      METRICS.filter((m) => r.cells[m] !== undefined).map((metric) => {
        const c = r.cells[metric]!;
        return { method: alias(r.method), metric, mean: c.mean, std: c.std, folds: c.values };
      })
    ),
    gains: summary.comparisons.map((c) => ({
      metric: c.metric,
      bestOther: c.result.bestOther === null ? null : alias(c.result.bestOther),
      gainVsMae: c.result.gainVsMae,
      gainVsBest: c.result.gainVsBest,
      pVsMae: c.result.pVsMae,
      pVsBest: c.result.pVsBest,
    })),
    refits: refits.map((r) => ({
      method: alias(r.method),
      lr: r.config.lr,
      weightDecay: r.config.weightDecay,
      param: r.config.param,
      epochs: r.config.epochs,
      selected: { count: r.selected, of: r.folds },
      test: Object.fromEntries(METRICS.map((m) => {
        const v = r.metrics.test[m].at(-1) ?? null;
        return [m, v !== null && (m === "mae" || m === "rmse") ? v * scale : v];
      })) as Record<Metric, number | null>,
      predictions: unstandardize(r.metrics.predictions?.test ?? []),
    })),
    truth: data.test.y,
    runs: {
      planned: summary.rows.reduce((n, r) => n + r.runs.planned, 0),
      found: summary.rows.reduce((n, r) => n + r.runs.found, 0),
      cached: run.cached,
      computed: run.computed,
    },
    summary,
    provenance: { ...run.provenance, wallSeconds: (performance.now() - started) / 1000 },
  };
}
