/** A small run configuration for tests of `executeRun` (a toy dataset, 4 epochs, a tiny FFNN). */
import type { RunConfig } from "../../lib/experiment/run.ts";

/** GAR (α = 1) on "toy", fold 1 of 5, 4 epochs of batch 16, hidden [8, 4]; `over` replaces fields. */
export const runConfig = (over: Partial<RunConfig> = {}): RunConfig => ({
  dataset: "toy",
  method: "GAR",
  param: 1,
  lr: 0.01,
  weightDecay: 1e-4,
  epochs: 4,
  batchSize: 16,
  optimizer: "sgd",
  milestones: [2, 3],
  hidden: [8, 4],
  fold: 1,
  folds: 5,
  standardizeLabels: false,
  seed: 0,
  keepPredictions: false,
  ...over,
});
