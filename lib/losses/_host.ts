/**
 * Helpers of the host passes that some losses take on the backends whose tensors live in host
 * memory (cpu, wasm). Internal: not re-exported by `mod.ts`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** True on backends whose tensors live in host memory (cpu, wasm): reading a few numbers back is free there. */
export function hostBackend(): boolean {
  const b = tf.getBackend();
  return b === "cpu" || b === "wasm";
}

/**
 * For each row of `values` (`[rows, u]`, row-major float32), its column indices in order of
 * decreasing value, equal values later column first (`−0` equal to `+0`). Returns `[rows·u]` column
 * indices.
 *
 * Each row is bucketed by value (`u` buckets spanning the row's range: a monotone map, so buckets
 * are ordered), columns entering their bucket from the last to the first, and each bucket is then
 * insertion-sorted by value (stable, so equal values keep later-column-first). Rows where a bucket
 * would hold more than 32 entries (clustered values), or that hold a NaN or an infinity, use
 * {@linkcode radixDescendingOrder} instead; both give the same order.
 */
export function descendingOrder(values: Float32Array, rows: number, u: number): Int32Array {
  const order = new Int32Array(rows * u);
  const start = new Int32Array(u + 1);
  const bucket = new Int32Array(u);
  for (let r = 0; r < rows; r++) {
    const base = r * u;
    let min = Infinity, max = -Infinity, nan = false;
    for (let j = 0; j < u; j++) {
      const v = values[base + j];
      if (v < min) min = v;
      if (v > max) max = v;
      if (v !== v) nan = true;
    }
    if (nan || !Number.isFinite(min) || !Number.isFinite(max)) {
      order.set(radixDescendingOrder(values.subarray(base, base + u), 1, u), base);
      continue;
    }
    if (!(max > min)) { // all equal: later column first
      for (let p = 0; p < u; p++) order[base + p] = u - 1 - p;
      continue;
    }
    const scale = u / (max - min); // finite: float32 values, float64 arithmetic
    start.fill(0);
    let crowded = false;
    for (let j = 0; j < u; j++) {
      const b = Math.min(u - 1, Math.floor((max - values[base + j]) * scale));
      bucket[j] = b;
      if (++start[b + 1] > 32) crowded = true;
    }
    if (crowded) {
      order.set(radixDescendingOrder(values.subarray(base, base + u), 1, u), base);
      continue;
    }
    for (let b = 0; b < u; b++) start[b + 1] += start[b];
    for (let j = u - 1; j >= 0; j--) order[base + start[bucket[j]]++] = j;
    // start[b] is now the end of bucket b; insertion-sort each bucket, larger values first.
    for (let b = 0, from = 0; b < u; b++) {
      const to = start[b];
      for (let p = from + 1; p < to; p++) {
        const j = order[base + p], v = values[base + j];
        let q = p - 1;
        while (q >= from && values[base + order[base + q]] < v) {
          order[base + q + 1] = order[base + q];
          q--;
        }
        order[base + q + 1] = j;
      }
      from = to;
    }
  }
  return order;
}

/**
 * {@linkcode descendingOrder} by a stable least-significant-digit radix sort (four passes of 8 bits)
 * of the IEEE-754 bit patterns mapped to unsigned integers in the same order as the floats (flip all
 * bits of negatives, the sign bit of the rest), started from the columns in reverse. `−0` sorts as
 * `+0`; NaNs by their bit patterns. Any value distribution, 4·u steps per row.
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
 * The float32 distances `|v_i − v_j|` of one column of values (`pairwiseL1` of an `[N, 1]` tensor,
 * sum or mean alike), row-major `[N·N]`, computed on the host without `[N, N]` tensor ops.
 */
export function oneColumnDistances(v: ArrayLike<number>): Float32Array {
  const n = v.length;
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = Math.abs(v[i] - v[j]);
  return out;
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
 */
export function labelDistanceOrder(y: Float32Array, farthestFirst: boolean): Int32Array {
  const n = y.length;
  const sorted = new Int32Array(n);
  for (let i = 0; i < n; i++) sorted[i] = i;
  sorted.sort((a, b) => y[a] - y[b]);
  const v = new Float64Array(n);
  for (let k = 0; k < n; k++) v[k] = y[sorted[k]];
  const order = new Int32Array(n * n);
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = y[i], base = i * n;
    // [lo, hi): the labels equal to a (distance 0, the anchor among them)
    let lo = 0, hi = n;
    for (let s = n; lo < s;) {
      const m = (lo + s) >> 1;
      if (v[m] < a) lo = m + 1;
      else s = m;
    }
    for (let s = lo; s < hi;) {
      const m = (s + hi) >> 1;
      if (v[m] > a) hi = m;
      else s = m + 1;
    }
    let out = 0;
    for (let k = lo; k < hi; k++) {
      order[base + out] = sorted[k];
      dist[out++] = 0;
    }
    // float32 differences: Math.fround of the (exact, see below) float64 difference. Two float32
    // values whose difference is not exact in float64 differ by > 2^29 in magnitude, and then both
    // roundings give the larger one, so this is the float32 subtraction.
    for (let l = lo - 1, r = hi; l >= 0 || r < n;) {
      const dl = l >= 0 ? Math.fround(a - v[l]) : 0, dr = r < n ? Math.fround(v[r] - a) : 0;
      if (r >= n || (l >= 0 && dl <= dr)) {
        order[base + out] = sorted[l--];
        dist[out++] = dl;
      } else {
        order[base + out] = sorted[r++];
        dist[out++] = dr;
      }
    }
    // Equal distances: later column first in the final order.
    for (let s = 0; s < n;) {
      let e = s + 1;
      while (e < n && dist[e] === dist[s]) e++;
      if (e - s > 1) {
        const run = order.subarray(base + s, base + e).sort();
        if (!farthestFirst) run.reverse();
      }
      s = e;
    }
    if (farthestFirst) order.subarray(base, base + n).reverse();
  }
  return order;
}
