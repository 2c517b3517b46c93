/**
 * The per-anchor host passes of RankSim, RnC and ConR on the host-memory backends (cpu, wasm), as
 * row kernels: each reads its inputs and writes its outputs for the anchor rows `[r0, r1)` only, so
 * that {@linkcode runRows} can share the rows of one call between the main thread and a worker
 * (`_host_pool.ts`). A row's result depends on nothing but the inputs, never on which thread ran
 * it or on how the rows were split: the results are the same bit for bit either way. Internal.
 *
 * Every kernel takes `(arrays, params, r0, r1)`; the arrays and parameters are listed with each.
 *
 * @module
 */
import { exp } from "./_exp.ts";
import { descendingOrderRow, labelDistanceOrderRow } from "./_host_order.ts";

/** The typed arrays a row kernel reads and writes. */
export type RowArray = Float32Array | Float64Array | Int32Array;

/** A row kernel: reads `arrays` and `params`, writes its outputs for rows `[r0, r1)`. */
export type RowKernel = (arrays: RowArray[], params: Float64Array, r0: number, r1: number) => void;

// Per-thread scratch, grown on demand.
let scratchA = new Float64Array(0);
let scratchB = new Float64Array(0);
let scratchC = new Float64Array(0);
let scratchD = new Float64Array(0);
let scratchE = new Float64Array(0);
let scratchOrder = new Int32Array(0);
let scratchValues = new Float32Array(0);
let sortedValues = new Float64Array(0);

function scratch(n: number): void {
  if (scratchA.length < n) {
    scratchA = new Float64Array(n);
    scratchB = new Float64Array(n);
    scratchC = new Float64Array(n);
    scratchD = new Float64Array(n);
    scratchE = new Float64Array(n);
    scratchOrder = new Int32Array(n);
    scratchValues = new Float32Array(n);
  }
}

/** `y[sorted[k]]` as float64, in this thread's scratch. */
function sortedLabels(y: Float32Array, sorted: Int32Array): Float64Array {
  const n = y.length;
  if (sortedValues.length !== n) sortedValues = new Float64Array(n);
  for (let k = 0; k < n; k++) sortedValues[k] = y[sorted[k]];
  return sortedValues;
}

/**
 * RnC, per anchor row i. Arrays: `gram` (f32 `[N²]`, Gram matrix of the centred features: distances
 * `sqrt(max(0, g_ii + g_jj − 2g_ij))`), then either `labels`
 * (f32 `[N]`) and `sorted` (i32 `[N]`, their {@linkcode sortedIndex}) when `params[1] = 1` (one
 * label column), or `labelDist` (f32 `[N²]`) when `params[1] = 0`; outputs `g` (f32 `[N²]`,
 * `∂L_i/∂d_ij / d_ij`, 0 where `d_ij = 0`, unnormalised) and `rowValue` (f64 `[N]`, the row's
 * `Σ_k −(s_ik − log denominator)`). Params: `[temperature, oneColumn]`.
 *
 * Per row: the exp-logits shifted by the row's max logit, the other rows walked by decreasing label
 * distance with their cumulative exp-sum, each tie group of m anchors adding `m · log(sum at the
 * group's end)` (the log of a running product, renormalised before it leaves float64's range), and
 * the gradient by the reverse cumulative sum of `weight / sum` over the groups.
 */
