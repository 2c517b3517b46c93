// RankSim's feature side per run and row (rank_sim.ts runs it), compiled to WebAssembly with 128-bit SIMD by
// tools/wasm/build.sh; the bytes are _rank_sim_wasm.ts: the ranks of a row of similarities and the row's value
// (forward), and TrueRanker's blackbox gradient (backward). The formulas and the arithmetic: rankSimForwardRows
// and rankSimBackwardRows in rank_sim.ts.
//
// A row's order — decreasing value, equal values later column first, −0 equal to +0 — is the one order of
// ../order.ts's descendingOrderRow, found the same way: a bucket sort (4u buckets linear in the value, the
// columns distributed from the last to the first, then one stable insertion pass), and where the buckets are
// crowded or the row holds a NaN or an infinity, a least-significant-digit radix sort of the value's bits. The
// backward pass sorts its shifted rows the same way.
#include "vector_math.h"

// The per-thread scratch of one call, laid out from its (16-byte aligned) start for rows of u values.
typedef struct {
  f32* step;    // (p + 1)/u, float32
  f32* shifted; // the backward pass's shifted row
  f32* key;     // the bucket sort's values in their current order
  f32* rank;    // the backward pass's new ranks
  i32* order;   // the row's order
  i32* bucket;  // each column's bucket
  i32* count;   // 4u + 1 bucket counts
  u32* radix;   // the radix sort's keys
  i32* other;   // the radix sort's second buffer
  i32* digits;  // 256 digit counts
} Scratch;

// The scratch's layout, itself at its start (kernels use no stack memory); scratch: 64·u + 1536 bytes.
static const Scratch* layout(void* scratch, i32 u) {
  const i32 u4 = (u + 4) & ~3;
  Scratch* s = (Scratch*)(((u32)scratch + 15) & ~15u);
  s->step = (f32*)(s + 1) + 4;
  s->shifted = s->step + u4;
  s->key = s->shifted + u4;
  s->rank = s->key + u4;
  s->order = (i32*)(s->rank + u4);
  s->bucket = s->order + u4;
  s->count = s->bucket + u4;
  s->radix = (u32*)(s->count + 4 * u4 + 4);
  s->other = (i32*)(s->radix + u4);
  s->digits = s->other + u4;
  for (i32 p = 0; p < u; p++) s->step[p] = (f32)((f64)(p + 1) / u);
  return s;
}

// The order by a stable least-significant-digit radix sort (8 bits a pass) of the bit patterns mapped to
// unsigned integers in decreasing order of value, started from the columns in reverse; a pass whose digit is
// the same for every column is skipped.
static void radix_order(const f32* v, i32 u, const Scratch* s) {
  i32 *src = s->order, *dst = s->other;
  for (i32 j = 0; j < u; j++) {
    const u32 b = v[j] == 0 ? 0 : __builtin_bit_cast(u32, v[j]);
    s->radix[j] = 0xffffffffu - ((b & 0x80000000u) ? ~b : (b | 0x80000000u));
    src[j] = u - 1 - j;
  }
  for (i32 shift = 0; shift < 32; shift += 8) {
    i32* digits = s->digits;
    for (i32 d = 0; d < 256; d++) digits[d] = 0;
    for (i32 j = 0; j < u; j++) digits[(s->radix[j] >> shift) & 255]++;
    if (digits[(s->radix[0] >> shift) & 255] == u) continue;
    for (i32 d = 0, sum = 0; d < 256; d++) {
      const i32 c = digits[d];
      digits[d] = sum;
      sum += c;
    }
    for (i32 q = 0; q < u; q++) {
      const i32 j = src[q];
      dst[digits[(s->radix[j] >> shift) & 255]++] = j;
    }
    i32* swap = src;
    src = dst;
    dst = swap;
  }
  if (src != s->order) {
    for (i32 q = 0; q < u; q++) s->order[q] = src[q];
  }
}

