/**
 * gar-kit: Gradient Aligned Regression (GAR, ICML 2025) for TensorFlow.js — the losses, their float64
 * references and the backend selection.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { gar } from "./mod.ts";
 * const loss = gar(tf.tensor1d([0, 1, 2]), tf.tensor1d([0, 1, 2.5]), { alpha: 1 });
 * assert.ok(Number.isFinite(loss.dataSync()[0]));
 * ```
 *
 * @module
 */
export * from "./lib/losses/mod.ts";
export * from "./lib/backend.ts";
