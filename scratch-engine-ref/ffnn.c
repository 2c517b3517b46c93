// Stacked FFNN kernels: R independent runs of one architecture, weights stacked on a leading runs axis.
// Freestanding (no libc): every buffer is a pointer into the imported memory, owned by the caller.
#include <wasm_simd128.h>
typedef int i32;
typedef unsigned int u32;
typedef float f32;

#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define ADD wasm_f32x4_add
#define MUL wasm_f32x4_mul
#define SPLAT wasm_f32x4_splat

// ---- exp for ELU: x = n·ln2 + r, |r| ≤ ln2/2, e^r by a degree-6 polynomial, 2^n through the exponent bits.
static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_max(wasm_f32x4_min(x, SPLAT(88.0f)), SPLAT(-87.0f));
  v128_t n = wasm_f32x4_nearest(MUL(x, SPLAT(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, MUL(n, SPLAT(0.693359375f)));
  r = wasm_f32x4_sub(r, MUL(n, SPLAT(-2.12194440e-4f)));
  v128_t p = SPLAT(1.3981999507e-3f);
  p = ADD(MUL(p, r), SPLAT(8.3334519073e-3f));
  p = ADD(MUL(p, r), SPLAT(4.1665795894e-2f));
  p = ADD(MUL(p, r), SPLAT(1.6666665459e-1f));
  p = ADD(MUL(p, r), SPLAT(5.0000001201e-1f));
  p = ADD(MUL(MUL(p, r), r), ADD(r, SPLAT(1.0f)));
  v128_t e = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return MUL(p, e);
}
static inline f32 exp1(f32 x) {
  v128_t v = exp4(SPLAT(x));
  return wasm_f32x4_extract_lane(v, 0);
}

// ---- C[M,N] (+)= A[M,K]·B[K,N], row-major.
static inline void nn_4x8(i32 K, const f32* A, i32 lda, const f32* B, i32 ldb, f32* C, i32 ldc) {
  v128_t c00 = SPLAT(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const f32 *a0 = A, *a1 = A + lda, *a2 = A + 2 * lda, *a3 = A + 3 * lda;
  for (i32 k = 0; k < K; k++) {
    v128_t b0 = LOAD(B + k * ldb), b1 = LOAD(B + k * ldb + 4);
    v128_t x = SPLAT(a0[k]);
    c00 = ADD(c00, MUL(x, b0)); c01 = ADD(c01, MUL(x, b1));
    x = SPLAT(a1[k]);
    c10 = ADD(c10, MUL(x, b0)); c11 = ADD(c11, MUL(x, b1));
    x = SPLAT(a2[k]);
    c20 = ADD(c20, MUL(x, b0)); c21 = ADD(c21, MUL(x, b1));
    x = SPLAT(a3[k]);
    c30 = ADD(c30, MUL(x, b0)); c31 = ADD(c31, MUL(x, b1));
  }
  STORE(C, c00); STORE(C + 4, c01);
  STORE(C + ldc, c10); STORE(C + ldc + 4, c11);
  STORE(C + 2 * ldc, c20); STORE(C + 2 * ldc + 4, c21);
  STORE(C + 3 * ldc, c30); STORE(C + 3 * ldc + 4, c31);
}
static inline void nn_1x8(i32 K, const f32* A, const f32* B, i32 ldb, f32* C) {
  v128_t c0 = SPLAT(0), c1 = c0;
  for (i32 k = 0; k < K; k++) {
    v128_t x = SPLAT(A[k]);
    c0 = ADD(c0, MUL(x, LOAD(B + k * ldb))); c1 = ADD(c1, MUL(x, LOAD(B + k * ldb + 4)));
  }
  STORE(C, c0); STORE(C + 4, c1);
}
static inline void nn_4x4(i32 K, const f32* A, i32 lda, const f32* B, i32 ldb, f32* C, i32 ldc) {
  v128_t c0 = SPLAT(0), c1 = c0, c2 = c0, c3 = c0;
  const f32 *a0 = A, *a1 = A + lda, *a2 = A + 2 * lda, *a3 = A + 3 * lda;
  for (i32 k = 0; k < K; k++) {
    v128_t b = LOAD(B + k * ldb);
    c0 = ADD(c0, MUL(SPLAT(a0[k]), b)); c1 = ADD(c1, MUL(SPLAT(a1[k]), b));
    c2 = ADD(c2, MUL(SPLAT(a2[k]), b)); c3 = ADD(c3, MUL(SPLAT(a3[k]), b));
  }
  STORE(C, c0); STORE(C + ldc, c1); STORE(C + 2 * ldc, c2); STORE(C + 3 * ldc, c3);
}
// One output element: the same k order as the vector kernels (sequential in k).
static inline f32 dot_col(i32 K, const f32* A, const f32* B, i32 ldb) {
  f32 s = 0;
  for (i32 k = 0; k < K; k++) s += A[k] * B[k * ldb];
  return s;
}
static void gemm_nn(i32 M, i32 N, i32 K, const f32* A, i32 lda, const f32* B, i32 ldb, f32* C, i32 ldc) {
  i32 m4 = M & ~3, n8 = N & ~7;
  for (i32 j = 0; j < n8; j += 8) {
    for (i32 i = 0; i < m4; i += 4) nn_4x8(K, A + i * lda, lda, B + j, ldb, C + i * ldc + j, ldc);
    for (i32 i = m4; i < M; i++) nn_1x8(K, A + i * lda, B + j, ldb, C + i * ldc + j);
  }
  i32 j = n8;
  if (N - j >= 4) {
    for (i32 i = 0; i < m4; i += 4) nn_4x4(K, A + i * lda, lda, B + j, ldb, C + i * ldc + j, ldc);
    for (i32 i = m4; i < M; i++) for (i32 t = 0; t < 4; t++) C[i * ldc + j + t] = dot_col(K, A + i * lda, B + j + t, ldb);
    j += 4;
  }
  for (; j < N; j++) for (i32 i = 0; i < M; i++) C[i * ldc + j] = dot_col(K, A + i * lda, B + j, ldb);
}

// ---- C[M,N] = Aᵀ·B with A [K,M] (lda), B [K,N] (ldb): the weight gradient Xᵀ·dZ.
static inline void tn_4x8(i32 K, const f32* A, i32 lda, const f32* B, i32 ldb, f32* C, i32 ldc) {
  v128_t c00 = SPLAT(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (i32 k = 0; k < K; k++) {
    v128_t b0 = LOAD(B + k * ldb), b1 = LOAD(B + k * ldb + 4);
    const f32* a = A + k * lda;
    v128_t x = SPLAT(a[0]);
    c00 = ADD(c00, MUL(x, b0)); c01 = ADD(c01, MUL(x, b1));
    x = SPLAT(a[1]);
    c10 = ADD(c10, MUL(x, b0)); c11 = ADD(c11, MUL(x, b1));
    x = SPLAT(a[2]);
    c20 = ADD(c20, MUL(x, b0)); c21 = ADD(c21, MUL(x, b1));
    x = SPLAT(a[3]);
    c30 = ADD(c30, MUL(x, b0)); c31 = ADD(c31, MUL(x, b1));
  }
  STORE(C, c00); STORE(C + 4, c01);
  STORE(C + ldc, c10); STORE(C + ldc + 4, c11);
  STORE(C + 2 * ldc, c20); STORE(C + 2 * ldc + 4, c21);
  STORE(C + 3 * ldc, c30); STORE(C + 3 * ldc + 4, c31);
}
static inline f32 tdot(i32 K, const f32* A, i32 lda, const f32* B, i32 ldb) {
  f32 s = 0;
  for (i32 k = 0; k < K; k++) s += A[k * lda] * B[k * ldb];
  return s;
}
static void gemm_tn(i32 M, i32 N, i32 K, const f32* A, i32 lda, const f32* B, i32 ldb, f32* C, i32 ldc) {
  i32 m4 = M & ~3, n8 = N & ~7;
  for (i32 j = 0; j < n8; j += 8)
    for (i32 i = 0; i < m4; i += 4) tn_4x8(K, A + i, lda, B + j, ldb, C + i * ldc + j, ldc);
  for (i32 i = 0; i < M; i++)
    for (i32 j = (i < m4 ? n8 : 0); j < N; j++) C[i * ldc + j] = tdot(K, A + i, lda, B + j, ldb);
}

// ---- One dense layer forward for R runs: H[r] = act(X[r]·W[r] + b[r]); X[r] = X + r·sx (sx = 0: shared input).
// Shapes per run: X [Bn, I], W [I, O], b [O], H [Bn, O]. act: 0 linear, 1 ELU (α = 1).
void layer_forward(i32 R, i32 Bn, i32 I, i32 O, const f32* X, i32 sx, const f32* W, const f32* b, f32* H, i32 act) {
  for (i32 r = 0; r < R; r++) {
    const f32* x = X + r * sx;
    const f32* w = W + r * I * O;
    const f32* bias = b + r * O;
    f32* h = H + r * Bn * O;
    gemm_nn(Bn, O, I, x, I, w, O, h, O);
    i32 o4 = O & ~3;
    for (i32 i = 0; i < Bn; i++) {
      f32* row = h + i * O;
      for (i32 j = 0; j < o4; j += 4) {
        v128_t z = ADD(LOAD(row + j), LOAD(bias + j));
        if (act) z = wasm_v128_bitselect(z, wasm_f32x4_sub(exp4(z), SPLAT(1.0f)), wasm_f32x4_gt(z, SPLAT(0)));
        STORE(row + j, z);
      }
      for (i32 j = o4; j < O; j++) {
        f32 z = row[j] + bias[j];
        row[j] = act && !(z > 0) ? exp1(z) - 1.0f : z;
      }
    }
  }
}

// ---- One dense layer backward for R runs. dH [Bn, O] (gradient w.r.t. the layer's output H) becomes dZ in place
// (dZ = dH·act'(H), ELU' = 1 where H > 0, H + 1 elsewhere); then dW = Xᵀ·dZ [I, O], db = Σ_i dZ [O] and, when dX is
// not null, dX = dZ·Wᵀ [Bn, I]. wt: scratch of I·O floats (Wᵀ).
void layer_backward(i32 R, i32 Bn, i32 I, i32 O, const f32* X, i32 sx, const f32* W, const f32* H, f32* dH, f32* dW,
                    f32* db, f32* dX, i32 act, f32* wt) {
  for (i32 r = 0; r < R; r++) {
    const f32* x = X + r * sx;
    const f32* w = W + r * I * O;
    const f32* h = H + r * Bn * O;
    f32* dz = dH + r * Bn * O;
    if (act) {
      i32 n = Bn * O, n4 = n & ~3;
      for (i32 i = 0; i < n4; i += 4) {
        v128_t hv = LOAD(h + i);
        v128_t d = wasm_v128_bitselect(SPLAT(1.0f), ADD(hv, SPLAT(1.0f)), wasm_f32x4_gt(hv, SPLAT(0)));
        STORE(dz + i, MUL(LOAD(dz + i), d));
      }
      for (i32 i = n4; i < n; i++) dz[i] *= h[i] > 0 ? 1.0f : h[i] + 1.0f;
    }
    gemm_tn(I, O, Bn, x, I, dz, O, dW + r * I * O, O);
    f32* g = db + r * O;
    for (i32 j = 0; j < O; j++) g[j] = 0;
    for (i32 i = 0; i < Bn; i++) for (i32 j = 0; j < O; j++) g[j] += dz[i * O + j];
    if (dX) {
      for (i32 i = 0; i < I; i++) for (i32 j = 0; j < O; j++) wt[j * I + i] = w[i * O + j];
      gemm_nn(Bn, I, O, dz, O, wt, I, dX + r * Bn * I, I);
    }
  }
}

// ---- SGD with momentum for R runs of P parameters each (torch.optim.SGD): g = grad + wd·θ;
// buf = g on the first step, else momentum·buf + g; θ ← θ − lr·buf. Runs with active[r] = 0 are left alone.
void sgd_step(i32 R, i32 P, f32* theta, const f32* grad, f32* buf, const f32* lr, const f32* wd, f32 momentum,
              i32 first, const unsigned char* active) {
  for (i32 r = 0; r < R; r++) {
    if (!active[r]) continue;
    f32* t = theta + r * P; const f32* g0 = grad + r * P; f32* b = buf + r * P;
    f32 l = lr[r], d = wd[r];
    for (i32 i = 0; i < P; i++) {
      f32 g = d != 0 ? g0[i] + t[i] * d : g0[i];
      f32 m = first ? g : b[i] * momentum + g;
      b[i] = m;
      t[i] = t[i] - m * l;
    }
  }
}
