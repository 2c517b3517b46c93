// The Gram matrices of the losses' host kernels (gram.ts runs it), compiled to WebAssembly with 128-bit SIMD by
// tools/wasm/build.sh; the bytes are _gram_wasm.ts.
//
// out_k = a_k·a_kᵀ for K runs (a: [K, m, s], out: [K, m, m], row-major), every element summed in increasing t
// from +0, one float32 multiply and one float32 add per term (clang runs with -ffp-contract=off; wasm's SIMD has
// no fused multiply-add): the arithmetic of XNNPACK's GEMM (tfjs-wasm's matMul). A lane of a SIMD tile and the
// scalar remainder do the same arithmetic, so an element's bits depend on its two rows of a only.
#include "vector_math.h"

#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define ADD wasm_f32x4_add
#define MUL wasm_f32x4_mul
#define SPLAT wasm_f32x4_splat

// Rows i..i+3 (a: their first row, lda apart) times columns j..j+7 of b ([s, ldb]) into out (ldo apart).
static inline void tile_4x8(i32 s, const f32* a, i32 lda, const f32* b, i32 ldb, f32* out, i32 ldo) {
  v128_t c00 = SPLAT(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const f32 *a0 = a, *a1 = a + lda, *a2 = a + 2 * lda, *a3 = a + 3 * lda;
  for (i32 t = 0; t < s; t++) {
    const v128_t b0 = LOAD(b + t * ldb), b1 = LOAD(b + t * ldb + 4);
    v128_t x = SPLAT(a0[t]);
    c00 = ADD(c00, MUL(x, b0));
    c01 = ADD(c01, MUL(x, b1));
    x = SPLAT(a1[t]);
    c10 = ADD(c10, MUL(x, b0));
    c11 = ADD(c11, MUL(x, b1));
    x = SPLAT(a2[t]);
    c20 = ADD(c20, MUL(x, b0));
    c21 = ADD(c21, MUL(x, b1));
    x = SPLAT(a3[t]);
    c30 = ADD(c30, MUL(x, b0));
    c31 = ADD(c31, MUL(x, b1));
  }
  STORE(out, c00);
  STORE(out + 4, c01);
  STORE(out + ldo, c10);
  STORE(out + ldo + 4, c11);
  STORE(out + 2 * ldo, c20);
  STORE(out + 2 * ldo + 4, c21);
  STORE(out + 3 * ldo, c30);
  STORE(out + 3 * ldo + 4, c31);
}

// One row times columns j..j+3.
static inline void tile_1x4(i32 s, const f32* a, const f32* b, i32 ldb, f32* out) {
  v128_t c0 = SPLAT(0);
  for (i32 t = 0; t < s; t++) c0 = ADD(c0, MUL(SPLAT(a[t]), LOAD(b + t * ldb)));
  STORE(out, c0);
}

// One element.
static inline f32 dot(i32 s, const f32* a, const f32* b, i32 ldb) {
  f32 sum = 0;
  for (i32 t = 0; t < s; t++) sum = sum + a[t] * b[t * ldb];
  return sum;
}

// Packs run k's a_kᵀ ([s, m]) into at.
void gram_pack(const f32* a, i32 m, i32 s, i32 k, f32* at) {
  const f32* run = a + (i64)k * m * s;
  for (i32 j = 0; j < m; j++) {
    for (i32 t = 0; t < s; t++) at[t * m + j] = run[j * s + t];
  }
}

// Rows [i0, i1) of run k's Gram matrix, given its transpose at (gram_pack): the columns from i0 on, and their
// mirror images (j, i) for j ≥ i1 — each element of the matrix is written by exactly one block of rows.
void gram_block(const f32* a, const f32* at, f32* out, i32 m, i32 s, i32 k, i32 i0, i32 i1) {
  const f32* run = a + (i64)k * m * s;
  f32* o = out + (i64)k * m * m;
  const i32 rows4 = i0 + ((i1 - i0) & ~3);
  const i32 width = m - i0, c8 = i0 + (width & ~7), c4 = i0 + (width & ~3);
  for (i32 i = i0; i < i1; i += 4) {
    if (i < rows4) {
      for (i32 j = i0; j < c8; j += 8) tile_4x8(s, run + i * s, s, at + j, m, o + i * m + j, m);
      for (i32 r = i; r < i + 4; r++) {
        for (i32 j = c8; j < c4; j += 4) tile_1x4(s, run + r * s, at + j, m, o + r * m + j);
        for (i32 j = c4; j < m; j++) o[r * m + j] = dot(s, run + r * s, at + j, m);
      }
    } else {
      for (i32 r = i; r < i1; r++) {
        for (i32 j = i0; j < c4; j += 4) tile_1x4(s, run + r * s, at + j, m, o + r * m + j);
        for (i32 j = c4; j < m; j++) o[r * m + j] = dot(s, run + r * s, at + j, m);
      }
    }
  }
  for (i32 j = i1; j < m; j++) {
    for (i32 i = i0; i < i1; i++) o[j * m + i] = o[i * m + j];
  }
}
