import assert from "node:assert/strict";
import type { RuntimeRow } from "../../lib/bench/runtime.ts";
import type { ExperimentSummary, SummaryRow } from "../../lib/experiment/summary.ts";
import { overallRanks } from "../../lib/report/ablation.ts";
import { experimentParts, runtimeParts, writeParts } from "../../lib/report/artifacts.ts";
import { renderSvg } from "../../lib/report/figure.ts";
import { runtimeClaims, runtimeTable } from "../../lib/report/runtime_report.ts";
import { alphaFigure, predStatsFigure } from "../../lib/report/sensitivity.ts";
import { fig6Figure, fig6Rows, syntheticFigure } from "../../lib/report/synthetic_figures.ts";
import { assertSnapshot } from "./_snapshot.ts";

const cell = (values: number[]) => {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return {
    mean,
    std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length),
    n: values.length,
    values,
  };
};

function syntheticReport(): ExperimentSummary {
  const x = Array.from({ length: 41 }, (_, i) => -10 + i * 0.5);
  const truth = x.map(Math.sin);
  const rows: SummaryRow[] = ["MAE", "GAR"].map((method, k) => ({
    dataset: "sine",
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
  return { experiment: "synthetic", rows, comparisons: [] };
}

function alphaReport(): ExperimentSummary {
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

const runtimeRow = (
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

Deno.test("Fig. 1: synthetic predictions figure matches its snapshot", async () => {
  await assertSnapshot("fig1-synthetic.svg", renderSvg(syntheticFigure(syntheticReport(), "sine", "Fig. 1")));
});

Deno.test("Fig. 6: ρ is the mean over seeds, ρ_max the best seed; figure matches its snapshot", async () => {
  const report: ExperimentSummary = {
    experiment: "fig6",
    comparisons: [],
    rows: [2, 5].flatMap((depth) => syntheticReport().rows.map((r) => ({ ...r, variant: depth }))),
  };
  const rows = fig6Rows(report);
  assert.deepEqual(rows.map((r) => [r.depth, r.method, r.rhoMax]), [
    [2, "GAR", 0.8],
    [2, "MAE", 0.6],
    [5, "GAR", 0.8],
    [5, "MAE", 0.6],
  ]);
  assert.ok(Math.abs(rows[0].rho! - 0.75) < 1e-12);
  await assertSnapshot("fig6.svg", renderSvg(fig6Figure(rows)));
});

Deno.test("Fig. 7: one panel per metric with its own scale; ids unique across panels; snapshot", async () => {
  const svg = renderSvg(alphaFigure(alphaReport(), "concrete"));
  const ids = [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, "no id repeats across stacked panels");
  assert.match(svg, /test MAE ↓/);
  assert.match(svg, /test Pearson ↑/);
  await assertSnapshot("fig7-alpha.svg", svg);
});

Deno.test("Fig. 12: panels per dataset with the truth's mean and std", () => {
  const report: ExperimentSummary = {
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
  const f = predStatsFigure(report);
  assert.equal(f.panels?.length, 1);
  const svg = renderSvg(f);
  assert.match(svg, /bs=32/);
  assert.match(svg, /bs=256/);
});

Deno.test("Table 5 ranks: only (dataset, metric) pairs where every variant has a value count", () => {
  const row = (method: string, mae?: number) => ({
    dataset: "wine",
    method,
    variant: null,
    runs: { planned: 1, found: 1 },
    cells: mae === undefined ? {} : { mae: cell([mae]), rmse: cell([mae + 0.2]) },
  });
  const r = overallRanks({
    experiment: "table5",
    comparisons: [],
    rows: [row("GAR", 0.5), row("GAR[MAE]", 0.6), row("GAR[Var]")],
  });
  assert.equal(r.pairs, 0);
  assert.ok(Number.isNaN(r.ranks.GAR));
});

Deno.test("Table 2: paper ratios, the 10% claim fails above 1.10, figure snapshot", async () => {
  const rows = [
    runtimeRow("mae", "concrete", 10, 1),
    runtimeRow("gar", "concrete", 11.5, 1.2),
    runtimeRow("rnc", "concrete", 25, 9),
  ];
  const [within, costlier] = runtimeClaims(rows);
  assert.equal(within.verdict, "fails");
  assert.match(within.evidence, /concrete 1\.15×/);
  assert.equal(costlier.verdict, "holds");
  const t = runtimeTable(rows, { MAE: { concrete: { allTime: { mean: 0.1 }, lossTime: { mean: 0 } } } });
  assert.equal(t.rows[0].paperAllRatio, 1);
  assert.equal(t.rows[0].paperLossRatio, null, "no ratio to a zero loss time");
  const part = runtimeParts(rows)[1];
  assert.equal(part.kind, "figure");
  if (part.kind === "figure") await assertSnapshot("table2-runtime.svg", renderSvg(part.figure));
});

Deno.test("experimentParts + writeParts: the files of every experiment", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const names = async (report: ExperimentSummary) =>
      (await writeParts(dir, experimentParts(report, report.experiment))).map((p) => p.path);
    assert.deepEqual(await names(syntheticReport()), ["tables/synthetic.csv", "figures/fig1-sine.svg"]);
    assert.deepEqual(await names(alphaReport()), ["tables/alpha.csv", "figures/fig7-alpha-concrete.svg"]);
    for (const f of ["tables/alpha.md", "figures/fig7-alpha-concrete.png"]) {
      assert.ok((await Deno.stat(`${dir}/${f}`)).size > 0, f);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
