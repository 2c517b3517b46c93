/**
 * Escaping, in one place: text into XML/SVG and HTML, into Markdown (a table cell or running text),
 * into a CSV field, and the ids of an SVG (renamed or prefixed together with every `#id` reference, so
 * that SVGs stacked into one figure or inlined into one page cannot collide).
 *
 * @module
 */

/**
 * Escapes text for XML (SVG) element content and double-quoted attribute values: `&`, `<`, `>`, `"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeXml } from "./escape.ts";
 * assert.equal(escapeXml(`GAR's <b> & "c"`), "GAR's &lt;b&gt; &amp; &quot;c&quot;");
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Escapes text for HTML element content and attribute values: {@linkcode escapeXml} and `'`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml } from "./escape.ts";
 * assert.equal(escapeHtml('<a href="x">&</a>'), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
 * assert.equal(escapeHtml("GAR's"), "GAR&#39;s");
 * ```
 */
export function escapeHtml(text: string): string {
  return escapeXml(text).replace(/'/g, "&#39;");
}

/**
 * Escapes text for one cell of a Markdown table: backslashes and `|` are escaped, line breaks become
 * spaces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeMarkdownCell } from "./escape.ts";
 * assert.equal(escapeMarkdownCell("a|b\nc"), "a\\|b c");
 * ```
 */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/**
 * Escapes running text for Markdown: every character that could start markup (`` \ ` * _ [ ] < > | ``)
 * gets a backslash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeMarkdownText } from "./escape.ts";
 * assert.equal(escapeMarkdownText("GAR <fixture> *x*"), "GAR \\<fixture\\> \\*x\\*");
 * ```
 */
export function escapeMarkdownText(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, "\\$1");
}

/**
 * Quotes a CSV field when it needs it (RFC 4180: a `"`, `,` or line break inside), doubling the quotes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeCsvField } from "./escape.ts";
 * assert.equal(escapeCsvField("GAR"), "GAR");
 * assert.equal(escapeCsvField('say "hi", all'), '"say ""hi"", all"');
 * ```
 */
export function escapeCsvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The ids of an SVG's elements (`id="…"`), each once, in the order they first appear.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { svgIds } from "./escape.ts";
 * assert.deepEqual(svgIds('<svg><clipPath id="c-1"/><g id="g"/><use href="#c-1"/></svg>'), ["c-1", "g"]);
 * ```
 */
export function svgIds(svg: string): string[] {
  return [...new Set([...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]))];
}

/**
 * Renames ids of an SVG, and every reference to them (`"id"`, `url(#id)`, `href="#id"`), one id after
 * the other.
 *
 * @param svg the SVG text
 * @param ids the ids to rename (e.g. from {@linkcode svgIds})
 * @param rename the new name of the k-th id of `ids`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renameSvgIds } from "./escape.ts";
 * const svg = '<clipPath id="clip-7"/><g clip-path="url(#clip-7)"/>';
 * assert.equal(renameSvgIds(svg, ["clip-7"], (_, k) => `clip-n${k + 1}`), '<clipPath id="clip-n1"/><g clip-path="url(#clip-n1)"/>');
 * ```
 */
export function renameSvgIds(
  svg: string,
  ids: readonly string[],
  rename: (id: string, k: number) => string,
): string {
  let out = svg;
  ids.forEach((id, k) => {
    const fresh = rename(id, k);
    out = out.split(`"${id}"`).join(`"${fresh}"`).split(`#${id})`).join(`#${fresh})`).split(`#${id}"`)
      .join(`#${fresh}"`);
  });
  return out;
}

/**
 * Prefixes every id of an SVG and every reference to it, so that several SVGs in one document cannot
 * collide.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prefixSvgIds } from "./escape.ts";
 * assert.equal(prefixSvgIds('<g id="a"/><use href="#a"/>', "p1-"), '<g id="p1-a"/><use href="#p1-a"/>');
 * ```
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  return renameSvgIds(svg, svgIds(svg), (id) => `${prefix}${id}`);
}
