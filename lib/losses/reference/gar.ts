/**
 * Float64 references of the GAR sub-losses, the GAR value and its closed-form gradient: the test
 * oracle for `garParts` and `gar`. Same definitions (the authors' sub-losses, each `+ GAR_EPS`;
 * clipped ddof-1 stds; Eq. 9 value) in plain TypeScript on `number[][]`.
 *
 * @module
 */
import { GAR_EPS } from "../constants.ts";
import { asRows, column, type Matrix, zeros } from "./_matrix.ts";
import { droAggregateGradientReference, droAggregateReference } from "./dro_aggregate.ts";
import { fsum } from "../../stats/fsum.ts";
import { mean } from "../../stats/mean.ts";

/** Options of the GAR references (see `gar`). */
export interface GarReferenceOptions {
  /** DRO temperature, > 0 (default 1). */
  alpha?: number;
  /** `"pooled"` (default) or `"perTarget"`. */
  multiTarget?: "pooled" | "perTarget";
}

/** The three sub-losses in float64, each including `+ GAR_EPS`. */
export interface GarPartsValues {
  /** `mean|f - y| + eps`. */
  mae: number;
  /** `mean(((f - f̄) - (y - ȳ))^2 / 2) + eps`. */
  variance: number;
  /** `mean(((f - f̄)/s_f - (y - ȳ)/s_y)^2 / 2) + eps`, `s = max(std_ddof1, eps)`. */
  pearson: number;
}

interface ColumnStats {
  delta: number[];
  d: number[];
  a: number[];
  r: number[];
  sF: number;
  fFree: boolean;
  /** raw means (no eps): mae, variance, pearson */
  parts: [number, number, number];
}

function pair(yTrue: readonly number[] | Matrix, yPred: readonly number[] | Matrix): [Matrix, Matrix] {
  const t = asRows(yTrue);
  const p = asRows(yPred);
  if (t.length !== p.length || t[0]?.length !== p[0]?.length || t.length < 2) {
    throw new Error("gar reference: yTrue and yPred must have the same shape with at least 2 rows");
  }
  return [t, p];
}

function columnStats(y: number[], f: number[]): ColumnStats {
  const n = y.length;
  const eps2 = GAR_EPS * GAR_EPS;
  const fMean = mean(f);
  const yMean = mean(y);
  const fc = f.map((v) => v - fMean);
  const yc = y.map((v) => v - yMean);
  const delta = f.map((v, i) => v - y[i]);
  const d = fc.map((v, i) => v - yc[i]);
  const varF = fsum(fc.map((v) => v * v)) / (n - 1);
  const varY = fsum(yc.map((v) => v * v)) / (n - 1);
  const sF = Math.sqrt(Math.max(varF, eps2));
  const sY = Math.sqrt(Math.max(varY, eps2));
  const a = fc.map((v) => v / sF);
  const r = a.map((v, i) => v - yc[i] / sY);
  const parts: [number, number, number] = [
    mean(delta.map(Math.abs)),
    mean(d.map((v) => v * v / 2)),
    mean(r.map((v) => v * v / 2)),
  ];
  return { delta, d, a, r, sF, fFree: varF >= eps2, parts };
}

function allColumns(t: Matrix, p: Matrix): ColumnStats[] {
  return t[0].map((_, j) => columnStats(column(t, j), column(p, j)));
}

function pooledParts(stats: ColumnStats[]): number[] {
  return [0, 1, 2].map((k) => mean(stats.map((s) => s.parts[k])) + GAR_EPS);
}

/**
 * The three GAR sub-losses in float64 (pooled and perTarget give the same numbers, see `garParts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { garPartsReference } from "./gar.ts";
 * const parts = garPartsReference([1, 2, 3], [2, 3, 4]);
 * assert.ok(Math.abs(parts.mae - 1) < 1e-6 && parts.variance < 1e-6 && parts.pearson < 1e-6);
 * ```
 */
export function garPartsReference(
  yTrue: readonly number[] | Matrix,
  yPred: readonly number[] | Matrix,
  _options: GarReferenceOptions = {},
): GarPartsValues {
  const [t, p] = pair(yTrue, yPred);
  const [mae, variance, pearson] = pooledParts(allColumns(t, p));
  return { mae, variance, pearson };
}

/**
 * The GAR value (Eq. 9 with M = 3) in float64: pooled, the aggregation of the pooled sub-losses;
 * perTarget, the mean over columns of each column's aggregation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { garReference } from "./gar.ts";
 * const v = garReference([1, 2, 3, 4], [1.5, 1.5, 3.5, 3.5], { alpha: 1 });
 * assert.ok(Number.isFinite(v));
 * ```
 */
export function garReference(
  yTrue: readonly number[] | Matrix,
  yPred: readonly number[] | Matrix,
  options: GarReferenceOptions = {},
): number {
  const alpha = options.alpha ?? 1;
  const [t, p] = pair(yTrue, yPred);
  const stats = allColumns(t, p);
  if ((options.multiTarget ?? "pooled") === "pooled") return droAggregateReference(pooledParts(stats), alpha);
  return mean(stats.map((s) => droAggregateReference(s.parts.map((v) => v + GAR_EPS), alpha)));
}

/**
 * The closed-form gradient of {@linkcode garReference} with respect to `yPred`, in float64, as an
 * `[N][T]` matrix: `sum_k (w_k / L_k) dL_k/df` with `dMAE/df = sign(delta)/n`, `dVar/df = d/n`,
 * `dPearson/df_j = (r_j - r̄ - [s_f not clipped] a_j sum_i(r_i a_i)/(N-1)) / (n s_f)`, `n = N*T`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { garGradientReference, garReference } from "./gar.ts";
 * const y = [1, 2, 3, 4];
 * const f = [1.5, 1.8, 3.5, 3.2];
 * const g = garGradientReference(y, f);
 * const h = 1e-6;
 * const fd = (garReference(y, [f[0] + h, ...f.slice(1)]) - garReference(y, [f[0] - h, ...f.slice(1)])) / (2 * h);
 * assert.ok(Math.abs(g[0][0] - fd) < 1e-6);
 * ```
 */
export function garGradientReference(
  yTrue: readonly number[] | Matrix,
  yPred: readonly number[] | Matrix,
  options: GarReferenceOptions = {},
): Matrix {
  const alpha = options.alpha ?? 1;
  const [t, p] = pair(yTrue, yPred);
  const n = t.length;
  const cols = t[0].length;
  const count = n * cols;
  const stats = allColumns(t, p);
  const pooled = (options.multiTarget ?? "pooled") === "pooled";
  const pooledCoef = pooled ? droAggregateGradientReference(pooledParts(stats), alpha) : [];
  const g = zeros(n, cols);
  stats.forEach((s, j) => {
    const coef = pooled ? pooledCoef : droAggregateGradientReference(s.parts.map((v) => v + GAR_EPS), alpha);
    const dMean = mean(s.d);
    const rMean = mean(s.r);
    const ra = s.fFree ? fsum(s.r.map((v, i) => v * s.a[i])) / (n - 1) : 0;
    for (let i = 0; i < n; i++) {
      const gMae = Math.sign(s.delta[i]);
      const gVar = s.d[i] - dMean;
      const gPear = (s.r[i] - rMean - s.a[i] * ra) / s.sF;
      g[i][j] = (coef[0] * gMae + coef[1] * gVar + coef[2] * gPear) / count;
    }
  });
  return g;
}
