/**
 * The JavaScript row kernels' scratch arrays (the label sides of RnC and RankSim), one set per thread (module
 * instance), grown on demand and shared by the kernels (a thread runs one kernel at a time). Internal to `rows/`.
 *
 * @module
 */

/** The scratch arrays (each of length ≥ the `n` last asked for). */
export interface Scratch {
  /** float64 values (RnC's label distances in walk order). */
  distances: Float64Array;
  /** int32 values (RankSim's label order). */
  order: Int32Array;
}

const current: Scratch = { distances: new Float64Array(0), order: new Int32Array(0) };
let sortedValues = new Float64Array(0);

/** This thread's scratch, each array at least `n` long. */
export function scratch(n: number): Scratch {
  if (current.order.length < n) {
    current.distances = new Float64Array(n);
    current.order = new Int32Array(n);
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
