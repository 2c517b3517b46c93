/**
 * Backend parity: every loss, value and gradient, on cpu, wasm and webgpu, against the float64
 * references. WebGPU runs wherever an adapter exists (in CI, Mesa's software Vulkan driver); it is
 * reported as ignored, not passed, where there is none.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { type BackendName, probeWebGpuAdapter, selectBackend } from "../../lib/backend.ts";
import * as L from "../../lib/losses/mod.ts";
import * as R from "../../lib/losses/reference/mod.ts";
import { gaussian, mulberry32 } from "../../lib/random/mod.ts";

type Matrix = number[][];
const N = 24;
const rng = mulberry32(20251122);
const normal = () => gaussian(rng);
const matrix = (n: number, d: number, f: () => number): Matrix =>
  Array.from({ length: n }, () => Array.from({ length: d }, f));

// Labels with ties (integers, as wine's quality) for the regularizers; continuous labels elsewhere.
const y1 = matrix(N, 1, () => 3 + normal());
const p1 = y1.map(([v]) => [0.8 * v + 0.4 * normal() + 0.5]);
const y2 = matrix(N, 2, normal);
const p2 = y2.map((r) => r.map((v) => 0.7 * v + 0.5 * normal()));
const yTies = matrix(N, 1, () => Math.floor(rng() * 6));
const pTies = yTies.map(([v]) => [v + 0.8 * normal()]);
const feats = matrix(N, 8, normal);

interface Case {
  name: string;
  /** The input the gradient is taken with respect to. */
  x: Matrix;
  /** The loss as a function of that input, on tensors. */
  tfLoss: (x: tf.Tensor2D) => tf.Scalar;
  /** The float64 value at x. */
  value: (x: Matrix) => number;
  /** The float64 gradient at x (closed form, or finite differences of `value`). */
  grad?: (x: Matrix) => Matrix;
}

const label = (
  name: string,
  y: Matrix,
  p: Matrix,
  tfLoss: (t: tf.Tensor2D, q: tf.Tensor2D) => tf.Scalar,
  value: (t: Matrix, q: Matrix) => number,
  grad?: (t: Matrix, q: Matrix) => Matrix,
): Case => ({
  name,
  x: p,
  tfLoss: (q) => tfLoss(tf.tensor2d(y), q),
  value: (q) => value(y, q),
  grad: grad ? (q) => grad(y, q) : undefined,
});

const betaPaper = (t: Matrix, q: Matrix) => R.maePearsonWeightReference(t, q, "paper");