export const rncRows: RowKernel = (arrays, params, r0, r1) => {
  const inverseT = 1 / params[0], oneColumn = params[1] === 1;
  const gram = arrays[0] as Float32Array;
  const n = Math.round(Math.sqrt(gram.length));
  const g = arrays[oneColumn ? 3 : 2] as Float32Array;
  const rowValue = arrays[oneColumn ? 4 : 3] as Float64Array;
  scratch(n);
  // In walk order (decreasing label distance): exp-logits, label distances, group ratios, columns;
  // the row's feature distances; the Gram diagonal.
  const e = scratchA, labelDistance = scratchC, ratio = scratchB, order = scratchOrder;
  const dist = scratchD, diagonal = scratchE;
  for (let j = 0; j < n; j++) diagonal[j] = gram[j * n + j];
  const labels = oneColumn ? arrays[1] as Float32Array : null;
  const sorted = oneColumn ? arrays[2] as Int32Array : null;
  const labelDist = oneColumn ? null : arrays[1] as Float32Array;
  const v = labels === null ? null : sortedLabels(labels, sorted!);
  for (let i = r0; i < r1; i++) {
    const row = i * n;
    if (labels !== null) {
      // (the order within a tie group does not matter here: the group shares one denominator)
      labelDistanceOrderRow(v!, sorted!, labels[i], true, order, 0, labelDistance, false);
    } else {
      descendingOrderRow(labelDist!, row, n, order, 0);
      for (let p = 0; p < n; p++) labelDistance[p] = labelDist![row + order[p]];
    }
    let minDist = Infinity;
    for (let j = 0; j < n; j++) {
      const dj = Math.sqrt(Math.max(0, diagonal[i] + diagonal[j] - 2 * gram[row + j]));
      dist[j] = dj;
      if (j !== i && dj < minDist) minDist = dj;
    }
    // Walk the other rows by decreasing label distance; a tie group's m anchors share the
    // denominator at the group's end (the diagonal, in the last group, is no anchor). Σ weight·log C
    // as the log of a running product (renormalised before it leaves float64's range): one log per
    // ~250 orders of magnitude instead of one per group.
    let cumulative = 0, groupStart = 0, shiftedSum = 0, product = 1, value = 0, anchorAt = -1;
    for (let p = 0; p < n; p++) {
      const j = order[p];
      let x = 0;
      if (j === i) anchorAt = p;
      else {
        const s = (minDist - dist[j]) * inverseT;
        shiftedSum += s;
        x = exp(s);
      }
      e[p] = x;
      cumulative += x;
      ratio[p] = 0;
      if (p < n - 1 && labelDistance[p + 1] === labelDistance[p]) continue;
      const weight = p + 1 - groupStart - (anchorAt >= groupStart ? 1 : 0);
      if (weight > 0) {
        for (let w = 0; w < weight; w++) {
          product *= cumulative;
          if (!(product > 1e-250 && product < 1e250)) {
            value += Math.log(product);
            product = 1;
          }
        }
        ratio[p] = weight / cumulative;
      }
      groupStart = p + 1;
    }
    rowValue[i] = value + Math.log(product) - shiftedSum;
    // ∂L/∂e_ij = Σ_{p ≥ pos(j)} W_p / C_p; ∂L/∂s = e·∂L/∂e − 1; ∂L/∂d = −∂L/∂s / t.
    for (let p = n - 1, acc = 0; p >= 0; p--) {
      acc += ratio[p];
      const j = order[p];
      const d = dist[j];
      g[row + j] = p !== anchorAt && d > 0 ? ((1 - e[p] * acc) * inverseT) / d : 0;
    }
  }
};

/**
 * ConR, per anchor row i. Arrays: `prod` (f32 `[N²]`, `q·qᵀ / t`), then either `labels` and `preds`
 * (f32 `[N]` each) when `params[3] = 1` (one column), or `labelDist` and `predDist` (f32 `[N²]`,
 * mean L1 distances) when `params[3] = 0`; outputs `grad` (f32 `[N²]`, `∂L/∂prod_ij`, including the
 * final `1/N`) and `rowValue` (f64 `[N]`, `loss_i`, 0 for a row without a negative or a positive).
 * Params: `[w, e, N, oneColumn]`. See `conrHost` in `conr.ts` for the formulas.
 */
export const conrRows: RowKernel = (arrays, params, r0, r1) => {
  const w = params[0], e = params[1], n = params[2], oneColumn = params[3] === 1;
  const pv = arrays[0] as Float32Array;
  const grad = arrays[3] as Float32Array, rowValue = arrays[4] as Float64Array;
  const labels = oneColumn ? arrays[1] as Float32Array : null;
  const preds = oneColumn ? arrays[2] as Float32Array : null;
  const labelDist = oneColumn ? null : arrays[1] as Float32Array;
  const predDist = oneColumn ? null : arrays[2] as Float32Array;
  scratch(n);
  // Per pair of the current row: its term of the denominator, exp(prod) for a positive and
  // exp(e·l)·exp(prod) for a negative (0 otherwise), kept for the gradient pass; the row's label
  // distances; its positive mask (1) — the rest is 0.
  const term = scratchA, labelRow = scratchB, kind = scratchOrder;
  for (let i = r0; i < r1; i++) {
    const row = i * n;
    let positives = 0, negatives = 0, denominator = 0;
    const a = labels === null ? 0 : labels[i], b = preds === null ? 0 : preds[i];
    for (let j = 0; j < n; j++) {
      // float32 distances, as the tensor program's pairwiseL1
      const l = labels !== null ? Math.abs(Math.fround(labels[j] - a)) : labelDist![row + j];
      labelRow[j] = l;
      grad[row + j] = 0;
      const near = l <= w;
      if (near && j !== i) {
        positives++;
        kind[j] = 1;
        term[j] = exp(pv[row + j]);
      } else {
        kind[j] = 0;
        term[j] = 0;
        denominator += 1; // exp(pos) with pos = 0: the authors' sum over every k
        const p = preds !== null ? Math.abs(Math.fround(preds[j] - b)) : predDist![row + j];
        if (!near && p <= w) {
          negatives++;
          term[j] = exp(e * l + pv[row + j]);
        }
      }
      denominator += term[j];
    }
    rowValue[i] = 0;
    if (negatives === 0 || positives === 0) continue; // h_i = 0, or no positive pair
    const logD = Math.log(denominator);
    let rowSum = 0;
    for (let j = 0; j < n; j++) {
      if (kind[j] === 1) {
        rowSum += logD - pv[row + j];
        grad[row + j] = (term[j] / denominator - 1 / positives) / n;
      } else if (term[j] !== 0) {
        grad[row + j] = term[j] / denominator / n;
      }
    }
    rowValue[i] = rowSum / positives;
  }
};

