/**
 * Named tables and figures ("parts"), and writing them into a results folder: `tables/<name>.md|csv`
 * and `figures/<name>.svg|png`, each with a MIME bundle to show in a notebook. The artifacts of
 * `lib/paper` are lists of parts; `deno task reproduce` and the notebooks write them with
 * {@linkcode writeParts}, so both write the same files from the same code.
 *
 * @module
 */
import { type FigureOptions, type PngOptions, writeFigure } from "./figure.ts";
import { type ResultTable, toHtml, writeTable } from "./table.ts";

/** One table or figure of an artifact. */
export type ArtifactPart =
  | { kind: "table"; name: string; title: string; table: ResultTable }
  | { kind: "figure"; name: string; title: string; figure: FigureOptions };

/** A written part: where it went, and what to show. */
export interface WrittenPart {
  /** File stem. */
  name: string;
  /** Title. */
  title: string;
  /** `"table"` or `"figure"`. */
  kind: "table" | "figure";
  /** Path relative to the results folder (`tables/<name>.csv` or `figures/<name>.svg`). */
  path: string;
  /** The table (tables only). */
  table?: ResultTable;
  /** The SVG (figures only). */
  svg?: string;
  /** A MIME bundle to display in a notebook. */
  bundle: Record<string, string>;
}

/**
 * A table part.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tablePart } from "./parts.ts";
 * assert.equal(tablePart("t", "T", { columns: [], rows: [] }).kind, "table");
 * ```
 */
export function tablePart(name: string, title: string, table: ResultTable): ArtifactPart {
  return { kind: "table", name, title, table };
}

/**
 * A figure part.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figurePart } from "./parts.ts";
 * assert.equal(figurePart("f", "F", { marks: [] }).kind, "figure");
 * ```
 */
export function figurePart(name: string, title: string, figure: FigureOptions): ArtifactPart {
  return { kind: "figure", name, title, figure };
}

/**
 * Writes parts into a results folder (`tables/<name>.md|csv`, `figures/<name>.svg|png`) and returns
 * what was written, with a MIME bundle per part for `display` in a notebook.
 *
 * @param resultsDir the results folder
 * @param parts the tables and figures
 * @param png how the figures' PNGs are drawn (e.g. `onWarning`)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tablePart, writeParts } from "./parts.ts";
 * const dir = await Deno.makeTempDir();
 * const [t] = await writeParts(dir, [tablePart("t", "T", { columns: [{ key: "a" }], rows: [{ a: 1 }] })]);
 * assert.equal(t.path, "tables/t.csv");
 * assert.match(t.bundle["text/html"], /<table/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeParts(
  resultsDir: string,
  parts: readonly ArtifactPart[],
  png: PngOptions = {},
): Promise<WrittenPart[]> {
  const out: WrittenPart[] = [];
  for (const p of parts) {
    if (p.kind === "table") {
      await writeTable(`${resultsDir}/tables`, p.name, p.table);
      out.push({
        name: p.name,
        title: p.title,
        kind: "table",
        path: `tables/${p.name}.csv`,
        table: p.table,
        bundle: { "text/html": toHtml(p.table) },
      });
    } else {
      const written = await writeFigure(`${resultsDir}/figures`, p.name, p.figure, png);
      out.push({
        name: p.name,
        title: p.title,
        kind: "figure",
        path: `figures/${p.name}.svg`,
        svg: written.svg,
        bundle: { "image/svg+xml": written.svg },
      });
    }
  }
  return out;
}
