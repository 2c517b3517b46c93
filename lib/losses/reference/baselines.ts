/**
 * Float64 references (the test oracle) for the baseline losses: plain loops, straight from the
 * definitions in the authors' `loss.py` / `synthetic_batch.py`, no vectorisation tricks.
 * Internal: not re-exported. Every name starts with `ref` and a baseline's name.
 *
 * Labels and predictions are `[N]` or `[N][T]` arrays, features `[N][D]`. Gradients: RankSim's
 * is written out explicitly (its gradient is the blackbox one, not the derivative of the value);
 * for the others use {@linkcode numericGradient} (central differences of the float64 value).
 *
 * @module
 */
import { asRows, type Matrix } from "./_matrix.ts";
import { fsum } from "../../stats/fsum.ts";
import { mean } from "../../stats/mean.ts";

type Labels = readonly number[] | readonly (readonly number[])[];

function pairs(yTrue: Labels, yPred: Labels): [Matrix, Matrix] {
  const t = asRows(yTrue);
  const p = asRows(yPred);
  if (t.length !== p.length || t[0].length !== p[0].length) throw new Error("reference: shape mismatch");
  return [t, p];
}

function errors(yTrue: Labels, yPred: Labels): number[] {
  const [t, p] = pairs(yTrue, yPred);
  return p.flatMap((row, i) => row.map((v, j) => v - t[i][j]));
}

/**
 * Mean absolute error, float64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maeReference } from "./baselines.ts";
 * assert.equal(maeReference([1, 2, 3], [2, 2, 1]), 1);
 * ```
 */
export function maeReference(yTrue: Labels, yPred: Labels): number {
  return mean(errors(yTrue, yPred).map(Math.abs));
}

/**
 * Mean squared error, float64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mseReference } from "./baselines.ts";
 * assert.equal(mseReference([1, 2, 3], [2, 2, 1]), 5 / 3);
 * ```
 */
export function mseReference(yTrue: Labels, yPred: Labels): number {
  return mean(errors(yTrue, yPred).map((r) => r * r));
}

/**
 * torch `HuberLoss(delta)`, float64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { huberReference } from "./baselines.ts";
 * assert.equal(huberReference([0, 0], [0.5, 3], 1), (0.125 + 2.5) / 2);
 * ```
 */
export function huberReference(yTrue: Labels, yPred: Labels, delta: number): number {
  return mean(
    errors(yTrue, yPred).map((r) => Math.abs(r) < delta ? 0.5 * r * r : delta * (Math.abs(r) - 0.5 * delta)),
  );
}

function focalWeight(r: number, beta: number, gamma: number): number {
  return (2 / (1 + Math.exp(-beta * Math.abs(r))) - 1) ** gamma;
}

/**
 * Focal MAE (`weighted_focal_mae_loss`, sigmoid activation), float64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { focalMaeReference } from "./baselines.ts";
 * assert.ok(focalMaeReference([0, 0], [1, -1], 0.2, 1) < 1);
 * ```
 */
export function focalMaeReference(yTrue: Labels, yPred: Labels, beta: number, gamma: number): number {
  return mean(errors(yTrue, yPred).map((r) => Math.abs(r) * focalWeight(r, beta, gamma)));
}

/**
 * Focal MSE (`weighted_focal_mse_loss`, sigmoid activation), float64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { focalMseReference } from "./baselines.ts";
 * assert.ok(focalMseReference([0, 0], [1, -1], 0.2, 1) < 1);
 * ```
 */
export function focalMseReference(yTrue: Labels, yPred: Labels, beta: number, gamma: number): number {
  return mean(errors(yTrue, yPred).map((r) => r * r * focalWeight(r, beta, gamma)));
}

function centredColumns(m: Matrix): Matrix {
  const cols = m[0].length;
  const means = Array.from({ length: cols }, (_, j) => mean(m.map((r) => r[j])));
  return m.map((r) => r.map((v, j) => v - means[j]));
}

