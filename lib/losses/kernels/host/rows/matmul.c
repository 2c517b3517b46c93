// The matrix product of the losses' host kernels (matmul.ts), compiled to WebAssembly with 128-bit SIMD by
// tools/wasm/build.sh (clang --target=wasm32, no libc); the bytes are _matmul_wasm.ts.
//
// out[i, j] = Σ_t a[i, t]·b[t, j] (a: [m, s], b: [s, c] with row stride ldb ≥ c, out: [m, c], row-major; a Gram
// matrix's rows from column i0 on are b = its [s, m] transpose from column i0, ldb = m), every element summed in
// increasing t from +0, one float32 multiply and one float32 add per term (no fused multiply-add: clang is run
// with -ffp-contract=off, and wasm's SIMD has none). That is what XNNPACK's GEMM kernels, which run tfjs-wasm's
// 2-D matMul, compute (tested bit for bit against tf.matMul on the wasm backend), whatever the tiling: a lane of a
// SIMD tile and the scalar remainder do the same arithmetic, so every element's bits depend on its row of a and
// its column of b only.
#include <wasm_simd128.h>

typedef int i32;
typedef float f32;

#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define ADD wasm_f32x4_add
#define MUL wasm_f32x4_mul
#define SPLAT wasm_f32x4_splat

// A 4 × 8 tile.
static inline void tile_4x8(i32 s, const f32* a, i32 lda, const f32* b, i32 ldb, f32* out, i32 ldo) {
  v128_t c00 = SPLAT(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const f32 *a0 = a, *a1 = a + lda, *a2 = a + 2 * lda, *a3 = a + 3 * lda;
  for (i32 t = 0; t < s; t++) {
    v128_t b0 = LOAD(b + t * ldb), b1 = LOAD(b + t * ldb + 4);
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

// A 1 × 8 tile.
static inline void tile_1x8(i32 s, const f32* a, const f32* b, i32 ldb, f32* out) {
  v128_t c0 = SPLAT(0), c1 = c0;
  for (i32 t = 0; t < s; t++) {
    v128_t x = SPLAT(a[t]);
    c0 = ADD(c0, MUL(x, LOAD(b + t * ldb)));
    c1 = ADD(c1, MUL(x, LOAD(b + t * ldb + 4)));
  }
  STORE(out, c0);
  STORE(out + 4, c1);
}

// A 1 × 4 tile.
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

void matmul(i32 m, i32 c, i32 s, const f32* a, const f32* b, i32 ldb, f32* out) {
  i32 m4 = m & ~3, c8 = c & ~7, c4 = c & ~3;
  for (i32 j = 0; j < c8; j += 8) {
    for (i32 i = 0; i < m4; i += 4) tile_4x8(s, a + i * s, s, b + j, ldb, out + i * c + j, c);
    for (i32 i = m4; i < m; i++) tile_1x8(s, a + i * s, b + j, ldb, out + i * c + j);
  }
  for (i32 j = c8; j < c4; j += 4) {
    for (i32 i = 0; i < m; i++) tile_1x4(s, a + i * s, b + j, ldb, out + i * c + j);
  }
  for (i32 j = c4; j < c; j++) {
    for (i32 i = 0; i < m; i++) out[i * c + j] = dot(s, a + i * s, b + j, ldb);
  }
}
