/**
 * Turns the stored runs of an experiment into its table: the protocol's selection per fold and
 * metric (`select.ts`), mean (std, ddof 0) over folds, GAR's gains and t-test p-values
 * (`aggregate.ts`). Works on whatever runs exist (several shards may have written them); a group
 * with missing runs is marked incomplete.
 *
 * - CV experiments: one cell per (dataset, method, variant, metric).
 * - Synthetic experiments (no validation split): per (dataset, method, variant), the (lr, decay,
 *   parameter) with the best mean last-epoch test MAE over seeds is reported, with the mean (std)
 *   over seeds of its last-epoch test metrics and its predictions on every point (mean and std
 *   over seeds, for the figures).
 * - Table 6 / Fig. 12: with each cell, the per-epoch mean over folds of the predicted test mean and
 *   std of the runs with the first (lr, decay) configuration, next to the truth's.
 *
 * @module
 */
import { type Cell, cell, compare, type Comparison } from "./aggregate.ts";
import type { PlannedRun } from "./experiments.ts";
import type { RunRecord } from "./run_cache.ts";
import { type Metric, METRICS, selectBest } from "./select.ts";
import { mean } from "../stats/mean.ts";
import { present } from "../stats/present.ts";
import { variance } from "../stats/variance.ts";

/** One row of an experiment's table. */
export interface SummaryRow {
  /** Dataset id. */
  dataset: string;
  /** Method. */
  method: string;
  /** Row variable (batch size, α, depth) or null. */
  variant: number | null;
  /** Runs planned / found. */
  runs: { planned: number; found: number };
  /** Cells by metric (absent when no fold could be selected). */
  cells: Partial<Record<Metric, Cell>>;
  /** Synthetic: the chosen (lr, weightDecay, param) and the prediction curves. */
  synthetic?: {
    chosen: { lr: number; weightDecay: number; param: number | null };
    x: number[];
    truth: number[];
    predMean: (number | null)[];
    predStd: (number | null)[];
  };
  /** Fig. 12: fold-averaged predicted test mean / std per epoch, and the truth's. */
  predStats?: { mean: (number | null)[]; std: (number | null)[]; truthMean: number; truthStd: number };
}

/** An experiment's report. */
export interface ExperimentSummary {
  /** Experiment id. */
  experiment: string;
  /** Rows. */
  rows: SummaryRow[];
  /** GAR's comparisons by dataset (and variant) and metric, for experiments with several methods. */
  comparisons: { dataset: string; variant: number | null; metric: Metric; result: Comparison }[];
}

/** Per position, the mean of the curves' values that are present (null where none is). */
function meanOf(values: (number | null)[][]): (number | null)[] {
  const len = Math.max(0, ...values.map((v) => v.length));
  return Array.from({ length: len }, (_, i) => {
    const xs = present(values.map((v) => v[i]));
    return xs.length ? mean(xs) : null;
  });
}

/** Per position, the population std of the curves' values that are present (null where none is). */
function stdOf(values: (number | null)[][]): (number | null)[] {
  const len = Math.max(0, ...values.map((v) => v.length));
  return Array.from({ length: len }, (_, i) => {
    const xs = present(values.map((v) => v[i]));
    return xs.length ? Math.sqrt(variance(xs)) : null;
  });
}

/**
 * The report of one experiment from its planned runs and the records found (keyed by run key;
 * `keys[i]` is the key of `planned[i]`).
 *
 * @example
 * ```ts
 * import { summarizeExperiment } from "./summary.ts";
 * import assert from "node:assert/strict";
 * const r = summarizeExperiment("table1", [], [], new Map());
 * assert.deepEqual(r.rows, []);
 * ```
 */
