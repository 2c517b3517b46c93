// RnC's feature side per anchor row (rnc.ts runs it), compiled to WebAssembly with 128-bit SIMD by
// tools/wasm/build.sh; the bytes are _rnc_wasm.ts. The formulas: rncRows in rnc.ts.
//
// The label side (the walk order and its tie groups) is the same for every run, so a job row computes one anchor
// of a group of up to four runs at once, one float64 lane per run (two vectors): the walk's gathers, branches and
// dependent sums then serve them all, and the two vectors' chains overlap. A run's lane does exactly the
// arithmetic it would do beside any other runs (lanes never mix), so its bits do not depend on them; the lanes
// of a short last group repeat its last run.
//
// Per row: each run's feature distances and logits (float32, SIMD over columns), their exponentials (float32),
// and the logits' sum (float64); the walk in the label side's order (float64: the cumulative sums, the logs of
// the tie groups' denominators as the log of a running product, the group ratios); the reverse cumulative sum of
// the ratios with the gradient's numerators; and the gradient (float32 quotients, SIMD over columns).
#include "vector_math.h"

// The distances of anchor i to every column from run k's Gram row (float32, 0 on the diagonal exactly) into
// dist, the anchor's own entry set to the minimum over the other columns (so that its logit is 0), which is
// returned; so is the padding up to a multiple of 4.
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
  for (i32 j = n; j < ((n + 3) & ~3); j++) dist[j] = dist[i];
  return minDist;
}

// The rare lanes of MULTIPLY whose product would leave [1e-250, 1e250]: the logs of both factors move into logs
// and the product restarts from 1. slot: running, logs, cumulative, next (two f64 lanes each; in the thread's
// scratch, not on a stack). Out of line, so that the walk's loop stays small.
__attribute__((noinline)) static void renormalise(f64* slot) {
  for (i32 l = 0; l < 2; l++) {
    const f64 next = slot[6 + l];
    if (next > 1e-250 && next < 1e250) {
      slot[l] = next;
    } else {
      slot[2 + l] += log_f64(slot[l]) + log_f64(slot[4 + l]);
      slot[l] = 1;
    }
  }
}

// Multiplies the running products by the cumulative sums; a lane whose product would leave [1e-250, 1e250] moves
// the logs of both factors into logs instead and restarts from 1 (so that no product under- or overflows).
#define MULTIPLY(running, logs, cumulative)                                                     \
  {                                                                                             \
    const v128_t next = wasm_f64x2_mul(running, cumulative);                                    \
    const v128_t inRange = wasm_v128_and(wasm_f64x2_gt(next, tiny), wasm_f64x2_lt(next, huge)); \
    if (wasm_i64x2_all_true(inRange)) {                                                         \
      running = next;                                                                           \
    } else {                                                                                    \
      wasm_v128_store(slot, running);                                                           \
      wasm_v128_store(slot + 2, logs);                                                          \
      wasm_v128_store(slot + 4, cumulative);                                                    \
      wasm_v128_store(slot + 6, next);                                                          \
      renormalise(slot);                                                                        \
      running = wasm_v128_load(slot);                                                           \
      logs = wasm_v128_load(slot + 2);                                                          \
    }                                                                                           \
  }

// The walk of one anchor for the four lanes (e: [n][4], the anchor's 0; lanes 0, 1 in the vectors ending in 0,
// lanes 2, 3 in those ending in 1): cumulative sums by decreasing label distance; a tie group's m anchors share
// the denominator at the group's end. Σ weight·log C as the log of a running product, renormalised per lane
// (logs: the logs so far; running: the product since); the group ratios W/C into ratio ([n][4], walk order).
#define WALK(e, walk, weights, n, ratio, logs0, logs1, running0, running1)                  \
  {                                                                                         \
    v128_t cumulative0 = wasm_f64x2_splat(0), cumulative1 = cumulative0;                    \
    logs0 = logs1 = cumulative0;                                                            \
    running0 = running1 = wasm_f64x2_splat(1);                                              \
    for (i32 q = 0; q < n; q++) {                                                           \
      const f64* at = e + 4 * walk[q];                                                      \
      cumulative0 = wasm_f64x2_add(cumulative0, wasm_v128_load(at));                        \
      cumulative1 = wasm_f64x2_add(cumulative1, wasm_v128_load(at + 2));                    \
      const i32 w = weights[q];                                                             \
      v128_t ratio0 = wasm_f64x2_splat(0), ratio1 = ratio0;                                 \
      if (w > 0) {                                                                          \
        for (i32 m = 0; m < w; m++) {                                                       \
          MULTIPLY(running0, logs0, cumulative0);                                           \
          MULTIPLY(running1, logs1, cumulative1);                                           \
        }                                                                                   \
        ratio0 = wasm_f64x2_div(wasm_f64x2_splat(w), cumulative0);                          \
        ratio1 = wasm_f64x2_div(wasm_f64x2_splat(w), cumulative1);                          \
      }                                                                                     \
      wasm_v128_store(ratio + 4 * q, ratio0);                                               \
      wasm_v128_store(ratio + 4 * q + 2, ratio1);                                           \
    }                                                                                       \
  }

