/**
 * How results look: tables as Markdown, CSV and HTML (`table.ts`), figures as Observable Plot options
 * rendered headless to SVG and PNG (`figure.ts`), named tables and figures written into a results
 * folder (`parts.ts`), the reproduction's Markdown / HTML report document with its claims tables
 * (`report.ts`, `claims_tables.ts`), the one escaping module (XML / HTML, Markdown, CSV, SVG ids;
 * `escape.ts`) and showing a MIME bundle in a Deno Jupyter notebook (`display.ts`). What is shown —
 * the paper's artifacts and claims — is `lib/paper`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toMarkdown } from "./mod.ts";
 * const md = toMarkdown({ columns: [{ key: "method" }, { key: "MAE" }], rows: [{ method: "GAR", MAE: { mean: 4.6, std: 0.07 } }] });
 * assert.ok(md.includes("| GAR | 4.600 (0.070) |"));
 * ```
 *
 * @module
 */
export * from "./escape.ts";
export * from "./table.ts";
export * from "./figure.ts";
export * from "./parts.ts";
export * from "./claims_tables.ts";
export * from "./report.ts";
export * from "./display.ts";
