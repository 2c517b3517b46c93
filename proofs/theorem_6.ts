/**
 * Theorem 6 (Eq. 8–10): with the KL divergence as the DRO divergence, the aggregation of M
 * sub-losses L_1..L_M
 *
 *   L_GAR = max over p in the simplex Δ_M of  Σ_i p_i log L_i − α·KL(p ‖ 1/M)            (Eq. 8)
 *
 * has the closed form  α·log( (1/M) Σ_i L_i^{1/α} )                                       (Eq. 9)
 *
 * and exp(L_GAR) moves from the maximum of the L_i (α → 0) through their arithmetic mean (α = 1)
 * to their geometric mean (α → ∞)                                                          (Eq. 10).
 *
 * The check finds the maximum of Eq. 8 NUMERICALLY, without the closed form: entropic mirror
 * ascent (exponentiated gradient, in log space) from the uniform point and from random Dirichlet
 * restarts, and, for M = 2 and 3, an independent grid search refined by golden-section line
 * searches. The closed form is `droAggregate` (float32, on the tfjs backend) and
 * `droAggregateReference` (float64).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { droAggregate } from "../lib/losses/dro_aggregate.ts";
import { droAggregateReference } from "../lib/losses/reference/dro_aggregate.ts";
import { mulberry32, type Rng } from "./rng.ts";
import { readAndDispose } from "./_read.ts";
import {
  compare,
  type Comparison,
  DEFAULT_SEED,
  F64_TOLERANCE,
  type ProofOptions,
  type ProofResult,
  summarize,
} from "./types.ts";
import { FLOAT32_UNIT_ROUNDOFF } from "../lib/stats/unit_roundoff.ts";

const CLAIM = "max_{p∈Δ} Σ p_i log L_i − α·KL(p‖1/M) = α·log((1/M) Σ L_i^{1/α}) (Eq. 8 = Eq. 9), " +
  "→ log max L (α→0), log mean L (α=1), log geometric mean (α→∞) (Eq. 10)";

/** The objective of Eq. 8 at p (given as log p, normalised), with 0·log 0 = 0. */
function objective(logL: readonly number[], logP: readonly number[], alpha: number): number {
  const m = logL.length;
  let s = 0;
  for (let i = 0; i < m; i++) {
    const p = Math.exp(logP[i]);
    if (p > 0) s += p * logL[i] - alpha * p * (logP[i] + Math.log(m));
  }
  return s;
}

function logNormalise(theta: number[]): number[] {
  const mx = Math.max(...theta);
  let z = 0;
  for (const t of theta) z += Math.exp(t - mx);
  const lz = mx + Math.log(z);
  return theta.map((t) => t - lz);
}

/**
 * Entropic mirror ascent on the simplex: θ ← θ + η ∇F(p), p = softmax(θ). The step η = 1/(2·max(α, 1))
 * is a fixed, generic choice (it does not use the closed form); the iteration contracts, so it runs
 * until the iterate stops moving.
 */
function mirrorAscent(logL: readonly number[], alpha: number, start: number[]): number {
  const m = logL.length;
  const eta = 1 / (2 * Math.max(alpha, 1));
  let theta = logNormalise(start);
  for (let it = 0; it < 200_000; it++) {
    const next = logNormalise(theta.map((t, i) => t + eta * (logL[i] - alpha * (t + Math.log(m) + 1))));
    let moved = 0;
    for (let i = 0; i < m; i++) moved = Math.max(moved, Math.abs(next[i] - theta[i]) * Math.exp(next[i]));
    theta = next;
    if (moved < 1e-17) break;
  }
  return objective(logL, theta, alpha);
}

/** Golden-section maximisation of a concave function on [a, b]: returns [argmax, max]. */
function goldenMax(fn: (t: number) => number, a: number, b: number): [number, number] {
  const r = (Math.sqrt(5) - 1) / 2;
  let c = b - r * (b - a), d = a + r * (b - a);
  let fc = fn(c), fd = fn(d);
  for (let it = 0; it < 300 && b - a > 1e-17; it++) {
    if (fc >= fd) {
      b = d, d = c, fd = fc, c = b - r * (b - a), fc = fn(c);
    } else {
      a = c, c = d, fc = fd, d = a + r * (b - a), fd = fn(d);
    }
  }
  const candidates: [number, number][] = [[a, fn(a)], [b, fn(b)], [c, fc], [d, fd]];
  return candidates.reduce((best, x) => (x[1] > best[1] ? x : best));
}

const logs = (p: readonly number[]): number[] => p.map((x) => (x > 0 ? Math.log(x) : -Infinity));

