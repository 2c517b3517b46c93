// The row normalisation of ConR's and RankSim's host kernels and its gradient (normalize.ts runs them), compiled
// to WebAssembly by tools/wasm/build.sh; the bytes are _normalize_wasm.ts.
//
// torch's F.normalize(x, dim=1) (eps 1e-12) of selected rows: q = x / sqrt(max(‖x‖², 1e-24)), and its
// vector-Jacobian product (dq − q·(q·dq)) / norm where the clamp is inactive, dq / norm where it is active (as
// autodiff of x / sqrt(max(Σx², 1e-24)) gives). Scalar float64 arithmetic, the sums in increasing column order.
#include "vector_math.h"

// Job rows [r0, r1) (row r: selected row m = r mod u of run k = ⌊r / u⌋, which is row rows[m] of x): x: [K, n, d];
// rows: [u]; q: [K, u, d] (float32); norms: [K, u] (the divisor, negative where the clamp is active).
void normalize_rows(const f32* x, const i32* rows, f32* q, f64* norms, i32 n, i32 d, i32 u, i32 r0, i32 r1) {
  for (i32 r = r0; r < r1; r++) {
    const i32 k = r / u, m = r - k * u;
    const f32* row = x + ((i64)k * n + rows[m]) * d;
    f32* out = q + (i64)r * d;
    f64 sq = 0;
    for (i32 t = 0; t < d; t++) sq += (f64)row[t] * row[t];
    const f64 norm = __builtin_sqrt(sq < 1e-24 ? 1e-24 : sq); // (max(sq, 1e-24), NaN kept)
    norms[r] = sq >= 1e-24 ? norm : -norm;
    for (i32 t = 0; t < d; t++) out[t] = (f32)(row[t] / norm);
  }
}

// Job rows [r0, r1) (row r: row i = r mod n of run k = ⌊r / n⌋ of the gradient dx: [K, n, d]): at: [n], the
// selected row that is row i (−1: none, a zero row; the selected rows are distinct); q, dq: [K, u, d]; norms:
// [K, u].
void normalize_gradient_rows(const f32* q, const f32* dq, const f64* norms, const i32* at, f32* dx, i32 n, i32 d,
                             i32 u, i32 r0, i32 r1) {
  for (i32 r = r0; r < r1; r++) {
    const i32 k = r / n, i = r - k * n, m = at[i];
    f32* out = dx + (i64)r * d;
    if (m < 0) {
      for (i32 t = 0; t < d; t++) out[t] = 0;
      continue;
    }
    const i64 s = (i64)k * u + m;
    const f32 *qs = q + s * d, *dqs = dq + s * d;
    const f64 norm = norms[s] < 0 ? -norms[s] : norms[s];
    f64 dot = 0;
    if (norms[s] > 0) {
      for (i32 t = 0; t < d; t++) dot += (f64)qs[t] * dqs[t];
    }
    for (i32 t = 0; t < d; t++) out[t] = (f32)((dqs[t] - qs[t] * dot) / norm);
  }
}
