/**
 * The host kernels' matrix products (`lib/losses/kernels/host/rows/matmul.ts`) are, bit for bit, the 2-D
 * `tf.matMul` of the backend whose arithmetic they reproduce — tfjs-backend-cpu's (float64 blocks of 48 terms)
 * and tfjs-backend-wasm's XNNPACK (float32, in order; the WebAssembly SIMD kernel of `matmul.c`) — for products
 * `a·b` and Gram matrices `a·aᵀ`, shapes around the tiles and the blocks, several runs in one call, any split of
 * the rows; and the committed WebAssembly bytes are what `matmul.c` builds to (where clang is installed).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/backend.ts";
import { hostMatMulFlavour } from "../../lib/losses/kernels/host/backend.ts";
import { MATMUL_TFJS_CPU, MATMUL_XNNPACK, matMulRows } from "../../lib/losses/kernels/host/rows/matmul.ts";
import { seeded, TF_TEST, useCpu } from "./_baseline_helpers.ts";

/** A fresh job token per call (its operands are new). */
let job = 0;

/** float32 values over several binades (and some exact zeros), so that rounding differences would show. */
function values(rng: () => number, length: number): Float32Array {
  return Float32Array.from({ length }, () => {
    const u = rng();
    return u < 0.05 ? 0 : Math.fround((rng() * 2 - 1) * 2 ** Math.floor(u * 12 - 6));
  });
}

Deno.test({
  name: "host matMul: bit for bit the backend's 2-D tf.matMul on cpu and wasm (products and Gram matrices)",
  ...TF_TEST,
  fn: async () => {
    try {
      for (const [backend, flavour] of [["cpu", MATMUL_TFJS_CPU], ["wasm", MATMUL_XNNPACK]] as const) {
        await selectBackend({ backend });
        assert.equal(hostMatMulFlavour(), flavour);
        const rng = seeded(401);
        for (const m of [1, 3, 4, 9]) {
          for (const s of [1, 5, 47, 48, 49, 130]) {
            for (const c of [1, 3, 4, 7, 8, 9, 21]) {
              const runs = 2;
              const a = values(rng, runs * m * s),
                b = values(rng, runs * s * c),
                out = new Float32Array(runs * m * c);
              // Split the rows of the job unevenly, across the runs' boundary.
              const params = { m, s, c, gram: 0, flavour, job: ++job };
              for (const [r0, r1] of [[0, 1], [1, m + 1], [m + 1, runs * m]]) {
                matMulRows.run({ a, b, out }, params, r0, r1);
              }
              for (let k = 0; k < runs; k++) {
                const expected = tf.tidy(() =>
                  tf.matMul(
                    tf.tensor2d(a.subarray(k * m * s, (k + 1) * m * s), [m, s]),
                    tf.tensor2d(b.subarray(k * s * c, (k + 1) * s * c), [s, c]),
                  )
                    .dataSync()
                );
                assert.deepEqual(
                  out.subarray(k * m * c, (k + 1) * m * c),
                  expected,
                  `${backend} [${m}, ${s}]·[${s}, ${c}] run ${k}`,
                );
              }
            }
          }
          // The Gram matrix a·aᵀ, as the losses form it: tf.matMul(a, tf.transpose(a)) — every entry written
          // (its upper part by each chunk, the rest mirrored), whatever the chunks (here uneven, across runs).
          for (const s of [2, 8, 64, 100]) {
            const a = values(rng, 3 * m * s), out = new Float32Array(3 * m * m).fill(NaN);
            const params = { m, s, c: m, gram: 1, flavour, job: ++job };
            const cuts = [...new Set([0, 1, m + (m >> 1), 2 * m + 1, 3 * m])].filter((r) => r <= 3 * m);
            cuts.slice(1).forEach((r1, i) => matMulRows.run({ a, b: a, out }, params, cuts[i], r1));
            for (let k = 0; k < 3; k++) {
              const expected = tf.tidy(() => {
                const q = tf.tensor2d(a.subarray(k * m * s, (k + 1) * m * s), [m, s]);
                return tf.matMul(q, tf.transpose(q)).dataSync();
              });
              assert.deepEqual(
                out.subarray(k * m * m, (k + 1) * m * m),
                expected,
                `${backend} Gram [${m}, ${s}] run ${k}`,
              );
            }
          }
        }
        // A loss-sized Gram matrix and backward product (N = 256, D = 64).
        const q = values(rng, 256 * 64), gram = new Float32Array(256 * 256), kq = new Float32Array(256 * 64);
        // (in uneven chunks: blocks of rows and their mirrors cross the chunks' bounds)
        const gramParams = { m: 256, s: 64, c: 256, gram: 1, flavour, job: ++job };
        for (const [r0, r1] of [[0, 37], [37, 200], [200, 256]]) {
          matMulRows.run({ a: q, b: q, out: gram }, gramParams, r0, r1);
        }
        matMulRows.run(
          { a: gram, b: q, out: kq },
          { m: 256, s: 256, c: 64, gram: 0, flavour, job: ++job },
          0,
          256,
        );
        tf.tidy(() => {
          const qt = tf.tensor2d(q, [256, 64]);
          const g = tf.matMul(qt, tf.transpose(qt));
          assert.deepEqual(gram, g.dataSync(), `${backend} Gram N = 256, D = 64`);
          assert.deepEqual(kq, tf.matMul(g, qt).dataSync(), `${backend} [256, 256]·[256, 64]`);
        });
      }
    } finally {
      await useCpu();
    }
  },
});

Deno.test("host matMul: the committed WebAssembly bytes are what matmul.c builds to (where clang is installed)", async () => {
  const script = new URL("../../tools/wasm/build.sh", import.meta.url).pathname;
  let status: Deno.CommandStatus & { stderr?: string };
  try {
    const out = await new Deno.Command("bash", { args: [script, "--check"], stderr: "piped" }).output();
    status = { ...out, stderr: new TextDecoder().decode(out.stderr) };
  } catch {
    return; // no bash here
  }
  if (status.code === 3) return; // no clang here: nothing to compare
  assert.equal(status.code, 0, status.stderr);
});
