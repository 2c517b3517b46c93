// RnC's feature side per run and anchor row (rnc.ts runs it), compiled to WebAssembly with 128-bit SIMD by
// tools/wasm/build.sh; the bytes are _rnc_wasm.ts. The formulas: rncRows in rnc.ts.
//
// Per row: the feature distances and the exp-logits in column order (SIMD: float32 distances, float64 logits
// and exp), the walk in the label side's order (scalar, float64: the cumulative sums, the logs of the tie
// groups' denominators as the log of a running product, the group ratios), the reverse cumulative sum of the
// ratios, and the gradient in column order (SIMD, float64).
#include "vector_math.h"

// Rows [r0, r1) of the job (row r: anchor r mod n of run ⌊r / n⌋). gram: [K, n, n]; temperature: [K];
// order, weight: [n, n]; anchorAt: [n]; g: [K, n, n]; rowValue: [K, n]. scratch: 36·n + 64 bytes of the calling
// thread.
void rnc_rows(const f32* gram, const f64* temperature, const i32* order, const i32* weight, const i32* anchorAt,
              f32* g, f64* rowValue, i32 n, i32 r0, i32 r1, void* scratch) {
  // Scratch, 16-byte aligned: e, acc (f64, column order), ratio (f64, walk order), diagonal, dist (f32).
  const i32 n2 = (n + 1) & ~1, n4 = (n + 3) & ~3;
  f64* e = (f64*)(((u32)scratch + 15) & ~15u);
  f64* acc = e + n2;
  f64* ratio = acc + n2;
  f32* diagonal = (f32*)(ratio + n2);
  f32* dist = diagonal + n4;
  i32 run = -1;
  f64 inverseT = 0;
  for (i32 r = r0; r < r1; r++) {
    const i32 k = r / n, i = r - k * n;
    const f32* row = gram + (i64)r * n;
    const i32* walk = order + (i64)i * n;
    const i32* weights = weight + (i64)i * n;
    if (k != run) {
      run = k;
      inverseT = 1 / temperature[k];
      for (i32 j = 0; j < n; j++) diagonal[j] = gram[((i64)k * n + j) * n + j];
    }
    // Distances sqrt(max(0, g_ii + g_jj − 2g_ij)) in float32 (0 on the diagonal, exactly), and their minimum
    // over j ≠ i (the anchor's own distance is then set to it, so that its logit is 0).
    const v128_t gii = wasm_f32x4_splat(diagonal[i]), zero = wasm_f32x4_splat(0);
    const i32 n4floor = n & ~3;
    for (i32 j = 0; j < n4floor; j += 4) {
      const v128_t sq = wasm_f32x4_sub(wasm_f32x4_add(gii, wasm_v128_load(diagonal + j)),
                                       wasm_f32x4_add(wasm_v128_load(row + j), wasm_v128_load(row + j)));
      wasm_v128_store(dist + j, wasm_f32x4_sqrt(wasm_f32x4_pmax(sq, zero)));
    }
    for (i32 j = n4floor; j < n; j++) {
      const f32 sq = (diagonal[i] + diagonal[j]) - (row[j] + row[j]);
      dist[j] = __builtin_sqrtf(sq > 0 ? sq : 0);
    }
    dist[i] = __builtin_inff();
    v128_t low = wasm_f32x4_splat(__builtin_inff());
    for (i32 j = 0; j < n4floor; j += 4) low = wasm_f32x4_pmin(low, wasm_v128_load(dist + j));
    low = wasm_f32x4_pmin(low, wasm_i64x2_shuffle(low, low, 1, 0));
    low = wasm_f32x4_pmin(low, wasm_i32x4_shuffle(low, low, 1, 0, 3, 2));
    f32 minDist = wasm_f32x4_extract_lane(low, 0);
    for (i32 j = n4floor; j < n; j++) {
      if (dist[j] < minDist) minDist = dist[j];
    }
    dist[i] = n > 1 ? minDist : 0;
    // The exp-logits e_j = exp((minDist − d_j)/t) ≤ 1 and Σ_{j≠i} of their arguments, in float64.
    const v128_t shift = wasm_f64x2_splat(minDist), scale = wasm_f64x2_splat(inverseT);
    v128_t sums = wasm_f64x2_splat(0);
    const i32 n2floor = n & ~1;
    for (i32 j = 0; j < n2floor; j += 2) {
      const v128_t d = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(dist + j));
      const v128_t s = wasm_f64x2_mul(wasm_f64x2_sub(shift, d), scale);
      sums = wasm_f64x2_add(sums, s);
      wasm_v128_store(e + j, exp_f64x2(s));
    }
    f64 shiftedSum = wasm_f64x2_extract_lane(sums, 0) + wasm_f64x2_extract_lane(sums, 1);
    for (i32 j = n2floor; j < n; j++) {
      const f64 s = ((f64)minDist - dist[j]) * inverseT;
      shiftedSum += s;
      e[j] = exp_f64(s);
    }
    e[i] = 0; // (the anchor is no term; its argument, 0, added nothing)
    // The walk: cumulative sums by decreasing label distance; a tie group's m anchors share the denominator at
    // the group's end. Σ weight·log C as the log of a running product, renormalised before it leaves float64's
    // range.
    f64 cumulative = 0, product = 1, value = 0;
    for (i32 p = 0; p < n; p++) {
      cumulative += e[walk[p]];
      const i32 w = weights[p];
      ratio[p] = 0;
      if (w > 0) {
        for (i32 m = 0; m < w; m++) {
          product *= cumulative;
          if (!(product > 1e-250 && product < 1e250)) {
            value += log_f64(product);
            product = 1;
          }
        }
        ratio[p] = w / cumulative;
      }
    }
    rowValue[r] = value + log_f64(product) - shiftedSum;
    // ∂L/∂e_j = Σ_{p ≥ pos(j)} W_p / C_p, by column.
    f64 sum = 0;
    for (i32 p = n - 1; p >= 0; p--) {
      sum += ratio[p];
      acc[walk[p]] = sum;
    }
    // ∂L/∂s = e·∂L/∂e − 1; ∂L/∂d = −∂L/∂s / t; g = ∂L/∂d / d, 0 for the anchor and where d = 0.
    f32* out = g + (i64)r * n;
    const v128_t one = wasm_f64x2_splat(1), zero2 = wasm_f64x2_splat(0);
    for (i32 j = 0; j < n2floor; j += 2) {
      const v128_t d = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(dist + j));
      const v128_t v = wasm_f64x2_div(
          wasm_f64x2_mul(wasm_f64x2_sub(one, wasm_f64x2_mul(wasm_v128_load(e + j), wasm_v128_load(acc + j))), scale),
          d);
      const v128_t keep = wasm_f64x2_gt(d, zero2);
      wasm_v128_store64_lane(out + j, wasm_f32x4_demote_f64x2_zero(wasm_v128_and(v, keep)), 0);
    }
    for (i32 j = n2floor; j < n; j++) {
      const f64 d = dist[j];
      out[j] = d > 0 ? (f32)(((1 - e[j] * acc[j]) * inverseT) / d) : 0;
    }
    out[i] = 0;
  }
}