/** M = 2: grid over p_1 = t, then golden section around the best grid point. */
function gridMax2(logL: readonly number[], alpha: number): number {
  const f = (t: number) => objective(logL, logs([t, 1 - t]), alpha);
  const n = 2000;
  let best = 0;
  for (let k = 1; k <= n; k++) if (f(k / n) > f(best / n)) best = k;
  return goldenMax(f, Math.max(0, (best - 1) / n), Math.min(1, (best + 1) / n))[1];
}

/** M = 3: grid over the simplex, then cyclic golden-section line searches along e_i − e_j. */
function gridMax3(logL: readonly number[], alpha: number): number {
  const F = (p: number[]) => objective(logL, logs(p), alpha);
  const n = 300;
  let p = [1 / 3, 1 / 3, 1 / 3];
  let fBest = F(p);
  for (let a = 0; a <= n; a++) {
    for (let b = 0; a + b <= n; b++) {
      const q = [a / n, b / n, (n - a - b) / n];
      const fq = F(q);
      if (fq > fBest) fBest = fq, p = q;
    }
  }
  const pairs = [[0, 1], [1, 2], [0, 2]];
  for (let sweep = 0; sweep < 300; sweep++) {
    const before = fBest;
    for (const [i, j] of pairs) {
      const total = p[i] + p[j];
      const at = (t: number) => {
        const q = [...p];
        q[i] = t, q[j] = total - t;
        return q;
      };
      const [t, value] = goldenMax((t) => F(at(t)), 0, total);
      if (value > fBest) fBest = value, p = at(t);
    }
    if (fBest - before <= 1e-18) break;
  }
  return fBest;
}

function dirichletStart(rng: Rng, m: number): number[] {
  return Array.from({ length: m }, () => Math.log(-Math.log(1 - rng.next())));
}

interface Case {
  m: number;
  alpha: number;
  losses: number[];
}

/**
 * Checks Theorem 6 numerically: the closed form of the KL-DRO aggregation (Eq. 9, `droAggregate`
 * on the tfjs backend and `droAggregateReference` in float64) equals the maximum of Eq. 8 found
 * by mirror ascent with random restarts and, for M = 2, 3, by a grid search with golden-section
 * refinement; α ∈ {0.1, 0.5, 1, 2, 10}, M ∈ {2, 3, 5}, random sub-losses spanning e^±3 and e^±12.
 * Also checks the three limits of Eq. 10 with bounds derived from α:
 * α = 1e-3: max log L − α·log M ≤ value ≤ max log L; α = 1: value = log mean L;
 * α = 1e3: 0 ≤ value − mean log L ≤ range(log L)²/(8α) (Popoviciu's bound on the variance of the
 * exponentially tilted log-losses); float32 slack 8u·(α + max|log L|) on top.
 *
 * Residuals are absolute errors divided by the natural size of the terms, α + max_i |log L_i|.
 * Float32 tolerance: 64·u (u = 2^-24): the closed form is a handful of exp/log/pow evaluations, each
 * within a few ulps on every backend, with errors of size u·(α + |log L_i|). Float64: 1e-12.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { theorem6 } from "./theorem_6.ts";
 * await tf.setBackend("cpu");
 * const r = await theorem6({ quick: true });
 * assert.equal(r.id, "theorem-6");
 * assert.ok(r.passed);
 * ```
 */