export function summarizeExperiment(
  experiment: string,
  planned: readonly PlannedRun[],
  keys: readonly string[],
  records: ReadonlyMap<string, RunRecord>,
  synthetic?: { x: number[]; truth: number[] } | ((dataset: string) => { x: number[]; truth: number[] }),
): ExperimentSummary {
  const groups = new Map<string, { run: PlannedRun; key: string }[]>();
  planned.forEach((run, i) => {
    const g = `${run.dataset}\u0000${run.method}\u0000${run.variant}`;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push({ run, key: keys[i] });
  });
  const rows: SummaryRow[] = [];
  for (const members of groups.values()) {
    const { dataset, method, variant } = members[0].run;
    const found = members.map((m) => ({ ...m, rec: records.get(m.key) })).filter((m) => m.rec);
    const row: SummaryRow = {
      dataset,
      method,
      variant,
      runs: { planned: members.length, found: found.length },
      cells: {},
    };
    if (members[0].run.config.fold !== null) {
      const candidates = found.map((m) => ({
        fold: m.run.config.fold as number,
        val: m.rec!.metrics.val!,
        test: m.rec!.metrics.test,
      }));
      for (const metric of METRICS) {
        const sel = selectBest(candidates, metric);
        if (sel.length) row.cells[metric] = cell(sel.map((s) => s.test));
      }
      if (experiment === "table6" && found.length) {
        const c0 = found[0].run.config;
        const same = found.filter((m) =>
          m.run.config.lr === c0.lr && m.run.config.weightDecay === c0.weightDecay
        );
        const mean = meanOf(same.map((m) => m.rec!.metrics.testPredMean));
        const std = meanOf(same.map((m) => m.rec!.metrics.testPredStd));
        const t = same[0].rec!.metrics.testTruth;
        row.predStats = { mean, std, truthMean: t.mean, truthStd: t.std };
      }
    } else if (found.length) {
      const byConfig = new Map<string, typeof found>();
      for (const m of found) {
        const c = m.run.config;
        const k = `${c.lr}/${c.weightDecay}/${c.param}`;
        if (!byConfig.has(k)) byConfig.set(k, []);
        byConfig.get(k)!.push(m);
      }
      let best: typeof found | null = null;
      let bestMae = Infinity;
      for (const ms of byConfig.values()) {
        const maes = ms.map((m) => m.rec!.metrics.test.mae.at(-1));
        const v = maes.every((x) => typeof x === "number") ? mean(maes as number[]) : Infinity;
        if (best === null || v < bestMae) [best, bestMae] = [ms, v];
      }
      const chosen = best!;
      for (const metric of METRICS) {
        const vals = chosen.map((m) => m.rec!.metrics.test[metric].at(-1));
        if (vals.every((v) => typeof v === "number")) row.cells[metric] = cell(vals as number[]);
      }
      const grid = typeof synthetic === "function" ? synthetic(dataset) : synthetic;
      const preds = chosen.map((m) => {
        const p = m.rec!.metrics.predictions!;
        return [...p.train, ...p.test].map((r) => r[0]);
      });
      const predMean = meanOf(preds);
      const c = chosen[0].run.config;
      row.synthetic = {
        chosen: { lr: c.lr, weightDecay: c.weightDecay, param: c.param },
        x: grid?.x ?? [],
        truth: grid?.truth ?? [],
        predMean,
        predStd: stdOf(preds),
      };
    }
    rows.push(row);
  }
  const comparisons: ExperimentSummary["comparisons"] = [];
  const methods = new Set(rows.map((r) => r.method));
  if (methods.has("GAR") && methods.size > 1) {
    const slices = new Map<string, SummaryRow[]>();
    for (const r of rows) {
      const k = `${r.dataset}\u0000${r.variant}`;
      if (!slices.has(k)) slices.set(k, []);
      slices.get(k)!.push(r);
    }
    for (const rs of slices.values()) {
      for (const metric of METRICS) {
        const cells: Record<string, Cell> = {};
        for (const r of rs) if (r.cells[metric]) cells[r.method] = r.cells[metric]!;
        if (!cells.GAR) continue;
        comparisons.push({
          dataset: rs[0].dataset,
          variant: rs[0].variant,
          metric,
          result: compare(cells, metric),
        });
      }
    }
  }
  return { experiment, rows, comparisons };
}
