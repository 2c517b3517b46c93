/**
 * Theorem 4: for two K-times differentiable functions f, Y : R^d → R on an open domain,
 *
 *   f(x1) − f(x2) = Y(x1) − Y(x2) for all pairs  ⇔  ∇^k f(x) = ∇^k Y(x) for all x, k = 1..K,
 *
 * i.e. matching every pairwise difference (the pairwise loss of Eq. 3 is zero) is the same as
 * matching the gradients. Corollary 5 extends it to a noisy truth Y(x, z) = m(x) + z·s(x) with
 * zero-mean z: the pairwise differences of f match those of Y in expectation over z ⇔ the gradients
 * of f match E_z[∇_x Y] = ∇m.
 *
 * The check uses analytic functions: Y(x) = sin x + x²/10 on a grid of [−5, 5] (1-D) and
 * Y(x) = sin x1·cos x2 + x3² at random points of [−2, 2]³ (3-D). Gradients on the tfjs backend
 * come from `tf.grad`; the float64 side uses the analytic gradients.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { pairwiseDiffLoss } from "../lib/losses/pairwise_diff_loss.ts";
import { pairwiseDiffLossReference } from "../lib/losses/reference/pairwise.ts";
import { maxAbs } from "../lib/stats/max_abs.ts";
import { mean } from "../lib/stats/mean.ts";
import { variance } from "../lib/stats/variance.ts";
import { mulberry32, type Rng } from "./rng.ts";
import { readAndDispose } from "./_read.ts";
import {
  atLeast,
  atMost,
  compare,
  type Comparison,
  DEFAULT_SEED,
  F64_TOLERANCE,
  type ProofOptions,
  type ProofResult,
  summarize,
} from "./types.ts";
import { FLOAT32_UNIT_ROUNDOFF } from "../lib/stats/unit_roundoff.ts";

const CLAIM =
  "f = Y + c ⇔ all pairwise differences match ⇔ ∇f = ∇Y (Thm 4); with f = Y + εg the pairwise loss " +
  "∝ ε² and the gradient mismatch ∝ ε vanish only together; E_z pairwise mismatch = 0 ⇔ ∇f = ∇m (Cor. 5)";

/** A smooth function R^d → R, as tfjs ops (rows of X are points) and in float64 with its gradient. */
interface Smooth {
  tf(x: tf.Tensor2D): tf.Tensor1D;
  value(x: readonly number[]): number;
  grad(x: readonly number[]): number[];
}

const col = (x: tf.Tensor2D, j: number): tf.Tensor1D => x.slice([0, j], [-1, 1]).reshape([-1]) as tf.Tensor1D;

/** Y(x) = sin x + x²/10 and its perturbation direction g(x) = cos 3x (1-D). */
const Y1: Smooth = {
  tf: (x) => tf.add(tf.sin(col(x, 0)), tf.div(tf.square(col(x, 0)), 10)),
  value: ([x]) => Math.sin(x) + (x * x) / 10,
  grad: ([x]) => [Math.cos(x) + x / 5],
};
const G1: Smooth = {
  tf: (x) => tf.cos(tf.mul(col(x, 0), 3)),
  value: ([x]) => Math.cos(3 * x),
  grad: ([x]) => [-3 * Math.sin(3 * x)],
};
/** Y(x) = sin x1·cos x2 + x3² and g(x) = cos(3x1 + 2x2 − x3) (3-D). */
const Y3: Smooth = {
  tf: (x) => tf.add(tf.mul(tf.sin(col(x, 0)), tf.cos(col(x, 1))), tf.square(col(x, 2))),
  value: ([a, b, c]) => Math.sin(a) * Math.cos(b) + c * c,
  grad: ([a, b, c]) => [Math.cos(a) * Math.cos(b), -Math.sin(a) * Math.sin(b), 2 * c],
};
const G3: Smooth = {
  tf: (x) => tf.cos(tf.sub(tf.add(tf.mul(col(x, 0), 3), tf.mul(col(x, 1), 2)), col(x, 2))),
  value: ([a, b, c]) => Math.cos(3 * a + 2 * b - c),
  grad: ([a, b, c]) => {
    const s = -Math.sin(3 * a + 2 * b - c);
    return [3 * s, 2 * s, -s];
  },
};

