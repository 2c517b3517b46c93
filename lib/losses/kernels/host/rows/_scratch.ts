/**
 * The row kernels' scratch arrays, one set per thread (module instance), grown on demand and shared
 * by the kernels (a thread runs one kernel at a time). Internal to `rows/`.
 *
 * @module
 */

/** The scratch arrays (each of length ≥ the `n` last asked for). */
export interface Scratch {
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  d: Float64Array;
  e: Float64Array;
  order: Int32Array;
  values: Float32Array;
}

const current: Scratch = {
  a: new Float64Array(0),
  b: new Float64Array(0),
  c: new Float64Array(0),
  d: new Float64Array(0),
  e: new Float64Array(0),
  order: new Int32Array(0),
  values: new Float32Array(0),
};
let sortedValues = new Float64Array(0);

/** This thread's scratch, each array at least `n` long. */
export function scratch(n: number): Scratch {
  if (current.a.length < n) {
    current.a = new Float64Array(n);
    current.b = new Float64Array(n);
    current.c = new Float64Array(n);
    current.d = new Float64Array(n);
    current.e = new Float64Array(n);
    current.order = new Int32Array(n);
    current.values = new Float32Array(n);
  }
  return current;
}

/** `y[sorted[k]]` as float64, in this thread's scratch. */
export function sortedLabels(y: Float32Array, sorted: Int32Array): Float64Array {
  const n = y.length;
  if (sortedValues.length !== n) sortedValues = new Float64Array(n);
  for (let k = 0; k < n; k++) sortedValues[k] = y[sorted[k]];
  return sortedValues;
}
