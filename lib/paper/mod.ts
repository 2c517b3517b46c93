/**
 * The paper, reproduced: its published numbers (`paper_tables.ts`, from `data/paper-tables.json`),
 * the claims rule (`claims.ts`: agrees when |ours − paper| ≤ max(2·√(sd_paper² + sd_ours²), a
 * per-metric floor), capped at three times the paper's own band), and one module per artifact —
 * `theorems.ts`, `table1.ts`, `table2.ts`, `table5.ts`, `table6.ts` (with Fig. 12), `table7.ts`,
 * `synthetic.ts` (Fig. 1–3), `fig6.ts`, `alpha.ts` (Fig. 7–11) — each holding its tables, figures,
 * claims and qualitative claims, listed by the index (`index.ts`: artifact id → module, tables and
 * figures). `experiment.ts` is what the experiment artifacts share; `reproduction.ts` puts the
 * artifacts together for `deno task reproduce`; `notebooks.ts` lists the notebooks and reads their
 * parameters; `data_table.ts` is the report's table of datasets present.
 *
 * The artifacts read the fold aggregation of `lib/experiment/summary.ts` and the benchmarks of
 * `lib/bench`; they render with `lib/render`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ARTIFACTS, loadPaperTables, paperNumbers } from "./mod.ts";
 * assert.deepEqual(ARTIFACTS.table6.figures, ["fig12-pred-stats"]);
 * assert.equal(paperNumbers(await loadPaperTables(), ["table5"]).length, 6 * 4 * 7);
 * ```
 *
 * @module
 */
export * from "./claims.ts";
export * from "./paper_tables.ts";
export * from "./experiment.ts";
export * from "./index.ts";
export * from "./theorems.ts";
export * from "./table1.ts";
export * from "./table2.ts";
export * from "./table5.ts";
export * from "./table6.ts";
export * from "./table7.ts";
export * from "./synthetic.ts";
export * from "./fig6.ts";
export * from "./alpha.ts";
export * from "./data_table.ts";
export * from "./notebooks.ts";
export * from "./reproduction.ts";