/** Per-column population-moment Pearson ρ with std clipped below at 1e-7, averaged over columns. */
function meanPearson(t: Matrix, p: Matrix): number {
  const tc = centredColumns(t);
  const pc = centredColumns(p);
  const rhos = t[0].map((_, j) => {
    const cov = mean(pc.map((r, i) => r[j] * tc[i][j]));
    const sp = Math.sqrt(Math.max(mean(pc.map((r) => r[j] ** 2)), 1e-14));
    const sy = Math.sqrt(Math.max(mean(tc.map((r) => r[j] ** 2)), 1e-14));
    return cov / (sp * sy);
  });
  return mean(rhos);
}

/** The authors' `pearson_loss` (unbiased std clipped at 1e-7): mean of squared z-differences / 2. */
function pearsonTerm(t: Matrix, p: Matrix): number {
  const n = t.length;
  const tc = centredColumns(t);
  const pc = centredColumns(p);
  const sp = t[0].map((_, j) => Math.sqrt(Math.max(fsum(pc.map((r) => r[j] ** 2)) / (n - 1), 1e-14)));
  const sy = t[0].map((_, j) => Math.sqrt(Math.max(fsum(tc.map((r) => r[j] ** 2)) / (n - 1), 1e-14)));
  return mean(pc.flatMap((r, i) => r.map((v, j) => (v / sp[j] - tc[i][j] / sy[j]) ** 2 / 2)));
}

/**
 * The constant weight of MAE-Pearson at the current batch: `ρ̄` for `"paper"`, `P/2` for `"code"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maePearsonWeightReference } from "./baselines.ts";
 * assert.ok(Math.abs(maePearsonWeightReference([1, 2, 3], [2, 4, 6], "paper") - 1) < 1e-12);
 * ```
 */
export function maePearsonWeightReference(yTrue: Labels, yPred: Labels, form: "paper" | "code"): number {
  const [t, p] = pairs(yTrue, yPred);
  return form === "paper" ? meanPearson(t, p) : pearsonTerm(t, p) / 2;
}

/**
 * MAE-Pearson, float64. `weight` fixes the detached weight (default: its current value, so the
 * value is the loss; pass the current weight explicitly to differentiate numerically with the
 * weight held constant, as the loss's gradient does).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maePearsonReference } from "./baselines.ts";
 * assert.ok(Math.abs(maePearsonReference([1, 2, 3], [2, 3, 4], "paper") - 1) < 1e-12);
 * ```
 */
export function maePearsonReference(
  yTrue: Labels,
  yPred: Labels,
  form: "paper" | "code",
  weight?: number,
): number {
  const [t, p] = pairs(yTrue, yPred);
  const maeValue = maeReference(t, p);
  if (form === "paper") {
    const beta = weight ?? meanPearson(t, p);
    return beta * maeValue + (1 - beta) * (1 - meanPearson(t, p));
  }
  const b = weight ?? pearsonTerm(t, p) / 2;
  return (1 - b) * maeValue + b * pearsonTerm(t, p);
}

/**
 * `rank_normalised` of one row: `(rank + 1)/U`, rank = position in descending order, ties: the
 * later index first (rank = #greater + #equal at a later index).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rankNormalisedReference } from "./baselines.ts";
 * assert.deepEqual(rankNormalisedReference([0.5, 2, 0.5, -1]), [0.75, 0.25, 0.5, 1]);
 * ```
 */
export function rankNormalisedReference(s: readonly number[]): number[] {
  const u = s.length;
  return s.map((v, j) => {
    let rank = 0;
    for (let k = 0; k < u; k++) if (s[k] > v || (s[k] === v && k > j)) rank++;
    return (rank + 1) / u;
  });
}

/**
 * The rows RankSim keeps: all (in order) if the labels are distinct, else one per unique label in
 * increasing label order, the first row of each, or `rows[floor(rng()·count)]` with `rng`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rankSimRowsReference } from "./baselines.ts";
 * assert.deepEqual(rankSimRowsReference([2, 1, 2, 0]), [3, 1, 0]);
 * ```
 */
