/**
 * Runs the host row kernels (`rows/`) on the main thread and on background workers at once.
 * tfjs's wasm backend computes on one thread under Deno (its threaded build cannot start its
 * workers there), so on a machine with k cores k − 1 sit idle while a loss's host pass runs; the
 * pool lends them to the O(N²) passes of RankSim, RnC and ConR (of K runs at once: a job's rows are
 * then the K·N rows of all runs, and the threads share them alike).
 *
 * - The inputs and outputs of a call live in the host memory (`rows/memory.ts`: one shared
 *   `WebAssembly.Memory`, which every worker received once and which the WebAssembly row kernels
 *   import); {@linkcode rowArrays} hands out views of it, by name, for one call (any number of
 *   arrays; a kernel reads at most 12 of them), valid until the next call — or held across calls
 *   ({@linkcode holdRowArrays}: a forward pass's results for its backward pass). A job's threads each
 *   get their own scratch there, after the call's arrays, when the kernel asks for it
 *   (`RowKernel.scratchBytes`).
 * - {@linkcode runRows} publishes the job (the kernel's index in `ROW_KERNELS`, rows, the views of
 *   the kernel's array fields in their order, its parameters in theirs) in a shared control block,
 *   wakes the workers (`Atomics.notify`), and every thread — the main one included — claims chunks
 *   of rows with a compare-and-swap on one counter until none are left; the main thread then waits
 *   (`Atomics.wait`) for the rows the workers claimed. A worker that has not started yet claims
 *   nothing: the main thread does all rows and never waits for a worker to come up.
 * - Rows are independent and every kernel writes only its rows' outputs, so the results are the
 *   same bit for bit whatever the split (or with no workers).
 * - Workers (`_worker.ts`, loaded by URL) are `node:worker_threads` workers, unreferenced: they
 *   never keep a process alive.
 * - `GAR_HOST_THREADS` (environment) sets the number of threads, main one included (1: no
 *   workers); default `min(4, cores)`, the cores being `SLURM_CPUS_PER_TASK` inside a Slurm job that sets
 *   it, else `hardwareConcurrency`. Where workers are not available, everything runs on the main thread.
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import {
  growHostMemory,
  HOST_MEMORY_START,
  hostMemory,
  isHostMemory,
  ROW_KERNELS,
  type RowArray,
  type RowArrays,
  type RowKernel,
  type RowParams,
} from "./rows/mod.ts";

/** Element type and length of one array of a call. */
export type RowArraySpec = readonly ["f32" | "f64" | "i32", number];

/** The array type of an element type. */
export type RowArrayOf<T extends RowArraySpec[0]> = T extends "f32" ? Float32Array
  : T extends "f64" ? Float64Array
  : Int32Array;

/** The views {@linkcode rowArrays} returns for `specs` (`undefined` where a spec is). */
export type RowArraysOf<S extends Record<string, RowArraySpec | undefined>> = {
  [K in keyof S]: RowArrayOf<NonNullable<S[K]>[0]> | (undefined extends S[K] ? undefined : never);
};

/**
 * Control block (Int32 words): the wake counter, the claim word (job sequence << 16 | next row),
 * the rows done, an error flag, the kernel (its index in `ROW_KERNELS`), rows, chunk, the rows the
 * workers have done in all (a statistic), the first thread's scratch and the bytes between two
 * threads' scratch (thread t's: `scratch + t·scratchStride`), then (type, byteOffset, length) per
 * array field of the kernel, in its order (type −1: absent).
 */
export const CONTROL = {
  job: 0,
  claim: 1,
  done: 2,
  error: 3,
  kernel: 4,
  rows: 5,
  chunk: 6,
  workerRows: 7,
  scratch: 8,
  scratchStride: 9,
  firstArray: 10,
};
const ARRAY_SLOTS = 12, CONTROL_WORDS = CONTROL.firstArray + 3 * ARRAY_SLOTS, PARAM_SLOTS = 16;
const MIN_PARALLEL_ROWS = 32;
const TYPES = [Float32Array, Float64Array, Int32Array] as const;

interface Pool {
  control: Int32Array;
  params: Float64Array;
  workers: Worker[];
  sequence: number;
  failed: boolean;
}

let pool: Pool | null = null;
let threadCount: number | null = null; // null: not set by setHostThreads nor read from the environment yet
let arenaEnd = HOST_MEMORY_START; // the end of the last call's arrays

