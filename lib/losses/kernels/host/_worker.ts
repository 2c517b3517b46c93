/**
 * A worker of the host pool (`pool.ts`, which loads this file by URL): receives the shared control
 * block, parameters, the host memory and its thread number once, then sleeps on the wake counter and,
 * on each job, claims and runs chunks of rows of the row kernel the job names (with its own scratch). No tfjs: it loads only the pool and `rows/`.
 * Internal to `kernels/host/`.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { arenaView, claimRows, CONTROL } from "./pool.ts";
import { adoptHostMemory, ROW_KERNELS, type RowArrays, type RowParams } from "./rows/mod.ts";

interface Setup {
  control: SharedArrayBuffer;
  params: SharedArrayBuffer;
  memory: WebAssembly.Memory;
  /** This worker's thread number (1, 2, …; the main thread is 0). */
  thread: number;
}

function serve({ control: c, params: p, memory, thread }: Setup): void {
  adoptHostMemory(memory);
  const control = new Int32Array(c), params = new Float64Array(p);
  const ownParams = new Float64Array(params.length);
  for (let seen = 0;;) {
    Atomics.wait(control, CONTROL.job, seen);
    seen = Atomics.load(control, CONTROL.job);
    const word = Atomics.load(control, CONTROL.claim);
    if (word === -1) return; // the pool stopped
    const sequence = word >>> 16;
    // The main thread is writing the next job's description: that job wakes this loop again.
    if ((word & 0xffff) === 0xffff) continue;
    // Read after the claim word: the job's description is complete (the main thread writes it first, with the
    // claim word marked) — unless the next job's has begun meanwhile, which the claim word read again tells.
    const kernel = ROW_KERNELS[control[CONTROL.kernel]];
    const arrays: RowArrays = {};
    const buffer = memory.buffer as unknown as SharedArrayBuffer; // (as large as the job needs)
    const scratch = control[CONTROL.scratch] + thread * control[CONTROL.scratchStride];
    try {
      kernel.arrays.forEach((name, k) => {
        const at = CONTROL.firstArray + 3 * k;
        if (control[at] !== -1) {
          arrays[name] = arenaView(control[at], buffer, control[at + 1], control[at + 2]);
        }
      });
    } catch {
      continue; // a description torn by the next job's: that job wakes this loop again
    }
    ownParams.set(params);
    if (Atomics.load(control, CONTROL.claim) >>> 16 !== sequence) continue; // torn: a later job's description
    const named: RowParams = {};
    kernel.params.forEach((name, k) => {
      named[name] = ownParams[k];
    });
    claimRows(control, sequence, control[CONTROL.rows], control[CONTROL.chunk], (r0, r1) => {
      kernel.run(arrays, named, r0, r1, scratch);
    }, true);
  }
}

parentPort?.once("message", (setup: Setup) => serve(setup));
