/**
 * The paper's experiments as data, and their expansion into runs for a profile.
 *
 * | id | paper | datasets | methods | varies |
 * | --- | --- | --- | --- | --- |
 * | `table1` | Table 1 | concrete, wine, parkinson-total, parkinson-motor, superconductivity, ic50 | the nine of Table 1 | lr × decay × parameter, tuned per fold and metric |
 * | `table5` | Table 5 (ablation) | as Table 1 | GAR[MAE], GAR[Var], GAR[Pearson], GAR[MAE+Var], GAR[MAE+Pearson], GAR[Var+Pearson], GAR | as Table 1 |
 * | `table6` | Table 6, Fig. 12 | concrete, parkinson-total, parkinson-motor | GAR | batch size (`variant` = batch size); the record keeps the predicted mean / std per epoch |
 * | `table7` | Table 7 (B.11) | as Table 1 | as Table 1 | as Table 1, labels standardised with the training part's mean / std |
 * | `alpha` | Fig. 7–11 | as Table 1 | GAR | α fixed per row (`variant` = α), lr × decay tuned |
 * | `synthetic` | Fig. 1–3 | sine, squared-sine | MAE, MSE, RNC (τ = 2), MAE-Pearson, GAR (α = 0.5) | seeds (no CV: train on the train half, test on the other); predictions on every point kept |
 * | `fig6` | Fig. 6 | sine, squared-sine | MAE, RNC (τ = 2), MAE-Pearson, GAR (α ∈ {0.5, 1, 2}) | hidden layers of 100 (`variant` = depth) |
 *
 * Tabular models use the paper's sizes (`paperHiddenSizes`), SGD (momentum 0.9) and batch 256;
 * synthetic models 5 (or `depth`) hidden layers of 100, Adam and batch 128.
 *
 * An {@linkcode Experiment} of the caller's is planned the same way (`deno task compare`: the Table 1 protocol
 * on a user's table, with its own hidden sizes and label standardisation).
 *
 * @module
 */
import { paperHiddenSizes } from "../model/ffnn.ts";
import type { Method } from "../methods.ts";
import { FOLDS, learningRates, paramGrid, type Profile, scopedProfile } from "./profiles.ts";
import type { RunConfig } from "./run.ts";

/** An experiment of the paper. */
export interface Experiment {
  /** Id used by `--only`. */
  id: string;
  /** What it reproduces. */
  title: string;
  /** `"cv"` (tabular, 5-fold protocol) or `"synthetic"`. */
  kind: "cv" | "synthetic";
  /** Dataset ids. */
  datasets: string[];
  /** Methods. */
  methods: readonly Method[];
  /** A custom CV experiment's hidden layer sizes (default: the paper's by feature count, `paperHiddenSizes`). */
  hidden?: readonly number[];
  /** Whether a custom CV experiment standardises the labels (default: `table7` does, the others do not). */
  standardizeLabels?: boolean;
}

const TABULAR = ["concrete", "wine", "parkinson-total", "parkinson-motor", "superconductivity", "ic50"];
/** Table 1's nine methods, in its order (Table 2 times the same nine). */
export const TABLE1_METHODS: readonly Method[] = [
  "MAE",
  "MSE",
  "Huber",
  "FocalMAE",
  "FocalMSE",
  "RankSim",
  "RNC",
  "ConR",
  "GAR",
];

/** The experiments (see the module table). */
export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: "table1",
    title: "Table 1: tabular benchmarks",
    kind: "cv",
    datasets: TABULAR,
    methods: TABLE1_METHODS,
  },
  {
    id: "table5",
    title: "Table 5: ablation of GAR's parts",
    kind: "cv",
    datasets: TABULAR,
    methods: [
      "GAR[MAE]",
      "GAR[Var]",
      "GAR[Pearson]",
      "GAR[MAE+Var]",
      "GAR[MAE+Pearson]",
      "GAR[Var+Pearson]",
      "GAR",
    ],
  },
  {
    id: "table6",
    title: "Table 6 / Fig. 12: batch sizes",
    kind: "cv",
    datasets: ["concrete", "parkinson-total", "parkinson-motor"],
    methods: ["GAR"],
  },
  {
    id: "table7",
    title: "Table 7: standardised features and labels",
    kind: "cv",
    datasets: TABULAR,
    methods: TABLE1_METHODS,
  },
  { id: "alpha", title: "Fig. 7–11: sensitivity to α", kind: "cv", datasets: TABULAR, methods: ["GAR"] },
  {
    id: "synthetic",
    title: "Fig. 1–3: synthetic sine and squared sine",
    kind: "synthetic",
    datasets: ["sine", "squared-sine"],
    methods: ["MAE", "MSE", "RNC", "MAE-Pearson", "GAR"],
  },
  {
    id: "fig6",
    title: "Fig. 6: depth of the network (synthetic)",
    kind: "synthetic",
    datasets: ["sine", "squared-sine"],
    methods: ["MAE", "RNC", "MAE-Pearson", "GAR"],
  },
];

