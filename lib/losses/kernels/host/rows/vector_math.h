// The small shared part of the losses' WebAssembly row kernels (rnc.c, conr.c, rank_sim.c, gram.c,
// symmetrize.c; compiled by tools/wasm/build.sh, freestanding: no libc): scalar types, and the float64 exp
// (two lanes) and log (scalar) that they need.
//
// The kernels share the host pool's memory (a shared WebAssembly.Memory) between threads: they read and
// write only what their pointers name — the job's arrays and the calling thread's scratch — and use no
// static data and no stack memory, so that several threads' instances can run at once.
#ifndef GAR_VECTOR_MATH_H
#define GAR_VECTOR_MATH_H

#include <wasm_simd128.h>

typedef int i32;
typedef unsigned int u32;
typedef long long i64;
typedef unsigned long long u64;
typedef float f32;
typedef double f64;

#define F64_INFINITY __builtin_inf()
#define F64_NAN __builtin_nan("")

// e^x in float64, per lane: x = k·ln2 + r (k = round(x/ln2), found as the low bits of x/ln2 + 1.5·2^52; ln2
// split in two parts so that r is exact), e^r by its degree-7 Taylor polynomial (|r| ≤ ln2/2: relative
// truncation error < 6e-9, float32's precision several times over), times 2^k built in the exponent bits. Below
// −708 the result is 0 (float64's normal range ends at −708.4; the subnormal tail is not kept), from 710 on +∞;
// NaN stays NaN.
static inline v128_t exp_f64x2(v128_t x) {
  const v128_t low = wasm_f64x2_splat(-708.0), high = wasm_f64x2_splat(710.0);
  const v128_t under = wasm_f64x2_lt(x, low);
  // (pmin/pmax keep a NaN of x)
  const v128_t y = wasm_f64x2_pmin(wasm_f64x2_pmax(x, low), high);
  const v128_t magic = wasm_f64x2_splat(6755399441055744.0); // 1.5·2^52
  const v128_t t = wasm_f64x2_add(wasm_f64x2_mul(y, wasm_f64x2_splat(1.44269504088896338700e+00)), magic);
  const v128_t k = wasm_f64x2_sub(t, magic);
  v128_t r = wasm_f64x2_sub(y, wasm_f64x2_mul(k, wasm_f64x2_splat(6.93147180369123816490e-01)));
  r = wasm_f64x2_sub(r, wasm_f64x2_mul(k, wasm_f64x2_splat(1.90821492927058770002e-10)));
  v128_t p = wasm_f64x2_splat(1.0 / 5040);
  p = wasm_f64x2_add(wasm_f64x2_mul(p, r), wasm_f64x2_splat(1.0 / 720));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, r), wasm_f64x2_splat(1.0 / 120));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, r), wasm_f64x2_splat(1.0 / 24));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, r), wasm_f64x2_splat(1.0 / 6));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, r), wasm_f64x2_splat(0.5));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, r), wasm_f64x2_splat(1.0));
  p = wasm_f64x2_add(wasm_f64x2_mul(p, r), wasm_f64x2_splat(1.0));
  // 2^k for k in [−1021, 1024] (1024: +∞): the biased exponent k + 1023 in bits 52…62 (t's bits are those of
  // 1.5·2^52 plus k, and the shift drops the former).
  const v128_t scale = wasm_i64x2_shl(wasm_i64x2_add(t, wasm_i64x2_splat(1023)), 52);
  return wasm_v128_andnot(wasm_f64x2_mul(p, scale), under);
}

// e^x in float32, per lane: x = k·ln2 + r as above (k from x/ln2 + 1.5·2^23; ln2's high part has 16 bits, so
// that k·ln2_hi is exact), e^r
// by its degree-6 Taylor polynomial (truncation error < 1.3e-7 relative), times 2^k built in the exponent bits.
// Below −87.3 the result is 0 (float32's normal range ends there; the subnormal tail is not kept), from 88.8 on
// +∞; NaN stays NaN. Within a few ulp of e^x elsewhere.
static inline v128_t exp_f32x4(v128_t x) {
  const v128_t low = wasm_f32x4_splat(-87.3f), high = wasm_f32x4_splat(88.8f);
  const v128_t under = wasm_f32x4_lt(x, low);
  const v128_t y = wasm_f32x4_pmin(wasm_f32x4_pmax(x, low), high);
  const v128_t magic = wasm_f32x4_splat(12582912.0f); // 1.5·2^23
  const v128_t t = wasm_f32x4_add(wasm_f32x4_mul(y, wasm_f32x4_splat(1.44269504088896341f)), magic);
  const v128_t k = wasm_f32x4_sub(t, magic);
  v128_t r = wasm_f32x4_sub(y, wasm_f32x4_mul(k, wasm_f32x4_splat(0.693145751953125f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(k, wasm_f32x4_splat(1.428606765330187e-06f)));
  v128_t p = wasm_f32x4_splat(1.0f / 720);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 120));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 24));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 6));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(0.5f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  // 2^k for k in [−126, 128] (128: +∞): the biased exponent k + 127 in bits 23…30 (as above).
  const v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(t, wasm_i32x4_splat(127)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(p, scale), under);
}

// Stores the four float32 lanes of v to row[j … j + 3], those before column n.
static inline void store_columns(f32* row, i32 j, i32 n, v128_t v) {
  if (j + 4 <= n) {
    wasm_v128_store(row + j, v);
    return;
  }
  row[j] = wasm_f32x4_extract_lane(v, 0);
  if (j + 1 < n) row[j + 1] = wasm_f32x4_extract_lane(v, 1);
  if (j + 2 < n) row[j + 2] = wasm_f32x4_extract_lane(v, 2);
}

// e^x of one float64 (lane 0 of exp_f64x2).
static inline f64 exp_f64(f64 x) {
  return wasm_f64x2_extract_lane(exp_f64x2(wasm_f64x2_splat(x)), 0);
}

// log x in float64 (within a few ulp): x = m·2^e with m in [√½, √2), log m = 2·atanh(s) with s = (m − 1)/(m + 1)
// (|s| < 0.172) by its series to s^21. log 0 = −∞, log ∞ = ∞, NaN for a negative x or NaN.
static inline f64 log_f64(f64 x) {
  if (!(x > 0)) return x == 0 ? -F64_INFINITY : F64_NAN;
  if (x == F64_INFINITY) return x;
  i32 e = 0;
  if (x < 2.2250738585072014e-308) { // subnormal: scale into the normal range first
    x *= 18014398509481984.0;       // 2^54
    e = -54;
  }
  u64 bits = __builtin_bit_cast(u64, x);
  e += (i32)(bits >> 52) - 1023;
  f64 m = __builtin_bit_cast(f64, (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1;
  }
  const f64 s = (m - 1) / (m + 1), s2 = s * s;
  f64 series = 1.0 / 21;
  for (i32 k = 19; k >= 1; k -= 2) series = series * s2 + 1.0 / k;
  const f64 ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10;
  return e * ln2Hi + (2 * s * series + e * ln2Lo);
}

#endif
