/**
 * Side-by-side timing of training steps, shared by the dense-layer and the stock-tfjs comparisons.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Ffnn } from "../model/ffnn.ts";
import { sgd } from "../model/optimizer.ts";
import { type Objective, trainStep } from "../model/train_step.ts";
import { median } from "../stats/median.ts";

/** One variant of a step comparison: a model (its `apply` decides the layers) and an objective. */
export interface StepVariant {
  /** The model; its variables are trained by SGD. */
  model: Ffnn;
  /** The training objective. */
  objective: Objective;
}

/**
 * Median ms of one SGD training step (lr 1e-4, momentum 0.9) of each variant on the same batch.
 * The variants alternate in rounds (round 0 warms up and is not timed) so that drift hits all alike;
 * each round runs `stepsPerRound` steps of a variant and waits for its last loss, and the result is
 * the median over rounds of the per-step mean. Runs on the active backend.
 */
export async function alternatingStepTimes(
  variants: readonly StepVariant[],
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  rounds: number,
  stepsPerRound: number,
): Promise<number[]> {
  const runs = variants.map((v) => ({
    ...v,
    opt: sgd(v.model.variables, { lr: 1e-4, momentum: 0.9 }),
    times: [] as number[],
  }));
  try {
    for (let r = 0; r <= rounds; r++) {
      for (const v of runs) {
        const t0 = performance.now();
        for (let s = 0; s < stepsPerRound; s++) {
          const loss = trainStep(v.model, v.opt, x, y, v.objective);
          if (s === stepsPerRound - 1) await loss.data();
          loss.dispose();
        }
        if (r > 0) v.times.push((performance.now() - t0) / stepsPerRound);
      }
    }
  } finally {
    for (const v of runs) v.opt.dispose();
  }
  return runs.map((v) => median(v.times));
}
