/**
 * The host passes' orderings (`lib/losses/kernels/host/order.ts`): `descendingOrder` (buckets + insertion sort) and
 * `radixDescendingOrder` both give the reference order (value descending, later column first), and
 * `labelDistanceOrder` gives exactly `descendingOrder`'s order for the float32 label-distance matrix,
 * ties and extreme values included; RankSim's WebAssembly row sort ranks by that order too.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  descendingOrder,
  labelDistanceOrder,
  radixDescendingOrder,
} from "../../lib/losses/kernels/host/order.ts";
import { rowArrays, runRows } from "../../lib/losses/kernels/host/pool.ts";
import { rankSimForwardRows } from "../../lib/losses/kernels/host/rows/mod.ts";
import { mulberry32 as seeded } from "../../lib/random/mulberry32.ts";

/** `descendingOrder` of the matrix `±|y_i − y_j|` computed in float32. */
function bySorting(y: Float32Array, farthestFirst: boolean): Int32Array {
  const n = y.length;
  const m = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * n + j] = (farthestFirst ? 1 : -1) * Math.abs(Math.fround(y[i] - y[j]));
  }
  return descendingOrder(m, n, n);
}

Deno.test("labelDistanceOrder equals descendingOrder of the label-distance rows (ties, ±0, extremes)", () => {
  const label = fc.oneof(
    fc.integer({ min: -3, max: 3 }), // many exact ties, symmetric distances
    fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    fc.constantFrom(0, -0, 1e-30, 1 + 2 ** -23, 3e38, -3e38), // rounding ties, overflow to ±∞ distances
  );
  fc.assert(
    fc.property(fc.array(label, { minLength: 1, maxLength: 40 }), fc.boolean(), (values, far) => {
      const y = Float32Array.from(values);
      assert.deepEqual(labelDistanceOrder(y, far), bySorting(y, far));
    }),
    { numRuns: 500, seed: 11 },
  );
});

Deno.test("labelDistanceOrder: a hand-checked row", () => {
  // anchor 0 (label 1): distances 0, 1, 1, 2, 0 → nearest first, equal distances later column first
  const order = labelDistanceOrder(Float32Array.from([1, 2, 0, 3, 1]), false);
  assert.deepEqual(Array.from(order.subarray(0, 5)), [4, 0, 2, 1, 3]);
  const far = labelDistanceOrder(Float32Array.from([1, 2, 0, 3, 1]), true);
  assert.deepEqual(Array.from(far.subarray(0, 5)), [3, 2, 1, 4, 0]);
});

/** Value descending, then later column first (−0 equal to +0): the order every ranking here uses. */
function reference(values: Float32Array, rows: number, u: number): Int32Array {
  const out = new Int32Array(rows * u);
  for (let r = 0; r < rows; r++) {
    const row = values.subarray(r * u, (r + 1) * u);
    const cols = Array.from({ length: u }, (_, j) => j).sort((a, b) => (row[b] - row[a]) || (b - a));
    out.set(cols, r * u);
  }
  return out;
}

Deno.test("descendingOrder and radixDescendingOrder match the reference order (spread, clustered, tied, extreme rows)", () => {
  const value = fc.oneof(
    fc.float({ noNaN: true, min: -1, max: 1 }), // cosine similarities
    fc.integer({ min: -2, max: 2 }), // ties
    fc.constantFrom(0, -0, 1e-38, -1e-38, 3.4e38, -3.4e38, Infinity, -Infinity),
    fc.float({ noNaN: true, min: Math.fround(0.999), max: 1 }), // clustered: crowded buckets
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 90 }),
      fc.infiniteStream(value),
      (rows, u, s) => {
        const values = Float32Array.from(s.take(rows * u));
        const want = reference(values, rows, u);
        assert.deepEqual(descendingOrder(values, rows, u), want);
        assert.deepEqual(radixDescendingOrder(values, rows, u), want);
      },
    ),
    { numRuns: 400, seed: 5 },
  );
  // NaN rows take the radix path: both functions agree there too.
  const withNaN = Float32Array.from([0.5, NaN, -1, 0.5, 2]);
  assert.deepEqual(descendingOrder(withNaN, 1, 5), radixDescendingOrder(withNaN, 1, 5));
});

