// The Gram matrices of the losses' host kernels (gram.ts runs it), compiled to WebAssembly with 128-bit SIMD by
// tools/wasm/build.sh; the bytes are _gram_wasm.ts.
//
// out_k = a_k·a_kᵀ for K runs (a: [K, m, s], out: [K, m, m], row-major), every element summed in increasing t
// from +0, one float32 multiply and one float32 add per term (clang runs with -ffp-contract=off; wasm's SIMD has
// no fused multiply-add): the arithmetic of XNNPACK's GEMM (tfjs-wasm's matMul). A lane of a SIMD tile and the
// scalar remainder do the same arithmetic, so an element's bits depend on its two rows of a only.
#include "vector_math.h"
#include "../../../../wasm/simd_tiles.h"

#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define ADD wasm_f32x4_add
#define MUL wasm_f32x4_mul
#define SPLAT wasm_f32x4_splat

// Stores columns j..j+7 of a row (two vectors) where they lie in [from, to).
static inline void store8(f32* row, i32 j, i32 from, i32 to, v128_t c0, v128_t c1) {
  if (j >= from && j + 8 <= to) {
    STORE(row + j, c0);
    STORE(row + j + 4, c1);
    return;
  }
#define PUT(c, v, l) \
  if (j + c >= from && j + c < to) row[j + c] = wasm_f32x4_extract_lane(v, l);
  PUT(0, c0, 0) PUT(1, c0, 1) PUT(2, c0, 2) PUT(3, c0, 3) PUT(4, c1, 0) PUT(5, c1, 1) PUT(6, c1, 2) PUT(7, c1, 3)
#undef PUT
}

// Packs run k's a_k into at by panels of 8 rows, transposed: at[p][t][c] = a_k[8p + c][t] ([⌈m/8⌉][s][8], zero
// past m), so that a tile reads 32 contiguous bytes per t.
void gram_pack(const f32* a, i32 m, i32 s, i32 k, f32* at) {
  const f32* run = a + (i64)k * m * s;
  const i32 panels = (m + 7) / 8;
  for (i32 p = 0; p < panels; p++) {
    f32* panel = at + (i64)p * 8 * s;
    for (i32 c = 0; c < 8; c++) {
      const i32 j = 8 * p + c;
      for (i32 t = 0; t < s; t++) panel[8 * t + c] = j < m ? run[(i64)j * s + t] : 0;
    }
  }
}

// Rows [i0, i1) of run k's Gram matrix, given its panels at (gram_pack): the columns from i0 on, and their mirror
// images (j, i) for j ≥ i1 — each element of the matrix is written by exactly one block of rows.
void gram_block(const f32* a, const f32* at, f32* out, i32 m, i32 s, i32 k, i32 i0, i32 i1) {
  const f32* run = a + (i64)k * m * s;
  f32* o = out + (i64)k * m * m;
  const i32 rows4 = i0 + ((i1 - i0) & ~3), panels = (m + 7) / 8;
  for (i32 i = i0; i < rows4; i += 4) {
    for (i32 p = i0 / 8; p < panels; p++) {
      const i32 j = 8 * p;
      v128_t c[8];
      tile_4x8(s, run + i * s, s, 1, at + (i64)p * 8 * s, 8, c);
      for (i32 r = 0; r < 4; r++) store8(o + (i64)(i + r) * m, j, i0, m, c[2 * r], c[2 * r + 1]);
    }
  }
  for (i32 i = rows4; i < i1; i++) {
    for (i32 p = i0 / 8; p < panels; p++) {
      v128_t c[2];
      tile_1x8(s, run + i * s, 1, at + (i64)p * 8 * s, 8, c);
      store8(o + (i64)i * m, 8 * p, i0, m, c[0], c[1]);
    }
  }
  for (i32 j = i1; j < m; j++) {
    for (i32 i = i0; i < i1; i++) o[j * m + i] = o[i * m + j];
  }
}
