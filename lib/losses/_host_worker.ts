/**
 * A worker of the host pool (`_host_pool.ts`): receives the shared control block, parameters and
 * arena once, then sleeps on the wake counter and, on each job, claims and runs chunks of rows of the
 * named row kernel. Internal.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { arenaView, claimRows, CONTROL, KERNEL_NAMES } from "./_host_pool.ts";
import { ROW_KERNELS, type RowArray } from "./_row_kernels.ts";

interface Setup {
  control: SharedArrayBuffer;
  params: SharedArrayBuffer;
  arena: SharedArrayBuffer;
}

function serve({ control: c, params: p, arena }: Setup): void {
  const control = new Int32Array(c), params = new Float64Array(p);
  const ownParams = new Float64Array(params.length);
  for (let seen = 0;;) {
    Atomics.wait(control, CONTROL.job, seen);
    seen = Atomics.load(control, CONTROL.job);
    const word = Atomics.load(control, CONTROL.claim);
    if (word === -1) return; // the pool stopped
    const sequence = word >>> 16;
    // Read after the claim word: the job's description is complete (the main thread writes it
    // first). If the job has moved on meanwhile, claimRows sees another sequence and claims nothing.
    const fn = ROW_KERNELS[KERNEL_NAMES[control[CONTROL.kernel]]];
    const arrays: RowArray[] = [];
    try {
      for (let k = 0, at = CONTROL.firstArray; k < control[CONTROL.arrays]; k++, at += 3) {
        arrays.push(arenaView(control[at], arena, control[at + 1], control[at + 2]));
      }
    } catch {
      continue; // a description torn by the next job's: that job wakes this loop again
    }
    ownParams.set(params);
    claimRows(control, sequence, control[CONTROL.rows], control[CONTROL.chunk], (r0, r1) => {
      fn(arrays, ownParams, r0, r1);
    }, true);
  }
}

parentPort?.once("message", (setup: Setup) => serve(setup));
