/**
 * Small deterministic inputs for every artifact of the paper's index (`lib/paper/index.ts`): the
 * summaries, benchmark rows and proof results the artifacts' parts are built from in the tests.
 *
 * @module
 */
import type { RuntimeRow } from "../../lib/bench/runtime.ts";
import type { ScalingPoint } from "../../lib/bench/scaling.ts";
import type { ExperimentSummary, SummaryRow } from "../../lib/experiment/summary.ts";
import type { ArtifactId } from "../../lib/paper/index.ts";
import { ARTIFACTS } from "../../lib/paper/index.ts";
import type { PaperTables } from "../../lib/paper/paper_tables.ts";
import type { ArtifactPart } from "../../lib/render/parts.ts";
import type { ProofResult } from "../../proofs/types.ts";

/** A summary cell of fold values (population std, as the tests have always used). */
export const cell = (values: number[]) => {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return {
    mean,
    std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length),
    n: values.length,
    values,
  };
};

function curveRows(dataset: string, truthOf: (x: number) => number, methods: string[]): SummaryRow[] {
  const x = Array.from({ length: 41 }, (_, i) => -10 + i * 0.5);
  const truth = x.map(truthOf);
  return methods.map((method, k) => ({
    dataset,
    method,
    variant: null,
    runs: { planned: 2, found: 2 },
    cells: { pearson: cell([0.5 + k * 0.2, 0.6 + k * 0.2]) },
    synthetic: {
      chosen: { lr: 1e-3, weightDecay: 1e-4, param: k ? 0.5 : null },
      x,
      truth,
      predMean: truth.map((t) => t * (0.5 + 0.3 * k)),
      predStd: truth.map(() => 0.1),
    },
  }));
}

/** The `synthetic` experiment on the sine only, with MAE and GAR. */
export function sineSummary(): ExperimentSummary {
  return { experiment: "synthetic", rows: curveRows("sine", Math.sin, ["MAE", "GAR"]), comparisons: [] };
}

/** The `synthetic` experiment on both datasets: the sine with MAE and GAR, the squared sine with MSE and GAR. */
export function syntheticSummary(): ExperimentSummary {
  return {
    experiment: "synthetic",
    rows: [...sineSummary().rows, ...curveRows("squared-sine", (x) => Math.sin(x) ** 2, ["MSE", "GAR"])],
    comparisons: [],
  };
}

/** The `fig6` experiment: the sine rows at depths 2 and 5. */
export function fig6Summary(): ExperimentSummary {
  return {
    experiment: "fig6",
    comparisons: [],
    rows: [2, 5].flatMap((depth) => sineSummary().rows.map((r) => ({ ...r, variant: depth }))),
  };
}

/** The `alpha` experiment on concrete, three values of α. */
export function alphaSummary(): ExperimentSummary {
  return {
    experiment: "alpha",
    comparisons: [],
    rows: [0.1, 1, 10].map((alpha, k) => ({
      dataset: "concrete",
      method: "GAR",
      variant: alpha,
      runs: { planned: 5, found: 5 },
      cells: {
        mae: cell([5 + k, 5.5 + k, 6 + k, 4.8 + k, 5.2 + k]),
        pearson: cell([0.9, 0.91, 0.92 - k / 100, 0.89, 0.9]),
      },
    })),
  };
}

/** The `table6` experiment: GAR at batch sizes 32 and 256 with its predictions' mean and std per epoch. */
export function table6Summary(): ExperimentSummary {
  return {
    experiment: "table6",
    comparisons: [],
    rows: [32, 256].map((bs) => ({
      dataset: "concrete",
      method: "GAR",
      variant: bs,
      runs: { planned: 1, found: 1 },
      cells: {},
      predStats: { mean: [10, 30, 35], std: [5, 12, 15], truthMean: 36, truthStd: 16 },
    })),
  };
}

/**
 * A Table 1 shaped experiment (`table1` or `table7`): concrete and wine, MAE, GAR and a diverged
 * RankSim (off the figure's scale on concrete).
 */
export function table1Summary(experiment = "table1"): ExperimentSummary {
  const row = (dataset: string, method: string, mae: number[], pearson: number[]): SummaryRow => ({
    dataset,
    method,
    variant: null,
    runs: { planned: 5, found: 5 },
    cells: { mae: cell(mae), pearson: cell(pearson) },
  });
  return {
    experiment,
    comparisons: [],
    rows: [
      row("concrete", "MAE", [5, 5.2, 4.9], [0.9, 0.91, 0.89]),
      row("concrete", "RankSim", [30, 31, 29], [0.2, 0.25, 0.15]),
      row("concrete", "GAR", [4.6, 4.7, 4.5], [0.93, 0.92, 0.94]),
      row("wine", "MAE", [0.5, 0.51, 0.49], [0.55, 0.56, 0.54]),
      row("wine", "GAR", [0.49, 0.5, 0.48], [0.6, 0.61, 0.59]),
    ],
  };
}

