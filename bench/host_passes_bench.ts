/**
 * The building blocks of the O(N²) baselines' host passes (cpu and wasm backends): the float64 `exp`
 * against `Math.exp`, and the row orders against the radix sort they fall back to, on 256 × 256
 * matrices whose rows are spread, clustered near 1 with a few outliers (trained features' cosine
 * similarities), or a few exact values. Run: `deno bench -A bench/host_passes_bench.ts`.
 *
 * @module
 */
import { exp } from "../lib/losses/kernels/host/exp.ts";
import {
  descendingOrder,
  labelDistanceOrder,
  radixDescendingOrder,
} from "../lib/losses/kernels/host/order.ts";
import { mulberry32 } from "../lib/random/mulberry32.ts";

const N = 256;
const rng = mulberry32(7);
const arguments_ = Float64Array.from({ length: N * N }, () => rng() * 20 - 15);
const out = new Float64Array(N * N);

Deno.bench("Math.exp ×65536", { group: "exp", baseline: true }, () => {
  for (let k = 0; k < out.length; k++) out[k] = Math.exp(arguments_[k]);
});
Deno.bench("exp ×65536", { group: "exp" }, () => {
  for (let k = 0; k < out.length; k++) out[k] = exp(arguments_[k]);
});

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
