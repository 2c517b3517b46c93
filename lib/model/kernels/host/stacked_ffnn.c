// Kernels of the stacked FFNN (lib/model/stacked_ffnn.ts): R independent runs of one architecture, their weights
// stacked on a leading runs axis, trained as one program. Compiled to WebAssembly with 128-bit SIMD by
// tools/wasm/build.sh (clang --target=wasm32, no libc); the bytes are lib/model/kernels/host/stacked_ffnn_wasm.ts.
//
// Every buffer is a byte offset into the imported linear memory, owned by the caller (stacked_host.ts). Run r's
// blocks start at base + r·stride; a stride of 0 shares one block between the runs (the input rows of a batch).
//
// Determinism: every output element of run r is computed from run r's operands only, in an order that depends on
// the layer's sizes and never on R or r, so a run's numbers are the same bits whatever runs share its call.
#include "../../../wasm/simd_tiles.h"

typedef int i32;
typedef float f32;
typedef unsigned char u8;

#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define ADD wasm_f32x4_add
#define SUB wasm_f32x4_sub
#define MUL wasm_f32x4_mul
#define SPLAT wasm_f32x4_splat

// ---- exp(x) for the ELU, 4 lanes: x = n·ln2 + r with |r| ≤ ln2/2, e^r by Cephes' degree-6 polynomial, 2^n through
// the exponent bits. Within 2 ulp of exp on [-87, 88]; the ELU only evaluates it for x ≤ 0.
static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_max(wasm_f32x4_min(x, SPLAT(88.0f)), SPLAT(-87.0f));
  v128_t n = wasm_f32x4_nearest(MUL(x, SPLAT(1.44269504088896341f)));
  v128_t r = SUB(x, MUL(n, SPLAT(0.693359375f)));
  r = SUB(r, MUL(n, SPLAT(-2.12194440e-4f)));
  v128_t p = SPLAT(1.9875691500e-4f);
  p = ADD(MUL(p, r), SPLAT(1.3981999507e-3f));
  p = ADD(MUL(p, r), SPLAT(8.3334519073e-3f));
  p = ADD(MUL(p, r), SPLAT(4.1665795894e-2f));
  p = ADD(MUL(p, r), SPLAT(1.6666665459e-1f));
  p = ADD(MUL(p, r), SPLAT(5.0000001201e-1f));
  p = ADD(MUL(MUL(p, r), r), ADD(r, SPLAT(1.0f)));
  v128_t e = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return MUL(p, e);
}

// ELU (α = 1) of 4 lanes: z where z > 0, e^z − 1 elsewhere.
static inline v128_t elu4(v128_t z) {
  return wasm_v128_bitselect(z, SUB(exp4(z), SPLAT(1.0f)), wasm_f32x4_gt(z, SPLAT(0.0f)));
}

// ---- C[M,N] = A[M,K]·B[K,N] (nn) and C[M,N] = Aᵀ·B with A [K,M] (tn: the weight gradient Xᵀ·dZ, summed over the
// batch in increasing row order), row-major with leading dimensions, by the tiles of lib/wasm/simd_tiles.h. A is
// read through its row stride ars and its step stride aks: (lda, 1) for A·B, (1, lda) for Aᵀ·B.
static inline void store_4x8(f32* C, i32 ldc, const v128_t* c) {
  for (i32 r = 0; r < 4; r++) {
    STORE(C + r * ldc, c[2 * r]);
    STORE(C + r * ldc + 4, c[2 * r + 1]);
  }
}

static void gemm(i32 M, i32 N, i32 K, const f32* A, i32 ars, i32 aks, const f32* B, i32 ldb, f32* C, i32 ldc) {
  i32 m4 = M & ~3, n8 = N & ~7, j = n8;
  v128_t c[8];
  for (i32 col = 0; col < n8; col += 8) {
    for (i32 i = 0; i < m4; i += 4) {
      tile_4x8(K, A + i * ars, ars, aks, B + col, ldb, c);
      store_4x8(C + i * ldc + col, ldc, c);
    }
    for (i32 i = m4; i < M; i++) {
      tile_1x8(K, A + i * ars, aks, B + col, ldb, c);
      STORE(C + i * ldc + col, c[0]);
      STORE(C + i * ldc + col + 4, c[1]);
    }
  }
  if (N - j >= 4) {
    for (i32 i = 0; i < m4; i += 4) {
      tile_4x4(K, A + i * ars, ars, aks, B + j, ldb, c);
      for (i32 r = 0; r < 4; r++) STORE(C + (i + r) * ldc + j, c[r]);
    }
    for (i32 i = m4; i < M; i++) {
      for (i32 t = 0; t < 4; t++) C[i * ldc + j + t] = tile_dot(K, A + i * ars, aks, B + j + t, ldb);
    }
    j += 4;
  }
  for (; j < N; j++) {
    for (i32 i = 0; i < M; i++) C[i * ldc + j] = tile_dot(K, A + i * ars, aks, B + j, ldb);
  }
}