/**
 * Sets the number of threads of the host passes, main one included (1: no workers); for tests and benchmarks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostThreads, setHostThreads } from "./pool.ts";
 * const before = hostThreads();
 * setHostThreads(1); // the main thread alone
 * assert.equal(hostThreads(), 1);
 * setHostThreads(before);
 * ```
 */
export function setHostThreads(threads: number): void {
  if (!(Number.isInteger(threads) && threads >= 1)) {
    throw new RangeError(`setHostThreads: threads must be an integer ≥ 1, got ${threads}`);
  }
  threadCount = threads;
  stopPool();
}

/**
 * Rows the pool's workers have run since it started (0 without a pool): for tests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { workerRowsDone } from "./pool.ts";
 * assert.ok(workerRowsDone() >= 0);
 * ```
 */
export function workerRowsDone(): number {
  return pool === null ? 0 : Atomics.load(pool.control, CONTROL.workerRows);
}

/**
 * The number of threads the host passes use, main one included.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostThreads } from "./pool.ts";
 * assert.ok(Number.isInteger(hostThreads()) && hostThreads() >= 1);
 * ```
 */
export function hostThreads(): number {
  if (threadCount !== null) return threadCount;
  // Read once (runRows asks on every call): GAR_HOST_THREADS, else min(4, cores).
  let fromEnv: string | undefined, slurmCpus: string | undefined;
  try {
    fromEnv = Deno.env.get("GAR_HOST_THREADS");
    slurmCpus = Deno.env.get("SLURM_CPUS_PER_TASK"); // inside a Slurm job: the CPUs it was given
  } catch { /* no env permission: the default */ }
  const parsed = fromEnv === undefined ? NaN : Number(fromEnv);
  const cores = Number.parseInt(slurmCpus ?? "") ||
    (typeof navigator !== "undefined" ? navigator.hardwareConcurrency ?? 1 : 1);
  threadCount = Number.isInteger(parsed) && parsed >= 1 ? parsed : Math.max(1, Math.min(4, cores));
  return threadCount;
}

function stopPool(): void {
  if (pool === null) return;
  Atomics.store(pool.control, CONTROL.claim, -1);
  for (const w of pool.workers) w.terminate();
  pool = null;
}

/**
 * Views for one call's arrays, by name (`specs` maps each name to its element type and length, or to
 * `undefined`: none), in the host memory (valid until the next call of this function or of
 * {@linkcode holdRowArrays}; a RangeError past its 2 GiB). Views are not zeroed: the kernels write every
 * output element of their rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays } from "./pool.ts";
 * const { g, rowSum, none } = rowArrays({ g: ["f32", 4], rowSum: ["f64", 2], none: undefined });
 * assert.ok(g instanceof Float32Array && g.length === 4);
 * assert.ok(rowSum instanceof Float64Array && rowSum.length === 2);
 * assert.equal(none, undefined);
 * ```
 */
export function rowArrays<S extends Record<string, RowArraySpec | undefined>>(specs: S): RowArraysOf<S> {
  return allocate(specs, held?.end ?? HOST_MEMORY_START);
}

/** The arrays of a {@linkcode holdRowArrays} call, and whether they are still held. */
export interface HeldRowArrays<S extends Record<string, RowArraySpec | undefined>> {
  /** The views (valid while {@linkcode HeldRowArrays.held} is true). */
  readonly arrays: RowArraysOf<S>;
  /** True until these arrays are released or another call holds arrays. */
  held(): boolean;
  /** Frees the arrays for later calls (nothing if no longer held). */
  release(): void;
}

/**
 * Like {@linkcode rowArrays}, but the views stay valid across later `rowArrays` calls (which allocate after
 * them) until released or until another call of this function holds arrays instead: for a forward pass's
 * results that its backward pass reads (whose owner recomputes them if they are no longer held).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { holdRowArrays, rowArrays } from "./pool.ts";
 * const state = holdRowArrays({ s: ["f32", 2] });
 * state.arrays.s.set([1, 2]);
 * rowArrays({ other: ["f32", 2] }).other.fill(9); // (allocated after the held arrays)
 * assert.ok(state.held());
 * assert.deepEqual(Array.from(state.arrays.s), [1, 2]);
 * holdRowArrays({ t: ["f32", 2] }); // another call holds arrays: the first ones are gone
 * assert.equal(state.held(), false);
 * ```
 */
