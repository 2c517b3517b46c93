/**
 * Aggregation of per-fold test values into the paper's table cells: mean and std (ddof 0) over
 * folds, gains of GAR in %, and pooled-variance t-test p-values.
 *
 * @module
 */
import { mean } from "../stats/mean.ts";
import { pooledTTest } from "../stats/t_test.ts";
import { variance } from "../stats/variance.ts";
import { LOWER_IS_BETTER, type Metric } from "./select.ts";

/** A table cell: mean and population std over folds. */
export interface Cell {
  /** Mean over folds. */
  mean: number;
  /** Standard deviation over folds, ddof 0 (as the paper's tables). */
  std: number;
  /** Number of folds. */
  n: number;
  /** The per-fold values. */
  values: number[];
}

/**
 * Mean and population std (ddof 0) of per-fold values.
 *
 * @example
 * ```ts
 * import { cell } from "./aggregate.ts";
 * import assert from "node:assert/strict";
 * const c = cell([1, 2, 3, 4]);
 * assert.equal(c.mean, 2.5);
 * assert.equal(c.std, Math.sqrt(1.25));
 * ```
 */
export function cell(values: readonly number[]): Cell {
  const n = values.length;
  return { mean: mean(values), std: Math.sqrt(variance(values)), n, values: [...values] };
}

/** GAR's comparison for one metric. */
export interface Comparison {
  /** Best method other than `target` (by mean), or null when there is none. */
  bestOther: string | null;
  /** Gain in % over MAE: `(MAE − GAR)/MAE·100` for lower-is-better metrics, `(GAR − MAE)/MAE·100` otherwise. */
  gainVsMae: number | null;
  /** Gain in % over the best other method (same sign convention). */
  gainVsBest: number | null;
  /** Pooled two-sample t-test p-value, GAR vs MAE over the fold values (null: < 2 folds). */
  pVsMae: number | null;
  /** p-value, GAR vs the best other method. */
  pVsBest: number | null;
}

/**
 * Gains and p-values of `target` (GAR) against `MAE` and against the best other method, from the
 * cells of one metric. Positive gains mean GAR is better.
 *
 * @example
 * ```ts
 * import { cell, compare } from "./aggregate.ts";
 * import assert from "node:assert/strict";
 * const r = compare({ MAE: cell([5, 5.2]), Huber: cell([4.6, 4.8]), GAR: cell([4.5, 4.7]) }, "mae");
 * assert.equal(r.bestOther, "Huber");
 * assert.ok(Math.abs(r.gainVsMae! - (5.1 - 4.6) / 5.1 * 100) < 1e-9);
 * ```
 */
export function compare(cells: Record<string, Cell>, metric: Metric, target = "GAR"): Comparison {
  const lower = LOWER_IS_BETTER[metric];
  const t = cells[target];
  const gain = (ref: Cell) => ((lower ? ref.mean - t.mean : t.mean - ref.mean) / Math.abs(ref.mean)) * 100;
  const p = (ref: Cell) => (t.n >= 2 && ref.n >= 2 ? pooledTTest(t.values, ref.values).p : null);
  const others = Object.entries(cells).filter(([k, c]) => k !== target && Number.isFinite(c.mean));
  others.sort(([, a], [, b]) => (lower ? a.mean - b.mean : b.mean - a.mean));
  const best = others[0];
  const mae = cells.MAE;
  return {
    bestOther: best ? best[0] : null,
    gainVsMae: t && mae ? gain(mae) : null,
    gainVsBest: t && best ? gain(best[1]) : null,
    pVsMae: t && mae ? p(mae) : null,
    pVsBest: t && best ? p(best[1]) : null,
  };
}