// ---- One dense layer forward for R runs: H[r] = act(X[r]·W[r] + b[r]). Per run: X [n, I] (stride sx; 0: shared),
// W [I, O], b [O], H [n, O]. act: 0 linear, 1 ELU (α = 1). Runs with active[r] = 0 are skipped (H[r] unchanged).
void layer_forward(i32 R, i32 n, i32 I, i32 O, const f32* X, i32 sx, const f32* W, const f32* b, f32* H,
                   i32 act, const u8* active) {
  i32 o4 = O & ~3;
  for (i32 r = 0; r < R; r++) {
    if (!active[r]) continue;
    const f32* bias = b + r * O;
    f32* h = H + r * n * O;
    gemm(n, O, I, X + r * sx, I, 1, W + r * I * O, O, h, O);
    for (i32 i = 0; i < n; i++) {
      f32* row = h + i * O;
      for (i32 j = 0; j < o4; j += 4) {
        v128_t z = ADD(LOAD(row + j), LOAD(bias + j));
        STORE(row + j, act ? elu4(z) : z);
      }
      for (i32 j = o4; j < O; j++) {
        f32 z = row[j] + bias[j];
        row[j] = act ? wasm_f32x4_extract_lane(elu4(SPLAT(z)), 0) : z;
      }
    }
  }
}

// ---- One dense layer backward for R runs. dH [n, O], the gradient w.r.t. the layer's output H, becomes dZ in
// place (dZ = dH·act'(H); ELU' = 1 where H > 0, H + 1 elsewhere); then dW = Xᵀ·dZ [I, O], db = Σ_rows dZ [O] and,
// when dX is not 0, dX = dZ·Wᵀ [n, I]. wt: scratch of I·O floats for Wᵀ.
void layer_backward(i32 R, i32 n, i32 I, i32 O, const f32* X, i32 sx, const f32* W, const f32* H, f32* dH,
                    f32* dW, f32* db, f32* dX, i32 act, f32* wt) {
  for (i32 r = 0; r < R; r++) {
    const f32* w = W + r * I * O;
    const f32* h = H + r * n * O;
    f32* dz = dH + r * n * O;
    if (act) {
      i32 len = n * O, l4 = len & ~3;
      for (i32 i = 0; i < l4; i += 4) {
        v128_t hv = LOAD(h + i);
        v128_t d = wasm_v128_bitselect(SPLAT(1.0f), ADD(hv, SPLAT(1.0f)), wasm_f32x4_gt(hv, SPLAT(0.0f)));
        STORE(dz + i, MUL(LOAD(dz + i), d));
      }
      for (i32 i = l4; i < len; i++) dz[i] *= h[i] > 0 ? 1.0f : h[i] + 1.0f;
    }
    gemm(I, O, n, X + r * sx, 1, I, dz, O, dW + r * I * O, O);
    f32* g = db + r * O;
    for (i32 j = 0; j < O; j++) g[j] = 0;
    for (i32 i = 0; i < n; i++) {
      for (i32 j = 0; j < O; j++) g[j] += dz[i * O + j];
    }
    if (dX) {
      for (i32 i = 0; i < I; i++) {
        for (i32 j = 0; j < O; j++) wt[j * I + i] = w[i * O + j];
      }
      gemm(n, I, O, dz, O, 1, wt, I, dX + r * n * I, I);
    }
  }
}

// ---- Adds src into dst (n floats): a feature loss's gradient into the last hidden layer's.
void add_into(i32 n, f32* dst, const f32* src) {
  for (i32 i = 0; i < n; i++) dst[i] += src[i];
}

// ---- SGD with momentum (torch.optim.SGD) for R runs of P parameters: g = grad + wd·θ; buf = g on the first step,
// else momentum·buf + g; θ ← θ − lr·buf. Runs with active[r] = 0 are left alone. Each line is the same float32
// operations, in the same order, as lib/model/optimizer.ts's tfjs version.
void sgd_step(i32 R, i32 P, f32* theta, const f32* grad, f32* buf, const f32* lr, const f32* wd, f32 momentum,
              i32 first, const u8* active) {
  for (i32 r = 0; r < R; r++) {
    if (!active[r]) continue;
    f32* t = theta + r * P;
    const f32* g0 = grad + r * P;
    f32* b = buf + r * P;
    f32 l = lr[r], d = wd[r];
    for (i32 i = 0; i < P; i++) {
      f32 g = d != 0 ? g0[i] + t[i] * d : g0[i];
      f32 m = momentum == 0 ? g : (first ? g : b[i] * momentum + g);
      b[i] = m;
      t[i] = t[i] - m * l;
    }
  }
}

// ---- Adam (torch.optim.Adam, no AMSGrad) for R runs of P parameters: g = grad + wd·θ; m = β1·m + c1·g;
// v = β2·v + c2·g²; θ ← θ − (m / (√v / bc2 + eps))·step[r], where the caller passes c1 = 1 − β1, c2 = 1 − β2,
// bc2 = √(1 − β2^t) and step[r] = lr[r] / (1 − β1^t) for this step, each rounded once to float32 as the tfjs
// version's scalars are.
void adam_step(i32 R, i32 P, f32* theta, const f32* grad, f32* m, f32* v, const f32* step, const f32* wd, f32 b1,
               f32 c1, f32 b2, f32 c2, f32 eps, f32 bc2, const u8* active) {
  for (i32 r = 0; r < R; r++) {
    if (!active[r]) continue;
    f32* t = theta + r * P;
    const f32* g0 = grad + r * P;
    f32* mm = m + r * P;
    f32* vv = v + r * P;
    f32 s = step[r], d = wd[r];
    for (i32 i = 0; i < P; i++) {
      f32 g = d != 0 ? g0[i] + t[i] * d : g0[i];
      mm[i] = mm[i] * b1 + g * c1;
      vv[i] = vv[i] * b2 + (g * g) * c2;
      f32 denom = __builtin_sqrtf(vv[i]) / bc2 + eps;
      t[i] = t[i] - (mm[i] / denom) * s;
    }
  }
}
