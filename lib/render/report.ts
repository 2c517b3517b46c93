/**
 * The reproduction report: `results/report.md` and a self-contained `results/report.html` (and, without the
 * claims, `deno task compare`'s report on a user's table, `lib/compare/`).
 *
 * {@linkcode renderReport} is a pure function of its input: sections with figures (SVG text) and
 * tables, the claims (the paper's numbers side by side with ours, with verdict colours), the
 * qualitative claims, the notebook status and the provenance. The HTML has inline CSS, the
 * figures inlined as SVG, no scripts and no external resources. The Markdown links the figures
 * by their relative paths (`figures/<name>.svg`) and inlines the tables.
 *
 * The claims are the records of `lib/paper/claims.ts`, shown with the tables of `claims_tables.ts`;
 * `lib/paper/reproduction.ts` assembles the sections of a reproduction.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { type ClaimEntry, type QualitativeClaim, summarizeClaims, TOLERANCE_RULE } from "../paper/claims.ts";
import { escapeHtml, escapeMarkdownText, prefixSvgIds } from "./escape.ts";
import { type ResultTable, toHtml, toMarkdown } from "./table.ts";
import { claimsTable, qualitativeTable, VERDICT_SYMBOL } from "./claims_tables.ts";

/** A figure of the report. */
export interface ReportFigure {
  /** File stem, also used to scope the SVG's ids in the HTML. */
  name: string;
  /** Title shown above the figure. */
  title: string;
  /** The SVG text (e.g. from `renderSvg`). */
  svg: string;
  /** Caption shown under the figure. */
  caption?: string;
  /** Path of the figure file relative to the report (e.g. `figures/fig1.svg`), for the Markdown. */
  path?: string;
}

/** A table of the report. */
export interface ReportTable {
  /** File stem. */
  name: string;
  /** Title shown above the table. */
  title: string;
  /** The table. */
  table: ResultTable;
  /** Path of the CSV relative to the report (e.g. `tables/table1.csv`), linked from both outputs. */
  path?: string;
}

/** A section of the report (one paper artifact or notebook). */
export interface ReportSection {
  /** Heading. */
  title: string;
  /** Paragraphs of plain text (no markup). */
  text?: string[];
  /** Figures. */
  figures?: ReportFigure[];
  /** Tables. */
  tables?: ReportTable[];
}

/** One executed (or not) notebook, for the report. */
export interface ReportNotebook {
  /** Notebook name, e.g. `01-theorems`. */
  name: string;
  /** `"executed"`, `"failed"` or `"not executed"`. */
  status: "executed" | "failed" | "not executed";
  /** Path of the executed notebook relative to the report, if any. */
  path?: string;
  /** Remark (error, retries). */
  message?: string;
}

/** Everything the report shows. */
export interface ReportInput {
  /** Report title. */
  title: string;
  /** Introductory paragraphs (plain text). */
  intro?: string[];
  /** Tables shown in the summary, under the verdict counts (e.g. what the run covered). */
  summaryTables?: ResultTable[];
  /** Sections, in order. */
  sections: ReportSection[];
  /**
   * Numeric claims (omitted, with `qualitative`: a report that checks none of the paper's numbers, e.g.
   * `deno task compare`'s, has neither the verdict summary nor the claims section).
   */
  claims?: ClaimEntry[];
  /** Qualitative claims. */
  qualitative?: QualitativeClaim[];
  /** Notebook status (omitted: no notebook section). */
  notebooks?: { executed: boolean; message: string; notebooks: ReportNotebook[] };
  /** Provenance (Deno, tfjs, backend, git commit, data hashes, profile, wall time …); values are shown as JSON when not strings. */
  provenance: Record<string, unknown>;
}

/** The rendered report. */
export interface RenderedReport {
  /** `report.md`. */
  markdown: string;
  /** `report.html`. */
  html: string;
}

function verdictClass(verdict: string): string {
  return `verdict-${verdict.replace(/\s+/g, "-")}`;
}

function provenanceValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function summaryLine(claims: readonly ClaimEntry[], qualitative: readonly QualitativeClaim[]): string {
  const s = summarizeClaims(claims, qualitative);
  return `Numbers: ${s.numeric.agrees} agree, ${s.numeric.differs} differ, ${s.numeric["not run"]} not run ` +
    `(of ${claims.length}). Qualitative claims: ${s.qualitative.holds} hold, ${s.qualitative.fails} fail, ` +
    `${s.qualitative["not run"]} not run (of ${qualitative.length}).`;
}

/** Whether the report checks the paper's claims (see {@linkcode ReportInput.claims}). */
function checksClaims(input: ReportInput): boolean {
  return input.claims !== undefined || input.qualitative !== undefined;
}