/** f = Y + c + ε·g, as tfjs ops and in float64. */
function perturbed(y: Smooth, g: Smooth, c: number, eps: number): Smooth {
  return {
    tf: (x) => {
      let f = tf.add(y.tf(x), c);
      if (eps !== 0) f = tf.add(f, tf.mul(g.tf(x), eps));
      return f as tf.Tensor1D;
    },
    value: (x) => y.value(x) + c + eps * g.value(x),
    grad: (x) => {
      const gy = y.grad(x), gg = g.grad(x);
      return gy.map((v, k) => v + eps * gg[k]);
    },
  };
}

/** Values and per-sample gradients on the tfjs backend (`tf.grad` of Σ_i h(x_i) gives ∇h(x_i) row-wise). */
async function onBackend(h: Smooth, points: number[][]): Promise<{ values: number[]; grads: number[][] }> {
  const [values, flat] = await readAndDispose(tf.tidy(() => {
    const x = tf.tensor2d(points);
    return [h.tf(x), tf.grad((xx: tf.Tensor) => h.tf(xx as tf.Tensor2D).sum())(x)];
  }));
  const d = points[0].length;
  return {
    values: Array.from(values),
    grads: points.map((_, i) => Array.from(flat.subarray(i * d, (i + 1) * d))),
  };
}

function maxGradGap(a: number[][], b: number[][]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    for (let k = 0; k < a[i].length; k++) m = Math.max(m, Math.abs(a[i][k] - b[i][k]));
  }
  return m;
}

async function loss32(yTrue: number[], yPred: number[]): Promise<number> {
  const [[v]] = await readAndDispose([
    tf.tidy(() => pairwiseDiffLoss(tf.tensor1d(yTrue), tf.tensor1d(yPred), { loss: "halfSquared" })),
  ]);
  return v;
}

function loss64(yTrue: number[], yPred: number[]): number {
  return pairwiseDiffLossReference(yTrue, yPred, "halfSquared");
}

interface Problem {
  name: string;
  y: Smooth;
  g: Smooth;
  c: number;
  points: number[][];
}

function problems(rng: Rng, quick: boolean): Problem[] {
  const n1 = quick ? 41 : 201;
  const grid = Array.from({ length: n1 }, (_, i) => [-5 + (10 * i) / (n1 - 1)]);
  const n3 = quick ? 60 : 400;
  const cloud = Array.from(
    { length: n3 },
    () => [rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2)],
  );
  return [
    { name: "1-D sin x + x²/10, g = cos 3x", y: Y1, g: G1, c: 2.5, points: grid },
    { name: "3-D sin x1·cos x2 + x3², g = cos(3x1 + 2x2 − x3)", y: Y3, g: G3, c: -1.75, points: cloud },
  ];
}

const EPSILONS = [1, 1e-1, 1e-2, 1e-3, 0];

/**
 * Float32 tolerance for a quantity of size `signal` computed from f and Y: 8·u·(max|Y| + |c| +
 * max|∇Y|)/signal — Y, f = Y + c + ε·g and their gradients are each rounded at the level u·|Y|,
 * u·|∇Y| (a few roundings, a few ulps for sin/cos), while the quantity measured is `signal`.
 */
function tolerance32(p: Problem, signal: number): number {
  const mag = maxAbs(p.points.map(p.y.value)) + Math.abs(p.c) + maxAbs(p.points.flatMap(p.y.grad));
  return (8 * FLOAT32_UNIT_ROUNDOFF * mag) / signal;
}