/**
 * A synthetic experiment's parameter grid for a method: GAR α = 0.5 (Section 4.1) or α ∈ {0.5, 1, 2}
 * (Fig. 6); RNC τ = 2 (the temperature the authors selected on AgeDB, the middle of their grid);
 * none for the others.
 */
function syntheticParams(experiment: string, method: Method): (number | null)[] {
  if (method === "GAR") return experiment === "fig6" ? [0.5, 1, 2] : [0.5];
  return method === "RNC" ? [2] : [null];
}

/** One planned run: where it belongs in the report, and its config. */
export interface PlannedRun {
  /** Experiment id. */
  experiment: string;
  /** Dataset id. */
  dataset: string;
  /** Method. */
  method: Method;
  /** The experiment's row variable (batch size, α, depth) or null. */
  variant: number | null;
  /** The run's config (the cache key's main input). */
  config: RunConfig;
}

/** Shape of a dataset, needed to size the model. */
export interface DatasetShape {
  /** Feature count. */
  features: number;
}

/**
 * The runs of `experiment` under `profile`, for the datasets whose shapes are given (the others
 * are not available and get no runs). Order: dataset, method, variant, lr, decay, parameter, fold
 * or seed.
 *
 * @example
 * ```ts
 * import { EXPERIMENTS, planExperiment } from "./experiments.ts";
 * import { PROFILES } from "./profiles.ts";
 * import assert from "node:assert/strict";
 * const t1 = EXPERIMENTS.find((e) => e.id === "table1")!;
 * const runs = planExperiment(t1, PROFILES.smoke, { concrete: { features: 8 } });
 * assert.equal(runs.length, 9); // nine methods, one config, fold 0
 * ```
 */
export function planExperiment(
  experiment: Experiment,
  profile: Profile,
  shapes: Record<string, DatasetShape>,
): PlannedRun[] {
  const out: PlannedRun[] = [];
  for (const dataset of experiment.datasets) {
    const shape = shapes[dataset];
    if (!shape) continue;
    const scoped = scopedProfile(profile, experiment.id, dataset);
    if (!scoped.run) continue;
    for (const method of experiment.methods) {
      const grid = experiment.kind === "cv"
        ? cvGrid(experiment, scoped, method, shape)
        : syntheticGrid(experiment.id, scoped, method);
      for (const variant of grid.variants) {
        for (const lr of grid.lrs) {
          for (const weightDecay of grid.weightDecays) {
            for (const param of grid.params(variant)) {
              for (const replica of grid.replicas) {
                out.push({
                  experiment: experiment.id,
                  dataset,
                  method,
                  variant,
                  config: { dataset, method, param, lr, weightDecay, ...grid.fixed(variant), ...replica },
                });
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/** The axes of one (experiment, method) grid, and the config fields the axes do not vary. */
interface Grid {
  variants: (number | null)[];
  lrs: number[];
  weightDecays: number[];
  params: (variant: number | null) => (number | null)[];
  /** One run per entry: the CV fold (tabular) or the seed (synthetic). */
  replicas: Pick<RunConfig, "fold" | "seed">[];
  fixed: (
    variant: number | null,
  ) => Omit<RunConfig, "dataset" | "method" | "param" | "lr" | "weightDecay" | "fold" | "seed">;
}

/**
 * Tabular experiments: SGD, batch 256 (or the batch-size variant), 5-fold CV, the paper's model sizes (or the
 * experiment's).
 */
function cvGrid(experiment: Experiment, profile: Profile, method: Method, shape: DatasetShape): Grid {
  const id = experiment.id;
  return {
    variants: id === "table6" ? profile.batchSizes : id === "alpha" ? profile.alphas : [null],
    lrs: learningRates(profile, method, id),
    weightDecays: profile.weightDecays,
    params: (variant) => id === "alpha" ? [variant] : paramGrid(profile, method),
    replicas: profile.folds.map((fold) => ({ fold, seed: 0 })),
    fixed: (variant) => ({
      epochs: profile.epochs,
      batchSize: id === "table6" ? variant as number : 256,
      optimizer: "sgd",
      milestones: profile.milestones,
      hidden: experiment.hidden ? [...experiment.hidden] : paperHiddenSizes(shape.features),
      folds: FOLDS,
      standardizeLabels: experiment.standardizeLabels ?? id === "table7",
      keepPredictions: false,
    }),
  };
}

/** Synthetic experiments: Adam, batch 128, hidden layers of 100 (5, or the depth variant), seeds, predictions kept. */
function syntheticGrid(id: string, profile: Profile, method: Method): Grid {
  const params = syntheticParams(id, method);
  return {
    variants: id === "fig6" ? profile.depths : [null],
    lrs: profile.syntheticLrs,
    weightDecays: profile.syntheticWeightDecays,
    params: () => params,
    replicas: profile.syntheticSeeds.map((seed) => ({ fold: null, seed })),
    fixed: (variant) => ({
      epochs: profile.syntheticEpochs,
      batchSize: 128,
      optimizer: "adam",
      milestones: profile.syntheticMilestones,
      hidden: Array.from({ length: variant ?? 5 }, () => 100),
      folds: FOLDS,
      standardizeLabels: false,
      keepPredictions: true,
    }),
  };
}
