/**
 * Test metrics of the paper: MAE, RMSE, Pearson, Spearman and R², computed per target column in
 * float64 and averaged over targets (as the authors' main.py does).
 *
 * @module
 */
import { fsum } from "../stats/fsum.ts";
import { mean } from "../stats/mean.ts";
import { pearson } from "../stats/pearson.ts";
import { spearman } from "../stats/spearman.ts";

/** The five metrics, each averaged over target columns. */
export interface RegressionMetrics {
  /** Mean absolute error. */
  mae: number;
  /** Root mean squared error. */
  rmse: number;
  /** Pearson correlation; NaN when truth or prediction is constant in some column (undefined). */
  pearson: number;
  /** Spearman rank correlation (average ranks for ties); NaN when either side is constant. */
  spearman: number;
  /** Coefficient of determination `1 − SS_res / SS_tot` (AgeDB's table); NaN when the truth is constant. */
  r2: number;
}

/**
 * R² (coefficient of determination) `1 − Σ(y − f)² / Σ(y − ȳ)²` of one column (float64); NaN if
 * the truth is constant. It can be negative (worse than predicting the mean).
 *
 * @example
 * ```ts
 * import { rSquared } from "./metrics.ts";
 * import assert from "node:assert/strict";
 * assert.equal(rSquared([1, 2, 3], [1, 2, 3]), 1);
 * assert.equal(rSquared([1, 2, 3], [2, 2, 2]), 0); // predicting the mean
 * ```
 */
export function rSquared(yTrue: readonly number[], yPred: readonly number[]): number {
  const m = mean(yTrue);
  const tot = fsum(yTrue.map((v) => (v - m) ** 2));
  if (tot === 0) return NaN;
  return 1 - fsum(yTrue.map((v, i) => (v - yPred[i]) ** 2)) / tot;
}

/**
 * MAE, RMSE, Pearson, Spearman and R² of predictions against truth, `[N][T]` rows (or `[N]`), each
 * computed per target column and averaged over columns.
 *
 * @throws {Error} on mismatched shapes or an empty input
 *
 * @example
 * ```ts
 * import { regressionMetrics } from "./metrics.ts";
 * import assert from "node:assert/strict";
 * const m = regressionMetrics([1, 2, 3, 4], [1, 2, 3, 6]);
 * assert.equal(m.mae, 0.5);
 * assert.equal(m.rmse, 1);
 * assert.equal(m.spearman, 1);
 * ```
 */
export function regressionMetrics(
  yTrue: readonly number[] | readonly number[][],
  yPred: readonly number[] | readonly number[][],
): RegressionMetrics {
  const t = (yTrue as readonly (number | number[])[]).map((r) => (typeof r === "number" ? [r] : r));
  const p = (yPred as readonly (number | number[])[]).map((r) => (typeof r === "number" ? [r] : r));
  if (t.length === 0 || t.length !== p.length || t[0].length !== p[0].length) {
    throw new Error(
      `regressionMetrics: shapes differ or are empty ([${t.length}, ${t[0]?.length}] vs [${p.length}, ${
        p[0]?.length
      }])`,
    );
  }
  const cols = t[0].length;
  const acc = { mae: 0, rmse: 0, pearson: 0, spearman: 0, r2: 0 };
  for (let j = 0; j < cols; j++) {
    const a = t.map((r) => r[j]);
    const b = p.map((r) => r[j]);
    acc.mae += fsum(a.map((v, i) => Math.abs(b[i] - v))) / a.length;
    acc.rmse += Math.sqrt(fsum(a.map((v, i) => (b[i] - v) ** 2)) / a.length);
    acc.pearson += pearson(a, b);
    acc.spearman += spearman(a, b);
    acc.r2 += rSquared(a, b);
  }
  return {
    mae: acc.mae / cols,
    rmse: acc.rmse / cols,
    pearson: acc.pearson / cols,
    spearman: acc.spearman / cols,
    r2: acc.r2 / cols,
  };
}
