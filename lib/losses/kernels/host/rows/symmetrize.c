// (G + Gᵀ)·c for the backward passes of the losses' host kernels (symmetrize.ts runs it), compiled to
// WebAssembly with 128-bit SIMD by tools/wasm/build.sh; the bytes are _symmetrize_wasm.ts.
//
// For K runs (g: [K, n, n], c: [K, n, d], row-major) and rows [r0, r1) of the job (row r: row r mod n of run
// ⌊r / n⌋): k_ij = g_ij + g_ji (float32), (K·c)_i = Σ_j k_ij·c_j summed in increasing j from +0 with one float32
// multiply and one float32 add per term (XNNPACK's arithmetic, as gram.c), and out_i = s·(K·c)_i, or with
// `laplacian` out_i = s·(Σ_j k_ij·c_i − (K·c)_i) = s·Σ_j k_ij·(c_i − c_j) (the row sum in float64, of the float32
// k_ij in increasing j, then rounded to float32), s the run's float32 scale. Four rows at a time: their k_ij are
// formed column by column in the thread's scratch ([n][4]: the four rows' k of a column side by side), from
// 4 × 4 blocks of g and of gᵀ.
#include "vector_math.h"

#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define ADD wasm_f32x4_add
#define MUL wasm_f32x4_mul
#define SPLAT wasm_f32x4_splat
#define LANE(v, b) wasm_i32x4_shuffle(v, v, b, b, b, b)
// Row b's features at the tile's columns (a missing row: the first one's, whose result is not stored).
#define ROW(b) (ci + (b < rows ? b : 0) * d)

// The epilogue of one row's 4 columns: s·acc, or s·(rowSum·c − acc) (c: the row's features there).
static inline v128_t finish(v128_t acc, const f32* c, v128_t sum, v128_t scale, i32 laplacian) {
  if (laplacian) acc = wasm_f32x4_sub(MUL(sum, LOAD(c)), acc);
  return MUL(scale, acc);
}

// Stores the rows of a 4-row tile's 4 columns (rows < 4: the first ones only).
static inline void store_rows(f32* out, i32 d, i32 rows, v128_t o0, v128_t o1, v128_t o2, v128_t o3) {
  STORE(out, o0);
  if (rows > 1) STORE(out + d, o1);
  if (rows > 2) STORE(out + 2 * d, o2);
  if (rows > 3) STORE(out + 3 * d, o3);
}

