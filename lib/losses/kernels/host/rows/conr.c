// ConR per run and anchor row (conr.ts runs it), compiled to WebAssembly with 128-bit SIMD by
// tools/wasm/build.sh; the bytes are _conr_wasm.ts. The formulas: conrHost in ../conr.ts.
//
// Per row, two SIMD passes over the columns: the cosine products (float32 quotients), the pair kinds
// (positive: label distance ≤ w and j ≠ i; negative: label distance > w, prediction distance ≤ w; the
// comparisons in float64), the denominator's terms exp(prod) and exp(e·l + prod) (float64), kept for the
// second pass; then, for a row with a positive and a negative, the value and the gradient.
#include "vector_math.h"

// Rows [r0, r1) of the job (row r: anchor r mod n of run ⌊r / n⌋). gram: [K, n, n]; labelDist: [n, n]; preds:
// [K, n] (one column, else 0) or predDist: [K, n, n] (else 0); w, t, e: [K]; grad: [K, n, n]; rowValue: [K, n].
// scratch: 24·n + 128 bytes of the calling thread.
void conr_rows(const f32* gram, const f32* labelDist, const f32* preds, const f32* predDist, const f64* ws,
               const f64* ts, const f64* es, f32* grad, f64* rowValue, i32 n, i32 r0, i32 r1, void* scratch) {
  // Scratch, 16-byte aligned: per column its term (f64), product (f64), positive mask (all ones or 0), and a
  // zero-padded copy of the last few columns' inputs.
  const i32 n4 = (n + 3) & ~3;
  f64* term = (f64*)(((u32)scratch + 15) & ~15u);
  f64* product = term + n4;
  f64* positive = product + n4;
  f32* tail = (f32*)(positive + n4); // 3 × 4 floats
  const v128_t zero = wasm_f64x2_splat(0), one = wasm_f64x2_splat(1);
  for (i32 r = r0; r < r1; r++) {
    const i32 k = r / n, i = r - k * n;
    const f32* gRow = gram + (i64)r * n;
    const f32* lRow = labelDist + (i64)i * n;
    const f32* pRow = preds != 0 ? preds + (i64)k * n : predDist + (i64)r * n;
    const v128_t w = wasm_f64x2_splat(ws[k]), e = wasm_f64x2_splat(es[k]);
    const v128_t t = wasm_f32x4_splat((f32)ts[k]); // (t as the float32 scalar tensor it divided)
    const v128_t b = wasm_f32x4_splat(preds != 0 ? preds[k * n + i] : 0);
    const v128_t self = wasm_i64x2_splat(i), count = wasm_i64x2_splat(n);
    v128_t sums = zero, others = zero, positives = zero, negatives = zero;
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
      const v128_t prod = wasm_f32x4_div(wasm_v128_load(g4), t);
      v128_t pred = wasm_v128_load(p4);
      // float32 distances, as the tensor program's pairwiseL1
      if (preds != 0) pred = wasm_f32x4_abs(wasm_f32x4_sub(pred, b));
      const v128_t label = wasm_v128_load(l4);
      for (i32 h = 0; h < 2; h++) {
        const i32 at = j + 2 * h;
        const v128_t l = wasm_f64x2_promote_low_f32x4(h == 0 ? label : wasm_i64x2_shuffle(label, label, 1, 0));
        const v128_t p = wasm_f64x2_promote_low_f32x4(h == 0 ? pred : wasm_i64x2_shuffle(pred, pred, 1, 0));
        const v128_t s = wasm_f64x2_promote_low_f32x4(h == 0 ? prod : wasm_i64x2_shuffle(prod, prod, 1, 0));
        const v128_t lane = wasm_i64x2_make(at, at + 1);
        const v128_t valid = wasm_i64x2_lt(lane, count);
        const v128_t near = wasm_f64x2_le(l, w);
        const v128_t pos = wasm_v128_and(wasm_v128_andnot(near, wasm_i64x2_eq(lane, self)), valid);
        const v128_t neg = wasm_v128_and(wasm_v128_andnot(wasm_f64x2_le(p, w), near), valid);
        // exp(pos) for a positive, exp(e·l + pos) for a negative, 0 otherwise
        const v128_t arg = wasm_v128_bitselect(s, wasm_f64x2_add(wasm_f64x2_mul(e, l), s), pos);
        const v128_t x = wasm_v128_and(exp_f64x2(arg), wasm_v128_or(pos, neg));
        sums = wasm_f64x2_add(sums, x);
        // exp(pos) with pos = 0 for every non-positive k (the authors' sum over every k)
        others = wasm_f64x2_add(others, wasm_v128_and(wasm_v128_andnot(valid, pos), one));
        positives = wasm_i64x2_sub(positives, pos);
        negatives = wasm_i64x2_sub(negatives, neg);
        wasm_v128_store(term + at, x);
        wasm_v128_store(product + at, s);
        wasm_v128_store(positive + at, pos);
      }
    }
    const i64 np = wasm_i64x2_extract_lane(positives, 0) + wasm_i64x2_extract_lane(positives, 1);
    const i64 nn = wasm_i64x2_extract_lane(negatives, 0) + wasm_i64x2_extract_lane(negatives, 1);
    f32* out = grad + (i64)r * n;
    if (np == 0 || nn == 0) { // h_i = 0, or no positive pair
      for (i32 j = 0; j < n; j++) out[j] = 0;
      rowValue[r] = 0;
      continue;
    }
    const f64 denominator = (wasm_f64x2_extract_lane(others, 0) + wasm_f64x2_extract_lane(others, 1)) +
                            (wasm_f64x2_extract_lane(sums, 0) + wasm_f64x2_extract_lane(sums, 1));
    const v128_t logD = wasm_f64x2_splat(log_f64(denominator)), inverse = wasm_f64x2_splat(1 / denominator);
    const v128_t inversePositives = wasm_f64x2_splat(1.0 / np), inverseN = wasm_f64x2_splat(1.0 / n);
    // value: Σ_positives (log D − pos); gradient: (term/D − [positive]/m)/N
    v128_t value = zero;
    for (i32 j = 0; j < n; j += 2) {
      const v128_t pos = wasm_v128_load(positive + j);
      value = wasm_f64x2_add(value, wasm_v128_and(wasm_f64x2_sub(logD, wasm_v128_load(product + j)), pos));
      const v128_t v = wasm_f64x2_mul(
          wasm_f64x2_sub(wasm_f64x2_mul(wasm_v128_load(term + j), inverse), wasm_v128_and(inversePositives, pos)),
          inverseN);
      const v128_t v32 = wasm_f32x4_demote_f64x2_zero(v);
      if (j + 2 <= n) {
        wasm_v128_store64_lane(out + j, v32, 0);
      } else {
        out[j] = wasm_f32x4_extract_lane(v32, 0);
      }
    }
    rowValue[r] = (wasm_f64x2_extract_lane(value, 0) + wasm_f64x2_extract_lane(value, 1)) / np;
  }
}
