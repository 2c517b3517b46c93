/**
 * Model selection of the protocol: for each fold and each metric separately, the (config, epoch)
 * with the best validation value, and the test value there.
 *
 * @module
 */
import type { MetricCurves } from "./run.ts";

/** The metrics of the tables. */
export const METRICS = ["mae", "rmse", "pearson", "spearman", "r2"] as const;
/** One of {@linkcode METRICS}. */
export type Metric = typeof METRICS[number];

/** Whether a lower value of the metric is better (MAE, RMSE) or a higher one (correlations, R²). */
export const LOWER_IS_BETTER: Readonly<Record<Metric, boolean>> = {
  mae: true,
  rmse: true,
  pearson: false,
  spearman: false,
  r2: false,
};

/** One candidate run of a fold: its validation and test curves. */
export interface Candidate {
  /** Fold of the run. */
  fold: number;
  /** Validation curves. */
  val: MetricCurves;
  /** Test curves. */
  test: MetricCurves;
}

/** The selected point of one fold for one metric. */
export interface Selection {
  /** Fold. */
  fold: number;
  /** Index of the chosen candidate in the input. */
  candidate: number;
  /** Chosen epoch, 1-based. */
  epoch: number;
  /** Its validation value. */
  val: number;
  /** The test value reported. */
  test: number;
}

/**
 * For every fold present and the given metric, picks the candidate and epoch with the best
 * validation value (min for MAE / RMSE, max otherwise) and reports the test value there. Ties go
 * to the earlier candidate, then the earlier epoch; null (undefined or diverged) values are never
 * chosen, and the test value must be defined too. A fold with nothing selectable is left out.
 * Results are sorted by fold.
 *
 * @example
 * ```ts
 * import { selectBest } from "./select.ts";
 * import assert from "node:assert/strict";
 * const curves = (v: (number | null)[]) => ({ mae: v, rmse: v, pearson: v, spearman: v, r2: v });
 * const runs = [
 *   { fold: 0, val: curves([3, 2, 2.5]), test: curves([30, 20, 25]) },
 *   { fold: 0, val: curves([4, 1, null]), test: curves([40, 10, 5]) },
 * ];
 * const [s] = selectBest(runs, "mae");
 * assert.deepEqual([s.candidate, s.epoch, s.val, s.test], [1, 2, 1, 10]);
 * assert.equal(selectBest(runs, "pearson")[0].test, 40); // higher is better
 * ```
 */
export function selectBest(candidates: readonly Candidate[], metric: Metric): Selection[] {
  const lower = LOWER_IS_BETTER[metric];
  const best = new Map<number, Selection>();
  candidates.forEach((c, ci) => {
    const v = c.val[metric];
    const t = c.test[metric];
    for (let e = 0; e < v.length; e++) {
      const val = v[e];
      const test = t[e];
      if (val === null || test === null || !Number.isFinite(val) || !Number.isFinite(test)) continue;
      const cur = best.get(c.fold);
      if (!cur || (lower ? val < cur.val : val > cur.val)) {
        best.set(c.fold, { fold: c.fold, candidate: ci, epoch: e + 1, val, test });
      }
    }
  });
  return [...best.values()].sort((a, b) => a.fold - b.fold);
}
