/**
 * The paper's feed-forward network for tabular data (the authors' `MLP`): `Linear → ELU` per hidden
 * layer, then a linear head with one output per target. Minimal version; the protocol work
 * (issue #4) may replace it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Hidden sizes by feature count, as in the paper / authors' main.py: ≤ 16 features →
 * `[16, 32, 16, 8]`; otherwise `[128, 256, 128, 64]`. The paper states the second size for 17–128
 * features; the authors also use it for IC50 (966 features), so the kit uses it above 128 too.
 *
 * @example
 * ```ts
 * import { paperHiddenSizes } from "./ffnn.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(paperHiddenSizes(8), [16, 32, 16, 8]);
 * assert.deepEqual(paperHiddenSizes(81), [128, 256, 128, 64]);
 * ```
 */
export function paperHiddenSizes(features: number): number[] {
  return features <= 16 ? [16, 32, 16, 8] : [128, 256, 128, 64];
}

/** Options of {@linkcode createFfnn}. */
export interface FfnnOptions {
  /** Number of input features. */
  inputDim: number;
  /** Number of targets (outputs of the linear head). */
  outputDim: number;
  /** Hidden sizes (default {@linkcode paperHiddenSizes}). */
  hidden?: number[];
  /** Initialisation seed (default 0). */
  seed?: number;
}

/**
 * Builds the FFNN with PyTorch's default `nn.Linear` initialisation: weights and biases uniform on
 * `[−1/√fan_in, 1/√fan_in]` (kaiming_uniform with a = √5), seeded per layer from `seed`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createFfnn } from "./ffnn.ts";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * const model = createFfnn({ inputDim: 3, outputDim: 2, seed: 1 });
 * const out = model.predict(tf.zeros([4, 3])) as tf.Tensor;
 * assert.deepEqual(out.shape, [4, 2]);
 * ```
 */
export function createFfnn(options: FfnnOptions): tf.Sequential {
  const hidden = options.hidden ?? paperHiddenSizes(options.inputDim);
  const seed = options.seed ?? 0;
  const model = tf.sequential();
  let fanIn = options.inputDim;
  const sizes = [...hidden, options.outputDim];
  sizes.forEach((units, i) => {
    const bound = 1 / Math.sqrt(fanIn);
    const head = i === sizes.length - 1;
    model.add(tf.layers.dense({
      units,
      activation: head ? "linear" : "elu",
      inputShape: i === 0 ? [options.inputDim] : undefined,
      kernelInitializer: tf.initializers.randomUniform({
        minval: -bound,
        maxval: bound,
        seed: seed * 1000 + 2 * i,
      }),
      biasInitializer: tf.initializers.randomUniform({
        minval: -bound,
        maxval: bound,
        seed: seed * 1000 + 2 * i + 1,
      }),
    }));
    fanIn = units;
  });
  return model;
}