function renderMarkdown(input: ReportInput): string {
  const out: string[] = [`# ${escapeMarkdownText(input.title)}`, ""];
  const claims = input.claims ?? [];
  const qualitative = input.qualitative ?? [];
  for (const p of input.intro ?? []) out.push(escapeMarkdownText(p), "");
  if (checksClaims(input)) {
    out.push("## Summary", "", summaryLine(claims, qualitative), "");
    out.push(`Tolerance rule: ${escapeMarkdownText(TOLERANCE_RULE)}`, "");
  }
  for (const t of input.summaryTables ?? []) out.push(toMarkdown(t));
  for (const section of input.sections) {
    out.push(`## ${escapeMarkdownText(section.title)}`, "");
    for (const p of section.text ?? []) out.push(escapeMarkdownText(p), "");
    for (const f of section.figures ?? []) {
      out.push(`### ${escapeMarkdownText(f.title)}`, "");
      out.push(
        f.path ? `![${escapeMarkdownText(f.title)}](${f.path})` : "_(figure shown in report.html)_",
        "",
      );
      if (f.caption) out.push(`_${escapeMarkdownText(f.caption)}_`, "");
    }
    for (const t of section.tables ?? []) {
      out.push(`### ${escapeMarkdownText(t.title)}`, "", toMarkdown(t.table));
      if (t.path) out.push(`CSV: [${t.path}](${t.path})`, "");
    }
  }
  if (checksClaims(input)) {
    out.push("## Qualitative claims", "");
    if (qualitative.length === 0) out.push("_none_", "");
    else {
      out.push(toMarkdown(qualitativeTable(qualitative)));
    }
    out.push("## Claims: the paper's numbers and ours", "");
    out.push(claims.length === 0 ? "_none_\n" : toMarkdown(claimsTable(claims)));
  }
  if (input.notebooks) {
    out.push("## Notebooks", "", escapeMarkdownText(input.notebooks.message), "");
    if (input.notebooks.notebooks.length > 0) {
      out.push(toMarkdown({
        columns: [{ key: "name" }, { key: "status" }, { key: "path" }, { key: "message" }],
        rows: input.notebooks.notebooks.map((n) => ({
          name: n.name,
          status: n.status,
          path: n.path ?? "",
          message: n.message ?? "",
        })),
      }));
    }
  }
  out.push("## Provenance", "");
  out.push(toMarkdown({
    columns: [{ key: "key" }, { key: "value" }],
    rows: Object.entries(input.provenance).map(([key, value]) => ({ key, value: provenanceValue(value) })),
  }));
  return out.join("\n");
}

const CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1200px;
  padding: 0 1rem; color: #1b1b1b; background: #fff; line-height: 1.45; }