const CASES: Case[] = [
  ...[0.1, 1, 10].flatMap((alpha) =>
    (["pooled", "perTarget"] as const).map((multiTarget) =>
      label(
        `gar α=${alpha} ${multiTarget} T=2`,
        y2,
        p2,
        (t, q) => L.gar(t, q, { alpha, multiTarget }),
        (t, q) => R.garReference(t, q, { alpha, multiTarget }),
        (t, q) => R.garGradientReference(t, q, { alpha, multiTarget }),
      )
    )
  ),
  label("gar α=1 T=1", y1, p1, (t, q) => L.gar(t, q), (t, q) => R.garReference(t, q), R.garGradientReference),
  label("mae", y2, p2, L.mae, R.maeReference),
  label("mse", y2, p2, L.mse, R.mseReference),
  label(
    "huber δ=0.5",
    y2,
    p2,
    (t, q) => L.huber(t, q, { delta: 0.5 }),
    (t, q) => R.huberReference(t, q, 0.5),
  ),
  label(
    "focalMae β=1",
    y2,
    p2,
    (t, q) => L.focalMae(t, q, { beta: 1 }),
    (t, q) => R.focalMaeReference(t, q, 1, 1),
  ),
  label(
    "focalMse β=1",
    y2,
    p2,
    (t, q) => L.focalMse(t, q, { beta: 1 }),
    (t, q) => R.focalMseReference(t, q, 1, 1),
  ),
  label(
    "maePearson",
    y1,
    p1,
    (t, q) => L.maePearson(t, q),
    (t, q) => R.maePearsonReference(t, q, "paper"),
    // β is a constant in the gradient: differentiate with β frozen at its current value
    (t, q) => R.numericGradient((z) => R.maePearsonReference(t, z, "paper", betaPaper(t, q)), q),
  ),
  label("errorVarianceLoss", y2, p2, L.errorVarianceLoss, R.errorVarianceLossReference),
  label("negPearsonLoss", y2, p2, L.negPearsonLoss, R.negPearsonLossReference),
  label(
    "pairwiseDiffLoss halfSquared",
    y2,
    p2,
    (t, q) => L.pairwiseDiffLoss(t, q),
    (t, q) => R.pairwiseDiffLossReference(t, q),
  ),
  label(
    "pairwiseDiffLoss absolute",
    y2,
    p2,
    (t, q) => L.pairwiseDiffLoss(t, q, { loss: "absolute" }),
    (t, q) => R.pairwiseDiffLossReference(t, q, "absolute"),
  ),
  label(
    "pairwiseDiffNormLoss p=2",
    y2,
    p2,
    (t, q) => L.pairwiseDiffNormLoss(t, q),
    (t, q) => R.pairwiseDiffNormLossReference(t, q),
  ),
  {
    name: "rankSim λ=2 (tied labels)",
    x: feats,
    tfLoss: (f) => L.rankSim(tf.tensor2d(yTies), f, { lambda: 2 }),
    value: (f) => R.rankSimReference(yTies.map((r) => r[0]), f, 2).value,
    grad: (f) => R.rankSimReference(yTies.map((r) => r[0]), f, 2).grad,
  },
  {
    name: "rnc τ=2 (tied labels)",
    x: feats,
    tfLoss: (f) => L.rnc(tf.tensor2d(yTies), f, { temperature: 2 }),
    value: (f) => R.rncReference(yTies, f, 2),
  },
  {
    name: "conr (tied labels)",
    x: feats,
    tfLoss: (f) => L.conr(tf.tensor2d(yTies), tf.tensor2d(pTies), f),
    value: (f) => R.conrReference(yTies, pTies, f, { w: 1, t: 0.07, e: 0.01 }),
  },
];

// Expected values and gradients, computed once in float64.
const EXPECTED = CASES.map((c) => ({
  value: c.value(c.x),
  grad: c.grad ? c.grad(c.x) : R.numericGradient(c.value, c.x),
}));

const maxAbs = (m: ArrayLike<number>) => Array.from(m).reduce((a, v) => Math.max(a, Math.abs(v)), 0);

async function checkBackend(backend: BackendName): Promise<void> {
  await selectBackend({ backend });
  // The float32 budget: values within 1e-4 relative; gradients within 2e-3 of the gradient's scale
  // (finite-difference oracles carry ~1e-7 themselves; cancellation in the Pearson terms costs digits).
  for (const [i, c] of CASES.entries()) {
    const x = tf.tensor2d(c.x);
    const { value, grad } = tf.valueAndGrad(c.tfLoss)(x);
    const [v] = await value.data();
    const g = await grad.data();
    tf.dispose([x, value, grad]);
    const want = EXPECTED[i];
    const vTol = 1e-4 * Math.max(1, Math.abs(want.value));
    assert.ok(Math.abs(v - want.value) <= vTol, `${backend} ${c.name}: value ${v} vs float64 ${want.value}`);
    const flat = want.grad.flat();
    const scale = Math.max(maxAbs(flat), 1e-6);
    const err = maxAbs(flat.map((w, k) => g[k] - w));
    assert.ok(err <= 2e-3 * scale, `${backend} ${c.name}: gradient error ${err} (scale ${scale})`);
  }
}

const opts = { sanitizeOps: false, sanitizeResources: false };
for (const backend of ["cpu", "wasm"] as const) {
  Deno.test({
    name: `backend parity: every loss on ${backend} matches float64`,
    ...opts,
    fn: () => checkBackend(backend),
  });
}
Deno.test({
  name: "backend parity: every loss on webgpu matches float64",
  ...opts,
  ignore: (await probeWebGpuAdapter()) === null,
  fn: async () => {
    try {
      await checkBackend("webgpu");
    } finally {
      await selectBackend({ backend: "cpu" });
    }
  },
});