export function holdRowArrays<S extends Record<string, RowArraySpec | undefined>>(
  specs: S,
): HeldRowArrays<S> {
  const arrays = allocate(specs, HOST_MEMORY_START), token = ++holds;
  held = { end: arenaEnd, token };
  return {
    arrays,
    held: () => held?.token === token,
    release: () => {
      if (held?.token === token) held = null;
    },
  };
}

let held: { end: number; token: number } | null = null; // the held arrays' end (the first byte after them)
let holds = 0;

/** Views of `specs` from `start` on. */
function allocate<S extends Record<string, RowArraySpec | undefined>>(
  specs: S,
  start: number,
): RowArraysOf<S> {
  const entries = Object.entries(specs).filter((e): e is [string, RowArraySpec] => e[1] !== undefined);
  let bytes = start;
  for (const [, [type, length]] of entries) {
    bytes += Math.ceil((length * TYPES[typeIndex(type)].BYTES_PER_ELEMENT) / 16) * 16;
  }
  const buffer = growHostMemory(bytes);
  let offset = start;
  const views = entries.map(([name, [type, length]]) => {
    const view = arenaView(typeIndex(type), buffer, offset, length);
    offset += Math.ceil(view.byteLength / 16) * 16;
    return [name, view];
  });
  arenaEnd = offset;
  return Object.fromEntries(views) as RowArraysOf<S>;
}

/**
 * A view of `length` elements of type code `type` (0 f32, 1 f64, 2 i32) at `offset` in `buffer`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arenaView } from "./pool.ts";
 * const view = arenaView(1, new SharedArrayBuffer(32), 8, 2);
 * assert.ok(view instanceof Float64Array && view.length === 2 && view.byteOffset === 8);
 * ```
 */
export function arenaView(type: number, buffer: SharedArrayBuffer, offset: number, length: number): RowArray {
  if (type === 0) return new Float32Array(buffer, offset, length);
  if (type === 1) return new Float64Array(buffer, offset, length);
  if (type === 2) return new Int32Array(buffer, offset, length);
  throw new RangeError(`arenaView: unknown type code ${type}`);
}

function typeIndex(type: RowArraySpec[0]): number {
  return type === "f32" ? 0 : type === "f64" ? 1 : 2;
}

function startPool(threads: number): Pool | null {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  const params = new Float64Array(new SharedArrayBuffer(PARAM_SLOTS * 8));
  const created: Pool = { control, params, workers: [], sequence: 0, failed: false };
  try {
    for (let k = 1; k < threads; k++) {
      const worker = new Worker(new URL("./_worker.ts", import.meta.url));
      worker.on("error", () => {
        created.failed = true;
      });
      worker.postMessage({ control: control.buffer, params: params.buffer, memory: hostMemory(), thread: k });
      worker.unref();
      created.workers.push(worker);
    }
  } catch {
    for (const w of created.workers) w.terminate();
    return null;
  }
  return created;
}

/**
 * Runs `kernel` over rows `[0, rows)` with `arrays` (its fields by name; others are ignored) and
 * `params`: on the main thread and the pool's workers when the arrays live in the host memory and
 * there are enough rows, else on the main thread alone (a WebAssembly kernel's arrays must live there). Returns when every row is done; rethrows a
 * kernel's error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowArrays, runRows } from "./pool.ts";
 * import { gramRows } from "./rows/mod.ts";
 * const { a, out } = rowArrays({ a: ["f32", 4], out: ["f32", 4] });
 * a.set([1, 2, 3, 4]); // one run: a 2 × 2 matrix, and its Gram matrix a·aᵀ
 * runRows(gramRows, 2, { a, out }, { m: 2, s: 2, job: 1 });
 * assert.deepEqual(Array.from(out), [5, 11, 11, 25]);
 * ```
 */
