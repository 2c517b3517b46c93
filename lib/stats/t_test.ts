/**
 * Two-sample Student's t-test with pooled variance (scipy's `ttest_ind(a, b)`, `equal_var=True`),
 * the test the paper's p-values use.
 *
 * @module
 */
import jStat from "jstat";
import { fsum } from "./fsum.ts";
import { mean } from "./mean.ts";

/** Result of {@linkcode pooledTTest}. */
export interface TTestResult {
  /** The t statistic `(ā − b̄) / √(s_p² (1/n_a + 1/n_b))`. */
  t: number;
  /** Degrees of freedom `n_a + n_b − 2`. */
  df: number;
  /** Two-sided p-value `2·(1 − F_t(|t|; df))`; 1 when both samples are constant and equal, NaN if undefined. */
  p: number;
}

/**
 * Pooled-variance two-sample t-test: `s_p² = ((n_a−1)s_a² + (n_b−1)s_b²)/(n_a+n_b−2)` with the
 * unbiased sample variances. Two constant samples give `p = 1` when their means are equal and
 * `p = 0` otherwise (t = ±∞).
 *
 * @throws {Error} when a sample has fewer than 2 values
 *
 * @example
 * ```ts
 * import { pooledTTest } from "./t_test.ts";
 * import assert from "node:assert/strict";
 * // means 2 and 4, both variances 1, n = 3: s_p² = 1, t = −2/√(2/3) = −2.449…, df 4
 * const r = pooledTTest([1, 2, 3], [3, 4, 5]);
 * assert.ok(Math.abs(r.t + 2.449489742783178) < 1e-12);
 * assert.ok(Math.abs(r.p - 0.07048399691021993) < 1e-6);
 * ```
 */
export function pooledTTest(a: readonly number[], b: readonly number[]): TTestResult {
  if (a.length < 2 || b.length < 2) throw new Error("pooledTTest: each sample needs at least 2 values");
  const [ma, mb] = [mean(a), mean(b)];
  const ssa = fsum(a.map((x) => (x - ma) ** 2));
  const ssb = fsum(b.map((x) => (x - mb) ** 2));
  const df = a.length + b.length - 2;
  const sp2 = (ssa + ssb) / df;
  const se = Math.sqrt(sp2 * (1 / a.length + 1 / b.length));
  if (se === 0) return { t: ma === mb ? 0 : Math.sign(ma - mb) * Infinity, df, p: ma === mb ? 1 : 0 };
  const t = (ma - mb) / se;
  if (!Number.isFinite(t)) return { t, df, p: NaN };
  const p = 2 * (1 - jStat.studentt.cdf(Math.abs(t), df));
  return { t, df, p: Math.min(1, Math.max(0, p)) };
}
