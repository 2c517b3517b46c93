/**
 * Float64 references of the pairwise losses and their O(N) forms: the test oracle for
 * `pairwiseDiffLoss`, `pairwiseDiffNormLoss`, `errorVarianceLoss` and `negPearsonLoss`.
 * All take `[N]` or `[N][T]` data and average over the T columns.
 *
 * @module
 */
import { GAR_EPS } from "../constants.ts";
import { asRows, column, type Matrix } from "./_matrix.ts";
import { fsum } from "../../stats/fsum.ts";
import { mean } from "../../stats/mean.ts";

type Data = readonly number[] | Matrix;

function columns(yTrue: Data, yPred: Data): Array<[number[], number[]]> {
  const t = asRows(yTrue);
  const p = asRows(yPred);
  if (t.length !== p.length || t[0]?.length !== p[0]?.length || t.length < 2) {
    throw new Error("pairwise reference: yTrue and yPred must have the same shape with at least 2 rows");
  }
  return t[0].map((_, j) => [column(t, j), column(p, j)]);
}

function diffs(x: number[]): number[] {
  return x.flatMap((xi) => x.map((xj) => xi - xj));
}

/**
 * Eq. 3 literally: `(1/N²) sum_ij l(f_i - f_j, y_i - y_j)`, mean over columns, with
 * `l = (a - b)^2 / 2` (`"halfSquared"`), `|a - b|` (`"absolute"`) or a given function.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pairwiseDiffLossReference } from "./pairwise.ts";
 * assert.equal(pairwiseDiffLossReference([0, 0], [0, 2]), 1);
 * ```
 */
export function pairwiseDiffLossReference(
  yTrue: Data,
  yPred: Data,
  loss: "halfSquared" | "absolute" | ((a: number, b: number) => number) = "halfSquared",
): number {
  const l = loss === "halfSquared"
    ? (a: number, b: number) => (a - b) ** 2 / 2
    : loss === "absolute"
    ? (a: number, b: number) => Math.abs(a - b)
    : loss;
  return mean(
    columns(yTrue, yPred).map(([y, f]) => {
      const dy = diffs(y);
      return mean(diffs(f).map((a, k) => l(a, dy[k])));
    }),
  );
}

/**
 * Eq. 6 literally: `|| d_f/||d_f||_p - d_y/||d_y||_p ||_p^p` over all N² pairs, each norm clipped
 * below at `GAR_EPS`; mean over columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pairwiseDiffNormLossReference } from "./pairwise.ts";
 * assert.ok(Math.abs(pairwiseDiffNormLossReference([1, 2, 4], [4, 7, 13])) < 1e-15);
 * ```
 */
export function pairwiseDiffNormLossReference(yTrue: Data, yPred: Data, p = 2): number {
  const unit = (x: number[]): number[] => {
    const d = diffs(x);
    const norm = Math.max(fsum(d.map((v) => Math.abs(v) ** p)) ** (1 / p), GAR_EPS);
    return d.map((v) => v / norm);
  };
  return mean(
    columns(yTrue, yPred).map(([y, f]) => {
      const u = unit(f);
      const v = unit(y);
      return fsum(u.map((ui, k) => Math.abs(ui - v[k]) ** p));
    }),
  );
}

/**
 * Eq. 5 / Theorem 1: the population variance of `f - y`, mean over columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorVarianceLossReference } from "./pairwise.ts";
 * assert.equal(errorVarianceLossReference([0, 0], [5, 7]), 1);
 * ```
 */
export function errorVarianceLossReference(yTrue: Data, yPred: Data): number {
  return mean(
    columns(yTrue, yPred).map(([y, f]) => {
      const delta = f.map((v, i) => v - y[i]);
      const m = mean(delta);
      return mean(delta.map((v) => (v - m) ** 2));
    }),
  );
}

/**
 * Eq. 7: `1 - rho(f, y)` with each population std clipped below at `GAR_EPS`; mean over columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { negPearsonLossReference } from "./pairwise.ts";
 * assert.ok(Math.abs(negPearsonLossReference([1, 2, 3], [3, 2, 1]) - 2) < 1e-15);
 * ```
 */
export function negPearsonLossReference(yTrue: Data, yPred: Data): number {
  const eps2 = GAR_EPS * GAR_EPS;
  return mean(
    columns(yTrue, yPred).map(([y, f]) => {
      const fm = mean(f);
      const ym = mean(y);
      const fc = f.map((v) => v - fm);
      const yc = y.map((v) => v - ym);
      const sF = Math.sqrt(Math.max(mean(fc.map((v) => v * v)), eps2));
      const sY = Math.sqrt(Math.max(mean(yc.map((v) => v * v)), eps2));
      return 1 - mean(fc.map((v, i) => v * yc[i])) / (sF * sY);
    }),
  );
}
