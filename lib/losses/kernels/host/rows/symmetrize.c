// (G + Gᵀ)·c for the backward passes of the losses' host kernels (symmetrize.ts runs it), compiled to
// WebAssembly with 128-bit SIMD by tools/wasm/build.sh; the bytes are _symmetrize_wasm.ts.
//
// For K runs (g: [K, n, n], c: [K, n, d], row-major) and rows [r0, r1) of the job (row r: row r mod n of run
// ⌊r / n⌋): k_ij = g_ij + g_ji (float32), the row sums Σ_j k_ij (float64, of the float32 k_ij, in increasing j),
// and out_i = Σ_j k_ij·c_j summed in increasing j from +0 with one float32 multiply and one float32 add per
// term (XNNPACK's arithmetic, as gram.c). Four rows at a time: their rows of k are formed in the thread's
// scratch (the columns g_ji of four consecutive i are 16 contiguous bytes per j).
#include "vector_math.h"

#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define ADD wasm_f32x4_add
#define MUL wasm_f32x4_mul
#define SPLAT wasm_f32x4_splat

// rows × (columns t..t+7) of out from the rows of k (ldk apart) and c.
static inline void tile_x8(i32 rows, i32 n, const f32* k, i32 ldk, const f32* c, i32 d, f32* out) {
  if (rows == 4) {
    v128_t c00 = SPLAT(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    const f32 *k0 = k, *k1 = k + ldk, *k2 = k + 2 * ldk, *k3 = k + 3 * ldk;
    for (i32 j = 0; j < n; j++) {
      const v128_t b0 = LOAD(c + j * d), b1 = LOAD(c + j * d + 4);
      v128_t x = SPLAT(k0[j]);
      c00 = ADD(c00, MUL(x, b0));
      c01 = ADD(c01, MUL(x, b1));
      x = SPLAT(k1[j]);
      c10 = ADD(c10, MUL(x, b0));
      c11 = ADD(c11, MUL(x, b1));
      x = SPLAT(k2[j]);
      c20 = ADD(c20, MUL(x, b0));
      c21 = ADD(c21, MUL(x, b1));
      x = SPLAT(k3[j]);
      c30 = ADD(c30, MUL(x, b0));
      c31 = ADD(c31, MUL(x, b1));
    }
    STORE(out, c00);
    STORE(out + 4, c01);
    STORE(out + d, c10);
    STORE(out + d + 4, c11);
    STORE(out + 2 * d, c20);
    STORE(out + 2 * d + 4, c21);
    STORE(out + 3 * d, c30);
    STORE(out + 3 * d + 4, c31);
    return;
  }
  for (i32 r = 0; r < rows; r++) {
    v128_t c0 = SPLAT(0), c1 = c0;
    for (i32 j = 0; j < n; j++) {
      const v128_t x = SPLAT(k[r * ldk + j]);
      c0 = ADD(c0, MUL(x, LOAD(c + j * d)));
      c1 = ADD(c1, MUL(x, LOAD(c + j * d + 4)));
    }
    STORE(out + r * d, c0);
    STORE(out + r * d + 4, c1);
  }
}

// rows × (columns t..t+3).
static inline void tile_x4(i32 rows, i32 n, const f32* k, i32 ldk, const f32* c, i32 d, f32* out) {
  for (i32 r = 0; r < rows; r++) {
    v128_t c0 = SPLAT(0);
    for (i32 j = 0; j < n; j++) c0 = ADD(c0, MUL(SPLAT(k[r * ldk + j]), LOAD(c + j * d)));
    STORE(out + r * d, c0);
  }
}

// rows × column t.
static inline void tile_x1(i32 rows, i32 n, const f32* k, i32 ldk, const f32* c, i32 d, f32* out) {
  for (i32 r = 0; r < rows; r++) {
    f32 sum = 0;
    for (i32 j = 0; j < n; j++) sum = sum + k[r * ldk + j] * c[j * d];
    out[r * d] = sum;
  }
}

// Rows [r0, r1) of the job; scratch: 4·n floats of the calling thread.
void symmetrize_rows(const f32* g, const f32* c, f64* rowSum, f32* out, i32 n, i32 d, i32 r0, i32 r1,
                     f32* scratch) {
  const i32 d8 = d & ~7, d4 = d & ~3;
  for (i32 r = r0; r < r1;) {
    const i32 run = r / n, i = r - run * n;
    // Up to four rows of one run.
    i32 rows = r1 - r;
    if (rows > 4) rows = 4;
    if (rows > n - i) rows = n - i;
    const f32* gr = g + (i64)run * n * n;
    for (i32 b = 0; b < rows; b++) {
      const f32* row = gr + (i64)(i + b) * n;
      f32* k = scratch + b * n;
      f64 sum = 0;
      for (i32 j = 0; j < n; j++) {
        const f32 v = row[j] + gr[(i64)j * n + i + b];
        k[j] = v;
        sum += v;
      }
      rowSum[r + b] = sum;
    }
    const f32* cr = c + (i64)run * n * d;
    f32* o = out + (i64)r * d;
    for (i32 t = 0; t < d8; t += 8) tile_x8(rows, n, scratch, n, cr + t, d, o + t);
    for (i32 t = d8; t < d4; t += 4) tile_x4(rows, n, scratch, n, cr + t, d, o + t);
    for (i32 t = d4; t < d; t++) tile_x1(rows, n, scratch, n, cr + t, d, o + t);
    r += rows;
  }
}