// The insertion pass over key/order (the values in their current order and their columns, equal values later
// column first already): each entry moves before the smaller values before it (a stable pass); 0 if that takes
// more than `budget` moves.
static i32 insertion(f32* key, i32* order, i32 u, i32 budget) {
  for (i32 p = 1; p < u; p++) {
    const f32 x = key[p];
    if (!(key[p - 1] < x)) continue;
    const i32 j = order[p];
    i32 q = p - 1;
    do {
      key[q + 1] = key[q];
      order[q + 1] = order[q];
      q--;
    } while (q >= 0 && key[q] < x);
    key[q + 1] = x;
    order[q + 1] = j;
    budget -= p - q;
    if (budget < 0) return 0;
  }
  return 1;
}

// The bucket sort into s->order: 4u buckets linear in top − value (SIMD; top: the row's second largest value, so
// that one outlier — a similarity's diagonal — does not crowd the rest; a larger value goes to bucket 0), the
// columns distributed from the last to the first, then the insertion pass; 0 if the buckets look crowded
// (Σ count² > 8u) or the insertion pass needs more than 2u moves.
static i32 bucket_order(const f32* v, i32 u, f32 min, f32 max, const Scratch* s) {
  i32 *count = s->count, *bucket = s->bucket, *order = s->order;
  f32* key = s->key;
  const i32 buckets = 4 * u;
  const v128_t top = wasm_f32x4_splat(max), last = wasm_i32x4_splat(buckets - 1);
  const v128_t scale = wasm_f32x4_splat((f32)(buckets / ((f64)max - (f64)min)));
  const i32 u4 = u & ~3;
  for (i32 j = 0; j < u4; j += 4) {
    const v128_t b = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_mul(wasm_f32x4_sub(top, wasm_v128_load(v + j)), scale));
    wasm_v128_store(bucket + j, wasm_i32x4_max(wasm_i32x4_min(b, last), wasm_i32x4_splat(0)));
  }
  for (i32 j = u4; j < u; j++) {
    i32 b = (i32)((max - v[j]) * wasm_f32x4_extract_lane(scale, 0));
    bucket[j] = b < 0 ? 0 : b < buckets - 1 ? b : buckets - 1;
  }
  for (i32 b = 0; b <= buckets; b++) count[b] = 0;
  for (i32 j = 0; j < u; j++) count[bucket[j] + 1]++;
  i32 squares = 0;
  for (i32 b = 1; b <= buckets; b++) squares += count[b] * count[b];
  if (squares > 8 * u) return 0;
  // (the counts' running sums, four at a time: each bucket's first position)
  const v128_t zero = wasm_i32x4_splat(0);
  v128_t carry = zero;
  const i32 b4 = (buckets + 1) & ~3;
  for (i32 b = 0; b < b4; b += 4) {
    v128_t v = wasm_v128_load(count + b);
    v = wasm_i32x4_add(v, wasm_i32x4_shuffle(zero, v, 3, 4, 5, 6));
    v = wasm_i32x4_add(v, wasm_i32x4_shuffle(zero, v, 2, 3, 4, 5));
    v = wasm_i32x4_add(v, carry);
    wasm_v128_store(count + b, v);
    carry = wasm_i32x4_shuffle(v, v, 3, 3, 3, 3);
  }
  for (i32 b = b4; b <= buckets; b++) count[b] += count[b - 1];
  for (i32 j = u - 1; j >= 0; j--) {
    const i32 p = count[bucket[j]]++;
    order[p] = j;
    key[p] = v[j];
  }
  return insertion(key, order, u, 2 * u);
}

