/**
 * The building blocks of the O(N²) baselines' host passes (cpu and wasm backends): each WebAssembly row pass of
 * RnC, ConR and RankSim over a sweep's K = 27 runs of N = 256 rows (on the host pool, `GAR_HOST_THREADS` threads),
 * and the row orders against the radix sort they fall back to, on 256 × 256 matrices whose rows are spread,
 * clustered near 1 with a few outliers (trained features' cosine similarities), or a few exact values. Run:
 * `deno bench -A bench/host_passes_bench.ts`.
 *
 * @module
 */
import {
  descendingOrder,
  labelDistanceOrder,
  radixDescendingOrder,
  sortedIndex,
} from "../lib/losses/kernels/host/order.ts";
import { rowArrays, runRows } from "../lib/losses/kernels/host/pool.ts";
import {
  conrRows,
  gramRows,
  rankSimBackwardRows,
  rankSimForwardRows,
  rankSimLabelRows,
  rncLabelRows,
  rncRows,
  symmetrizeRows,
} from "../lib/losses/kernels/host/rows/mod.ts";
import { gaussian } from "../lib/random/gaussian.ts";
import { mulberry32 } from "../lib/random/mulberry32.ts";

const N = 256, K = 27;
const rng = mulberry32(7);

// The row passes: one set of arrays (no other rowArrays call during the benchmark), for both feature widths.
const D_MAX = 64;
const arrays = rowArrays({
  c: ["f32", K * N * D_MAX],
  gram: ["f32", K * N * N],
  labels: ["f32", N],
  sorted: ["i32", N],
  order: ["i32", N * N],
  weight: ["i32", N * N],
  temperature: ["f64", K],
  g: ["f32", K * N * N],
  rowValue: ["f64", K * N],
  scale: ["f64", K],
  out: ["f32", K * N * D_MAX],
  labelDist: ["f32", N * N],
  preds: ["f32", K * N],
  w: ["f64", K],
  t: ["f64", K],
  e: ["f64", K],
  labelRank: ["f32", N * N],
  rank: ["f32", K * N * N],
  lambda: ["f64", K],
});
for (const d of [8, D_MAX]) {
  const a = { ...arrays, c: arrays.c.subarray(0, K * N * d), out: arrays.out.subarray(0, K * N * d) };
  const labels = Float32Array.from({ length: N }, () => Math.fround(3 + gaussian(rng)));
  for (let i = 0; i < a.c.length; i++) a.c[i] = gaussian(rng) / Math.sqrt(d);
  a.labels.set(labels);
  a.sorted.set(sortedIndex(labels));
  a.temperature.fill(2);
  a.scale.fill(1 / (N * (N - 1)));
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) a.labelDist[i * N + j] = Math.abs(Math.fround(labels[j] - labels[i]));
  }
  for (let i = 0; i < K * N; i++) a.preds[i] = labels[i % N] + 0.5 * gaussian(rng);
  a.w.fill(1);
  a.t.fill(0.07);
  a.e.fill(0.01);
  a.lambda.fill(2);
  let job = 0;
  const group = `row passes, K = ${K} runs of N = ${N}, D = ${d}`;
  const gram = () => runRows(gramRows, K * N, { a: a.c, out: a.gram }, { m: N, s: d, job: ++job });
  gram();
  runRows(rncLabelRows, N, a, {});
  runRows(rankSimLabelRows, N, a, {});
  Deno.bench(`Gram matrices (D = ${d})`, { group, baseline: true }, gram);
  Deno.bench(`rncRows (D = ${d})`, { group }, () => runRows(rncRows, Math.ceil(K / 4) * N, a, {}));
  Deno.bench(`conrRows (D = ${d})`, { group }, () => runRows(conrRows, K * N, { ...a, grad: a.g }, {}));
  Deno.bench(`symmetrizeRows, Laplacian (D = ${d})`, { group }, () => {
    runRows(symmetrizeRows, K * N, { g: a.g, c: a.c, scale: a.scale, out: a.out }, { laplacian: 1 });
  });
  const forward = { s: a.gram, labelRank: a.labelRank, rank: a.rank, rowValue: a.rowValue };
  Deno.bench(
    `rankSimForwardRows (D = ${d})`,
    { group },
    () => runRows(rankSimForwardRows, K * N, forward, {}),
  );
  runRows(rankSimForwardRows, K * N, forward, {});
  const backward = { ...forward, lambda: a.lambda, scale: a.scale.fill(2 / N), grad: a.g };
  Deno.bench(
    `rankSimBackwardRows (D = ${d})`,
    { group },
    () => runRows(rankSimBackwardRows, K * N, backward, {}),
  );
}

const rows: Record<string, Float32Array> = {
  spread: Float32Array.from({ length: N * N }, () => rng() * 2 - 1),
  clustered: Float32Array.from(
    { length: N * N },
    (_, k) => (k % 17 === 0 ? rng() * 2 - 1 : 1 - rng() ** 3 * 0.01),
  ),
  "5 values": Float32Array.from({ length: N * N }, () => Math.floor(rng() * 5) / 5),
};
for (const [name, values] of Object.entries(rows)) {
  Deno.bench(`radixDescendingOrder ${name}`, { group: `rows ${name}`, baseline: true }, () => {
    radixDescendingOrder(values, N, N);
  });
  Deno.bench(`descendingOrder ${name}`, { group: `rows ${name}` }, () => {
    descendingOrder(values, N, N);
  });
}

const labels = Float32Array.from({ length: N }, () => rng() * 3);
const distances = new Float32Array(N * N);
for (let i = 0; i < N; i++) {
  for (let j = 0; j < N; j++) distances[i * N + j] = -Math.abs(Math.fround(labels[i] - labels[j]));
}
Deno.bench("descendingOrder of label distance rows", { group: "label orders", baseline: true }, () => {
  descendingOrder(distances, N, N);
});
Deno.bench("labelDistanceOrder", { group: "label orders" }, () => {
  labelDistanceOrder(labels, false);
});