export function rankSimRowsReference(labels: readonly number[], rng?: () => number): number[] {
  const distinct = [...new Set(labels)].sort((a, b) => a - b);
  if (distinct.length === labels.length) return labels.map((_, i) => i);
  return distinct.map((label) => {
    const rows = labels.flatMap((v, i) => v === label ? [i] : []);
    return rng === undefined ? rows[0] : rows[Math.floor(rng() * rows.length)];
  });
}

/** Value and gradient (w.r.t. the features) of {@linkcode rankSimReference}. */
export interface RankSimReferenceResult {
  /** The regularizer's value. */
  value: number;
  /** The blackbox gradient w.r.t. the features, `[N][D]` (zero rows for unused rows). */
  grad: Matrix;
}

/**
 * RankSim regularizer (`batchwise_ranking_regularizer` without the ×100), float64, with its
 * blackbox gradient written out: `g = ∂L/∂rank = 2(fr − lr)/U`,
 * `∂L/∂xxt_i = −(fr_i − rank_normalised(xxt_i + λ·g_i))/(λ + 1e-8)`, then the chain rule through
 * `xxt = n·nᵀ`, `n = x / max(‖x‖, 1e-12)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rankSimReference } from "./baselines.ts";
 * const { value } = rankSimReference([0, 1, 2], [[1, 0], [Math.SQRT1_2, Math.SQRT1_2], [0, 1]], 2);
 * assert.equal(value, 0);
 * ```
 */
export function rankSimReference(
  labels: readonly number[],
  features: readonly (readonly number[])[],
  lambda: number,
  rng?: () => number,
): RankSimReferenceResult {
  const rows = rankSimRowsReference(labels, rng);
  const u = rows.length;
  const d = features[0].length;
  const x = rows.map((r) => [...features[r]]);
  const y = rows.map((r) => labels[r]);
  const norms = x.map((r) => Math.max(Math.sqrt(fsum(r.map((v) => v * v))), 1e-12));
  const nx = x.map((r, i) => r.map((v) => v / norms[i]));
  const xxt = nx.map((a) => nx.map((b) => fsum(a.map((v, k) => v * b[k]))));
  let value = 0;
  const gXxt: Matrix = [];
  for (let i = 0; i < u; i++) {
    const lr = rankNormalisedReference(y.map((v) => -Math.abs(y[i] - v)));
    const fr = rankNormalisedReference(xxt[i]);
    value += mean(fr.map((v, j) => (v - lr[j]) ** 2));
    const g = fr.map((v, j) => 2 * (v - lr[j]) / u);
    const shifted = rankNormalisedReference(xxt[i].map((v, j) => v + lambda * g[j]));
    gXxt.push(fr.map((v, j) => -(v - shifted[j]) / (lambda + 1e-8)));
  }
  const grad: Matrix = features.map((r) => r.map(() => 0));
  for (let a = 0; a < u; a++) {
    // ∂L/∂n_a = Σ_b (G_ab + G_ba) n_b
    const gn = Array.from(
      { length: d },
      (_, k) => fsum(nx.map((nb, b) => (gXxt[a][b] + gXxt[b][a]) * nb[k])),
    );
    const raw = Math.sqrt(fsum(x[a].map((v) => v * v)));
    if (raw > 1e-12) {
      const dot = fsum(gn.map((v, k) => v * nx[a][k]));
      grad[rows[a]] = gn.map((v, k) => (v - nx[a][k] * dot) / raw);
    } else {
      grad[rows[a]] = gn.map((v) => v / 1e-12);
    }
  }
  return { value, grad };
}

/**
 * RnC loss (`RnCLoss`, one view, L1 label distance summed over columns, L2 feature distance),
 * float64, O(N³) loops.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rncReference } from "./baselines.ts";
 * assert.ok(Math.abs(rncReference([0, 1], [[0, 0], [3, 4]], 2)) < 1e-12);
 * ```
 */