/**
 * RankSim's rank part, forward, per anchor row i. Arrays: `s` (f32 `[U²]`, feature similarities),
 * `labels` (f32 `[U]`) and `sorted` (i32 `[U]`, their {@linkcode sortedIndex}); outputs `rank` and
 * `labelRank` (f32 `[U²]`, `(position + 1)/U` in the descending order of `s_i` and of
 * `−|y_i − y_j|`, equal values later column first) and `rowValue` (f64 `[U]`,
 * `Σ_j (rank_ij − labelRank_ij)²`). No params.
 */
export const rankSimForwardRows: RowKernel = (arrays, _params, r0, r1) => {
  const s = arrays[0] as Float32Array, labels = arrays[1] as Float32Array, sorted = arrays[2] as Int32Array;
  const rank = arrays[3] as Float32Array, labelRank = arrays[4] as Float32Array;
  const rowValue = arrays[5] as Float64Array;
  const u = labels.length;
  scratch(u);
  const order = scratchOrder, step = rankSteps(u);
  const v = sortedLabels(labels, sorted);
  for (let i = r0; i < r1; i++) {
    const row = i * u;
    labelDistanceOrderRow(v, sorted, labels[i], false, order, 0);
    for (let p = 0; p < u; p++) labelRank[row + order[p]] = step[p];
    descendingOrderRow(s, row, u, order, 0);
    for (let p = 0; p < u; p++) rank[row + order[p]] = step[p];
    let total = 0;
    for (let j = row; j < row + u; j++) total += (rank[j] - labelRank[j]) ** 2;
    rowValue[i] = total;
  }
};

/**
 * RankSim's rank part, backward (TrueRanker's blackbox gradient), per row. Arrays: `s`, `rank`,
 * `labelRank` (f32 `[U²]`, as {@linkcode rankSimForwardRows}); output `grad` (f32 `[U²]`,
 * `(rank(s + λ·scale·(rank − labelRank)) − rank) / (λ + 1e-8)`, the shifted input rounded to
 * float32). Params: `[λ, scale]`.
 */
export const rankSimBackwardRows: RowKernel = (arrays, params, r0, r1) => {
  const s = arrays[0] as Float32Array, rank = arrays[1] as Float32Array;
  const labelRank = arrays[2] as Float32Array, grad = arrays[3] as Float32Array;
  const lambda = params[0], scale = params[1];
  const u = Math.round(Math.sqrt(s.length));
  scratch(u);
  const order = scratchOrder, shifted = scratchValues, step = rankSteps(u);
  for (let i = r0; i < r1; i++) {
    const row = i * u;
    for (let j = 0; j < u; j++) {
      shifted[j] = s[row + j] + lambda * scale * (rank[row + j] - labelRank[row + j]);
    }
    descendingOrderRow(shifted, 0, u, order, 0);
    for (let p = 0; p < u; p++) {
      const k = row + order[p];
      grad[k] = (step[p] - rank[k]) / (lambda + RANK_SIM_LAMBDA_EPS);
    }
  }
};

/**
 * `K = G + Gᵀ` by rows, and its row sums. Arrays: `g` (f32 `[N²]`); outputs `k` (f32 `[N²]`) and
 * `rowSum` (f64 `[N]`). No params. (On wasm, transposing an `[N, N]` tensor, or a matrix product with
 * it as the right operand, costs more than this pass.)
 */
export const symmetrizeRows: RowKernel = (arrays, _params, r0, r1) => {
  const g = arrays[0] as Float32Array, k = arrays[1] as Float32Array, rowSum = arrays[2] as Float64Array;
  const n = rowSum.length;
  for (let i = r0; i < r1; i++) rowSum[i] = 0;
  // In 32 × 32 tiles, so that the transposed reads stay in cache at large N; each row's sum still
  // runs over j in increasing order.
  for (let i0 = r0; i0 < r1; i0 += TILE) {
    const i1 = Math.min(r1, i0 + TILE);
    for (let j0 = 0; j0 < n; j0 += TILE) {
      const j1 = Math.min(n, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        const row = i * n;
        let sum = rowSum[i];
        for (let j = j0; j < j1; j++) {
          const v = g[row + j] + g[j * n + i];
          k[row + j] = v;
          sum += Math.fround(v);
        }
        rowSum[i] = sum;
      }
    }
  }
};

const TILE = 32;

/** The authors' TrueRanker divides by (λ + 1e-8). */
export const RANK_SIM_LAMBDA_EPS = 1e-8;

let steps = new Float32Array(0);

/** `(p + 1)/u` for p < u, as float32 (the normalised ranks). */
function rankSteps(u: number): Float32Array {
  if (steps.length !== u) {
    steps = new Float32Array(u);
    for (let p = 0; p < u; p++) steps[p] = (p + 1) / u;
  }
  return steps;
}

/** The row kernels by name (the worker runs them by name). */
export const ROW_KERNELS: Record<string, RowKernel> = {
  rnc: rncRows,
  conr: conrRows,
  rankSimForward: rankSimForwardRows,
  rankSimBackward: rankSimBackwardRows,
  symmetrize: symmetrizeRows,
};