/** Parts (a) and (b): exact shifts and ε-perturbations. */
async function deterministicPart(p: Problem) {
  const float32: Comparison[] = [];
  const float64: Comparison[] = [];
  const checks: Comparison[] = [];
  const y64 = p.points.map(p.y.value);
  const gy64 = p.points.map(p.y.grad);
  const g64 = p.points.map(p.g.value);
  const sigmaY = Math.sqrt(variance(y64));
  const sigmaG = Math.sqrt(variance(g64));
  const gradY = maxAbs(gy64.flat());
  const gradG = maxAbs(p.points.flatMap(p.g.grad));
  const y32 = await onBackend(p.y, p.points);

  // tf.grad agrees with the analytic gradient (the float32 gradients below are trustworthy).
  // √loss also carries the error of the float32 mean over N² terms: ≤ 2(N − 1)u relative for the
  // loss when summed in two stages of N terms, so ≤ (N − 1)u for its square root.
  const reduction = (p.points.length - 1) * FLOAT32_UNIT_ROUNDOFF;
  const tolY = tolerance32(p, sigmaY) + reduction, tolGradY = tolerance32(p, gradY);
  let tolMax = Math.max(tolY, tolGradY);
  float32.push(compare(`${p.name}: tf.grad ∇Y vs analytic`, maxGradGap(y32.grads, gy64), 0, tolGradY, gradY));

  // (a) f = Y + c: zero pairwise loss and identical gradients at every sample.
  {
    const f = perturbed(p.y, p.g, p.c, 0);
    const f32 = await onBackend(f, p.points);
    const f64 = p.points.map(f.value);
    const label = `${p.name}: f = Y + ${p.c}`;
    float32.push(
      compare(
        `${label}: √(pairwise loss)/σ_Y`,
        Math.sqrt(await loss32(y32.values, f32.values)),
        0,
        tolY,
        sigmaY,
      ),
    );
    float32.push(
      compare(`${label}: max|∇f − ∇Y|/max|∇Y|`, maxGradGap(f32.grads, y32.grads), 0, tolGradY, gradY),
    );
    float64.push(
      compare(`${label}: √(pairwise loss)/σ_Y`, Math.sqrt(loss64(y64, f64)), 0, F64_TOLERANCE, sigmaY),
    );
    float64.push(
      compare(
        `${label}: max|∇f − ∇Y|/max|∇Y|`,
        maxGradGap(p.points.map(f.grad), gy64),
        0,
        F64_TOLERANCE,
        gradY,
      ),
    );
  }

  // (b) f = Y + ε·g: √loss = ε·σ_g and max gradient gap = ε·max|∇g| exactly; both vanish only at ε = 0.
  const table: Record<string, number>[] = [];
  for (const eps of EPSILONS) {
    const f = perturbed(p.y, p.g, 0, eps);
    const f32 = await onBackend(f, p.points);
    const f64 = p.points.map(f.value);
    const l32 = await loss32(y32.values, f32.values);
    const l64 = loss64(y64, f64);
    const m32 = maxGradGap(f32.grads, y32.grads);
    const m64 = maxGradGap(p.points.map(f.grad), gy64);
    const label = `${p.name}: ε=${eps}`;
    if (eps === 0) {
      float32.push(compare(`${label}: √loss/σ_Y`, Math.sqrt(l32), 0, tolY, sigmaY));
      float32.push(compare(`${label}: mismatch/max|∇Y|`, m32, 0, tolGradY, gradY));
      float64.push(compare(`${label}: √loss/σ_Y`, Math.sqrt(l64), 0, F64_TOLERANCE, sigmaY));
      float64.push(compare(`${label}: mismatch/max|∇Y|`, m64, 0, F64_TOLERANCE, gradY));
    } else {
      const tolLoss = tolerance32(p, eps * sigmaG) + reduction, tolGrad = tolerance32(p, eps * gradG);
      tolMax = Math.max(tolMax, tolLoss, tolGrad);
      float32.push(compare(`${label}: √loss vs ε·σ_g`, Math.sqrt(l32), eps * sigmaG, tolLoss));
      float32.push(compare(`${label}: mismatch vs ε·max|∇g|`, m32, eps * gradG, tolGrad));
      float64.push(compare(`${label}: √loss vs ε·σ_g`, Math.sqrt(l64), eps * sigmaG, F64_TOLERANCE));
      float64.push(compare(`${label}: mismatch vs ε·max|∇g|`, m64, eps * gradG, F64_TOLERANCE));
      // Zero only together: for ε > 0 both are clearly non-zero (at least half their predicted size).
      checks.push(atLeast(`${label}: loss clearly > 0 (float32)`, Math.sqrt(l32) / (eps * sigmaG), 0.5));
      checks.push(atLeast(`${label}: mismatch clearly > 0 (float32)`, m32 / (eps * gradG), 0.5));
    }
    table.push({ eps, loss32: l32, loss64: l64, mismatch32: m32, mismatch64: m64 });
  }
  // Monotone decrease as ε → 0 and the orders: loss ∝ ε², mismatch ∝ ε.
  for (let k = 0; k + 1 < table.length; k++) {
    const a = table[k], b = table[k + 1];
    for (const prec of ["32", "64"] as const) {
      checks.push(
        atLeast(
          `${p.name}: loss${prec} decreases ε=${a.eps}→${b.eps}`,
          a[`loss${prec}`] - b[`loss${prec}`],
          1e-300,
        ),
      );
      checks.push(
        atLeast(
          `${p.name}: mismatch${prec} decreases ε=${a.eps}→${b.eps}`,
          a[`mismatch${prec}`] - b[`mismatch${prec}`],
          1e-300,
        ),
      );
      if (b.eps > 0) {
        const r = Math.log(a.eps / b.eps);
        const slopeTol = prec === "32" ? 0.01 : 1e-9;
        const sl = Math.log(a[`loss${prec}`] / b[`loss${prec}`]) / r;
        const sm = Math.log(a[`mismatch${prec}`] / b[`mismatch${prec}`]) / r;
        checks.push(compare(`${p.name}: order of loss${prec} ε=${a.eps}→${b.eps}`, sl, 2, slopeTol, 1));
        checks.push(compare(`${p.name}: order of mismatch${prec} ε=${a.eps}→${b.eps}`, sm, 1, slopeTol, 1));
        Object.assign(b, { [`lossOrder${prec}`]: sl, [`mismatchOrder${prec}`]: sm });
      }
    }
  }
  return { float32, float64, checks, table, sigmaY, sigmaG, gradY, gradG, tolerance: tolMax };
}

