/**
 * One training step of the paper's two FFNNs at batch 256, built from the kit's `dense` op against
 * the same network from plain tfjs ops (`tf.matMul` + `tf.add`, tfjs's own gradient), on the selected
 * backend (`GAR_BACKEND`, default: the best available). Run: `deno bench -A bench/dense_bench.ts`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../lib/backend.ts";
import { plainApply } from "../lib/bench/plain_apply.ts";
import { createFfnn, type Ffnn } from "../lib/model/ffnn.ts";
import { sgd } from "../lib/model/optimizer.ts";
import { trainStep } from "../lib/model/train_step.ts";

const choice = await selectBackend();
const BATCH = 256;
const mse = (t: tf.Tensor2D, p: tf.Tensor2D) => tf.mean(tf.square(tf.sub(p, t))) as tf.Scalar;

for (const [inputDim, hidden] of [[81, [128, 256, 128, 64]], [8, [16, 32, 16, 8]]] as [number, number[]][]) {
  const x = tf.randomNormal([BATCH, inputDim], 0, 1, "float32", 1) as tf.Tensor2D;
  const y = tf.randomNormal([BATCH, 1], 0, 1, "float32", 2) as tf.Tensor2D;
  const group = `(${hidden.join(",")}) batch ${BATCH} (${choice.backend})`;
  for (const variant of ["dense", "plain"] as const) {
    const base = createFfnn({ inputDim, outputDim: 1, hidden, seed: 0 });
    const model: Ffnn = variant === "dense" ? base : { ...base, apply: (input) => plainApply(base, input) };
    const optimizer = sgd(base.variables, { lr: 1e-4, momentum: 0.9 });
    Deno.bench({
      name: `${variant} training step ${group}`,
      group,
      baseline: variant === "dense",
      fn: async () => {
        const loss = trainStep(model, optimizer, x, y, mse);
        await loss.data();
        loss.dispose();
      },
    });
  }
}