Deno.test("descendingOrder: whole rows of one kind (spread, clustered near 1 with outliers, few values, shifted ranks)", () => {
  const rng = seeded(23);
  const kinds: ((j: number) => number)[] = [
    () => rng() * 2 - 1, // spread: linear buckets
    (j) => (j % 17 === 0 ? rng() * 2 - 1 : 1 - rng() ** 3 * 0.01), // clustered: logarithmic buckets
    () => 1 - rng() ** 6 * 1e-4, // tightly clustered
    () => Math.floor(rng() * 5) / 5, // few distinct values: exact ties
    (j) => Math.fround(rng()) + 1.6 * (j % 7) / 7, // TrueRanker's shifted input
    () => (rng() < 0.5 ? 1 : rng() * 1e-30), // a value and a tiny cluster
  ];
  for (const u of [2, 33, 240, 300]) {
    for (const kind of kinds) {
      const rows = 4;
      const values = Float32Array.from({ length: rows * u }, (_, k) => kind(k % u));
      assert.deepEqual(descendingOrder(values, rows, u), reference(values, rows, u), `u=${u}`);
    }
  }
});

/** The ranks `(position + 1)/u` of the reference order, as float32 (what RankSim's row kernels compute). */
function referenceRanks(values: Float32Array, rows: number, u: number): Float32Array {
  const order = reference(values, rows, u), ranks = new Float32Array(rows * u);
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < u; p++) ranks[r * u + order[r * u + p]] = (p + 1) / u;
  }
  return ranks;
}

Deno.test("RankSim's WebAssembly row sort (rank_sim.c) ranks as the reference order (spread, clustered, tied, extreme, NaN)", () => {
  const rng = seeded(29);
  const kinds: ((j: number) => number)[] = [
    () => rng() * 2 - 1, // spread: buckets
    (j) => (j % 17 === 0 ? rng() * 2 - 1 : 1 - rng() ** 3 * 0.01), // clustered near 1: crowded buckets, radix
    (j) => (j === 3 ? 1 : 0.3 * (rng() * 2 - 1)), // a similarity row: one outlier (the diagonal) above the rest
    () => Math.floor(rng() * 5) / 5, // exact ties
    () => (rng() < 0.5 ? 0 : -0), // ±0 only: all equal
    () => [0, -0, 3.4e38, -3.4e38, Infinity, -Infinity, 1e-38][Math.floor(rng() * 7)], // extremes: radix
  ];
  for (const u of [1, 2, 5, 33, 256]) {
    for (const kind of kinds) {
      const rows = 3;
      const a = rowArrays({
        s: ["f32", rows * u],
        labelRank: ["f32", u * u],
        rank: ["f32", rows * u],
        rowValue: ["f64", rows],
      });
      a.s.set(Float32Array.from({ length: rows * u }, (_, k) => kind(k % u)));
      a.labelRank.fill(0);
      runRows(rankSimForwardRows, rows, a, {});
      assert.deepEqual(a.rank, referenceRanks(a.s, rows, u), `u=${u}`);
    }
  }
  // A row with a NaN: the radix path, as radixDescendingOrder.
  const a = rowArrays({ s: ["f32", 5], labelRank: ["f32", 25], rank: ["f32", 5], rowValue: ["f64", 1] });
  a.s.set([0.5, NaN, -1, 0.5, 2]);
  a.labelRank.fill(0);
  runRows(rankSimForwardRows, 1, a, {});
  const order = radixDescendingOrder(Float32Array.of(0.5, NaN, -1, 0.5, 2), 1, 5);
  const want = new Float32Array(5);
  order.forEach((j, p) => want[j] = (p + 1) / 5);
  assert.deepEqual(a.rank, want);
});
