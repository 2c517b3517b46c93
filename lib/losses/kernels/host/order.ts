/**
 * Orderings for the host kernels of the losses on the backends whose tensors live in host memory
 * (cpu, wasm): row sorts, label-distance orders. No tfjs: the pool's workers (`_worker.ts`) run them
 * too.
 *
 * @module
 */

/**
 * For each row of `values` (`[rows, u]`, row-major float32), its column indices in order of
 * decreasing value, equal values later column first (`−0` equal to `+0`). Returns `[rows·u]` column
 * indices. One {@linkcode descendingOrderRow} per row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { descendingOrder } from "./order.ts";
 * assert.deepEqual(Array.from(descendingOrder(Float32Array.of(1, 3, 1, 0, 2, 2), 2, 3)), [1, 2, 0, 2, 1, 0]);
 * ```
 */
export function descendingOrder(values: Float32Array, rows: number, u: number): Int32Array {
  const order = new Int32Array(rows * u);
  for (let r = 0; r < rows; r++) descendingOrderRow(values, r * u, u, order, r * u);
  return order;
}

// Scratch of the row sorts, grown on demand; one set per thread (module instance).
let sortKey = new Float64Array(0);
let sortBucket = new Int32Array(0);
let sortCount = new Int32Array(0);
const wordOf = new Float64Array(1);
const wordsOf = new Int32Array(wordOf.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the high word's index

/**
 * The column order of one row `values[base … base + u)` (float32 values), decreasing value, equal
 * values later column first (`−0` equal to `+0`), written to `order[out … out + u)`.
 *
 * A bucket sort: the columns, from the last to the first, are distributed over `u` buckets by a
 * monotone map of their value (so every bucket's values are ≤ those of the buckets before it), and
 * one stable insertion pass over the bucketed row sorts within the buckets (it never crosses into
 * an earlier bucket). The map is linear in the value first; if its buckets are crowded (a clustered
 * row: feature similarities near 1, say; or many exact ties) or the insertion pass needs more than
 * 2u moves, the row is bucketed by the float64 exponent and leading mantissa bits of `max − value`
 * instead, a roughly logarithmic scale on which such clusters spread (exact ties cost the insertion
 * pass no moves). A row still too crowded, or that holds a NaN or an infinity, goes to
 * {@linkcode radixDescendingOrder}; all give the same order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { descendingOrderRow } from "./order.ts";
 * const order = new Int32Array(3);
 * descendingOrderRow(Float32Array.of(9, 1, 3, 1), 1, 3, order, 0); // the row (1, 3, 1)
 * assert.deepEqual(Array.from(order), [1, 2, 0]);
 * ```
 */
export function descendingOrderRow(
  values: Float32Array,
  base: number,
  u: number,
  order: Int32Array,
  out: number,
): void {
  // (A NaN, an infinity or a sum past float64's range makes the sum non-finite: no branch per entry.)
  let min = Infinity, max = -Infinity, sum = 0;
  for (let j = 0; j < u; j++) {
    const v = values[base + j];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  if (!Number.isFinite(sum)) {
    order.set(radixDescendingOrder(values.subarray(base, base + u), 1, u), out);
    return;
  }
  if (!(max > min)) { // all equal: later column first
    for (let p = 0; p < u; p++) order[out + p] = u - 1 - p;
    return;
  }
  if (sortKey.length < u) {
    sortKey = new Float64Array(u);
    sortBucket = new Int32Array(u);
    sortCount = new Int32Array(u + 1);
  }
  if (
    !bucketSort(values, base, u, min, max, false, order, out) &&
    !bucketSort(values, base, u, min, max, true, order, out)
  ) {
    order.set(radixDescendingOrder(values.subarray(base, base + u), 1, u), out);
  }
}

/** High 32 bits of the float64 `d ≥ 0`: monotone in `d`, roughly logarithmic. */
function highWord(d: number): number {
  wordOf[0] = d;
  return wordsOf[HIGH];
}

/**
 * One bucketing (linear, or by {@linkcode highWord} of `max − value` when `logarithmic`) and the
 * insertion pass, into `order[out …]` (and the values into `sortKey`); false if the linear buckets
 * look crowded or the insertion pass gave up (more than 2u moves: a bucket crowded with distinct
 * values).
 */
function bucketSort(
  values: Float32Array,
  base: number,
  u: number,
  min: number,
  max: number,
  logarithmic: boolean,
  order: Int32Array,
  out: number,
): boolean {
  const key = sortKey, bucket = sortBucket, count = sortCount;
  const buckets = u;
  // Logarithmic: spread 30 binades below the largest gap max − min; smaller gaps share bucket 0.
  const top = highWord(max - min), floor = highWord((max - min) * 2 ** -30);
  const scale = logarithmic ? buckets / (top - floor + 1) : buckets / (max - min);
  for (let b = 0; b <= buckets; b++) count[b] = 0; // (a loop: fill(0, start, end) is a slow call in V8)
  // Linear buckets: give up early when the bucket sizes c make Σc² > 16u (distinct values would
  // cost the insertion pass ~Σc²/4 moves; exact ties, which cost none, are left to the logarithmic
  // buckets, where they are just as tied). Σc² grows by 2c + 1 per entry.
  let squares = 0;
  const limit = logarithmic ? Infinity : 16 * u;
  if (logarithmic) {
    for (let j = 0; j < u; j++) {
      const w = highWord(max - values[base + j]);
      let b = w <= floor ? 0 : ((w - floor) * scale) | 0;
      if (b >= buckets) b = buckets - 1;
      bucket[j] = b;
      count[b + 1]++;
    }
  } else {
    for (let j = 0; j < u; j++) {
      let b = ((max - values[base + j]) * scale) | 0;
      if (b >= buckets) b = buckets - 1;
      bucket[j] = b;
      squares += 2 * count[b + 1]++ + 1;
      if (squares > limit) return false;
    }
  }
  for (let b = 0; b < buckets; b++) count[b + 1] += count[b];
  for (let j = u - 1; j >= 0; j--) {
    const p = count[bucket[j]]++;
    order[out + p] = j;
    key[p] = values[base + j];
  }
  let budget = 2 * u;
  for (let p = 1; p < u; p++) {
    const v = key[p];
    if (!(key[p - 1] < v)) continue;
    const j = order[out + p];
    let q = p - 1;
    do {
      key[q + 1] = key[q];
      order[out + q + 1] = order[out + q];
      q--;
    } while (q >= 0 && key[q] < v);
    key[q + 1] = v;
    order[out + q + 1] = j;
    budget -= p - q;
    if (budget < 0) return false;
  }
  return true;
}

/**
 * {@linkcode descendingOrder} by a stable least-significant-digit radix sort (four passes of 8 bits)
 * of the IEEE-754 bit patterns mapped to unsigned integers in the same order as the floats (flip all
 * bits of negatives, the sign bit of the rest), started from the columns in reverse. `−0` sorts as
 * `+0`; NaNs by their bit patterns. Any value distribution, 4·u steps per row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { radixDescendingOrder } from "./order.ts";
 * assert.deepEqual(Array.from(radixDescendingOrder(Float32Array.of(1, 3, 1), 1, 3)), [1, 2, 0]);
 * // −0 equals +0: the later column first.
 * assert.deepEqual(Array.from(radixDescendingOrder(Float32Array.of(-0, 0, -1), 1, 3)), [1, 0, 2]);
 * ```
 */
export function radixDescendingOrder(values: Float32Array, rows: number, u: number): Int32Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const order = new Int32Array(rows * u);
  const key = new Uint32Array(u);
  const count = new Uint32Array(256);
  let src = new Int32Array(u), dst = new Int32Array(u);
  for (let r = 0; r < rows; r++) {
    const base = r * u;
    for (let j = 0; j < u; j++) {
      const b = values[base + j] === 0 ? 0 : bits[base + j];
      // inverted, so that ascending keys are descending values
      key[j] = 0xffffffff - (b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0);
      src[j] = u - 1 - j;
    }
    for (let shift = 0; shift < 32; shift += 8) {
      count.fill(0);
      for (let k = 0; k < u; k++) count[(key[src[k]] >>> shift) & 255]++;
      for (let v = 0, sum = 0; v < 256; v++) {
        const c = count[v];
        count[v] = sum;
        sum += c;
      }
      for (let k = 0; k < u; k++) {
        const j = src[k];
        dst[count[(key[j] >>> shift) & 255]++] = j;
      }
      [src, dst] = [dst, src];
    }
    order.set(src, base);
  }
  return order;
}

/**
 * {@linkcode descendingOrder} of the label-distance rows of 1-D labels, without sorting each row:
 * for every anchor i, the column order of the row `v_ij = ±|y_i − y_j|` (float32 arithmetic, the
 * value the tensor programs compute) — `farthestFirst = false` orders `−|y_i − y_j|` (nearest
 * first), `true` orders `|y_i − y_j|` (farthest first) — equal values later column first, exactly as
 * `descendingOrder` of that matrix. The labels are sorted once; each row is then a merge outward from
 * the anchor's value (distances grow monotonically on each side), and only runs of equal distance
 * are sorted, by column. O(N log N + N² + Σ runs log runs) instead of N row sorts.
 *
 * @param y the labels' float32 values, length N
 * @param farthestFirst the order of `+|y_i − y_j|` (true) or of `−|y_i − y_j|` (false)
 * @returns `[N·N]` column indices, row-major
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { labelDistanceOrder } from "./order.ts";
 * // Anchor 0 (label 0) of the labels (0, 1, 3): farthest first is column 2, then 1, then 0.
 * assert.deepEqual(Array.from(labelDistanceOrder(Float32Array.of(0, 1, 3), true).subarray(0, 3)), [2, 1, 0]);
 * ```
 */
export function labelDistanceOrder(y: Float32Array, farthestFirst: boolean): Int32Array {
  const n = y.length;
  const sorted = sortedIndex(y);
  const v = new Float64Array(n);
  for (let k = 0; k < n; k++) v[k] = y[sorted[k]];
  const order = new Int32Array(n * n);
  for (let i = 0; i < n; i++) labelDistanceOrderRow(v, sorted, y[i], farthestFirst, order, i * n);
  return order;
}

/**
 * The indices of `y` in increasing order of value (float32 labels, no NaN).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortedIndex } from "./order.ts";
 * assert.deepEqual(Array.from(sortedIndex([2, 0, 1])), [1, 2, 0]);
 * ```
 */
export function sortedIndex(y: ArrayLike<number>): Int32Array {
  const sorted = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) sorted[i] = i;
  return sorted.sort((a, b) => y[a] - y[b]);
}

