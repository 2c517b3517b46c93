import assert from "node:assert/strict";
import { fig6Rows } from "../../lib/paper/fig6.ts";
import { experimentParts } from "../../lib/paper/index.ts";
import { runtimeClaims, runtimeTable, table2Parts } from "../../lib/paper/table2.ts";
import { overallRanks } from "../../lib/paper/table5.ts";
import { predStatsFigure } from "../../lib/paper/table6.ts";
import { alphaFigure } from "../../lib/paper/alpha.ts";
import { renderSvg } from "../../lib/render/figure.ts";
import { writeParts } from "../../lib/render/parts.ts";
import { alphaSummary, cell, fig6Summary, runtimeRows, sineSummary, table6Summary } from "./_fixtures.ts";

Deno.test("Fig. 6: ρ is the mean over seeds, ρ_max the best seed", () => {
  const rows = fig6Rows(fig6Summary());
  assert.deepEqual(rows.map((r) => [r.depth, r.method, r.rhoMax]), [
    [2, "GAR", 0.8],
    [2, "MAE", 0.6],
    [5, "GAR", 0.8],
    [5, "MAE", 0.6],
  ]);
  assert.ok(Math.abs(rows[0].rho! - 0.75) < 1e-12);
});

Deno.test("Fig. 7: one panel per metric with its own scale; ids unique across panels", () => {
  const svg = renderSvg(alphaFigure(alphaSummary(), "concrete"));
  const ids = [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, "no id repeats across stacked panels");
  assert.match(svg, /test MAE ↓/);
  assert.match(svg, /test Pearson ↑/);
});

Deno.test("Fig. 12: panels per dataset with the truth's mean and std", () => {
  const f = predStatsFigure(table6Summary());
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

Deno.test("Table 2: paper ratios, the 10% claim fails above 1.10, the chart is the second part", () => {
  const rows = runtimeRows();
  const [within, costlier] = runtimeClaims(rows);
  assert.equal(within.verdict, "fails");
  assert.match(within.evidence, /concrete 1\.15×/);
  assert.equal(costlier.verdict, "holds");
  const t = runtimeTable(rows, { MAE: { concrete: { allTime: { mean: 0.1 }, lossTime: { mean: 0 } } } });
  assert.equal(t.rows[0].paperAllRatio, 1);
  assert.equal(t.rows[0].paperLossRatio, null, "no ratio to a zero loss time");
  const part = table2Parts(rows)[1];
  assert.equal(part.kind, "figure");
  assert.equal(part.name, "table2-runtime");
});

Deno.test("experimentParts + writeParts: the files of every experiment", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const names = async (summary: ReturnType<typeof sineSummary>) =>
      (await writeParts(dir, experimentParts(summary, summary.experiment))).map((p) => p.path);
    assert.deepEqual(await names(sineSummary()), ["tables/synthetic.csv", "figures/fig1-sine.svg"]);
    assert.deepEqual(await names(alphaSummary()), ["tables/alpha.csv", "figures/fig7-alpha-concrete.svg"]);
    assert.deepEqual(await names(fig6Summary()), ["tables/fig6.csv", "figures/fig6-depth.svg"]);
    assert.deepEqual(await names({ experiment: "other", rows: [], comparisons: [] }), ["tables/other.csv"]);
    for (const f of ["tables/alpha.md", "figures/fig7-alpha-concrete.png"]) {
      assert.ok((await Deno.stat(`${dir}/${f}`)).size > 0, f);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
