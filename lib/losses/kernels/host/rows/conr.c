// ConR per run and anchor row (conr.ts runs it), compiled to WebAssembly with 128-bit SIMD by
// tools/wasm/build.sh; the bytes are _conr_wasm.ts. The formulas: conrHost in ../conr.ts.
//
// Per row, three SIMD passes over the columns, four at a time in float32: the cosine products (times the float32
// 1/t), the pairs' kinds
// (positive: label distance ≤ w and j ≠ i; negative: label distance > w, prediction distance ≤ w) and the
// exponents of the denominator's terms (prod for a positive, e·l + prod for a negative) with their maximum M, and
// the positives' sum of products (float64);
// for a row with a positive and a negative, the terms exp(x − M⁺) (M⁺ = max(M, 0): every term ≤ 1, none
// overflows whatever t, and the terms that underflow are below 2^-126 of the largest) and their float64 sum;
// then the value (float64) and the gradient.
#include "vector_math.h"

// The largest float32 ≤ w (w ≥ 0): for a float32 l, l ≤ w exactly when l ≤ it.
static f32 float32_at_most(f64 w) {
  f32 c = (f32)w;
  if ((f64)c > w) c = __builtin_bit_cast(f32, __builtin_bit_cast(u32, c) - 1);
  return c;
}

// The sum of the four float32 lanes of x, in float64, added to the two float64 lanes of sum.
static inline v128_t add_f64(v128_t sum, v128_t x) {
  sum = wasm_f64x2_add(sum, wasm_f64x2_promote_low_f32x4(x));
  return wasm_f64x2_add(sum, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(x, x, 1, 0)));
}

