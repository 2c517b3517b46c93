import assert from "node:assert/strict";
import {
  formatCell,
  type ResultTable,
  toCsv,
  toHtml,
  toMarkdown,
  writeTable,
} from "../../lib/render/table.ts";

const table: ResultTable = {
  title: "Table 1 | concrete",
  columns: [
    { key: "method" },
    { key: "MAE", digits: 3 },
    { key: "Pearson", digits: 2 },
    { key: "note", label: "note" },
  ],
  rows: [
    { method: "GAR", MAE: { mean: 4.6031, std: 0.0749 }, Pearson: 0.9312, note: 'quoted "x", comma' },
    { method: "MAE", MAE: { mean: 4.976, std: 0.071 }, Pearson: null, note: "a|b" },
  ],
  note: "mean (std) over 5 folds",
};

Deno.test("toMarkdown: header, alignment, mean (std), escaping, title and note", () => {
  assert.equal(
    toMarkdown(table),
    [
      "**Table 1 \\| concrete**",
      "",
      "| method | MAE | Pearson | note |",
      "| :-- | --: | --: | :-- |",
      '| GAR | 4.603 (0.075) | 0.93 | quoted "x", comma |',
      "| MAE | 4.976 (0.071) | — | a\\|b |",
      "",
      "_mean (std) over 5 folds_",
      "",
    ].join("\n"),
  );
});

Deno.test("toCsv: mean/std columns split, full precision, quoting, empty for null", () => {
  assert.equal(
    toCsv(table),
    [
      "method,MAE_mean,MAE_std,Pearson,note",
      'GAR,4.6031,0.0749,0.9312,"quoted ""x"", comma"',
      "MAE,4.976,0.071,,a|b",
      "",
    ].join("\n"),
  );
});

Deno.test("toHtml: escaped cells, caption, tfoot, per-cell class", () => {
  const html = toHtml(
    { ...table, rows: [...table.rows, { method: "<script>", MAE: 1, Pearson: 2, note: "" }] },
    { cellClass: (row, key) => (key === "method" && row.method === "GAR" ? "best" : undefined) },
  );
  assert.ok(html.includes("<caption>Table 1 | concrete</caption>"));
  assert.ok(html.includes("&lt;script&gt;") && !html.includes("<script>"));
  assert.ok(html.includes('<td class="best" style="text-align:left">GAR</td>'));
  assert.ok(html.includes("4.603 (0.075)"));
  assert.ok(html.includes('<tfoot><tr><td colspan="4">mean (std) over 5 folds</td></tr></tfoot>'));
});

Deno.test("formatCell: non-finite, tiny and huge numbers", () => {
  assert.equal(formatCell(NaN), "NaN");
  assert.equal(formatCell(-Infinity), "−∞");
  assert.equal(formatCell(1.5e-6, 3), "1.50e-6");
  assert.equal(formatCell(0, 3), "0.000");
  assert.equal(formatCell(123456789, 2), "1.2e+8");
  assert.equal(formatCell("text"), "text");
});

Deno.test("duplicate column keys are refused", () => {
  assert.throws(() => toMarkdown({ columns: [{ key: "a" }, { key: "a" }], rows: [] }), /duplicate/);
});

Deno.test("writeTable: writes .md and .csv", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await writeTable(`${dir}/tables`, "table1-concrete", table);
    assert.equal(await Deno.readTextFile(out.markdownPath), toMarkdown(table));
    assert.equal(await Deno.readTextFile(out.csvPath), toCsv(table));
    await assert.rejects(() => writeTable(dir, "a/b", table), /bad table name/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