// Columns t..t+7 of four rows (k: [n][4]; rows < 4: the first ones valid), the epilogue applied.
static inline void tile_x8(i32 rows, i32 n, const f32* k, const f32* c, i32 d, f32* out, const f32* ci,
                           v128_t sums, v128_t scale, i32 laplacian) {
  v128_t c00 = SPLAT(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (i32 j = 0; j < n; j++) {
    const v128_t b0 = LOAD(c + j * d), b1 = LOAD(c + j * d + 4), kj = LOAD(k + 4 * j);
    v128_t x = LANE(kj, 0);
    c00 = ADD(c00, MUL(x, b0));
    c01 = ADD(c01, MUL(x, b1));
    x = LANE(kj, 1);
    c10 = ADD(c10, MUL(x, b0));
    c11 = ADD(c11, MUL(x, b1));
    x = LANE(kj, 2);
    c20 = ADD(c20, MUL(x, b0));
    c21 = ADD(c21, MUL(x, b1));
    x = LANE(kj, 3);
    c30 = ADD(c30, MUL(x, b0));
    c31 = ADD(c31, MUL(x, b1));
  }
  store_rows(out, d, rows, finish(c00, ROW(0), LANE(sums, 0), scale, laplacian),
             finish(c10, ROW(1), LANE(sums, 1), scale, laplacian),
             finish(c20, ROW(2), LANE(sums, 2), scale, laplacian),
             finish(c30, ROW(3), LANE(sums, 3), scale, laplacian));
  store_rows(out + 4, d, rows, finish(c01, ROW(0) + 4, LANE(sums, 0), scale, laplacian),
             finish(c11, ROW(1) + 4, LANE(sums, 1), scale, laplacian),
             finish(c21, ROW(2) + 4, LANE(sums, 2), scale, laplacian),
             finish(c31, ROW(3) + 4, LANE(sums, 3), scale, laplacian));
}

// Columns t..t+3 of four rows.
static inline void tile_x4(i32 rows, i32 n, const f32* k, const f32* c, i32 d, f32* out, const f32* ci,
                           v128_t sums, v128_t scale, i32 laplacian) {
  v128_t c0 = SPLAT(0), c1 = c0, c2 = c0, c3 = c0;
  for (i32 j = 0; j < n; j++) {
    const v128_t b = LOAD(c + j * d), kj = LOAD(k + 4 * j);
    c0 = ADD(c0, MUL(LANE(kj, 0), b));
    c1 = ADD(c1, MUL(LANE(kj, 1), b));
    c2 = ADD(c2, MUL(LANE(kj, 2), b));
    c3 = ADD(c3, MUL(LANE(kj, 3), b));
  }
  store_rows(out, d, rows, finish(c0, ROW(0), LANE(sums, 0), scale, laplacian),
             finish(c1, ROW(1), LANE(sums, 1), scale, laplacian),
             finish(c2, ROW(2), LANE(sums, 2), scale, laplacian),
             finish(c3, ROW(3), LANE(sums, 3), scale, laplacian));
}

// Column t of the valid rows.
static inline void tile_x1(i32 rows, i32 n, const f32* k, const f32* c, i32 d, f32* out, const f32* ci,
                           const f32* sums, f32 scale, i32 laplacian) {
  for (i32 b = 0; b < rows; b++) {
    f32 acc = 0;
    for (i32 j = 0; j < n; j++) acc = acc + k[4 * j + b] * c[j * d];
    if (laplacian) acc = sums[b] * ci[b * d] - acc;
    out[b * d] = scale * acc;
  }
}

// Rows [r0, r1) of the job; scale: [K] (float64, used as float32); scratch: 16·n + 64 bytes of the calling thread.
void symmetrize_rows(const f32* g, const f32* c, const f64* scales, f32* out, i32 n, i32 d, i32 laplacian, i32 r0,
                     i32 r1, void* scratch) {
  f32* k = (f32*)(((u32)scratch + 15) & ~15u);
  f32* sums = k + 4 * n; // the four rows' sums, float32
  const i32 d8 = d & ~7, d4 = d & ~3;
  for (i32 r = r0; r < r1;) {
    const i32 run = r / n, i = r - run * n;
    // Up to four rows of one run.
    i32 rows = r1 - r;
    if (rows > 4) rows = 4;
    if (rows > n - i) rows = n - i;
    const f32* gr = g + (i64)run * n * n;
    v128_t sum01 = wasm_f64x2_splat(0), sum23 = sum01;
    i32 j = 0;
    if (rows == 4) { // from 4 × 4 blocks: rows i..i+3 of g (transposed) and columns i..i+3 of g
      const f32 *g0 = gr + (i64)i * n, *g1 = g0 + n, *g2 = g1 + n, *g3 = g2 + n;
      for (; j + 4 <= n; j += 4) {
        const v128_t a0 = LOAD(g0 + j), a1 = LOAD(g1 + j), a2 = LOAD(g2 + j), a3 = LOAD(g3 + j);
        const v128_t lo01 = wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5), lo23 = wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5);
        const v128_t hi01 = wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7), hi23 = wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7);
#define COLUMN(m, t)                                                                \
  {                                                                                 \
    const v128_t km = ADD(t, LOAD(gr + (i64)(j + m) * n + i));                      \
    STORE(k + 4 * (j + m), km);                                                     \
    sum01 = wasm_f64x2_add(sum01, wasm_f64x2_promote_low_f32x4(km));                \
    sum23 = wasm_f64x2_add(sum23, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(km, km, 1, 0))); \
  }
        COLUMN(0, wasm_i64x2_shuffle(lo01, lo23, 0, 2));
        COLUMN(1, wasm_i64x2_shuffle(lo01, lo23, 1, 3));
        COLUMN(2, wasm_i64x2_shuffle(hi01, hi23, 0, 2));
        COLUMN(3, wasm_i64x2_shuffle(hi01, hi23, 1, 3));
#undef COLUMN
      }
    }
    for (; j < n; j++) { // (the last columns, or fewer than four rows: one by one; missing rows 0)
#define K(b) (b < rows ? gr[(i64)(i + b) * n + j] + gr[(i64)j * n + i + b] : 0)
      const v128_t kj = wasm_f32x4_make(K(0), K(1), K(2), K(3));
#undef K
      STORE(k + 4 * j, kj);
      sum01 = wasm_f64x2_add(sum01, wasm_f64x2_promote_low_f32x4(kj));
      sum23 = wasm_f64x2_add(sum23, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(kj, kj, 1, 0)));
    }
    const v128_t sum01f = wasm_f32x4_demote_f64x2_zero(sum01), sum23f = wasm_f32x4_demote_f64x2_zero(sum23);
    STORE(sums, wasm_i64x2_shuffle(sum01f, sum23f, 0, 2));
    const f32 scale = (f32)scales[run];
    const v128_t sumv = LOAD(sums), scalev = SPLAT(scale);
    const f32* cr = c + (i64)run * n * d;
    const f32* ci = cr + (i64)i * d;
    f32* o = out + (i64)r * d;
    for (i32 t = 0; t < d8; t += 8) tile_x8(rows, n, k, cr + t, d, o + t, ci + t, sumv, scalev, laplacian);
    for (i32 t = d8; t < d4; t += 4) tile_x4(rows, n, k, cr + t, d, o + t, ci + t, sumv, scalev, laplacian);
    for (i32 t = d4; t < d; t++) tile_x1(rows, n, k, cr + t, d, o + t, ci + t, sums, scale, laplacian);
    r += rows;
  }
}