export function rncReference(
  labels: Labels,
  features: readonly (readonly number[])[],
  temperature: number,
): number {
  const y = asRows(labels);
  const n = y.length;
  const dist = y.map((a) => y.map((b) => fsum(a.map((v, k) => Math.abs(v - b[k])))));
  const logits = features.map((a) =>
    features.map((b) => -Math.sqrt(fsum(a.map((v, k) => (v - b[k]) ** 2))) / temperature)
  );
  const terms: number[] = [];
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) if (j !== i) m = Math.max(m, logits[i][j]);
    for (let k = 0; k < n; k++) {
      if (k === i) continue;
      const inDenominator: number[] = [];
      for (let j = 0; j < n; j++) {
        if (j !== i && dist[i][j] >= dist[i][k]) inDenominator.push(Math.exp(logits[i][j] - m));
      }
      terms.push(-(logits[i][k] - m - Math.log(fsum(inDenominator))));
    }
  }
  return fsum(terms) / (n * (n - 1));
}

/** Options of {@linkcode conrReference} (all required). */
export interface ConrReferenceOptions {
  /** Window. */
  w: number;
  /** Temperature. */
  t: number;
  /** Pushing strength. */
  e: number;
}

/**
 * ConR (`ConR_extend`, weights 1), float64, written as the authors' formula with its quirks
 * (Σ_k exp(pos_ik) over all k).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { conrReference } from "./baselines.ts";
 * const y = [0, 0.5, 5];
 * assert.equal(conrReference(y, y, [[1, 0], [0, 1], [1, 1]], { w: 1, t: 0.07, e: 0.01 }), 0);
 * ```
 */
export function conrReference(
  yTrue: Labels,
  yPred: Labels,
  features: readonly (readonly number[])[],
  options: ConrReferenceOptions,
): number {
  const { w, t, e } = options;
  const [y, p] = pairs(yTrue, yPred);
  const n = y.length;
  const meanAbs = (a: readonly number[], b: readonly number[]) => mean(a.map((v, k) => Math.abs(v - b[k])));
  const q = features.map((r) => {
    const norm = Math.max(Math.sqrt(fsum(r.map((v) => v * v))), 1e-12);
    return r.map((v) => v / norm);
  });
  const rowLoss: number[] = [];
  for (let i = 0; i < n; i++) {
    const pos: number[] = [];
    const posMask: boolean[] = [];
    const negTerms: number[] = [];
    for (let j = 0; j < n; j++) {
      const l = meanAbs(y[i], y[j]);
      const isPos = l <= w && j !== i;
      const isNeg = l > w && meanAbs(p[i], p[j]) <= w;
      const prod = fsum(q[i].map((v, k) => v * q[j][k])) / t;
      posMask.push(isPos);
      pos.push(isPos ? prod : 0);
      if (isNeg) negTerms.push(Math.exp(l * e) * Math.exp(prod));
    }
    const denominator = fsum(pos.map(Math.exp)) + fsum(negTerms);
    const count = posMask.filter(Boolean).length;
    const sum = fsum(pos.flatMap((v, j) => posMask[j] ? [-Math.log(Math.exp(v) / denominator)] : []));
    rowLoss.push(negTerms.length > 0 ? sum / Math.max(count, 1e-5) : 0);
  }
  return mean(rowLoss);
}

/**
 * Central finite differences of a float64 function of a matrix: `∂f/∂x_ij ≈ (f(x + h) − f(x − h))/2h`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numericGradient } from "./baselines.ts";
 * const g = numericGradient((x) => x[0][0] ** 2 + 3 * x[1][0], [[2], [5]]);
 * assert.ok(Math.abs(g[0][0] - 4) < 1e-6 && Math.abs(g[1][0] - 3) < 1e-6);
 * ```
 */
export function numericGradient(
  f: (x: Matrix) => number,
  x: readonly (readonly number[])[],
  h = 1e-6,
): Matrix {
  return x.map((row, i) =>
    row.map((_, j) => {
      const plus = x.map((r) => [...r]);
      const minus = x.map((r) => [...r]);
      plus[i][j] += h;
      minus[i][j] -= h;
      return (f(plus) - f(minus)) / (2 * h);
    })
  );
}
