// RnC's feature side per anchor row (rnc.ts runs it), compiled to WebAssembly with 128-bit SIMD by
// tools/wasm/build.sh; the bytes are _rnc_wasm.ts. The formulas: rncRows in rnc.ts.
//
// The label side (the walk order and its tie groups) is the same for every run, so a job row computes one anchor
// of two runs at once, one per float64 lane: the walk's gathers, branches and dependent sums then serve both. A
// run's lane does exactly the arithmetic it would do beside any other run (the lanes never mix), so its bits do
// not depend on its partner; an odd last run is paired with itself.
//
// Per row: the feature distances of each run (float32, SIMD over columns), their exp-logits (float64, two runs
// per vector, interleaved by column), the walk in the label side's order (the cumulative sums, the logs of the
// tie groups' denominators as the log of a running product, the group ratios), the reverse cumulative sum of
// the ratios, and the gradient (float64 numerators, float32 quotients, SIMD over columns).
#include "vector_math.h"

// The distances of anchor i to every column from run k's Gram row (float32, 0 on the diagonal exactly) into
// dist (padded to a multiple of 4 with ones), the anchor's own entry set to the minimum over the other columns
// (so that its logit is 0), which is returned; the padding also gets it.
static f32 distances(const f32* row, const f32* diagonal, i32 n, i32 i, f32* dist) {
  const v128_t gii = wasm_f32x4_splat(diagonal[i]), zero = wasm_f32x4_splat(0);
  const i32 n4 = n & ~3;
  for (i32 j = 0; j < n4; j += 4) {
    const v128_t gij = wasm_v128_load(row + j);
    const v128_t sq = wasm_f32x4_sub(wasm_f32x4_add(gii, wasm_v128_load(diagonal + j)), wasm_f32x4_add(gij, gij));
    wasm_v128_store(dist + j, wasm_f32x4_sqrt(wasm_f32x4_pmax(sq, zero)));
  }
  for (i32 j = n4; j < n; j++) {
    const f32 sq = (diagonal[i] + diagonal[j]) - (row[j] + row[j]);
    dist[j] = __builtin_sqrtf(sq > 0 ? sq : 0);
  }
  dist[i] = __builtin_inff();
  v128_t low = wasm_f32x4_splat(__builtin_inff());
  for (i32 j = 0; j < n4; j += 4) low = wasm_f32x4_pmin(low, wasm_v128_load(dist + j));
  low = wasm_f32x4_pmin(low, wasm_i64x2_shuffle(low, low, 1, 0));
  low = wasm_f32x4_pmin(low, wasm_i32x4_shuffle(low, low, 1, 0, 3, 2));
  f32 minDist = wasm_f32x4_extract_lane(low, 0);
  for (i32 j = n4; j < n; j++) {
    if (dist[j] < minDist) minDist = dist[j];
  }
  dist[i] = n > 1 ? minDist : 0;
  for (i32 j = n; j < ((n + 3) & ~3); j++) dist[j] = dist[i]; // (padding: logits 0, no gradient)
  return minDist;
}

// The walk of one anchor for both lanes (e: [n][2], the anchor's 0): cumulative sums by decreasing label
// distance; a tie group's m anchors share the denominator at the group's end. Σ weight·log C as the log of a
// running product, renormalised (per lane) before it leaves float64's range: returns the logs so far, leaves the
// product in *product and the group ratios W/C in ratio ([n][2], walk order).
__attribute__((always_inline)) static inline v128_t walk_logs(const f64* e, const i32* walk, const i32* weights, i32 n, f64* ratio,
                               v128_t* product) {
  v128_t cumulative = wasm_f64x2_splat(0), running = wasm_f64x2_splat(1), logs = wasm_f64x2_splat(0);
  const v128_t tiny = wasm_f64x2_splat(1e-250), huge = wasm_f64x2_splat(1e250);
  for (i32 q = 0; q < n; q++) {
    cumulative = wasm_f64x2_add(cumulative, wasm_v128_load(e + 2 * walk[q]));
    const i32 w = weights[q];
    v128_t ratioQ = wasm_f64x2_splat(0);
    if (w > 0) {
      for (i32 m = 0; m < w; m++) {
        running = wasm_f64x2_mul(running, cumulative);
        const v128_t inRange = wasm_v128_and(wasm_f64x2_gt(running, tiny), wasm_f64x2_lt(running, huge));
        if (!wasm_i64x2_all_true(inRange)) {
          f64 l0 = wasm_f64x2_extract_lane(logs, 0), l1 = wasm_f64x2_extract_lane(logs, 1);
          f64 p0 = wasm_f64x2_extract_lane(running, 0), p1 = wasm_f64x2_extract_lane(running, 1);
          if (!wasm_i64x2_extract_lane(inRange, 0)) l0 += log_f64(p0), p0 = 1;
          if (!wasm_i64x2_extract_lane(inRange, 1)) l1 += log_f64(p1), p1 = 1;
          logs = wasm_f64x2_make(l0, l1);
          running = wasm_f64x2_make(p0, p1);
        }
      }
      ratioQ = wasm_f64x2_div(wasm_f64x2_splat(w), cumulative);
    }
    wasm_v128_store(ratio + 2 * q, ratioQ);
  }
  *product = running;
  return logs;
}

