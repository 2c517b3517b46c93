/**
 * Test helpers for the baseline-loss tests: a seeded PRNG, float32-exact random data, closeness
 * assertions and a structural probe (the kernels a computation launches).
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { gaussian as standardNormal } from "../../lib/random/gaussian.ts";

/** Deno.test options: tfjs keeps internal timers/resources alive. */
export const TF_TEST = { sanitizeOps: false, sanitizeResources: false } as const;

/** Activates the cpu backend (the webgpu package would otherwise be the default). */
export async function useCpu(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

/** The kit's seeded uniform [0, 1) generator. */
export { mulberry32 as seeded } from "../../lib/random/mulberry32.ts";

/** A standard normal draw (Box–Muller), rounded to float32 so tf and the reference see the same data. */
export function gaussian(rng: () => number): number {
  return Math.fround(standardNormal(rng));
}

/** An `[n][d]` matrix of float32-exact Gaussian draws times `scale`. */
export function randomMatrix(rng: () => number, n: number, d: number, scale = 1): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => Math.fround(gaussian(rng) * scale)));
}

/** `[n][d]` integer labels in `[0, levels)`: many ties. */
export function integerMatrix(rng: () => number, n: number, d: number, levels: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => Math.floor(rng() * levels)));
}

/** Flattens a number or nested array. */
export function flat(x: number | readonly unknown[]): number[] {
  return typeof x === "number" ? [x] : (x as unknown[]).flatMap((v) => flat(v as number | unknown[]));
}

/**
 * Asserts `|a − e| ≤ atol + rtol·|e|` elementwise, and no NaN; with `scaled`, `atol` is multiplied
 * by `max |e|` (a tolerance relative to the largest gradient entry) and 1e-6 is added.
 */
export function assertClose(
  actual: number | readonly unknown[],
  expected: number | readonly unknown[],
  tol: { atol?: number; rtol?: number; scaled?: boolean } = {},
  message = "",
): void {
  const a = flat(actual);
  const e = flat(expected);
  assert.equal(a.length, e.length, `${message}: length ${a.length} vs ${e.length}`);
  const scale = tol.scaled ? Math.max(1e-12, ...e.map(Math.abs)) : 1;
  // Scaled mode keeps a float32-sized absolute floor (an all-zero expectation still allows ~1e-7 noise).
  const atol = (tol.atol ?? 1e-6) * scale + (tol.scaled ? 1e-6 : 0);
  const rtol = tol.rtol ?? 1e-5;
  for (let i = 0; i < a.length; i++) {
    assert.ok(Number.isFinite(a[i]), `${message}: entry ${i} is ${a[i]}`);
    const bound = atol + rtol * Math.abs(e[i]);
    assert.ok(
      Math.abs(a[i] - e[i]) <= bound,
      `${message}: entry ${i}: got ${a[i]}, expected ${e[i]} (|diff| ${Math.abs(a[i] - e[i])} > ${bound})`,
    );
  }
}

/** Asserts every entry is finite. */
export function assertFinite(x: tf.Tensor | number | readonly unknown[], message = ""): void {
  const values = x instanceof tf.Tensor ? Array.from(x.dataSync()) : flat(x);
  values.forEach((v, i) => assert.ok(Number.isFinite(v), `${message}: entry ${i} is ${v}`));
}

/** Value and gradient of `f` at `x` as plain arrays (tensors disposed). */
export function valueAndGrad(f: (x: tf.Tensor) => tf.Scalar, x: number[][] | number[]): {
  value: number;
  grad: number[][] | number[];
} {
  return tf.tidy(() => {
    const input = Array.isArray(x[0]) ? tf.tensor2d(x as number[][]) : tf.tensor1d(x as number[]);
    const { value, grad } = tf.valueAndGrad(f)(input);
    return { value: value.dataSync()[0], grad: grad.arraySync() as number[][] | number[] };
  });
}

/** The kernels (name, output sizes) launched by `f`, including its backward pass. */
export async function kernelTrace(f: () => tf.Tensor): Promise<{ kernels: string[]; maxOutputSize: number }> {
  const info = await tf.profile(f);
  tf.dispose(info.result as tf.Tensor);
  const sizes = info.kernels.flatMap((k) => k.outputShapes.map((s) => (s ?? []).reduce((p, v) => p * v, 1)));
  return { kernels: info.kernels.map((k) => k.name), maxOutputSize: Math.max(...sizes) };
}