let rowDist = new Float64Array(0);

/**
 * One row of {@linkcode labelDistanceOrder}: the columns ordered by the float32 distance
 * `|a − y_j|` to the anchor's label `a`, equal distances later column first, written to
 * `order[out … out + n)`, given the labels' {@linkcode sortedIndex} `sorted` and their values in
 * that order `v` (float64 copies of the float32 labels). The distances in that order are left in
 * `distances` (length ≥ n) if given. With `orderTies = false` equal distances stay in merge order
 * (for callers that treat a tie group as a whole).
 *
 * Over the sorted labels the distance to `a` falls, then rises, so the farthest remaining label is
 * always at one end of the remaining range: a merge inward from both ends gives the farthest-first
 * order; runs of equal distance are then put in column order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { labelDistanceOrderRow, sortedIndex } from "./order.ts";
 * const y = Float32Array.of(0, 1, 3), sorted = sortedIndex(y);
 * const v = Float64Array.from(sorted, (i) => y[i]);
 * const order = new Int32Array(3), distances = new Float64Array(3);
 * labelDistanceOrderRow(v, sorted, y[1], false, order, 0, distances); // anchor 1, nearest first
 * assert.deepEqual(Array.from(order), [1, 0, 2]);
 * assert.deepEqual(Array.from(distances), [0, 1, 2]);
 * ```
 */
