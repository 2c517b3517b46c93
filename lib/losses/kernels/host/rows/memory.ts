/**
 * The host memory: one shared `WebAssembly.Memory` that holds the arrays of the host pool's jobs (`../pool.ts`
 * hands out views of it) and that every thread's instances of the WebAssembly row kernels (`rnc.c`, `conr.c`,
 * `rank_sim.c`, `gram.c`, `symmetrize.c`) import, so that a kernel reads and writes a job's arrays in place: a
 * view's `byteOffset` is the kernel's pointer. The main thread creates it; each worker of the pool receives it
 * once ({@linkcode adoptHostMemory}). It grows on demand, up to 2 GiB; the first
 * {@linkcode HOST_MEMORY_START} bytes are the kernels' own (their stack, which they do not use). No tfjs: the
 * pool's workers load it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { growHostMemory, HOST_MEMORY_START, isHostMemory } from "./memory.ts";
 * const buffer = growHostMemory(HOST_MEMORY_START + 1024);
 * assert.ok(buffer.byteLength >= HOST_MEMORY_START + 1024 && isHostMemory(buffer));
 * assert.equal(isHostMemory(new SharedArrayBuffer(8)), false);
 * ```
 *
 * @module
 */

const PAGE = 65536;

/** The first byte of the host memory that the pool may use (below: the kernels' own). */
export const HOST_MEMORY_START = 2 * PAGE;

/** The host memory's size limit, in bytes (the kernels are built with this maximum). */
export const HOST_MEMORY_MAX_BYTES = 2 ** 31;

let memory: WebAssembly.Memory | null = null;
// The buffers the memory has had (each growth gives a new one; views of an earlier one stay valid).
const buffers = new WeakSet<SharedArrayBuffer>();
// This thread's instances of the kernels, by their bytes (base64).
const instances = new Map<string, WebAssembly.Exports>();

/**
 * This thread's host memory (on the main thread: created on first use).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostMemory } from "./memory.ts";
 * assert.ok(hostMemory().buffer instanceof SharedArrayBuffer);
 * ```
 */
export function hostMemory(): WebAssembly.Memory {
  memory ??= new WebAssembly.Memory({
    initial: HOST_MEMORY_START / PAGE,
    maximum: HOST_MEMORY_MAX_BYTES / PAGE,
    shared: true,
  });
  return memory;
}

/**
 * Makes `shared` this thread's host memory (a worker of the pool, with the main thread's memory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adoptHostMemory, hostMemory } from "./memory.ts";
 * const own = hostMemory();
 * adoptHostMemory(own); // (a worker passes the memory it received)
 * assert.equal(hostMemory(), own);
 * ```
 */
export function adoptHostMemory(shared: WebAssembly.Memory): void {
  if (memory !== shared) instances.clear();
  memory = shared;
}

/**
 * Grows the host memory to at least `bytes` (a RangeError past {@linkcode HOST_MEMORY_MAX_BYTES}) and returns its
 * current buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { growHostMemory } from "./memory.ts";
 * assert.ok(growHostMemory(300_000).byteLength >= 300_000);
 * ```
 */
export function growHostMemory(bytes: number): SharedArrayBuffer {
  const m = hostMemory();
  if (bytes > HOST_MEMORY_MAX_BYTES) {
    throw new RangeError(
      `the host kernels need ${bytes} bytes, more than the ${HOST_MEMORY_MAX_BYTES} they have`,
    );
  }
  const size = m.buffer.byteLength;
  if (size < bytes) {
    // (at least doubling, so that a run of growing jobs grows it a few times only)
    const target = Math.min(HOST_MEMORY_MAX_BYTES, Math.max(bytes, 2 * size));
    m.grow(Math.ceil((target - size) / PAGE));
  }
  const buffer = m.buffer as unknown as SharedArrayBuffer;
  buffers.add(buffer);
  return buffer;
}

/**
 * True if `buffer` is (a size of) the host memory's buffer: views of it are the kernels' arrays.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { growHostMemory, isHostMemory } from "./memory.ts";
 * assert.ok(isHostMemory(growHostMemory(0)));
 * assert.equal(isHostMemory(new ArrayBuffer(8)), false);
 * ```
 */
export function isHostMemory(buffer: ArrayBufferLike): boolean {
  return buffers.has(buffer as SharedArrayBuffer);
}

/**
 * This thread's instance of a WebAssembly kernel (its bytes, base64), importing the host memory: created on first
 * use, one per thread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasmKernel } from "./memory.ts";
 * import { WASM_BASE64 } from "./_gram_wasm.ts";
 * assert.equal(typeof wasmKernel(WASM_BASE64).gram_block, "function");
 * ```
 */
export function wasmKernel(base64: string): WebAssembly.Exports {
  let exports = instances.get(base64);
  if (exports === undefined) {
    const bin = atob(base64);
    const code = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) code[i] = bin.charCodeAt(i);
    const env = { memory: hostMemory() };
    exports = new WebAssembly.Instance(new WebAssembly.Module(code), { env }).exports;
    instances.set(base64, exports);
  }
  return exports;
}
