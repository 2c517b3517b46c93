import assert from "node:assert/strict";
import { loadPaperTables, paperNumbers, validatePaperTables } from "../../lib/paper/paper_tables.ts";

Deno.test("paper tables: the project copy loads, validates, and flattens", async () => {
  const tables = await loadPaperTables();
  assert.deepEqual(tables.table1.concrete.MAE.GAR, { mean: 4.603, std: 0.075 });
  assert.deepEqual(tables.table1.concrete.MAE.gainsPct, { vsMAE: 7.48, vsBestCompetitor: 2.02 });
  const all = paperNumbers(tables);
  const t1 = all.filter((n) => n.artifact === "table1");
  // 6 tabular tasks × 4 metrics × 9 methods; AgeDB × 5 metrics: from scratch 8 methods, linear probe 6
  assert.equal(t1.length, 6 * 4 * 9 + 5 * 8 + 5 * 6);
  assert.ok(!all.some((n) => n.method === "gainsPct" || n.method === "pValues"));
  const t2 = paperNumbers(tables, ["table2"]);
  assert.deepEqual(
    t2.find((n) => n.method === "GAR" && n.dataset === "concrete" && n.metric === "allTime")?.paper,
    {
      mean: 0.086,
      std: 0.012,
    },
  );
  const t6 = paperNumbers(tables, ["table6"]);
  assert.equal(t6.length, 5 * 3 * 4);
  assert.ok(t6.every((n) => n.method === "GAR" && /^batch=\d+$/.test(n.setting ?? "")));
  assert.equal(paperNumbers(tables, ["table5"]).length, 6 * 4 * 7);
});

Deno.test("paper tables: a malformed file is refused with the offending path", () => {
  assert.throws(() => validatePaperTables([]), /\$: expected an object/);
  const bad = {
    source: "x",
    table1: { concrete: { MAE: { GAR: { mean: "4.6", std: 0.1 } } } },
    table7_standardized: {},
    table6_batch_size: {},
    table2_seconds_per_epoch: {},
    table5_ablation: { variants: [], overallRank: {}, results: {} },
  };
  assert.throws(() => validatePaperTables(bad), /table1\.concrete\.MAE\.GAR: expected \{ mean, std \}/);
});
