/**
 * Result tables rendered as Markdown, CSV and HTML, and written to `results/tables/`.
 *
 * A {@linkcode ResultTable} is a list of columns and rows. A cell is a number, a string, null
 * (shown as `—`, empty in CSV) or a `{ mean, std }` pair, shown as the paper does: `4.603 (0.075)`.
 * In CSV a `{ mean, std }` column becomes two columns, `<key>_mean` and `<key>_std`, so the file stays
 * machine-readable. Numbers are printed with a fixed number of decimals per column (default 3) in
 * Markdown and HTML, and with full precision in CSV.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { escapeCsvField, escapeHtml, escapeMarkdownCell } from "./escape.ts";

/** A mean and standard deviation (e.g. over 5 folds). */
export interface MeanStd {
  /** The mean. */
  mean: number;
  /** The standard deviation. */
  std: number;
}

/** One cell of a {@linkcode ResultTable}. */
export type Cell = number | string | null | MeanStd;

/** One column of a {@linkcode ResultTable}. */
export interface Column {
  /** The row field shown in this column. */
  key: string;
  /** The header (default: the key). */
  label?: string;
  /** Decimals for numbers and `{ mean, std }` cells in Markdown/HTML (default 3). */
  digits?: number;
  /** Alignment (default: right for numeric cells, left otherwise). */
  align?: "left" | "right";
}

/** A table of results. */
export interface ResultTable {
  /** Columns, in order. */
  columns: Column[];
  /** Rows: each maps column keys to cells (a missing key is null). */
  rows: Record<string, Cell>[];
  /** Optional title (an HTML `<caption>`; a Markdown line above the table). */
  title?: string;
  /** Optional note printed under the table. */
  note?: string;
}

function isMeanStd(cell: Cell): cell is MeanStd {
  return typeof cell === "object" && cell !== null;
}

function formatNumber(x: number, digits: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 10 ** -digits || abs >= 1e7)) return x.toExponential(Math.max(digits - 1, 1));
  return x.toFixed(digits);
}

/**
 * Formats one cell for display: numbers with `digits` decimals, `{ mean, std }` as `mean (std)`,
 * null as `—`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCell } from "./table.ts";
 * assert.equal(formatCell({ mean: 4.6031, std: 0.0749 }), "4.603 (0.075)");
 * assert.equal(formatCell(null), "—");
 * ```
 */
export function formatCell(cell: Cell | undefined, digits = 3): string {
  if (cell === null || cell === undefined) return "—";
  if (typeof cell === "number") return formatNumber(cell, digits);
  if (typeof cell === "string") return cell;
  return `${formatNumber(cell.mean, digits)} (${formatNumber(cell.std, digits)})`;
}

function numericColumn(table: ResultTable, key: string): boolean {
  const cells = table.rows.map((r) => r[key]).filter((c) => c !== null && c !== undefined);
  return cells.length > 0 && cells.every((c) => typeof c === "number" || isMeanStd(c as Cell));
}

function checkTable(table: ResultTable): void {
  const keys = new Set<string>();
  for (const c of table.columns) {
    if (keys.has(c.key)) throw new Error(`ResultTable: duplicate column key "${c.key}"`);
    keys.add(c.key);
  }
}

/**
 * Renders a table as GitHub-flavoured Markdown (title as a bold line above, note in italics below).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toMarkdown } from "./table.ts";
 * const md = toMarkdown({ columns: [{ key: "m" }, { key: "v", digits: 2 }], rows: [{ m: "GAR", v: 1.234 }] });
 * assert.equal(md, "| m | v |\n| :-- | --: |\n| GAR | 1.23 |\n");
 * ```
 */
export function toMarkdown(table: ResultTable): string {
  checkTable(table);
  const lines: string[] = [];
  if (table.title) lines.push(`**${escapeMarkdownCell(table.title)}**`, "");
  lines.push(`| ${table.columns.map((c) => escapeMarkdownCell(c.label ?? c.key)).join(" | ")} |`);
  lines.push(
    `| ${
      table.columns.map((
        c,
      ) => ((c.align ?? (numericColumn(table, c.key) ? "right" : "left")) === "right" ? "--:" : ":--"))
        .join(" | ")
    } |`,
  );
  for (const row of table.rows) {
    lines.push(
      `| ${
        table.columns.map((c) => escapeMarkdownCell(formatCell(row[c.key], c.digits ?? 3))).join(" | ")
      } |`,
    );
  }
  if (table.note) lines.push("", `_${escapeMarkdownCell(table.note)}_`);
  return lines.join("\n") + "\n";
}

function csvNumber(x: number): string {
  return Number.isNaN(x) ? "NaN" : Number.isFinite(x) ? String(x) : x > 0 ? "Infinity" : "-Infinity";
}

