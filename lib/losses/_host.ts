/**
 * Helpers of the host passes that some losses take on the backends whose tensors live in host
 * memory (cpu, wasm). Internal: not re-exported by `mod.ts`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** True on backends whose tensors live in host memory (cpu, wasm): reading a few numbers back is free there. */
export function hostBackend(): boolean {
  const b = tf.getBackend();
  return b === "cpu" || b === "wasm";
}

/**
 * For each row of `values` (`[rows, u]`, row-major float32), its column indices in order of
 * decreasing value, equal values later column first: a stable least-significant-digit radix sort
 * (four passes of 8 bits) of the IEEE-754 bit patterns mapped to unsigned integers in the same
 * order as the floats (flip all bits of negatives, the sign bit of the rest), started from the
 * columns in reverse. `−0` sorts as `+0`. Returns `[rows·u]` column indices.
 */
export function descendingOrder(values: Float32Array, rows: number, u: number): Int32Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const order = new Int32Array(rows * u);
  const key = new Uint32Array(u);
  const count = new Uint32Array(256);
  let src = new Int32Array(u), dst = new Int32Array(u);
  for (let r = 0; r < rows; r++) {
    const base = r * u;
    for (let j = 0; j < u; j++) {
      const b = values[base + j] === 0 ? 0 : bits[base + j];
      // inverted, so that ascending keys are descending values
      key[j] = 0xffffffff - (b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0);
      src[j] = u - 1 - j;
    }
    for (let shift = 0; shift < 32; shift += 8) {
      count.fill(0);
      for (let k = 0; k < u; k++) count[(key[src[k]] >>> shift) & 255]++;
      for (let v = 0, sum = 0; v < 256; v++) {
        const c = count[v];
        count[v] = sum;
        sum += c;
      }
      for (let k = 0; k < u; k++) {
        const j = src[k];
        dst[count[(key[j] >>> shift) & 255]++] = j;
      }
      [src, dst] = [dst, src];
    }
    order.set(src, base);
  }
  return order;
}
