/**
 * Test helpers for the GAR core loss tests: a seeded PRNG, float32-rounded random data, and
 * tolerant comparisons. Internal to the tests.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { gaussian } from "../../lib/random/gaussian.ts";
import { mulberry32 as prng } from "../../lib/random/mulberry32.ts";
import type { Matrix } from "../../lib/losses/reference/mod.ts";

/** The kit's seeded PRNG returning numbers in [0, 1). */
export { prng };

/** A standard normal sampler (Box-Muller) on top of {@linkcode prng}. */
export function normal(rand: () => number): () => number {
  return () => gaussian(rand);
}

/** Rounds every entry to float32, so the float64 reference sees exactly what tfjs sees. */
export function f32(m: Matrix): Matrix {
  return m.map((r) => r.map(Math.fround));
}

/** A random `[N][T]` matrix: `fn(i, j)` rounded to float32. */
export function matrix(n: number, t: number, fn: (i: number, j: number) => number): Matrix {
  return f32(Array.from({ length: n }, (_, i) => Array.from({ length: t }, (_, j) => fn(i, j))));
}

/** Random labels and correlated predictions of a given scale. */
export function randomPair(seed: number, n: number, t: number, scale: number): { y: Matrix; f: Matrix } {
  const g = normal(prng(seed));
  const y = matrix(n, t, () => scale * g());
  const f = matrix(n, t, (i, j) => 0.8 * y[i][j] + scale * (0.5 * g() + 0.3));
  return { y, f };
}

/** A tfjs tensor `[N, T]` (or `[N]` when `flat`) from a matrix. */
export function tensor(m: Matrix, flat = false): tf.Tensor {
  return flat ? tf.tensor1d(m.map((r) => r[0])) : tf.tensor2d(m);
}

/** Reads a tensor back as `[N][T]`. */
export function toMatrix(x: tf.Tensor): Matrix {
  const arr = x.arraySync();
  return (arr as (number | number[])[]).map((r) => (typeof r === "number" ? [r] : r));
}

/** The largest absolute entry of a matrix. */
export function maxAbs(m: Matrix): number {
  return Math.max(...m.flat().map(Math.abs));
}

/** The largest absolute difference between two matrices of the same shape. */
export function maxAbsDiff(a: Matrix, b: Matrix): number {
  let worst = 0;
  a.forEach((r, i) => r.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  return worst;
}

/** Reads a scalar tensor. */
export function scalar(x: tf.Tensor): number {
  return x.dataSync()[0];
}