// The row's minimum, maximum and second largest value (the maximum once removed), by SIMD; 0 if it holds a NaN or
// an infinity.
__attribute__((always_inline)) static inline i32 row_range(const f32* v, i32 u, f32* min, f32* max, f32* second) {
  v128_t low = wasm_f32x4_splat(__builtin_inff()), high = wasm_f32x4_splat(-__builtin_inff()), next = high;
  v128_t finite = wasm_i32x4_splat(-1);
  const i32 u4 = u & ~3;
  for (i32 j = 0; j < u4; j += 4) {
    const v128_t x = wasm_v128_load(v + j);
    low = wasm_f32x4_pmin(low, x);
    next = wasm_f32x4_pmax(next, wasm_f32x4_pmin(high, x));
    high = wasm_f32x4_pmax(high, x);
    finite = wasm_v128_and(finite, wasm_f32x4_eq(wasm_f32x4_sub(x, x), wasm_f32x4_splat(0)));
  }
  low = wasm_f32x4_pmin(low, wasm_i64x2_shuffle(low, low, 1, 0));
  low = wasm_f32x4_pmin(low, wasm_i32x4_shuffle(low, low, 1, 0, 3, 2));
  f32 lo = wasm_f32x4_extract_lane(low, 0), hi = -__builtin_inff(), hi2 = hi;
#define TOP2(x)            \
  {                        \
    const f32 y = x;       \
    if (y > hi) {          \
      hi2 = hi;            \
      hi = y;              \
    } else if (y > hi2) {  \
      hi2 = y;             \
    }                      \
  }
  TOP2(wasm_f32x4_extract_lane(high, 0));
  TOP2(wasm_f32x4_extract_lane(high, 1));
  TOP2(wasm_f32x4_extract_lane(high, 2));
  TOP2(wasm_f32x4_extract_lane(high, 3));
  TOP2(wasm_f32x4_extract_lane(next, 0));
  TOP2(wasm_f32x4_extract_lane(next, 1));
  TOP2(wasm_f32x4_extract_lane(next, 2));
  TOP2(wasm_f32x4_extract_lane(next, 3));
  i32 ok = wasm_i32x4_all_true(finite);
  for (i32 j = u4; j < u; j++) {
    const f32 x = v[j];
    if (x < lo) lo = x;
    TOP2(x);
    ok &= (x - x) == 0;
  }
#undef TOP2
  *min = lo;
  *max = hi;
  *second = hi2;
  return ok;
}

// The descending order of the row v (u values) into s->order.
static void descending_order(const f32* v, i32 u, const Scratch* s) {
  f32 min, max, second;
  if (!row_range(v, u, &min, &max, &second)) {
    radix_order(v, u, s);
  } else if (!(max > min)) { // all equal: later column first
    for (i32 p = 0; p < u; p++) s->order[p] = u - 1 - p;
  } else if (!bucket_order(v, u, min, second > min ? second : max, s)) {
    radix_order(v, u, s);
  }
}

// Forward, rows [r0, r1) of the job (row r: row r mod u of run ⌊r / u⌋): rank = (position + 1)/u in the row's
// descending order, rowValue = Σ_j (rank_j − labelRank_j)² (float64). s, rank: [K, u, u];
// labelRank: [u, u]; rowValue: [K, u].
void rank_sim_forward(const f32* sim, const f32* labelRank, f32* rank, f64* rowValue, i32 u, i32 r0, i32 r1,
                      void* scratch) {
  const Scratch* s = layout(scratch, u);
  for (i32 r = r0; r < r1; r++) {
    const f32* row = sim + (i64)r * u;
    const f32* labels = labelRank + (i64)(r % u) * u;
    f32* out = rank + (i64)r * u;
    descending_order(row, u, s);
    for (i32 p = 0; p < u; p++) out[s->order[p]] = s->step[p];
    // (float64, in lanes of j mod 4)
    v128_t total0 = wasm_f64x2_splat(0), total1 = total0;
    const i32 u4 = u & ~3;
    for (i32 j = 0; j < u4; j += 4) {
      const v128_t a = wasm_v128_load(out + j), b = wasm_v128_load(labels + j);
      const v128_t d0 = wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(a), wasm_f64x2_promote_low_f32x4(b));
      const v128_t d1 = wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(a, a, 1, 0)),
                                       wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(b, b, 1, 0)));
      total0 = wasm_f64x2_add(total0, wasm_f64x2_mul(d0, d0));
      total1 = wasm_f64x2_add(total1, wasm_f64x2_mul(d1, d1));
    }
    total0 = wasm_f64x2_add(total0, total1);
    f64 total = wasm_f64x2_extract_lane(total0, 0) + wasm_f64x2_extract_lane(total0, 1);
    for (i32 j = u4; j < u; j++) {
      const f64 d = (f64)out[j] - labels[j];
      total += d * d;
    }
    rowValue[r] = total;
  }
}

