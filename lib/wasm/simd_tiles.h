// The matrix-product tiles shared by the kit's WebAssembly kernels (lib/model/kernels/host/stacked_ffnn.c, the
// losses' lib/losses/kernels/host/rows/gram.c; compiled by tools/wasm/build.sh, freestanding: no libc).
//
// A tile sums Σ_k a(r, k)·b(k, c) for 4 (or 1) rows r and 8 (or 4) columns c, with a(r, k) = A[r·ars + k·aks]
// (ars, aks: A's row and step strides, so that one tile serves A·B and Aᵀ·B) and the row k of b at B + k·ldb.
// Every element is summed in increasing k from +0, one float32 multiply and one float32 add per term (clang runs
// with -ffp-contract=off; wasm's SIMD has no fused multiply-add): the arithmetic of XNNPACK's GEMM. A lane of a
// tile and a scalar remainder do the same arithmetic, so an element's bits depend on its row and column only.
#ifndef GAR_SIMD_TILES_H
#define GAR_SIMD_TILES_H

#include <wasm_simd128.h>

#define TILE_ADD wasm_f32x4_add
#define TILE_MUL wasm_f32x4_mul
#define TILE_SPLAT wasm_f32x4_splat

// 4 rows × 8 columns into c[0..7] (row r: c[2r], c[2r + 1]).
__attribute__((always_inline)) static inline void tile_4x8(int K, const float* A, int ars, int aks, const float* B,
                                                           int ldb, v128_t* c) {
  v128_t x00 = TILE_SPLAT(0), x01 = x00, x10 = x00, x11 = x00, x20 = x00, x21 = x00, x30 = x00, x31 = x00;
  const float *a0 = A, *a1 = A + ars, *a2 = A + 2 * ars, *a3 = A + 3 * ars;
  for (int k = 0; k < K; k++) {
    const v128_t b0 = wasm_v128_load(B + k * ldb), b1 = wasm_v128_load(B + k * ldb + 4);
    v128_t x = TILE_SPLAT(a0[k * aks]);
    x00 = TILE_ADD(x00, TILE_MUL(x, b0));
    x01 = TILE_ADD(x01, TILE_MUL(x, b1));
    x = TILE_SPLAT(a1[k * aks]);
    x10 = TILE_ADD(x10, TILE_MUL(x, b0));
    x11 = TILE_ADD(x11, TILE_MUL(x, b1));
    x = TILE_SPLAT(a2[k * aks]);
    x20 = TILE_ADD(x20, TILE_MUL(x, b0));
    x21 = TILE_ADD(x21, TILE_MUL(x, b1));
    x = TILE_SPLAT(a3[k * aks]);
    x30 = TILE_ADD(x30, TILE_MUL(x, b0));
    x31 = TILE_ADD(x31, TILE_MUL(x, b1));
  }
  c[0] = x00, c[1] = x01, c[2] = x10, c[3] = x11, c[4] = x20, c[5] = x21, c[6] = x30, c[7] = x31;
}

// 1 row × 8 columns into c[0..1].
__attribute__((always_inline)) static inline void tile_1x8(int K, const float* A, int aks, const float* B, int ldb,
                                                           v128_t* c) {
  v128_t x0 = TILE_SPLAT(0), x1 = x0;
  for (int k = 0; k < K; k++) {
    const v128_t x = TILE_SPLAT(A[k * aks]);
    x0 = TILE_ADD(x0, TILE_MUL(x, wasm_v128_load(B + k * ldb)));
    x1 = TILE_ADD(x1, TILE_MUL(x, wasm_v128_load(B + k * ldb + 4)));
  }
  c[0] = x0, c[1] = x1;
}

// 4 rows × 4 columns into c[0..3].
__attribute__((always_inline)) static inline void tile_4x4(int K, const float* A, int ars, int aks, const float* B,
                                                           int ldb, v128_t* c) {
  v128_t x0 = TILE_SPLAT(0), x1 = x0, x2 = x0, x3 = x0;
  const float *a0 = A, *a1 = A + ars, *a2 = A + 2 * ars, *a3 = A + 3 * ars;
  for (int k = 0; k < K; k++) {
    const v128_t b = wasm_v128_load(B + k * ldb);
    x0 = TILE_ADD(x0, TILE_MUL(TILE_SPLAT(a0[k * aks]), b));
    x1 = TILE_ADD(x1, TILE_MUL(TILE_SPLAT(a1[k * aks]), b));
    x2 = TILE_ADD(x2, TILE_MUL(TILE_SPLAT(a2[k * aks]), b));
    x3 = TILE_ADD(x3, TILE_MUL(TILE_SPLAT(a3[k * aks]), b));
  }
  c[0] = x0, c[1] = x1, c[2] = x2, c[3] = x3;
}

// One element: the same sum as a tile's lane.
static inline float tile_dot(int K, const float* A, int aks, const float* B, int ldb) {
  float s = 0;
  for (int k = 0; k < K; k++) s += A[k * aks] * B[k * ldb];
  return s;
}

#endif
