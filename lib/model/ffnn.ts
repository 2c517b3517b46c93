/**
 * The paper's feed-forward network (the authors' `MLP`): `Linear → ELU` per hidden layer, then a
 * linear head with one output per target. Written directly on tfjs variables and the kit's
 * {@linkcode dense} op (no tfjs-layers model), so the training loop (`train_step.ts`) controls every
 * step and can read the last hidden layer's activations (the "features" RankSim, RNC and ConR use).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { mulberry32 } from "../random/mulberry32.ts";
import { dense } from "./dense.ts";

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
  /** Hidden sizes (default {@linkcode paperHiddenSizes}`(inputDim)`; `[]` gives a linear model). */
  hidden?: number[];
  /** Initialisation seed (default 0). */
  seed?: number;
}

/** A feed-forward network built by {@linkcode createFfnn}. */
export interface Ffnn {
  /** Number of input features. */
  readonly inputDim: number;
  /** Number of outputs. */
  readonly outputDim: number;
  /** Hidden layer sizes. */
  readonly hidden: readonly number[];
  /** Trainable variables in layer order: `[w0, b0, w1, b1, …]`, `w` `[in, out]`, `b` `[out]`. */
  readonly variables: tf.Variable[];
  /**
   * Forward pass: the output `[N, outputDim]` and the last hidden layer's activations
   * `[N, hidden.at(-1)]` ("features"; the input itself when there is no hidden layer).
   */
  apply(x: tf.Tensor2D): { output: tf.Tensor2D; features: tf.Tensor2D };
  /** Frees the variables. */
  dispose(): void;
}

/**
 * The uniform initial values of one layer, PyTorch's default for `nn.Linear` (kaiming_uniform with
 * a = √5 for W, which is U(−1/√fan_in, 1/√fan_in), and the same bound for b). Drawn in float64 from
 * the kit's {@linkcode mulberry32} stream, so they are identical on every backend.
 */
function uniformValues(rand: () => number, count: number, bound: number): Float32Array {
  const v = new Float32Array(count);
  for (let i = 0; i < count; i++) v[i] = (2 * rand() - 1) * bound;
  return v;
}

/**
 * The layer sizes `[inputDim, ...hidden, outputDim]` of an FFNN, checked.
 *
 * @throws {Error} for a non-positive or non-integer size
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ffnnLayerSizes } from "./ffnn.ts";
 * assert.deepEqual(ffnnLayerSizes({ inputDim: 8, outputDim: 1 }), [8, 16, 32, 16, 8, 1]);
 * ```
 */
export function ffnnLayerSizes(options: Omit<FfnnOptions, "seed">): number[] {
  const hidden = [...(options.hidden ?? paperHiddenSizes(options.inputDim))];
  const sizes = [options.inputDim, ...hidden, options.outputDim];
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < 1) throw new Error(`createFfnn: layer sizes must be positive integers`);
  }
  return sizes;
}

/**
 * The initial values of an FFNN with layer sizes `sizes` and seed `seed`, layer by layer `[w0, b0, w1, b1, …]`
 * (`w` row-major `[in, out]`): PyTorch's default `nn.Linear` initialisation, uniform on
 * `[−1/√fan_in, 1/√fan_in]`, drawn from one seeded {@linkcode mulberry32} stream, W then b. Every network of the
 * kit (the single-run {@linkcode createFfnn} and the stacked one) starts from these values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ffnnInitialValues } from "./ffnn.ts";
 * const [w0, b0] = ffnnInitialValues([2, 3, 1], 7);
 * assert.equal(w0.length, 6);
 * assert.equal(b0.length, 3);
 * assert.ok(w0.every((v) => Math.abs(v) <= 1 / Math.SQRT2));
 * ```
 */
export function ffnnInitialValues(sizes: readonly number[], seed: number): Float32Array[] {
  const rand = mulberry32((seed * 0x9e3779b1 + 0x85ebca6b) >>> 0);
  const values: Float32Array[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [fanIn, fanOut] = [sizes[i], sizes[i + 1]];
    const bound = 1 / Math.sqrt(fanIn);
    values.push(uniformValues(rand, fanIn * fanOut, bound), uniformValues(rand, fanOut, bound));
  }
  return values;
}

/**
 * Builds the FFNN with PyTorch's default `nn.Linear` initialisation: weights and biases uniform on
 * `[−1/√fan_in, 1/√fan_in]`, drawn from one seeded {@linkcode mulberry32} stream (layer by layer,
 * W then b), so equal seeds give equal networks on every backend. Hidden layers use ELU (α = 1);
 * the head is linear.
 *
 * @throws {Error} for a non-positive or non-integer size
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createFfnn } from "./ffnn.ts";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * const model = createFfnn({ inputDim: 3, outputDim: 2, seed: 1 });
 * const { output, features } = model.apply(tf.zeros([4, 3]));
 * assert.deepEqual(output.shape, [4, 2]);
 * assert.deepEqual(features.shape, [4, 8]);
 * model.dispose();
 * ```
 */
export function createFfnn(options: FfnnOptions): Ffnn {
  const sizes = ffnnLayerSizes(options);
  const hidden = sizes.slice(1, -1);
  const values = ffnnInitialValues(sizes, options.seed ?? 0);
  const variables: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    variables.push(tf.variable(tf.tensor2d(values[2 * i], [sizes[i], sizes[i + 1]])));
    variables.push(tf.variable(tf.tensor1d(values[2 * i + 1])));
  }
  const layers = variables.length / 2;
  return {
    inputDim: options.inputDim,
    outputDim: options.outputDim,
    hidden,
    variables,
    apply(x: tf.Tensor2D) {
      let h = x;
      let features = x;
      for (let l = 0; l < layers; l++) {
        const z = dense(h, variables[2 * l] as tf.Tensor2D, variables[2 * l + 1] as tf.Tensor1D);
        if (l < layers - 1) {
          h = tf.elu(z);
          features = h;
        } else h = z;
      }
      return { output: h, features };
    },
    dispose() {
      variables.forEach((v) => v.dispose());
    },
  };
}