// Lane l of a pair of vectors (l in 0…3), as float64 or as a 64-bit integer.
#define LANE64(v0, v1, l) \
  ((l) == 0 ? wasm_f64x2_extract_lane(v0, 0) : (l) == 1 ? wasm_f64x2_extract_lane(v0, 1) \
   : (l) == 2 ? wasm_f64x2_extract_lane(v1, 0) : wasm_f64x2_extract_lane(v1, 1))
#define LANE_I64(v0, v1, l) \
  ((l) == 0 ? wasm_i64x2_extract_lane(v0, 0) : (l) == 1 ? wasm_i64x2_extract_lane(v0, 1) \
   : (l) == 2 ? wasm_i64x2_extract_lane(v1, 0) : wasm_i64x2_extract_lane(v1, 1))

// Job rows [r0, r1): row r is anchor i = r mod n of the runs 4p … 4p + 3 (those < runs; the lanes of the others
// repeat the last), p = ⌊r / n⌋. gram: [runs, n, n]; temperature: [runs]; order, weight: [n, n]; g: [runs, n, n];
// rowValue: [runs, n]. scratch: 128·n + 512 bytes of the calling thread.
void rnc_rows(const f32* gram, const f64* temperature, const i32* order, const i32* weight, f32* g, f64* rowValue,
              i32 n, i32 runs, i32 r0, i32 r1, void* scratch) {
  // Scratch, 16-byte aligned: e ([n4][4] f64: the four lanes' values of a column side by side), ratio ([n][4]
  // f64, walk order), per lane its exponentials, gradient numerators, distances and Gram diagonal (f32, n4 each),
  // and its minimum distance, float32 1/t and logits' sum.
  const i32 n4 = (n + 3) & ~3;
  f64* e = (f64*)(((u32)scratch + 15) & ~15u);
  f64* ratio = e + 4 * n4;
  f32* exps = (f32*)(ratio + 4 * n);
  f32* numerators = exps + 4 * n4;
  f32* dists = numerators + 4 * n4;
  f32* diagonals = dists + 4 * n4;
  f32* minimum = diagonals + 4 * n4;
  f32* inverseT = minimum + 4;
  f64* shiftedSum = (f64*)(inverseT + 4);
  f64* slot = shiftedSum + 4; // (8 float64 for renormalise)
  i32 group = -1, real = 0;
  for (i32 r = r0; r < r1; r++) {
    const i32 p = r / n, i = r - p * n;
    if (p != group) {
      group = p;
      real = runs - 4 * p < 4 ? runs - 4 * p : 4;
      for (i32 l = 0; l < real; l++) {
        const i32 k = 4 * p + l;
        inverseT[l] = (f32)(1 / temperature[k]);
        for (i32 j = 0; j < n; j++) diagonals[l * n4 + j] = gram[((i64)k * n + j) * n + j];
      }
    }
    // Per run: distances, logits s_j = (minDist − d_j)/t ≤ 0 (float32; the anchor's and the padding's: 0), their
    // exponentials e_j ≤ 1 (float32), and Σ_j s_j in float64 (lanes of j mod 2, then added).
    for (i32 l = 0; l < real; l++) {
      const i32 k = 4 * p + l;
      f32* dist = dists + l * n4;
      f32* ex = exps + l * n4;
      minimum[l] = distances(gram + ((i64)k * n + i) * n, diagonals + l * n4, n, i, dist);
      const v128_t shift = wasm_f32x4_splat(minimum[l]), scale = wasm_f32x4_splat(inverseT[l]);
      v128_t sum = wasm_f64x2_splat(0);
      for (i32 j = 0; j < n4; j += 4) {
        const v128_t s = wasm_f32x4_mul(wasm_f32x4_sub(shift, wasm_v128_load(dist + j)), scale);
        sum = wasm_f64x2_add(sum, wasm_f64x2_promote_low_f32x4(s));
        sum = wasm_f64x2_add(sum, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(s, s, 1, 0)));
        wasm_v128_store(ex + j, exp_f32x4(s));
      }
      shiftedSum[l] = wasm_f64x2_extract_lane(sum, 0) + wasm_f64x2_extract_lane(sum, 1);
      ex[i] = 0;
    }
    // e by column, the lanes side by side in float64 (a missing run's lanes: the last run's values).
    {
      const f32* x0 = exps;
      const f32* x1 = exps + (real > 1 ? 1 : 0) * n4;
      const f32* x2 = exps + (real > 2 ? 2 : real - 1) * n4;
      const f32* x3 = exps + (real > 3 ? 3 : real - 1) * n4;
      for (i32 j = 0; j < n4; j += 4) {
        const v128_t a = wasm_v128_load(x0 + j), b = wasm_v128_load(x1 + j);
        const v128_t c = wasm_v128_load(x2 + j), d = wasm_v128_load(x3 + j);
        const v128_t ab0 = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), ab1 = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
        const v128_t cd0 = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), cd1 = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);
        f64* at = e + 4 * j;
        wasm_v128_store(at, wasm_f64x2_promote_low_f32x4(ab0));
        wasm_v128_store(at + 2, wasm_f64x2_promote_low_f32x4(cd0));
        wasm_v128_store(at + 4, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(ab0, ab0, 1, 0)));
        wasm_v128_store(at + 6, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(cd0, cd0, 1, 0)));
        wasm_v128_store(at + 8, wasm_f64x2_promote_low_f32x4(ab1));
        wasm_v128_store(at + 10, wasm_f64x2_promote_low_f32x4(cd1));
        wasm_v128_store(at + 12, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(ab1, ab1, 1, 0)));
        wasm_v128_store(at + 14, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(cd1, cd1, 1, 0)));
      }
    }
    const i32* walk = order + (i64)i * n;
    const i32* weights = weight + (i64)i * n;
    const v128_t tiny = wasm_f64x2_splat(1e-250), huge = wasm_f64x2_splat(1e250);
    v128_t logs0, logs1, running0, running1;
    WALK(e, walk, weights, n, ratio, logs0, logs1, running0, running1);
    // A run whose first denominator is below 2^-60 (logits spread by more than ~40 with a tie group far out)
    // takes float64 exponentials of its logits instead (float32's underflow would cost precision, or give log 0):
    // its lanes of e are recomputed and the walk redone (the other lanes' values, and so their results, stay the
    // same).
    i32 first = 0;
    while (first < n && weights[first] == 0) first++;
    if (first < n) {
      v128_t c0 = wasm_f64x2_splat(0), c1 = c0;
      for (i32 q = 0; q <= first; q++) {
        c0 = wasm_f64x2_add(c0, wasm_v128_load(e + 4 * walk[q]));
        c1 = wasm_f64x2_add(c1, wasm_v128_load(e + 4 * walk[q] + 2));
      }
      const v128_t bound = wasm_f64x2_splat(8.673617379884035e-19); // 2^-60
      const v128_t small0 = wasm_f64x2_lt(c0, bound), small1 = wasm_f64x2_lt(c1, bound);
      if (wasm_v128_any_true(wasm_v128_or(small0, small1))) {
        for (i32 l = 0; l < 4; l++) {
          if (LANE_I64(small0, small1, l) == 0) continue;
          const i32 from = l < real ? l : real - 1;
          const f32* dist = dists + from * n4;
          for (i32 j = 0; j < n; j++) e[4 * j + l] = exp_f64((minimum[from] - dist[j]) * inverseT[from]);
          e[4 * i + l] = 0;
        }
        WALK(e, walk, weights, n, ratio, logs0, logs1, running0, running1);
      }
    }
    for (i32 l = 0; l < real; l++) {
      rowValue[(i64)(4 * p + l) * n + i] =
          LANE64(logs0, logs1, l) + log_f64(LANE64(running0, running1, l)) - shiftedSum[l];
    }
    // ∂L/∂e_j = Σ_{q ≥ pos(j)} W_q / C_q by the reverse walk; ∂L/∂s = e·∂L/∂e − 1; ∂L/∂d = −∂L/∂s / t: the
    // numerators (1 − e_j·∂L/∂e_j)/t (float64, rounded to float32), per lane by column.
    {
      const v128_t one = wasm_f64x2_splat(1);
      const v128_t t0 = wasm_f64x2_make(inverseT[0], inverseT[real > 1 ? 1 : 0]);
      const v128_t t1 = wasm_f64x2_make(inverseT[real > 2 ? 2 : real - 1], inverseT[real > 3 ? 3 : real - 1]);
      v128_t sum0 = wasm_f64x2_splat(0), sum1 = sum0;
      for (i32 q = n - 1; q >= 0; q--) {
        sum0 = wasm_f64x2_add(sum0, wasm_v128_load(ratio + 4 * q));
        sum1 = wasm_f64x2_add(sum1, wasm_v128_load(ratio + 4 * q + 2));
        const i32 j = walk[q];
        const v128_t e0 = wasm_v128_load(e + 4 * j), e1 = wasm_v128_load(e + 4 * j + 2);
        const v128_t x0 = wasm_f64x2_mul(wasm_f64x2_sub(one, wasm_f64x2_mul(e0, sum0)), t0);
        const v128_t x1 = wasm_f64x2_mul(wasm_f64x2_sub(one, wasm_f64x2_mul(e1, sum1)), t1);
        const v128_t x32 = wasm_f32x4_demote_f64x2_zero(x0), y32 = wasm_f32x4_demote_f64x2_zero(x1);
        const v128_t x = wasm_i64x2_shuffle(x32, y32, 0, 2);
        wasm_v128_store32_lane(numerators + j, x, 0);
        wasm_v128_store32_lane(numerators + n4 + j, x, 1);
        wasm_v128_store32_lane(numerators + 2 * n4 + j, x, 2);
        wasm_v128_store32_lane(numerators + 3 * n4 + j, x, 3);
      }
    }
    // g = ∂L/∂d / d (float32), 0 for the anchor and where d = 0.
    for (i32 l = 0; l < real; l++) {
      const f32* dist = dists + l * n4;
      f32* numerator = numerators + l * n4;
      f32* out = g + ((i64)(4 * p + l) * n + i) * n;
      for (i32 j = n; j < n4; j++) numerator[j] = 0;
      const v128_t zero = wasm_f32x4_splat(0);
      for (i32 j = 0; j < n4; j += 4) {
        const v128_t d = wasm_v128_load(dist + j);
        const v128_t q = wasm_v128_and(wasm_f32x4_div(wasm_v128_load(numerator + j), d), wasm_f32x4_gt(d, zero));
        store_columns(out, j, n, q);
      }
      out[i] = 0;
    }
  }
}

// The batch-centred features of runs [k0, k1) (x, c: [K, n, d]): c = x − mean (each column's mean over the n rows
// in float64, summed in row order; the difference in float64, rounded to float32). scratch: 8·d + 16 bytes.
void rnc_centre(const f32* x, f32* c, i32 n, i32 d, i32 k0, i32 k1, void* scratch) {
  f64* mean = (f64*)(((u32)scratch + 15) & ~15u);
  for (i32 k = k0; k < k1; k++) {
    const f32* run = x + (i64)k * n * d;
    f32* out = c + (i64)k * n * d;
    for (i32 t = 0; t < d; t++) mean[t] = 0;
    for (i32 i = 0; i < n; i++) {
      for (i32 t = 0; t < d; t++) mean[t] += run[(i64)i * d + t];
    }
    for (i32 t = 0; t < d; t++) mean[t] /= n;
    for (i32 i = 0; i < n; i++) {
      for (i32 t = 0; t < d; t++) out[(i64)i * d + t] = (f32)(run[(i64)i * d + t] - mean[t]);
    }
  }
}
