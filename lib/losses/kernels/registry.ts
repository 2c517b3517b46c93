/**
 * The registry of the losses' kernels, after tfjs-core's: an op (a loss, or a piece of one) dispatches
 * to the kernel registered for the active backend under its name, and runs its own tensor program
 * (ordinary tfjs ops, every backend) where none is registered or the registered one does not apply.
 * The kernels register apart from the ops (`kernels/mod.ts` registers those of `kernels/host/` for
 * cpu and wasm and those of `kernels/webgpu/` for webgpu), so no loss tests the backend itself.
 *
 * A kernel takes named inputs (tensors) and named attributes (plain values), as tfjs's kernels do,
 * and may carry its own applicability test (`applies`: a size limit, say). Shapes are given per
 * kernel in {@linkcode LossKernelSignatures}; a leading axis over independent runs would add itself
 * to every input and turn a per-run attribute into an array, without changing the names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lossKernel, registerLossKernel } from "./registry.ts";
 * registerLossKernel({ kernelName: "rankNormalised", backendName: "example", kernelFunc: ({ s }) => s });
 * assert.equal(lossKernel("rankNormalised", "example")?.backendName, "example");
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Inputs, attributes and output of every kernel the losses dispatch. `N` rows (the batch), `T` label
 * columns, `D` feature columns; the host and WebGPU kernels compute what the op's tensor program
 * computes (see each loss for the formulas and for where the kernels' float64 or float32 arithmetic
 * differs).
 */
export interface LossKernelSignatures {
  /**
   * GAR (`gar`): labels `[N, T]`, shared by every run; predictions `[K, N, T]` of K runs (or `[N, T]`, one
   * run); `alpha` per run (K values; one for `[N, T]`); `pooled` false: one GAR per column, averaged. Output:
   * the K losses `[K]` (a scalar for `[N, T]` predictions).
   */
  gar: {
    inputs: { yTrue: tf.Tensor2D; yPred: tf.Tensor3D | tf.Tensor2D };
    attrs: { alpha: readonly number[]; pooled: boolean };
    output: tf.Tensor1D | tf.Scalar;
  };
  /** RnC (`rnc`) of K runs: labels `[N, T]` (shared), features `[K, N, D]`, a temperature per run; K losses. */
  rnc: {
    inputs: { yTrue: tf.Tensor2D; features: tf.Tensor3D };
    attrs: { temperature: number[] };
    output: tf.Tensor1D;
  };
  /**
   * ConR (`conr`) of K runs: labels `[N, T]` (shared), predictions `[K, N, T]`, features `[K, N, D]`, the
   * options per run; K losses.
   */
  conr: {
    inputs: { yTrue: tf.Tensor2D; yPred: tf.Tensor3D; features: tf.Tensor3D };
    attrs: { w: number[]; t: number[]; e: number[] };
    output: tf.Tensor1D;
  };
  /**
   * RankSim (`rankSim`) of K runs: features `[K, N, D]`; the labels' host values (length N) and the rows
   * kept (one per unique label, or `null`: all), shared by the runs; λ per run; K losses.
   */
  rankSim: {
    inputs: { features: tf.Tensor3D };
    attrs: { labels: ArrayLike<number>; rows: number[] | null; lambda: number[] };
    output: tf.Tensor1D;
  };
  /** RankSim's `rank_normalised` of every row of `s` (`[R, U]`): `(position + 1)/U`, descending. */
  rankNormalised: {
    inputs: { s: tf.Tensor2D };
    attrs: Record<never, never>;
    output: tf.Tensor2D;
  };
}

/** The name of a kernel. */
export type LossKernelName = keyof LossKernelSignatures;

/** The named inputs of kernel `K`. */
export type LossKernelInputs<K extends LossKernelName> = LossKernelSignatures[K]["inputs"];

/** The named attributes of kernel `K`. */
export type LossKernelAttrs<K extends LossKernelName> = LossKernelSignatures[K]["attrs"];

/** One backend's implementation of kernel `K`, before it is registered for a backend. */
export interface LossKernel<K extends LossKernelName> {
  /** The kernel it implements. */
  kernelName: K;
  /** Computes the kernel's output (inside the op's `tf.tidy`). */
  kernelFunc: (inputs: LossKernelInputs<K>, attrs: LossKernelAttrs<K>) => LossKernelSignatures[K]["output"];
  /** Whether it handles these inputs (absent: always); where not, the op runs its tensor program. */
  applies?: (inputs: LossKernelInputs<K>, attrs: LossKernelAttrs<K>) => boolean;
}

/** A {@linkcode LossKernel} for the backend `backendName` (tfjs's name: `"cpu"`, `"wasm"`, `"webgpu"`, …). */
export interface LossKernelConfig<K extends LossKernelName> extends LossKernel<K> {
  /** The backend it runs on. */
  backendName: string;
}

/** A {@linkcode LossKernel} of any name. */
export type AnyLossKernel = { [K in LossKernelName]: LossKernel<K> }[LossKernelName];

/** A {@linkcode LossKernelConfig} of any name. */
export type AnyLossKernelConfig = { [K in LossKernelName]: LossKernelConfig<K> }[LossKernelName];

const registry = new Map<string, AnyLossKernelConfig>();

const key = (kernelName: string, backendName: string) => `${kernelName}_${backendName}`;

/**
 * Registers a kernel for a backend.
 *
 * @throws {Error} when one is registered already for that name and backend
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LossKernelConfig, registerLossKernel } from "./registry.ts";
 * const config: LossKernelConfig<"rankNormalised"> = {
 *   kernelName: "rankNormalised",
 *   backendName: "twice",
 *   kernelFunc: ({ s }) => s,
 * };
 * registerLossKernel(config);
 * assert.throws(() => registerLossKernel(config), /already registered/);
 * ```
 */
export function registerLossKernel(config: AnyLossKernelConfig): void {
  const k = key(config.kernelName, config.backendName);
  if (registry.has(k)) {
    throw new Error(
      `registerLossKernel: ${config.kernelName} is already registered for ${config.backendName}`,
    );
  }
  registry.set(k, config);
}

/**
 * The kernel registered under `kernelName` for `backendName`, or `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lossKernel } from "./registry.ts";
 * assert.equal(lossKernel("gar", "no-such-backend"), undefined);
 * ```
 */
export function lossKernel<K extends LossKernelName>(
  kernelName: K,
  backendName: string,
): LossKernelConfig<K> | undefined {
  return registry.get(key(kernelName, backendName)) as LossKernelConfig<K> | undefined;
}

/**
 * Runs the kernel registered under `kernelName` for the active backend when there is one and it
 * applies to these inputs; `null` otherwise (the op then runs its tensor program).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { runLossKernel } from "./registry.ts";
 * await tf.setBackend("cpu");
 * // No kernel of this name for cpu (the kit registers a WebGPU one only): the op's tensor program runs.
 * assert.equal(runLossKernel("rankNormalised", { s: tf.zeros([2, 2]) }, {}), null);
 * ```
 */
export function runLossKernel<K extends LossKernelName>(
  kernelName: K,
  inputs: LossKernelInputs<K>,
  attrs: LossKernelAttrs<K>,
): LossKernelSignatures[K]["output"] | null {
  const kernel = lossKernel(kernelName, tf.getBackend());
  if (kernel === undefined || (kernel.applies !== undefined && !kernel.applies(inputs, attrs))) return null;
  return kernel.kernelFunc(inputs, attrs);
}
