/**
 * Float64 helpers shared by the plain-TypeScript reference losses (the test oracle).
 * Internal: only the `Matrix` type is re-exported (by `mod.ts`).
 *
 * Data are row-major `number[][]` of shape `[N][T]`; a 1-D `number[]` is read as `[N][1]`.
 * Sums use `lib/stats` (compensated), so the references are accurate to ~1 ulp of float64 even
 * for long, cancelling sums.
 *
 * @module
 */

/** A row-major float64 matrix `[N][T]`. */
export type Matrix = number[][];

/** Reads `[N]` as `[N][1]`; copies `[N][T]` rows. */
export function asRows(x: readonly number[] | readonly (readonly number[])[]): Matrix {
  return (x as readonly (number | readonly number[])[]).map((r) => (typeof r === "number" ? [r] : [...r]));
}

/** Column `j` of a matrix. */
export function column(m: Matrix, j: number): number[] {
  return m.map((r) => r[j]);
}

/** A zero matrix of the given shape. */
export function zeros(n: number, t: number): Matrix {
  return Array.from({ length: n }, () => new Array<number>(t).fill(0));
}