/**
 * Renders a table as CSV (RFC 4180: comma-separated, CRLF-free `\n` line ends, quoted fields when
 * needed). A column holding `{ mean, std }` cells becomes `<key>_mean,<key>_std`. Numbers keep full
 * precision; null is an empty field. The title and note are not part of the CSV.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toCsv } from "./table.ts";
 * const csv = toCsv({ columns: [{ key: "method" }, { key: "MAE" }], rows: [{ method: "GAR", MAE: { mean: 4.6, std: 0.07 } }] });
 * assert.equal(csv, "method,MAE_mean,MAE_std\nGAR,4.6,0.07\n");
 * ```
 */
export function toCsv(table: ResultTable): string {
  checkTable(table);
  const split = table.columns.map((c) => table.rows.some((r) => isMeanStd(r[c.key] ?? null)));
  const header = table.columns.flatMap((c, k) => (split[k] ? [`${c.key}_mean`, `${c.key}_std`] : [c.key]));
  const lines = [header.map(escapeCsvField).join(",")];
  for (const row of table.rows) {
    const fields = table.columns.flatMap((c, k) => {
      const cell = row[c.key] ?? null;
      if (split[k]) {
        if (isMeanStd(cell)) return [csvNumber(cell.mean), csvNumber(cell.std)];
        return [cell === null ? "" : typeof cell === "number" ? csvNumber(cell) : escapeCsvField(cell), ""];
      }
      if (cell === null) return [""];
      if (typeof cell === "number") return [csvNumber(cell)];
      return [escapeCsvField(cell as string)];
    });
    lines.push(fields.join(","));
  }
  return lines.join("\n") + "\n";
}

/** Options of {@linkcode toHtml}. */
export interface HtmlTableOptions {
  /** CSS class of the `<table>` (default `"result-table"`). */
  className?: string;
  /** Per-cell extra CSS class (e.g. to colour verdicts): return undefined for none. */
  cellClass?: (row: Record<string, Cell>, key: string) => string | undefined;
}

/**
 * Renders a table as an HTML `<table>` fragment (no styles; the report adds them). Every text is
 * escaped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toHtml } from "./table.ts";
 * const html = toHtml({ title: "T", columns: [{ key: "m" }], rows: [{ m: "<GAR>" }] });
 * assert.ok(html.includes("<caption>T</caption>") && html.includes("&lt;GAR&gt;"));
 * ```
 */
export function toHtml(table: ResultTable, options: HtmlTableOptions = {}): string {
  checkTable(table);
  const align = table.columns.map((c) => c.align ?? (numericColumn(table, c.key) ? "right" : "left"));
  const out: string[] = [`<table class="${escapeHtml(options.className ?? "result-table")}">`];
  if (table.title) out.push(`<caption>${escapeHtml(table.title)}</caption>`);
  out.push(
    `<thead><tr>${
      table.columns.map((c, k) => `<th style="text-align:${align[k]}">${escapeHtml(c.label ?? c.key)}</th>`)
        .join("")
    }</tr></thead>`,
  );
  out.push("<tbody>");
  for (const row of table.rows) {
    const cells = table.columns.map((c, k) => {
      const extra = options.cellClass?.(row, c.key);
      const cls = extra ? ` class="${escapeHtml(extra)}"` : "";
      return `<td${cls} style="text-align:${align[k]}">${
        escapeHtml(formatCell(row[c.key], c.digits ?? 3))
      }</td>`;
    });
    out.push(`<tr>${cells.join("")}</tr>`);
  }
  out.push("</tbody>");
  if (table.note) {
    out.push(`<tfoot><tr><td colspan="${table.columns.length}">${escapeHtml(table.note)}</td></tr></tfoot>`);
  }
  out.push("</table>");
  return out.join("\n");
}

/** What {@linkcode writeTable} wrote. */
export interface WrittenTable {
  /** The file stem. */
  name: string;
  /** Path of the Markdown file. */
  markdownPath: string;
  /** Path of the CSV file. */
  csvPath: string;
}

/**
 * Writes `dir/name.md` and `dir/name.csv` atomically (creates `dir`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeTable } from "./table.ts";
 * const dir = await Deno.makeTempDir();
 * const out = await writeTable(dir, "t", { columns: [{ key: "a" }], rows: [{ a: 1 }] });
 * assert.equal(await Deno.readTextFile(out.csvPath), "a\n1\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeTable(dir: string, name: string, table: ResultTable): Promise<WrittenTable> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`writeTable: bad table name "${name}"`);
  const markdownPath = join(dir, `${name}.md`);
  const csvPath = join(dir, `${name}.csv`);
  await writeFileAtomic(markdownPath, toMarkdown(table));
  await writeFileAtomic(csvPath, toCsv(table));
  return { name, markdownPath, csvPath };
}
