/**
 * Forward + backward time of every loss at N ∈ {256, 4096, 65536} on the selected backend
 * (`GAR_BACKEND`, default: the best available). Run: `deno bench -A bench/`.
 *
 * Label-space losses are differentiated with respect to the predictions `[N, 1]`; the feature-space
 * regularizers (RankSim, RNC, ConR) with respect to a `[N, 64]` feature matrix (the width of the paper's
 * large FFNN's last hidden layer). The O(N²) forms (the literal pairwise losses and the three
 * regularizers) are skipped at N = 65536, where one N×N float32 matrix alone takes 16 GiB.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../lib/backend.ts";
import {
  conr,
  errorVarianceLoss,
  focalMae,
  focalMse,
  gar,
  huber,
  mae,
  maePearson,
  mse,
  negPearsonLoss,
  pairwiseDiffLoss,
  pairwiseDiffNormLoss,
  rankSim,
  rnc,
  setFiniteChecks,
} from "../lib/losses/mod.ts";

const choice = await selectBackend();
setFiniteChecks(false); // a training loop validates its data once, not every step
const SIZES = [256, 4096, 65536];
const QUADRATIC_MAX_N = 4096;
const FEATURES = 64;

type LabelLoss = (y: tf.Tensor, p: tf.Tensor) => tf.Scalar;
const labelLosses: [string, LabelLoss, boolean][] = [
  ["gar α=1", (y, p) => gar(y, p, { alpha: 1 }), false],
  ["gar α=0.1", (y, p) => gar(y, p, { alpha: 0.1 }), false],
  ["mae", mae, false],
  ["mse", mse, false],
  ["huber", (y, p) => huber(y, p, { delta: 1 }), false],
  ["focalMae", (y, p) => focalMae(y, p, { beta: 1 }), false],
  ["focalMse", (y, p) => focalMse(y, p, { beta: 1 }), false],
  ["maePearson", maePearson, false],
  ["errorVarianceLoss (O(N))", errorVarianceLoss, false],
  ["negPearsonLoss (O(N))", negPearsonLoss, false],
  ["pairwiseDiffLoss (O(N²))", (y, p) => pairwiseDiffLoss(y, p), true],
  ["pairwiseDiffNormLoss (O(N²))", (y, p) => pairwiseDiffNormLoss(y, p), true],
];

function seeded(n: number, cols: number, seed: number): tf.Tensor2D {
  return tf.randomNormal([n, cols], 0, 1, "float32", seed) as tf.Tensor2D;
}

for (const n of SIZES) {
  const y = seeded(n, 1, 1);
  const p = tf.tidy(() => y.add(seeded(n, 1, 2).mul(0.5))) as tf.Tensor2D;
  for (const [name, loss, quadratic] of labelLosses) {
    if (quadratic && n > QUADRATIC_MAX_N) continue;
    const step = tf.grad((pred: tf.Tensor) => loss(y, pred));
    Deno.bench({
      name: `${name} N=${n}`,
      group: `N=${n} (${choice.backend})`,
      baseline: name === "mae",
      ...(n >= 4096 ? { n: 20, warmup: 2 } : {}),
      fn: async () => {
        const g = step(p);
        await g.data();
        g.dispose();
      },
    });
  }
  if (n > QUADRATIC_MAX_N) continue;
  const feats = seeded(n, FEATURES, 3);
  const regs: [string, (f: tf.Tensor) => tf.Scalar][] = [
    ["rankSim", (f) => rankSim(y, f, { lambda: 2 })],
    ["rnc", (f) => rnc(y, f, { temperature: 2 })],
    ["conr", (f) => conr(y, p, f, { w: 1, t: 0.07, e: 0.01 })],
  ];
  for (const [name, reg] of regs) {
    const step = tf.grad(reg);
    Deno.bench({
      name: `${name} N=${n}`,
      group: `N=${n} (${choice.backend})`,
      ...(n >= 4096 ? { n: 5, warmup: 1 } : {}),
      fn: async () => {
        const g = step(feats);
        await g.data();
        g.dispose();
      },
    });
  }
}