export function runRows<A extends RowArrays, P extends RowParams>(
  kernel: RowKernel<A, P>,
  rows: number,
  arrays: A,
  params: P,
): void {
  const index = ROW_KERNELS.indexOf(kernel as unknown as RowKernel);
  if (index < 0) throw new RangeError("runRows: the kernel is not in ROW_KERNELS");
  const fields = kernel.arrays.map((name) => arrays[name]);
  const threads = hostThreads();
  const shared = fields.every((a) => a === undefined || isHostMemory(a.buffer));
  // Each thread's scratch, after the call's arrays (thread 0: the main one).
  const perThread = kernel.scratchBytes?.(arrays, params) ?? 0;
  if (perThread > 0 && !shared) {
    throw new RangeError("runRows: a WebAssembly row kernel's arrays must come from rowArrays");
  }
  const stride = Math.ceil(perThread / 16) * 16, scratch = arenaEnd;
  if (perThread > 0) growHostMemory(scratch + stride * threads);
  const fn = (r0: number, r1: number) => kernel.run(arrays, params, r0, r1, scratch);
  if (
    threads <= 1 || !shared || rows < MIN_PARALLEL_ROWS || rows >= 0xffff ||
    fields.length > ARRAY_SLOTS || kernel.params.length > PARAM_SLOTS
  ) {
    fn(0, rows);
    return;
  }
  if (pool === null || pool.failed) {
    if (pool?.failed) stopPool();
    pool = startPool(threads);
    if (pool === null) {
      threadCount = 1; // workers cannot start here: stop trying
      fn(0, rows);
      return;
    }
  }
  const { control, params: shareParams } = pool;
  // The next job's sequence, with no row claimable (0xffff) while its description is written: a worker that woke
  // for the previous job and reads the description now sees, before claiming, that the sequence moved on.
  const sequence = (pool.sequence + 1) & 0x7fff;
  Atomics.store(control, CONTROL.claim, (sequence << 16) | 0xffff);
  control[CONTROL.kernel] = index;
  control[CONTROL.rows] = rows;
  const chunk = Math.max(1, Math.ceil(rows / (8 * threads)));
  control[CONTROL.chunk] = chunk;
  control[CONTROL.scratch] = scratch;
  control[CONTROL.scratchStride] = stride;
  fields.forEach((a, k) => {
    const at = CONTROL.firstArray + 3 * k;
    control[at] = a === undefined ? -1 : a instanceof Float32Array ? 0 : a instanceof Float64Array ? 1 : 2;
    control[at + 1] = a === undefined ? 0 : a.byteOffset;
    control[at + 2] = a === undefined ? 0 : a.length;
  });
  kernel.params.forEach((name, k) => {
    shareParams[k] = params[name];
  });
  Atomics.store(control, CONTROL.done, 0);
  Atomics.store(control, CONTROL.error, 0);
  pool.sequence = sequence;
  Atomics.store(control, CONTROL.claim, sequence << 16); // publishes the job
  Atomics.add(control, CONTROL.job, 1);
  Atomics.notify(control, CONTROL.job);
  claimRows(control, pool.sequence, rows, chunk, fn, false);
  for (
    let done = Atomics.load(control, CONTROL.done);
    done < rows;
    done = Atomics.load(control, CONTROL.done)
  ) {
    Atomics.wait(control, CONTROL.done, done, 1000);
  }
  if (Atomics.load(control, CONTROL.error) !== 0) {
    fn(0, rows); // a worker failed: redo every row here (and throw its error, if any)
  }
}

/**
 * Claims chunks of the job `sequence` and runs `body` on each until none are left (or the job is no
 * longer current); counts the rows done. Shared by the main thread and the workers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { claimRows, CONTROL } from "./pool.ts";
 * // A job of 5 rows in chunks of 2, claimed by this thread alone.
 * const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.firstArray));
 * control[CONTROL.claim] = 1 << 16; // job sequence 1, next row 0
 * const chunks: number[][] = [];
 * claimRows(control, 1, 5, 2, (r0, r1) => chunks.push([r0, r1]), false);
 * assert.deepEqual(chunks, [[0, 2], [2, 4], [4, 5]]);
 * assert.equal(control[CONTROL.done], 5);
 * ```
 */
export function claimRows(
  control: Int32Array,
  sequence: number,
  rows: number,
  chunk: number,
  body: (r0: number, r1: number) => void,
  byWorker: boolean,
): void {
  for (;;) {
    const word = Atomics.load(control, CONTROL.claim);
    if (word >>> 16 !== sequence) return;
    const next = word & 0xffff;
    if (next >= rows) return;
    const end = Math.min(rows, next + chunk);
    if (Atomics.compareExchange(control, CONTROL.claim, word, (sequence << 16) | end) !== word) continue;
    try {
      body(next, end);
    } catch {
      Atomics.store(control, CONTROL.error, 1);
    }
    if (byWorker) Atomics.add(control, CONTROL.workerRows, end - next);
    Atomics.add(control, CONTROL.done, end - next);
    Atomics.notify(control, CONTROL.done);
  }
}