/** m(x) = sin x + x²/10, s(x) = 0.5 + 0.25 cos x (1-D, Corollary 5). */
const M1 = Y1;
const S1: Smooth = {
  tf: (x) => tf.add(tf.mul(tf.cos(col(x, 0)), 0.25), 0.5),
  value: ([x]) => 0.5 + 0.25 * Math.cos(x),
  grad: ([x]) => [-0.25 * Math.sin(x)],
};

/** Mean and standard error of the mean of each column of draws. */
function meanSe(
  draws: Float64Array | number[],
  rows: number,
  cols: number,
): { mean: number[]; se: number[] } {
  const columns = Array.from(
    { length: cols },
    (_, j) => Array.from({ length: rows }, (_, r) => draws[r * cols + j]),
  );
  return {
    mean: columns.map((c) => mean(c)),
    se: columns.map((c) => Math.sqrt(variance(c, 1) / rows)),
  };
}

/** The largest |t| = |mean − expected| / se over the entries with se > 0. */
function maxT(
  mean: number[],
  se: number[],
  expected: (j: number) => number,
  use: (j: number) => boolean,
): number {
  let m = 0;
  for (let j = 0; j < mean.length; j++) {
    if (use(j) && se[j] > 0) m = Math.max(m, Math.abs(mean[j] - expected(j)) / se[j]);
  }
  return m;
}

/**
 * Part (c), Corollary 5, by Monte Carlo: R draws of z ~ N(0, 1) at each of n grid points.
 * For every pair i < j the mean over draws of D_ij = (f_i − f_j) − (Y_i − Y_j) and its standard error
 * SE; for every point the mean of ∇_x Y(x_i, z) and its SE. |mean − E| ≤ T_CRIT·SE is the test
 * (T_CRIT = 5: with ≤ 300 comparisons the Bonferroni false-alarm probability is ≤ 300·5.7e-7 < 2e-4).
 */
