/**
 * Small helpers shared by the benchmark modules. Internal.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { mulberry32 } from "../random/mulberry32.ts";

/** A seeded Fisher–Yates permutation of `0..n-1`. */
export function permutation(n: number, seed: number): Int32Array {
  const rand = mulberry32(seed >>> 0);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Rows of a row-major table in the order of `order`. */
export function permuteRows(src: Float32Array, width: number, order: Int32Array): Float32Array {
  const out = new Float32Array(order.length * width);
  for (let i = 0; i < order.length; i++) {
    out.set(src.subarray(order[i] * width, (order[i] + 1) * width), i * width);
  }
  return out;
}

/** Waits until every kernel queued so far has run (reads one tensor back), then disposes the tensors. */
export async function settle(tensors: tf.Tensor[]): Promise<void> {
  if (tensors.length > 0) await tensors[tensors.length - 1].data();
  tf.dispose(tensors);
}