h1 { font-size: 1.8rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: .6rem 0 1.2rem; font-size: .85rem; }
th, td { border: 1px solid #d0d0d0; padding: .2rem .5rem; vertical-align: top; }
th { background: #f3f3f3; } caption { text-align: left; font-weight: 600; padding: .2rem 0; }
figure { margin: 1rem 0 1.6rem; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #444; font-style: italic; }
.summary { font-size: 1.05rem; }
.verdict-agrees, .verdict-holds { background: #d9f2dc; color: #0b5d1e; }
.verdict-differs, .verdict-fails { background: #fadbd8; color: #8b1a10; }
.verdict-not-run { background: #eeeeee; color: #555; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: .6rem; font-weight: 600; font-size: .8rem; }
.pair > div { overflow-x: auto; }
.claims-numeric td { white-space: nowrap; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; }
`;

function htmlParagraphs(paragraphs: readonly string[] | undefined): string {
  return (paragraphs ?? []).map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
}

function renderHtml(input: ReportInput): string {
  const claims = input.claims ?? [];
  const qualitative = input.qualitative ?? [];
  const s = summarizeClaims(claims, qualitative);
  const badge = (verdict: string, count?: number) =>
    `<span class="badge ${verdictClass(verdict)}">${escapeHtml(VERDICT_SYMBOL[verdict] ?? verdict)}${
      count === undefined ? "" : `: ${count}`
    }</span>`;
  const body: string[] = [`<h1>${escapeHtml(input.title)}</h1>`, htmlParagraphs(input.intro)];
  if (checksClaims(input)) {
    body.push(
      `<h2 id="summary">Summary</h2>`,
      `<p class="summary">${badge("agrees", s.numeric.agrees)} ${badge("differs", s.numeric.differs)} ${
        badge("not run", s.numeric["not run"])
      } of ${claims.length} numbers; qualitative claims: ${badge("holds", s.qualitative.holds)} ${
        badge("fails", s.qualitative.fails)
      } ${badge("not run", s.qualitative["not run"])}</p>`,
      `<p>Tolerance rule: ${escapeHtml(TOLERANCE_RULE)}</p>`,
    );
  }
  body.push(...(input.summaryTables ?? []).map((t) => toHtml(t)));
  input.sections.forEach((section, k) => {
    body.push(
      `<section id="section-${k + 1}"><h2>${escapeHtml(section.title)}</h2>`,
      htmlParagraphs(section.text),
    );
    for (const f of section.figures ?? []) {
      if (!/^\s*<svg[\s>]/.test(f.svg)) throw new Error(`renderReport: figure "${f.name}" is not SVG text`);
      body.push(
        `<figure id="figure-${escapeHtml(f.name)}"><h3>${escapeHtml(f.title)}</h3>`,
        prefixSvgIds(f.svg.trim(), `f-${f.name.replace(/[^A-Za-z0-9_-]/g, "_")}-`),
        f.caption ? `<figcaption>${escapeHtml(f.caption)}</figcaption>` : "",
        `</figure>`,
      );
    }
    for (const t of section.tables ?? []) {
      body.push(`<h3 id="table-${escapeHtml(t.name)}">${escapeHtml(t.title)}</h3>`, toHtml(t.table));
      if (t.path) body.push(`<p>CSV: <a href="${escapeHtml(t.path)}">${escapeHtml(t.path)}</a></p>`);
    }
    body.push(`</section>`);
  });

  const qualitativeRows = qualitative.map((q) =>
    `<tr><td>${escapeHtml(q.artifact)}</td><td>${escapeHtml(q.claim)}</td><td class="${
      verdictClass(q.verdict)
    }">${escapeHtml(VERDICT_SYMBOL[q.verdict] ?? q.verdict)}</td><td>${escapeHtml(q.evidence)}</td></tr>`
  );
  const qualitativeHtml = qualitative.length === 0 ? "<p><em>none</em></p>" : [
    `<table class="claims-qualitative"><thead><tr><th>artifact</th><th>claim</th><th>verdict</th><th>evidence</th></tr></thead><tbody>`,
    ...qualitativeRows,
    `</tbody></table>`,
  ].join("\n");
  const numericHtml = claims.length === 0 ? "<p><em>none</em></p>" : toHtml(claimsTable(claims), {
    className: "claims-numeric",
    cellClass: (row, key) => {
      if (key !== "verdict") return undefined;
      const c = String(row.verdict ?? "");
      return verdictClass(c.replace(/^[✓✗–]\s*/, ""));
    },
  });
  if (checksClaims(input)) {
    body.push(
      `<h2 id="claims">Claims: the paper's numbers and ours</h2>`,
      `<div class="pair"><div><h3>Qualitative claims</h3>${qualitativeHtml}</div>`,
      `<div><h3>Numbers</h3>${numericHtml}</div></div>`,
    );
  }

  if (input.notebooks) {
    body.push(`<h2 id="notebooks">Notebooks</h2>`, `<p>${escapeHtml(input.notebooks.message)}</p>`);
    if (input.notebooks.notebooks.length > 0) {
      body.push(
        `<table><thead><tr><th>notebook</th><th>status</th><th>message</th></tr></thead><tbody>`,
        ...input.notebooks.notebooks.map((n) => {
          const cls = n.status === "executed"
            ? "verdict-holds"
            : n.status === "failed"
            ? "verdict-fails"
            : "verdict-not-run";
          const name = n.path
            ? `<a href="${escapeHtml(n.path)}">${escapeHtml(n.name)}</a>`
            : escapeHtml(n.name);
          return `<tr><td>${name}</td><td class="${cls}">${escapeHtml(n.status)}</td><td>${
            escapeHtml(n.message ?? "")
          }</td></tr>`;
        }),
        `</tbody></table>`,
      );
    }
  }
  body.push(
    `<h2 id="provenance">Provenance</h2>`,
    `<table class="provenance"><tbody>`,
    ...Object.entries(input.provenance).map(([k, v]) =>
      `<tr><th style="text-align:left">${escapeHtml(k)}</th><td class="mono">${
        escapeHtml(provenanceValue(v))
      }</td></tr>`
    ),
    `</tbody></table>`,
  );
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${CSS}</style></head><body>`,
    ...body.filter((x) => x !== ""),
    "</body></html>",
    "",
  ].join("\n");
}

/**
 * Renders the report as Markdown and as self-contained HTML. Pure: the same input gives the same
 * output (pass times and versions in `provenance`; nothing is read from the clock or disk).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderReport } from "./report.ts";
 * const { markdown, html } = renderReport({ title: "GAR", sections: [], claims: [], qualitative: [], provenance: { deno: "2.9.6" } });
 * assert.ok(markdown.startsWith("# GAR") && html.startsWith("<!DOCTYPE html>"));
 * ```
 */
export function renderReport(input: ReportInput): RenderedReport {
  return { markdown: renderMarkdown(input), html: renderHtml(input) };
}

/**
 * Renders the report and writes `dir/report.md` and `dir/report.html` atomically.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeReport } from "./report.ts";
 * const dir = await Deno.makeTempDir();
 * const out = await writeReport(dir, { title: "GAR", sections: [], claims: [], qualitative: [], provenance: {} });
 * assert.ok((await Deno.readTextFile(out.htmlPath)).includes("<title>GAR</title>"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeReport(
  dir: string,
  input: ReportInput,
): Promise<{ markdownPath: string; htmlPath: string }> {
  const { markdown, html } = renderReport(input);
  const markdownPath = join(dir, "report.md");
  const htmlPath = join(dir, "report.html");
  await writeFileAtomic(markdownPath, markdown);
  await writeFileAtomic(htmlPath, html);
  return { markdownPath, htmlPath };
}