async function stochasticPart(rng: Rng, quick: boolean) {
  const T_CRIT = 5;
  const SIGNIFICANT = 10;
  const n = quick ? 9 : 21;
  const draws = quick ? 1000 : 4000;
  const xs = Array.from({ length: n }, (_, i) => -3 + (6 * i) / (n - 1));
  const z = Array.from({ length: draws * n }, () => rng.normal());
  const m64 = xs.map((x) => M1.value([x]));
  const s64 = xs.map((x) => S1.value([x]));
  const dm64 = xs.map((x) => M1.grad([x])[0]);
  const ds64 = xs.map((x) => S1.grad([x])[0]);
  const g64 = xs.map((x) => G1.value([x]));
  const dg64 = xs.map((x) => G1.grad([x])[0]);
  const upper = (k: number) => Math.floor(k / n) < k % n;

  // Float64 draws of D_ij and of ∇_x Y.
  const y64 = z.map((zz, k) => m64[k % n] + zz * s64[k % n]);
  const gradDraws64 = z.map((zz, k) => dm64[k % n] + zz * ds64[k % n]);
  const grad64 = meanSe(gradDraws64, draws, n);

  // Float32 draws on the backend.
  const [yDiff32, grad32] = await readAndDispose(tf.tidy(() => {
    const x = tf.tensor2d(xs, [n, 1]);
    const zt = tf.tensor2d(z, [draws, n]);
    const yr = tf.add(M1.tf(x), tf.mul(zt, S1.tf(x))); // [R, n]
    const dy = tf.sub(yr.expandDims(2), yr.expandDims(1)); // [R, n, n]: Y_i − Y_j
    const xt = tf.tile(tf.tensor2d(xs, [1, n]), [draws, 1]); // [R, n]
    const gy = tf.grad((v: tf.Tensor) => {
      const flat = v.reshape([-1, 1]) as tf.Tensor2D;
      return tf.add(M1.tf(flat), tf.mul(zt.reshape([-1]), S1.tf(flat))).sum();
    })(xt);
    return [dy, gy];
  }));
  const gradMc32 = meanSe(Array.from(grad32), draws, n);

  const checks: Comparison[] = [];
  // E_z[∇_x Y] = ∇m.
  const gt64 = maxT(grad64.mean, grad64.se, (j) => dm64[j], () => true);
  const gt32 = maxT(gradMc32.mean, gradMc32.se, (j) => dm64[j], () => true);
  checks.push(atMost("Cor. 5: E_z ∇_x Y = ∇m, max|t| (float64)", gt64, T_CRIT));
  checks.push(atMost("Cor. 5: E_z ∇_x Y = ∇m, max|t| (float32)", gt32, T_CRIT));

  const table: Record<string, unknown>[] = [];
  const variants: { name: string; c: number; eps: number; assert: "zero" | "nonzero" | "report" }[] = [
    { name: "f = m + 1.5", c: 1.5, eps: 0, assert: "zero" },
    { name: "f = m + 1e-2·g", c: 0, eps: 1e-2, assert: "report" },
    { name: "f = m + 1e-1·g", c: 0, eps: 1e-1, assert: "nonzero" },
    { name: "f = m + g", c: 0, eps: 1, assert: "nonzero" },
  ];
  for (const v of variants) {
    const f64 = xs.map((_, i) => m64[i] + v.c + v.eps * g64[i]);
    const df64 = xs.map((_, i) => dm64[i] + v.eps * dg64[i]);
    const f = perturbed(M1, G1, v.c, v.eps);
    const f32 = await onBackend(f, xs.map((x) => [x]));
    // D_ij draws, float64 and float32.
    const d64 = new Float64Array(draws * n * n), d32 = new Float64Array(draws * n * n);
    for (let r = 0; r < draws; r++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const k = (r * n + i) * n + j;
          d64[k] = (f64[i] - f64[j]) - (y64[r * n + i] - y64[r * n + j]);
          d32[k] = Math.fround(Math.fround(f32.values[i] - f32.values[j]) - yDiff32[k]);
        }
      }
    }
    const pair64 = meanSe(d64, draws, n * n), pair32 = meanSe(d32, draws, n * n);
    const shift = (j: number) => v.eps * (g64[Math.floor(j / n)] - g64[j % n]); // E[D_ij] = ε(g_i − g_j)
    const gap64 = df64.map((d, i) => d - grad64.mean[i]);
    const gap32 = f32.grads.map((d, i) => d[0] - gradMc32.mean[i]);
    const row = {
      variant: v.name,
      pairMaxT64: maxT(pair64.mean, pair64.se, () => 0, upper),
      pairMaxT32: maxT(pair32.mean, pair32.se, () => 0, upper),
      pairMaxTAroundExpected64: maxT(pair64.mean, pair64.se, shift, upper),
      pairMaxTAroundExpected32: maxT(pair32.mean, pair32.se, shift, upper),
      gradMaxT64: maxT(gap64, grad64.se, () => 0, () => true),
      gradMaxT32: maxT(gap32, gradMc32.se, () => 0, () => true),
      meanAbsPairMismatch64: pair64.mean.reduce((a, b) => a + Math.abs(b), 0) / (n * (n - 1)),
      typicalSe64: pair64.se.reduce((a, b) => a + b, 0) / (n * (n - 1)),
    };
    table.push(row);
    for (const prec of ["64", "32"] as const) {
      const pairT = row[`pairMaxT${prec}`], gradT = row[`gradMaxT${prec}`];
      // Whatever f is, the Monte Carlo mean of D_ij is ε(g_i − g_j) within the standard error.
      checks.push(
        atMost(
          `Cor. 5 ${v.name}: E[D_ij] = ε(g_i − g_j), max|t| (float${prec})`,
          row[`pairMaxTAroundExpected${prec}`],
          T_CRIT,
        ),
      );
      if (v.assert === "zero") {
        checks.push(
          atMost(`Cor. 5 ${v.name}: E[pairwise mismatch] = 0, max|t| (float${prec})`, pairT, T_CRIT),
        );
        checks.push(atMost(`Cor. 5 ${v.name}: ∇f = E∇Y, max|t| (float${prec})`, gradT, T_CRIT));
      } else if (v.assert === "nonzero") {
        checks.push(
          atLeast(`Cor. 5 ${v.name}: E[pairwise mismatch] ≠ 0, max|t| (float${prec})`, pairT, SIGNIFICANT),
        );
        checks.push(atLeast(`Cor. 5 ${v.name}: ∇f ≠ E∇Y, max|t| (float${prec})`, gradT, SIGNIFICANT));
      }
    }
  }
  return {
    checks,
    table,
    draws,
    points: n,
    tCrit: T_CRIT,
    significant: SIGNIFICANT,
    expectedGradMaxT: { float64: gt64, float32: gt32 },
  };
}

