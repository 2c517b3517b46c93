/**
 * Your own table, the paper's way (`deno task compare`, `notebooks/08-your-data.ipynb`): does GAR beat MAE and
 * the other losses on it, and by how much, with each method's hyper-parameters tuned by cross-validation as in
 * the paper (Appendix B.6)?
 *
 * - `compare_csv.ts`: {@linkcode compareCsv}, the comparison (prepare the CSV, run the protocol through the
 *   experiment runner and its run cache, the table in the target's units, GAR's gains and p-values);
 * - `grids.ts`: the grids (`quick`, the default, and `paper`) as profiles of the runner;
 * - `refit.ts`: GAR's and MAE's configurations selected most often for MAE retrained on the whole training part, for
 *   the predicted-vs-true scatter;
 * - `report.ts`: the tables, figures, `report.md` / `report.html` and `compare.json`.
 *
 * The protocol's machinery is `lib/experiment/` (a caller's experiment and in-memory table go through
 * `runExperiments` unchanged); a task's data as a user holds them is `deno task data export`
 * (`lib/data/export_split.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { COMPARE_GRIDS, compareProfile } from "./mod.ts";
 * assert.deepEqual([...COMPARE_GRIDS], ["quick", "paper"]);
 * assert.equal(compareProfile("paper").weightDecays.length, 3);
 * ```
 *
 * @module
 */
export * from "./compare_csv.ts";
export * from "./grids.ts";
export * from "./refit.ts";
export * from "./report.ts";