/** The paper's Table 1 Pearson for the methods of {@linkcode table1Summary} (drawn next to ours). */
export function table1Paper(): PaperTables {
  const c = (mean: number, std: number) => ({ mean, std });
  return {
    table1: {
      concrete: { Pearson: { MAE: c(0.919, 0.002), RankSim: c(0.5, 0.1), GAR: c(0.929, 0.004) } },
      wine: { Pearson: { MAE: c(0.573, 0.01), GAR: c(0.613, 0.011) } },
    },
  } as unknown as PaperTables;
}

/** The `table5` experiment: two of the ablation variants and GAR on wine. */
export function table5Summary(): ExperimentSummary {
  const row = (method: string, mae: number): SummaryRow => ({
    dataset: "wine",
    method,
    variant: null,
    runs: { planned: 1, found: 1 },
    cells: { mae: cell([mae]), rmse: cell([mae + 0.2]) },
  });
  return {
    experiment: "table5",
    comparisons: [],
    rows: [row("GAR[MAE]", 0.6), row("GAR[MAE+Var]", 0.55), row("GAR", 0.5)],
  };
}

/** One row of Table 2's runtime benchmark. */
export const runtimeRow = (
  method: RuntimeRow["method"],
  dataset: string,
  all: number,
  loss: number,
): RuntimeRow => ({
  method,
  dataset,
  backend: "wasm",
  allTimeMs: all,
  lossTimeMs: loss,
  allRatioToMae: all / 10,
  lossRatioToMae: loss / 1,
  epochs: 3,
  batchesPerEpoch: 4,
  batchSize: 256,
  hidden: [16, 32, 16, 8],
});

/** Table 2's rows: MAE, GAR (15% slower) and RNC on concrete. */
export function runtimeRows(): RuntimeRow[] {
  return [
    runtimeRow("mae", "concrete", 10, 1),
    runtimeRow("gar", "concrete", 11.5, 1.2),
    runtimeRow("rnc", "concrete", 25, 9),
  ];
}

/** The loss-scaling points: GAR at three batch sizes, the pairwise reference at two (the third skipped). */
export function scalingPoints(): ScalingPoint[] {
  return [
    { method: "gar", n: 256, ms: 0.4, predictedBytes: 1e4 },
    { method: "gar", n: 1024, ms: 0.5, predictedBytes: 4e4 },
    { method: "gar", n: 4096, ms: 0.9, predictedBytes: 1.6e5 },
    { method: "pairwise", n: 256, ms: 6, predictedBytes: 1e6 },
    { method: "pairwise", n: 1024, ms: 60, predictedBytes: 1.6e7 },
    { method: "pairwise", n: 4096, ms: null, predictedBytes: 2.6e8, skipped: "memory bound" },
  ];
}

/** Theorem 1 and Theorem 4 results with their per-case details. */
export function theoremProofs(): ProofResult[] {
  const u = 2 ** -24;
  const cases = [2, 10, 100].flatMap((n, k) =>
    [0.001, 1].map((scale, j) => ({
      n,
      scale,
      offset: 0,
      residual32: (k + j) * u,
      tolerance32: (20 + 4 * n) * u,
      residual64: 0,
    }))
  );
  const problem = (name: string, sigmaG: number, maxGradG: number, drift: number) => ({
    problem: name,
    sigmaG,
    maxGradG,
    tolerance32: 1e-3,
    perEpsilon: [0, 1, 0.1, 0.01].map((eps, k) => ({
      eps,
      loss32: (eps * sigmaG) ** 2 * (1 + drift * k * u),
      loss64: (eps * sigmaG) ** 2,
      mismatch32: eps * maxGradG * (1 + 2 * drift * k * u),
      mismatch64: eps * maxGradG,
    })),
  });
  const result = (id: "theorem-1" | "theorem-4", details: Record<string, unknown>): ProofResult => ({
    id,
    claim: id,
    maxResidual: 0,
    tolerance: 1,
    passed: true,
    backend: "cpu",
    details,
  });
  return [
    result("theorem-1", { cases }),
    result("theorem-4", {
      deterministic: [problem("linear g", 1, 2, 4), problem("sine g", 0.5, 1, 8)],
    }),
  ];
}

/** Every artifact's parts from the inputs above (an artifact added to the index needs an entry here). */
export const FIXTURE_PARTS: { readonly [K in ArtifactId]: () => ArtifactPart[] } = {
  theorems: () => ARTIFACTS.theorems.parts(theoremProofs()),
  table1: () => ARTIFACTS.table1.parts(table1Summary(), "Table 1", table1Paper()),
  table2: () => ARTIFACTS.table2.parts(runtimeRows(), undefined, scalingPoints()),
  table5: () => ARTIFACTS.table5.parts(table5Summary(), "Table 5"),
  table6: () => ARTIFACTS.table6.parts(table6Summary(), "Table 6"),
  table7: () => ARTIFACTS.table7.parts(table1Summary("table7"), "Table 7"),
  synthetic: () => ARTIFACTS.synthetic.parts(syntheticSummary(), "Fig. 1–3"),
  fig6: () => ARTIFACTS.fig6.parts(fig6Summary(), "Fig. 6"),
  alpha: () => ARTIFACTS.alpha.parts(alphaSummary(), "Fig. 7–11"),
};