// Job rows [r0, r1): row r is anchor i = r mod n of the runs 2p and 2p + 1 (the latter if < runs), p = ⌊r / n⌋.
// gram: [runs, n, n]; temperature: [runs]; order, weight: [n, n]; g: [runs, n, n]; rowValue: [runs, n].
// scratch: 64·n + 128 bytes of the calling thread.
void rnc_rows(const f32* gram, const f64* temperature, const i32* order, const i32* weight, f32* g, f64* rowValue,
              i32 n, i32 runs, i32 r0, i32 r1, void* scratch) {
  // Scratch, 16-byte aligned: e ([n4][2] f64: both runs' values of a column side by side), ratio ([n][2] f64,
  // walk order), each run's gradient numerators, distances and Gram diagonal (f32).
  const i32 n4 = (n + 3) & ~3;
  f64* e = (f64*)(((u32)scratch + 15) & ~15u);
  f64* ratio = e + 2 * n4;
  f32* numerator0 = (f32*)(ratio + 2 * n);
  f32* numerator1 = numerator0 + n4;
  f32* dist0 = numerator1 + n4;
  f32* dist1 = dist0 + n4;
  f32* diagonal0 = dist1 + n4;
  f32* diagonal1 = diagonal0 + n4;
  i32 pair = -1, k0 = 0, k1 = 0;
  v128_t inverseT0 = wasm_f32x4_splat(0), inverseT1 = inverseT0;
  for (i32 r = r0; r < r1; r++) {
    const i32 p = r / n, i = r - p * n;
    if (p != pair) {
      pair = p;
      k0 = 2 * p;
      k1 = k0 + 1 < runs ? k0 + 1 : k0;
      inverseT0 = wasm_f32x4_splat((f32)(1 / temperature[k0]));
      inverseT1 = wasm_f32x4_splat((f32)(1 / temperature[k1]));
      for (i32 j = 0; j < n; j++) {
        diagonal0[j] = gram[((i64)k0 * n + j) * n + j];
        diagonal1[j] = gram[((i64)k1 * n + j) * n + j];
      }
    }
    const f32 min0 = distances(gram + ((i64)k0 * n + i) * n, diagonal0, n, i, dist0);
    const f32 min1 = distances(gram + ((i64)k1 * n + i) * n, diagonal1, n, i, dist1);
    // The logits s_j = (minDist − d_j)/t ≤ 0 (float32; the anchor's and the padding's: 0), their exponentials
    // e_j ≤ 1 (float32; the anchor's: 0), and Σ_j s_j in float64, per run in increasing j (lanes of j mod 2).
    const v128_t shift0 = wasm_f32x4_splat(min0), shift1 = wasm_f32x4_splat(min1);
    v128_t sum0 = wasm_f64x2_splat(0), sum1 = sum0;
    for (i32 j = 0; j < n4; j += 4) {
      const v128_t s0 = wasm_f32x4_mul(wasm_f32x4_sub(shift0, wasm_v128_load(dist0 + j)), inverseT0);
      const v128_t s1 = wasm_f32x4_mul(wasm_f32x4_sub(shift1, wasm_v128_load(dist1 + j)), inverseT1);
      sum0 = wasm_f64x2_add(sum0, wasm_f64x2_promote_low_f32x4(s0));
      sum0 = wasm_f64x2_add(sum0, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(s0, s0, 1, 0)));
      sum1 = wasm_f64x2_add(sum1, wasm_f64x2_promote_low_f32x4(s1));
      sum1 = wasm_f64x2_add(sum1, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(s1, s1, 1, 0)));
      const v128_t e0 = exp_f32x4(s0), e1 = exp_f32x4(s1);
      // (column j + c: run 0, run 1)
      const v128_t lo = wasm_i32x4_shuffle(e0, e1, 0, 4, 1, 5), hi = wasm_i32x4_shuffle(e0, e1, 2, 6, 3, 7);
      wasm_v128_store(e + 2 * j, wasm_f64x2_promote_low_f32x4(lo));
      wasm_v128_store(e + 2 * j + 2, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(lo, lo, 1, 0)));
      wasm_v128_store(e + 2 * j + 4, wasm_f64x2_promote_low_f32x4(hi));
      wasm_v128_store(e + 2 * j + 6, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(hi, hi, 1, 0)));
    }
    const v128_t shiftedSum = wasm_f64x2_make(wasm_f64x2_extract_lane(sum0, 0) + wasm_f64x2_extract_lane(sum0, 1),
                                              wasm_f64x2_extract_lane(sum1, 0) + wasm_f64x2_extract_lane(sum1, 1));
    wasm_v128_store(e + 2 * i, wasm_f64x2_splat(0));
    const i32* walk = order + (i64)i * n;
    const i32* weights = weight + (i64)i * n;
    v128_t product;
    v128_t logs = walk_logs(e, walk, weights, n, ratio, &product);
    // A run whose first denominator is below 2^-60 (logits spread by more than ~40 with a tie group far out)
    // takes float64 exponentials of its logits instead (float32's underflow would cost precision, or give log 0):
    // its lane of e is recomputed and the walk redone (the other lane's values, and so its results, stay the
    // same).
    i32 first = 0;
    while (first < n && weights[first] == 0) first++;
    if (first < n) {
      v128_t c = wasm_f64x2_splat(0);
      for (i32 q = 0; q <= first; q++) c = wasm_f64x2_add(c, wasm_v128_load(e + 2 * walk[q]));
      const v128_t small = wasm_f64x2_lt(c, wasm_f64x2_splat(8.673617379884035e-19)); // 2^-60
      if (wasm_v128_any_true(small)) {
        for (i32 lane = 0; lane < 2; lane++) {
          if (!(lane == 0 ? wasm_i64x2_extract_lane(small, 0) : wasm_i64x2_extract_lane(small, 1))) continue;
          const f32* dist = lane == 0 ? dist0 : dist1;
          const f32 m = lane == 0 ? min0 : min1;
          const f32 t = wasm_f32x4_extract_lane(lane == 0 ? inverseT0 : inverseT1, 0);
          for (i32 j = 0; j < n; j++) e[2 * j + lane] = exp_f64((m - dist[j]) * t);
          e[2 * i + lane] = 0;
        }
        logs = walk_logs(e, walk, weights, n, ratio, &product);
      }
    }
    const v128_t value = wasm_f64x2_sub(logs, shiftedSum);
    rowValue[(i64)k0 * n + i] = wasm_f64x2_extract_lane(value, 0) + log_f64(wasm_f64x2_extract_lane(product, 0));
    rowValue[(i64)k1 * n + i] = wasm_f64x2_extract_lane(value, 1) + log_f64(wasm_f64x2_extract_lane(product, 1));
    // ∂L/∂e_j = Σ_{q ≥ pos(j)} W_q / C_q by the reverse walk; ∂L/∂s = e·∂L/∂e − 1; ∂L/∂d = −∂L/∂s / t: the
    // numerators (1 − e_j·∂L/∂e_j)/t (float64, rounded to float32) by column.
    const v128_t one = wasm_f64x2_splat(1);
    const v128_t inverseT = wasm_f64x2_make(wasm_f32x4_extract_lane(inverseT0, 0), wasm_f32x4_extract_lane(inverseT1, 0));
    v128_t sum = wasm_f64x2_splat(0);
    for (i32 q = n - 1; q >= 0; q--) {
      sum = wasm_f64x2_add(sum, wasm_v128_load(ratio + 2 * q));
      const i32 j = walk[q];
      const v128_t x = wasm_f32x4_demote_f64x2_zero(
          wasm_f64x2_mul(wasm_f64x2_sub(one, wasm_f64x2_mul(wasm_v128_load(e + 2 * j), sum)), inverseT));
      wasm_v128_store32_lane(numerator0 + j, x, 0);
      wasm_v128_store32_lane(numerator1 + j, x, 1);
    }
    for (i32 j = n; j < n4; j++) numerator0[j] = numerator1[j] = 0;
    // g = ∂L/∂d / d (float32), 0 for the anchor and where d = 0.
    f32* out0 = g + ((i64)k0 * n + i) * n;
    f32* out1 = g + ((i64)k1 * n + i) * n;
    const v128_t zero = wasm_f32x4_splat(0);
    for (i32 j = 0; j < n4; j += 4) {
      const v128_t d0 = wasm_v128_load(dist0 + j), d1 = wasm_v128_load(dist1 + j);
      const v128_t q0 = wasm_v128_and(wasm_f32x4_div(wasm_v128_load(numerator0 + j), d0), wasm_f32x4_gt(d0, zero));
      const v128_t q1 = wasm_v128_and(wasm_f32x4_div(wasm_v128_load(numerator1 + j), d1), wasm_f32x4_gt(d1, zero));
      if (j + 4 <= n) {
        wasm_v128_store(out0 + j, q0);
        if (k1 != k0) wasm_v128_store(out1 + j, q1);
      } else { // the last one to three columns
        const i32 left = n - j;
        out0[j] = wasm_f32x4_extract_lane(q0, 0);
        if (left > 1) out0[j + 1] = wasm_f32x4_extract_lane(q0, 1);
        if (left > 2) out0[j + 2] = wasm_f32x4_extract_lane(q0, 2);
        if (k1 != k0) {
          out1[j] = wasm_f32x4_extract_lane(q1, 0);
          if (left > 1) out1[j + 1] = wasm_f32x4_extract_lane(q1, 1);
          if (left > 2) out1[j + 2] = wasm_f32x4_extract_lane(q1, 2);
        }
      }
    }
    out0[i] = 0;
    out1[i] = 0;
  }
}
