import assert from "node:assert/strict";
import type { ExperimentSummary, SummaryRow } from "../../lib/experiment/summary.ts";
import { experimentClaims } from "../../lib/paper/index.ts";
import { loadPaperTables, type PaperNumber, paperNumbers } from "../../lib/paper/paper_tables.ts";
import { reproductionClaims } from "../../lib/paper/reproduction.ts";
import { table1QualitativeClaims } from "../../lib/paper/table1.ts";
import { runtimeRows, table1Summary } from "./_fixtures.ts";

const cell = (mean: number, std = 0.01) => ({ mean, std, n: 5, values: [] });
const row = (
  dataset: string,
  method: string,
  cells: SummaryRow["cells"],
  variant: number | null = null,
): SummaryRow => ({
  dataset,
  method,
  variant,
  runs: { planned: 5, found: 5 },
  cells,
});
const report = (experiment: string, rows: SummaryRow[]): ExperimentSummary => ({
  experiment,
  rows,
  comparisons: [],
});

Deno.test("experimentClaims: Table 5 names, Table 6 batch settings and dataset notes map onto the kit's rows", () => {
  const paper: PaperNumber[] = [
    {
      artifact: "table5",
      dataset: "concrete",
      method: "MAE+Var",
      metric: "MAE",
      paper: { mean: 4.917, std: 0.092 },
    },
    {
      artifact: "table6",
      dataset: "concrete",
      method: "GAR",
      metric: "Pearson",
      setting: "batch=32",
      paper: { mean: 0.942, std: 0.005 },
    },
    { artifact: "table1", dataset: "wine", method: "GAR", metric: "RMSE", paper: { mean: 0.69, std: 0.004 } },
    { artifact: "table2", dataset: "wine", method: "GAR", metric: "allTime", paper: { mean: 1, std: 0 } },
  ];
  const reports = [
    report("table5", [row("concrete", "GAR[MAE+Var]", { mae: cell(4.9) })]),
    report("table6", [row("concrete", "GAR", { pearson: cell(0.80) }, 32), row("concrete", "GAR", {}, 256)]),
  ];
  const claims = experimentClaims(paper, reports);
  assert.equal(claims.length, 3, "Table 2 (runtime) is not an experiment table");
  assert.equal(claims[0].verdict, "agrees");
  assert.deepEqual(claims[0].ours, { mean: 4.9, std: 0.01 });
  assert.equal(claims[1].verdict, "differs");
  assert.equal(claims[2].verdict, "not run");
  assert.match(claims[2].note ?? "", /red \+ white/);
});

Deno.test("table1QualitativeClaims: fails with the evidence named; not run without Table 1", () => {
  const reports = [report("table1", [
    row("concrete", "MAE", { mae: cell(5.0), pearson: cell(0.90) }),
    row("concrete", "MSE", { mae: cell(5.1), pearson: cell(0.93) }),
    row("concrete", "GAR", { mae: cell(5.2), pearson: cell(0.92) }),
  ])];
  const [best, vsMae] = table1QualitativeClaims(reports);
  assert.equal(best.verdict, "fails");
  assert.match(best.evidence, /concrete \(best: MSE\)/);
  assert.equal(vsMae.verdict, "fails");
  assert.match(vsMae.evidence, /concrete mae/);
  assert.deepEqual(table1QualitativeClaims([]).map((q) => q.verdict), ["not run", "not run"]);
});

Deno.test("reproductionClaims: Tables 1, 5, 6, 7 in the paper's order; the qualitative claims in claims.json's order", async () => {
  const tables = await loadPaperTables();
  const doc = reproductionClaims(tables, [table1Summary()], runtimeRows());
  const artifacts = [...new Set(doc.claims.map((c) => c.artifact))];
  assert.deepEqual(artifacts, ["table1", "table5", "table6", "table7"]);
  assert.equal(
    doc.claims.length,
    paperNumbers(tables).filter((n) => artifacts.includes(n.artifact)).length,
  );
  const ran = doc.claims.filter((c) => c.verdict !== "not run");
  const rows = new Set(table1Summary().rows.map((r) => `${r.dataset} ${r.method}`));
  assert.ok(ran.length > 0, "the fixture's numbers have verdicts");
  for (const c of ran) {
    assert.ok(c.artifact === "table1" && rows.has(`${c.dataset} ${c.method}`), JSON.stringify(c));
    assert.ok(c.metric === "MAE" || c.metric === "Pearson", c.metric);
  }
  assert.deepEqual(
    doc.qualitative.map((q) => q.artifact),
    ["table1", "table1", "table7", "table7", "table5", "synthetic", "fig6", "table2", "table2"],
  );
  assert.deepEqual(doc.summary.qualitative, { holds: 3, fails: 1, "not run": 5 });
});
