/**
 * Test metrics of the paper: MAE, RMSE, Pearson, Spearman and R², computed per target column in
 * float64 and averaged over targets (as the authors' main.py does).
 *
 * @module
 */
import { fsum } from "../stats/fsum.ts";
import { mean } from "../stats/mean.ts";
import { averageRanks } from "../stats/average_ranks.ts";
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
export function rSquared(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = yTrue.length;
  const m = mean(yTrue);
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = (yTrue[i] - m) ** 2;
  const tot = fsum(terms);
  if (tot === 0) return NaN;
  for (let i = 0; i < n; i++) terms[i] = (yTrue[i] - yPred[i]) ** 2;
  return 1 - fsum(terms) / tot;
}

/**
 * The five metrics of one target column: truth `a`, predictions `b` (float64 arithmetic, compensated sums);
 * `aRanks`, the truth's {@linkcode averageRanks} when the caller keeps them (the same numbers, sooner).
 *
 * @example
 * ```ts
 * import { columnMetrics } from "./metrics.ts";
 * import assert from "node:assert/strict";
 * const m = columnMetrics([1, 2, 3, 4], Float32Array.of(1, 2, 3, 6));
 * assert.deepEqual([m.mae, m.rmse, m.spearman], [0.5, 1, 1]);
 * ```
 */
export function columnMetrics(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  aRanks?: ArrayLike<number>,
): RegressionMetrics {
  const n = a.length;
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = Math.abs(b[i] - a[i]);
  const mae = fsum(terms) / n;
  for (let i = 0; i < n; i++) terms[i] = (b[i] - a[i]) ** 2;
  const rmse = Math.sqrt(fsum(terms) / n);
  // Spearman from the truth's ranks when given (the same value: the truth does not change from epoch to epoch).
  const rho = aRanks && !Array.prototype.some.call(b, Number.isNaN)
    ? pearson(aRanks, averageRanks(b))
    : spearman(a, b);
  return { mae, rmse, pearson: pearson(a, b), spearman: rho, r2: rSquared(a, b) };
}

/**
 * MAE, RMSE, Pearson, Spearman and R² of predictions against truth, `[N][T]` rows (or `[N]`), each
 * computed per target column ({@linkcode columnMetrics}) and averaged over columns.
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
  return averageOverColumns(cols, (j) => columnMetrics(t.map((r) => r[j]), p.map((r) => r[j])));
}

/**
 * {@linkcode regressionMetrics} of row-major predictions `pred` (`[N, T]`, e.g. one run's slice of a stacked
 * network's output) against truth given as its T columns (and, optionally, their ranks): the same numbers,
 * without building rows.
 *
 * @example
 * ```ts
 * import { regressionMetrics, regressionMetricsOf } from "./metrics.ts";
 * import assert from "node:assert/strict";
 * const truth = [[1, 5], [2, 6], [3, 8]];
 * const pred = [[1.5, 5], [2, 7], [2.5, 8]];
 * const cols = [0, 1].map((j) => truth.map((r) => r[j]));
 * assert.deepEqual(regressionMetricsOf(cols, Float32Array.from(pred.flat())), regressionMetrics(truth, pred));
 * ```
 */
export function regressionMetricsOf(
  truth: readonly ArrayLike<number>[],
  pred: ArrayLike<number>,
  truthRanks?: readonly ArrayLike<number>[],
): RegressionMetrics {
  const cols = truth.length, n = truth[0].length;
  if (pred.length !== n * cols) {
    throw new Error(`regressionMetricsOf: ${pred.length} predictions for ${n} rows of ${cols} targets`);
  }
  return averageOverColumns(cols, (j) => {
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) b[i] = pred[i * cols + j];
    return columnMetrics(truth[j], b, truthRanks?.[j]);
  });
}

function averageOverColumns(cols: number, column: (j: number) => RegressionMetrics): RegressionMetrics {
  const acc = { mae: 0, rmse: 0, pearson: 0, spearman: 0, r2: 0 };
  for (let j = 0; j < cols; j++) {
    const m = column(j);
    acc.mae += m.mae;
    acc.rmse += m.rmse;
    acc.pearson += m.pearson;
    acc.spearman += m.spearman;
    acc.r2 += m.r2;
  }
  return {
    mae: acc.mae / cols,
    rmse: acc.rmse / cols,
    pearson: acc.pearson / cols,
    spearman: acc.spearman / cols,
    r2: acc.r2 / cols,
  };
}