// Rows [r0, r1) of the job (row r: anchor r mod n of run ⌊r / n⌋). gram: [K, n, n]; labelDist: [n, n]; preds:
// [K, n] (one column, else 0) or predDist: [K, n, n] (else 0); w, t, e: [K]; grad: [K, n, n]; rowValue: [K, n].
// scratch: 12·n + 128 bytes of the calling thread.
void conr_rows(const f32* gram, const f32* labelDist, const f32* preds, const f32* predDist, const f64* ws,
               const f64* ts, const f64* es, f32* grad, f64* rowValue, i32 n, i32 r0, i32 r1, void* scratch) {
  // Scratch, 16-byte aligned: per column its exponent, whether it is a positive, whether it is a term (then the
  // term), and a zero-padded copy of the last few columns' inputs.
  const i32 n4 = (n + 3) & ~3;
  f32* exponent = (f32*)(((u32)scratch + 15) & ~15u);
  f32* positive = exponent + n4;
  f32* active = positive + n4;
  f32* tail = active + n4; // 3 × 4 floats
  const v128_t lanes = wasm_i32x4_make(0, 1, 2, 3);
  for (i32 r = r0; r < r1; r++) {
    const i32 k = r / n, i = r - k * n;
    const f32* gRow = gram + (i64)r * n;
    const f32* lRow = labelDist + (i64)i * n;
    const f32* pRow = preds != 0 ? preds + (i64)k * n : predDist + (i64)r * n;
    const v128_t w = wasm_f32x4_splat(float32_at_most(ws[k])), e = wasm_f32x4_splat((f32)es[k]);
    const v128_t inverseT = wasm_f32x4_splat((f32)(1 / ts[k]));
    const v128_t b = wasm_f32x4_splat(preds != 0 ? preds[k * n + i] : 0);
    const v128_t self = wasm_i32x4_splat(i), count = wasm_i32x4_splat(n);
    v128_t positives = wasm_i32x4_splat(0), negatives = positives, value = wasm_f64x2_splat(0);
    v128_t high = wasm_f32x4_splat(-__builtin_inff());
    for (i32 j = 0; j < n; j += 4) {
      const f32 *g4 = gRow + j, *l4 = lRow + j, *p4 = pRow + j;
      if (j + 4 > n) { // the last columns, zero-padded (their lanes are masked out below)
        for (i32 c = 0; c < 4; c++) {
          const i32 at = j + c < n ? j + c : j;
          tail[c] = j + c < n ? gRow[at] : 0;
          tail[4 + c] = j + c < n ? lRow[at] : 0;
          tail[8 + c] = j + c < n ? pRow[at] : 0;
        }
        g4 = tail, l4 = tail + 4, p4 = tail + 8;
      }
      const v128_t prod = wasm_f32x4_mul(wasm_v128_load(g4), inverseT), l = wasm_v128_load(l4);
      v128_t p = wasm_v128_load(p4);
      if (preds != 0) p = wasm_f32x4_abs(wasm_f32x4_sub(p, b)); // (float32 distances, as pairwiseL1's)
      const v128_t lane = wasm_i32x4_add(lanes, wasm_i32x4_splat(j));
      const v128_t valid = wasm_i32x4_lt(lane, count), near = wasm_f32x4_le(l, w);
      const v128_t pos = wasm_v128_and(wasm_v128_andnot(near, wasm_i32x4_eq(lane, self)), valid);
      const v128_t neg = wasm_v128_and(wasm_v128_andnot(wasm_f32x4_le(p, w), near), valid);
      const v128_t x = wasm_v128_bitselect(prod, wasm_f32x4_add(wasm_f32x4_mul(e, l), prod), pos);
      const v128_t on = wasm_v128_or(pos, neg);
      high = wasm_f32x4_pmax(high, wasm_v128_bitselect(x, wasm_f32x4_splat(-__builtin_inff()), on));
      positives = wasm_i32x4_sub(positives, pos);
      negatives = wasm_i32x4_sub(negatives, neg);
      value = add_f64(value, wasm_v128_and(prod, pos)); // Σ_positives pos
      wasm_v128_store(exponent + j, x);
      wasm_v128_store(positive + j, pos);
      wasm_v128_store(active + j, on);
    }
#define LANE_SUM(v) \
  (wasm_i32x4_extract_lane(v, 0) + wasm_i32x4_extract_lane(v, 1) + wasm_i32x4_extract_lane(v, 2) + \
   wasm_i32x4_extract_lane(v, 3))
    const i32 np = LANE_SUM(positives), nn = LANE_SUM(negatives);
#undef LANE_SUM
    f32* out = grad + (i64)r * n;
    if (np == 0 || nn == 0) { // h_i = 0, or no positive pair
      for (i32 j = 0; j < n; j++) out[j] = 0;
      rowValue[r] = 0;
      continue;
    }
    high = wasm_f32x4_pmax(high, wasm_i64x2_shuffle(high, high, 1, 0));
    high = wasm_f32x4_pmax(high, wasm_i32x4_shuffle(high, high, 1, 0, 3, 2));
    f32 shift = wasm_f32x4_extract_lane(high, 0);
    if (!(shift > 0)) shift = 0;
    // The terms exp(x − M⁺) and their sum, plus exp(−M⁺) for each non-positive column (exp(pos) with pos = 0:
    // the authors' sum over every k).
    const v128_t m = wasm_f32x4_splat(shift);
    v128_t sum = wasm_f64x2_splat(0);
    for (i32 j = 0; j < n4; j += 4) {
      const v128_t x = wasm_v128_and(exp_f32x4(wasm_f32x4_sub(wasm_v128_load(exponent + j), m)),
                                     wasm_v128_load(active + j));
      sum = add_f64(sum, x);
      wasm_v128_store(active + j, x);
    }
    const f64 denominator =
        (wasm_f64x2_extract_lane(sum, 0) + wasm_f64x2_extract_lane(sum, 1)) + (n - np) * exp_f64(-(f64)shift);
    const f64 logD = shift + log_f64(denominator);
    // value: Σ_positives (log D − pos) / m; gradient: (term/D − [positive]/m)/N.
    const v128_t inverse = wasm_f32x4_splat((f32)(1 / denominator));
    const v128_t inversePositives = wasm_f32x4_splat(1.0f / np), inverseN = wasm_f32x4_splat(1.0f / n);
    for (i32 j = 0; j < n4; j += 4) {
      const v128_t pos = wasm_v128_load(positive + j);
      const v128_t term = wasm_f32x4_mul(wasm_v128_load(active + j), inverse);
      const v128_t v = wasm_f32x4_mul(wasm_f32x4_sub(term, wasm_v128_and(inversePositives, pos)), inverseN);
      store_columns(out, j, n, v);
    }
    rowValue[r] = logD - (wasm_f64x2_extract_lane(value, 0) + wasm_f64x2_extract_lane(value, 1)) / np;
  }
}