export async function theorem6(options: ProofOptions = {}): Promise<ProofResult> {
  await tf.ready();
  const rng = mulberry32(options.seed ?? DEFAULT_SEED);
  const quick = options.quick ?? false;
  const alphas = quick ? [0.1, 1, 10] : [0.1, 0.5, 1, 2, 10];
  const ms = quick ? [2, 3] : [2, 3, 5];
  const draws = quick ? 1 : 3;
  const restarts = quick ? 2 : 6;
  const tol32 = 64 * FLOAT32_UNIT_ROUNDOFF;

  const cases: Case[] = [];
  for (const m of ms) {
    for (const alpha of alphas) {
      for (let d = 0; d < draws; d++) {
        const spread = d % 2 === 0 ? 3 : 12;
        cases.push({
          m,
          alpha,
          losses: Array.from({ length: m }, () => Math.exp(rng.uniform(-spread, spread))),
        });
      }
    }
  }

  const float32: Comparison[] = [];
  const float64: Comparison[] = [];
  const checks: Comparison[] = [];
  const table: Record<string, unknown>[] = [];
  for (const { m, alpha, losses } of cases) {
    const logL = losses.map(Math.log);
    const scale = alpha + Math.max(...logL.map(Math.abs));
    const found: Record<string, number> = {};
    found.mirrorUniform = mirrorAscent(logL, alpha, new Array(m).fill(0));
    for (let r = 0; r < restarts; r++) {
      found[`mirrorRestart${r}`] = mirrorAscent(logL, alpha, dirichletStart(rng, m));
    }
    if (m === 2) found.gridGolden = gridMax2(logL, alpha);
    if (m === 3) found.gridGolden = gridMax3(logL, alpha);
    const numericMax = Math.max(...Object.values(found));
    const closed64 = droAggregateReference(losses, alpha);
    const closed32 = await evalDro(losses, alpha);
    const label = `M=${m} α=${alpha} L=[${losses.map((x) => x.toExponential(2)).join(", ")}]`;
    float32.push(compare(`${label}: droAggregate vs numeric max`, closed32, numericMax, tol32, scale));
    float64.push(
      compare(`${label}: droAggregateReference vs numeric max`, closed64, numericMax, F64_TOLERANCE, scale),
    );
    // Every maximiser must agree with the closed form, not only the best one.
    for (const [method, value] of Object.entries(found)) {
      checks.push(compare(`${label}: ${method} vs closed form`, value, closed64, F64_TOLERANCE, scale));
    }
    table.push({ m, alpha, losses, numericMax, closed64, closed32, methods: Object.keys(found).length });
  }

  // The limits of Eq. 10.
  const limitDraws = quick ? 1 : 4;
  const limits: Record<string, unknown>[] = [];
  for (let d = 0; d < limitDraws; d++) {
    const m = ms[d % ms.length];
    const losses = Array.from({ length: m }, () => Math.exp(rng.uniform(-3, 3)));
    const logL = losses.map(Math.log);
    const maxLog = Math.max(...logL);
    const range = maxLog - Math.min(...logL);
    const meanLog = logL.reduce((a, b) => a + b, 0) / m;
    const logMean = Math.log(losses.reduce((a, b) => a + b, 0) / m);
    const label = `M=${m} L=[${losses.map((x) => x.toExponential(2)).join(", ")}]`;
    // [alpha, target, lowest gap, highest gap, name]: value − target must lie in [lo, hi].
    const targets: [number, number, number, number, string][] = [
      // α → 0: max_i ℓ_i − α·log M ≤ value ≤ max_i ℓ_i (one term of the mean is 1, all are ≤ 1).
      [1e-3, maxLog, -1e-3 * Math.log(m), 0, "α=1e-3 → max log L, gap in [−α·log M, 0]"],
      // α = 1: exactly the log of the arithmetic mean.
      [1, logMean, 0, 0, "α=1 = log arithmetic mean (exact)"],
      // α → ∞: 0 ≤ value − mean ℓ ≤ range²/(8α) (the tilted variance is ≤ range²/4, Popoviciu).
      [1e3, meanLog, 0, (range * range) / (8 * 1e3), "α=1e3 → mean log L, gap in [0, range²/(8α)]"],
    ];
    for (const [alpha, target, lo, hi, name] of targets) {
      const scale = alpha + Math.max(...logL.map(Math.abs));
      const v64 = droAggregateReference(losses, alpha);
      const v32 = await evalDro(losses, alpha);
      const mid = target + (lo + hi) / 2, half = (hi - lo) / 2;
      checks.push(compare(`${label} ${name} (float64)`, v64, mid, half + F64_TOLERANCE * scale, 1));
      // Float32 slack: a few roundings of size u in the α-scaled logarithm, 8u·(α + max|log L|).
      checks.push(
        compare(`${label} ${name} (float32)`, v32, mid, half + 8 * FLOAT32_UNIT_ROUNDOFF * scale, 1),
      );
      limits.push({
        m,
        alpha,
        target,
        gapBounds: [lo, hi],
        value64: v64,
        value32: v32,
        gap64: v64 - target,
        gap32: v32 - target,
      });
    }
  }

  return summarize({
    id: "theorem-6",
    claim: CLAIM,
    backend: tf.getBackend(),
    tolerance: tol32,
    float32,
    float64,
    checks,
    extra: {
      residual: "|closed form − numerical max| / (α + max|log L_i|)",
      maximisers: "mirror ascent (uniform + random Dirichlet restarts); grid + golden section for M = 2, 3",
      cases: table,
      limits,
    },
  });
}

async function evalDro(losses: readonly number[], alpha: number): Promise<number> {
  const [[v]] = await readAndDispose([tf.tidy(() => droAggregate(losses.map((l) => tf.scalar(l)), alpha))]);
  return v;
}
