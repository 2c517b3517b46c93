/**
 * Which datasets are present, as a table: the unavailable ones say "data not present" and how to
 * obtain them (from the registry), never a number.
 *
 * @module
 */
import type { DatasetStatus } from "../data/fetch_dataset.ts";
import type { ResultTable } from "../render/table.ts";

/**
 * The datasets' availability, with how to obtain the missing ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dataTable } from "./data_table.ts";
 * const t = dataTable([{ id: "ic50", available: false, files: [], howToObtain: "Download … into data/cache/ic50/." }]);
 * assert.equal(t.rows[0].status, "data not present");
 * ```
 */
export function dataTable(statuses: readonly DatasetStatus[]): ResultTable {
  return {
    title: "Datasets",
    columns: [{ key: "dataset" }, { key: "status" }, { key: "how", label: "how to obtain" }],
    rows: statuses.map((d) => ({
      dataset: d.id,
      status: d.available ? "present" : "data not present",
      how: d.available ? "" : d.howToObtain,
    })),
  };
}