// Backward, rows [r0, r1) of the job: grad = (rank(s + λ·scale·(rank − labelRank)) − rank) / (λ + 1e-8), the
// shifted row rounded to float32. lambda, scale: [K]; grad: [K, u, u].
void rank_sim_backward(const f32* sim, const f32* rank, const f32* labelRank, const f64* lambdas,
                       const f64* scales, f32* grad, i32 u, i32 r0, i32 r1, void* scratch) {
  const Scratch* s = layout(scratch, u);
  for (i32 r = r0; r < r1; r++) {
    const i32 k = r / u;
    const f32* row = sim + (i64)r * u;
    const f32* ranks = rank + (i64)r * u;
    const f32* labels = labelRank + (i64)(r - k * u) * u;
    const f64 lambda = lambdas[k], step = lambda * scales[k];
    // The shifted row (float64 arithmetic, rounded to float32; SIMD), and its order.
    const v128_t stepv = wasm_f64x2_splat(step);
    const i32 u4 = u & ~3;
    for (i32 j = 0; j < u4; j += 4) {
      const v128_t x = wasm_v128_load(row + j), rk = wasm_v128_load(ranks + j), l = wasm_v128_load(labels + j);
#define SHIFTED(a, b, c) \
  wasm_f32x4_demote_f64x2_zero(wasm_f64x2_add(wasm_f64x2_promote_low_f32x4(a), \
      wasm_f64x2_mul(stepv, wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(b), wasm_f64x2_promote_low_f32x4(c)))))
#define HIGH(v) wasm_i64x2_shuffle(v, v, 1, 0)
      const v128_t y = wasm_i64x2_shuffle(SHIFTED(x, rk, l), SHIFTED(HIGH(x), HIGH(rk), HIGH(l)), 0, 2);
      wasm_v128_store(s->shifted + j, y);
#undef SHIFTED
#undef HIGH
    }
    for (i32 j = u4; j < u; j++) s->shifted[j] = (f32)(row[j] + step * ((f64)ranks[j] - labels[j]));
    descending_order(s->shifted, u, s);
    // The new ranks; the gradient, 0 where a rank did not change (float64 quotients, SIMD).
    for (i32 p = 0; p < u; p++) s->rank[s->order[p]] = s->step[p];
    f32* out = grad + (i64)r * u;
    const f64 divisor = lambda + 1e-8;
    const v128_t divisorv = wasm_f64x2_splat(divisor);
    for (i32 j = 0; j < u4; j += 4) {
      const v128_t now = wasm_v128_load(s->rank + j), before = wasm_v128_load(ranks + j);
      v128_t v = wasm_f32x4_splat(0);
      if (wasm_v128_any_true(wasm_f32x4_ne(now, before))) {
#define QUOTIENT(a, b) \
  wasm_f32x4_demote_f64x2_zero(wasm_f64x2_div( \
      wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(a), wasm_f64x2_promote_low_f32x4(b)), divisorv))
        const v128_t nowHigh = wasm_i64x2_shuffle(now, now, 1, 0);
        const v128_t beforeHigh = wasm_i64x2_shuffle(before, before, 1, 0);
        v = wasm_i64x2_shuffle(QUOTIENT(now, before), QUOTIENT(nowHigh, beforeHigh), 0, 2);
#undef QUOTIENT
      }
      wasm_v128_store(out + j, v);
    }
    for (i32 j = u4; j < u; j++) out[j] = (f32)(((f64)s->rank[j] - ranks[j]) / divisor);
  }
}
