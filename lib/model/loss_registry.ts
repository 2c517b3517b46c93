/**
 * Loss names accepted by `deno task train --loss <name>`, mapped to the kit's losses in
 * `lib/losses/`.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { focalMae } from "../losses/focal_mae.ts";
import { focalMse } from "../losses/focal_mse.ts";
import { gar } from "../losses/gar.ts";
import { huber } from "../losses/huber.ts";
import { mae } from "../losses/mae.ts";
import { mse } from "../losses/mse.ts";

/** The loss names, in display order. */
export const LOSS_NAMES = ["mae", "mse", "huber", "focal-mae", "focal-mse", "gar"] as const;
/** One of {@linkcode LOSS_NAMES}. */
export type LossName = typeof LOSS_NAMES[number];

/** Options of {@linkcode lossByName}. */
export interface LossChoiceOptions {
  /** GAR's α (only for `gar`; default 1). */
  alpha?: number;
}

/**
 * The loss function `(yTrue, yPred) → scalar` for a name. `gar` takes `alpha` (default 1); the
 * others use their defaults (Huber δ = 1, focal β and γ as in `lib/losses`).
 *
 * @throws {Error} for an unknown name (listing the known ones) or `alpha` given to a loss without it
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { lossByName } from "./loss_registry.ts";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * const loss = lossByName("mae");
 * assert.equal(loss(tf.tensor1d([0, 0]), tf.tensor1d([1, -3])).dataSync()[0], 2);
 * ```
 */
export function lossByName(
  name: string,
  options: LossChoiceOptions = {},
): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar {
  if (!(LOSS_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown loss "${name}"; use one of ${LOSS_NAMES.join(", ")}`);
  }
  if (options.alpha !== undefined && name !== "gar") {
    throw new Error(`--alpha applies to gar only, not ${name}`);
  }
  switch (name as LossName) {
    case "mae":
      return (t, p) => mae(t, p);
    case "mse":
      return (t, p) => mse(t, p);
    case "huber":
      return (t, p) => huber(t, p);
    case "focal-mae":
      return (t, p) => focalMae(t, p);
    case "focal-mse":
      return (t, p) => focalMse(t, p);
    case "gar": {
      const alpha = options.alpha ?? 1;
      return (t, p) => gar(t, p, { alpha });
    }
  }
}