/**
 * Checks Theorem 4 and Corollary 5 numerically, on the tfjs backend (float32, `tf.grad`) and in
 * float64 (analytic gradients):
 * (a) f = Y + c ⇒ pairwise loss (`pairwiseDiffLoss`, half squared) = 0 and ∇f = ∇Y at every sample;
 * (b) f = Y + ε·g, ε ∈ {1, 1e-1, 1e-2, 1e-3, 0}: √loss = ε·σ_g and max|∇f − ∇Y| = ε·max|∇g| (so
 * loss ∝ ε², mismatch ∝ ε, both decrease monotonically and are zero only together, at ε = 0);
 * (c) Corollary 5 by Monte Carlo (seeded): Y = m(x) + z·s(x), z ~ N(0, 1); f = m + c has zero mean
 * pairwise mismatch and ∇f = E_z∇Y within 5 standard errors, f = m + ε·g (ε = 0.1, 1) is
 * significantly off in both.
 *
 * Float32 tolerance of each comparison: 8·u·(max|Y| + |c| + max|∇Y|) / signal, u = 2^-24, where
 * the signal is what is measured (ε·σ_g, ε·max|∇g|, or σ_Y, max|∇Y| for the zero checks): Y, f and
 * their gradients are rounded at the level u·|Y| and u·|∇Y|; the √loss comparisons add (N − 1)·u for
 * the float32 mean over the N² pairs. The reported `tolerance` is the largest, at ε = 1e-3. Float64 residuals must be ≤ 1e-12 relative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { theorem4 } from "./theorem_4.ts";
 * await tf.setBackend("cpu");
 * const r = await theorem4({ quick: true });
 * assert.equal(r.id, "theorem-4");
 * assert.ok(r.passed);
 * ```
 */
export async function theorem4(options: ProofOptions = {}): Promise<ProofResult> {
  await tf.ready();
  const rng = mulberry32(options.seed ?? DEFAULT_SEED);
  const quick = options.quick ?? false;
  const float32: Comparison[] = [];
  const float64: Comparison[] = [];
  const checks: Comparison[] = [];
  const perProblem: Record<string, unknown>[] = [];
  let tolerance = 0;
  for (const p of problems(rng, quick)) {
    const r = await deterministicPart(p);
    float32.push(...r.float32);
    float64.push(...r.float64);
    checks.push(...r.checks);
    tolerance = Math.max(tolerance, r.tolerance);
    perProblem.push({
      problem: p.name,
      samples: p.points.length,
      c: p.c,
      sigmaY: r.sigmaY,
      sigmaG: r.sigmaG,
      maxGradY: r.gradY,
      maxGradG: r.gradG,
      tolerance32: r.tolerance,
      perEpsilon: r.table,
    });
  }
  const mc = await stochasticPart(rng, quick);
  checks.push(...mc.checks);
  return summarize({
    id: "theorem-4",
    claim: CLAIM,
    backend: tf.getBackend(),
    tolerance,
    float32,
    float64,
    checks,
    extra: {
      residual:
        "relative: √loss/(ε·σ_g) − 1, mismatch/(ε·max|∇g|) − 1; at ε = 0 or f = Y + c: √loss/σ_Y, mismatch/max|∇Y|",
      deterministic: perProblem,
      corollary5: {
        draws: mc.draws,
        points: mc.points,
        tCritical: mc.tCrit,
        significantT: mc.significant,
        expectedGradientMaxT: mc.expectedGradMaxT,
        perVariant: mc.table,
      },
    },
  });
}