export function labelDistanceOrderRow(
  v: Float64Array,
  sorted: Int32Array,
  a: number,
  farthestFirst: boolean,
  order: Int32Array,
  out: number,
  distances?: Float64Array,
  orderTies = true,
): void {
  const n = v.length;
  if (rowDist.length < n) rowDist = new Float64Array(n);
  const dist = distances ?? rowDist;
  // float32 differences: Math.fround of the (exact, see below) float64 difference. Two float32
  // values whose difference is not exact in float64 differ by > 2^29 in magnitude, and then both
  // roundings give the larger one, so this is the float32 subtraction.
  let l = 0, r = n - 1;
  let dl = Math.abs(Math.fround(a - v[l])), dr = Math.abs(Math.fround(v[r] - a));
  for (let p = 0; p < n; p++) {
    if (dl >= dr) {
      order[out + p] = sorted[l];
      dist[p] = dl;
      if (++l <= r) dl = Math.abs(Math.fround(a - v[l]));
    } else {
      order[out + p] = sorted[r];
      dist[p] = dr;
      if (--r >= l) dr = Math.abs(Math.fround(v[r] - a));
    }
  }
  // Equal distances: later column first in the final order (farthest first: descending columns
  // now; nearest first: ascending now, descending once the row is reversed). Runs are short: an
  // insertion sort in place.
  if (orderTies) {
    for (let p = 1; p < n; p++) {
      if (dist[p] !== dist[p - 1]) continue;
      const j = order[out + p];
      let q = p - 1;
      while (q >= 0 && dist[q] === dist[p] && (farthestFirst ? order[out + q] < j : order[out + q] > j)) {
        order[out + q + 1] = order[out + q];
        q--;
      }
      order[out + q + 1] = j;
    }
  }
  if (!farthestFirst) {
    order.subarray(out, out + n).reverse();
    if (distances !== undefined) dist.subarray(0, n).reverse();
  }
}
