import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { numericClaim, qualitativeClaim } from "../../lib/paper/claims.ts";
import { findChromium, openInChromium } from "../../lib/process/chromium.ts";
import { readPngSize, renderSvg } from "../../lib/render/figure.ts";
import { renderReport, type ReportInput, writeReport } from "../../lib/render/report.ts";

const clipped = (seed: number) =>
  renderSvg({
    width: 360,
    height: 200,
    marks: [Plot.line(Array.from({ length: 20 }, (_, k) => ({ x: k, y: Math.sin(k / 3 + seed) })), {
      x: "x",
      y: "y",
      clip: true,
    })],
  });

function fixture(): ReportInput {
  const paper = { mean: 4.603, std: 0.075 };
  const base = { artifact: "table1", dataset: "concrete", method: "GAR", metric: "MAE", paper };
  return {
    title: "GAR reproduction <fixture>",
    intro: ["Fixture report & test."],
    sections: [{
      title: "Theorems",
      text: ["Two figures with clip paths (same generated ids) and one table."],
      figures: [
        { name: "fig-a", title: "Figure A", svg: clipped(0), caption: "first", path: "figures/fig-a.svg" },
        { name: "fig-b", title: "Figure B", svg: clipped(1) },
      ],
      tables: [{
        name: "t",
        title: "A table",
        table: { columns: [{ key: "method" }, { key: "MAE" }], rows: [{ method: "GAR", MAE: paper }] },
        path: "tables/t.csv",
      }],
    }],
    claims: [
      numericClaim({ ...base, ours: { mean: 4.65, std: 0.08 } }),
      numericClaim({
        ...base,
        method: "MAE",
        paper: { mean: 4.976, std: 0.071 },
        ours: { mean: 6, std: 0.1 },
      }),
      numericClaim({ ...base, dataset: "ic50", note: "data not present" }),
    ],
    qualitative: [
      qualitativeClaim("table1", "GAR has the best MAE on concrete", true, "4.65 vs 6.00"),
      qualitativeClaim("table2", "GAR's time per epoch is within 10% of MAE's", false, "0.12 vs 0.08 s"),
    ],
    notebooks: {
      executed: false,
      message: "notebooks not executed: install with apt-get install -y jupyter-nbconvert python3-nbclient",
      notebooks: [{ name: "01-theorems", status: "not executed" }],
    },
    provenance: {
      deno: "2.9.6",
      tfjs: "4.22.0",
      backend: "cpu",
      dataHashes: { concrete: "abc" },
      wallSeconds: 12.5,
    },
  };
}

Deno.test("renderReport: pure, escaped, verdict colours, figures inlined with scoped ids", () => {
  const a = renderReport(fixture());
  const b = renderReport(fixture());
  assert.deepEqual(a, b);
  const { html, markdown } = a;
  assert.ok(html.startsWith("<!DOCTYPE html>"));
  assert.ok(html.includes("<title>GAR reproduction &lt;fixture&gt;</title>"));
  assert.ok(!/<script/i.test(html), "the report has no scripts");
  assert.ok(!/\b(src|href)="(https?:)?\/\//.test(html), "no external resources");
  assert.equal((html.match(/<svg /g) ?? []).length >= 2, true);
  const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, "ids are unique across inlined figures");
  assert.ok(html.includes('class="verdict-agrees"') && html.includes('class="verdict-differs"'));
  assert.ok(html.includes('class="verdict-not-run"') && html.includes('class="verdict-holds"'));
  assert.ok(html.includes("data not present"));
  assert.ok(html.includes('<th style="text-align:left">dataHashes</th>'));
  // Markdown: summary, figure link, table, claims side by side
  assert.ok(markdown.startsWith("# GAR reproduction \\<fixture\\>"));
  assert.ok(markdown.includes("Numbers: 1 agree, 1 differ, 1 not run (of 3)"));
  assert.ok(markdown.includes("![Figure A](figures/fig-a.svg)"));
  assert.ok(markdown.includes("| GAR | 4.603 (0.075) |"));
  assert.ok(markdown.includes("✗ differs") && markdown.includes("– not run"));
});

Deno.test("renderReport: a figure that is not SVG text is refused", () => {
  const input = fixture();
  input.sections[0].figures![0].svg = "<div>not svg</div>";
  assert.throws(() => renderReport(input), /not SVG text/);
});

const chromium = findChromium();

Deno.test({
  name: "report.html opens in headless Chromium without console messages; screenshot is a PNG",
  ignore: chromium === null,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "gar-report-" });
    try {
      const { htmlPath } = await writeReport(dir, fixture());
      const r = await openInChromium(htmlPath, { windowSize: [1280, 2000] });
      assert.equal(r.code, 0, r.stderrTail);
      assert.deepEqual(r.consoleMessages, []);
      assert.ok(r.screenshot.length > 1000, "screenshot is not empty");
      assert.deepEqual(readPngSize(r.screenshot), { width: 1280, height: 2000 });
      // the checker itself catches errors (negative control)
      const bad = `${dir}/bad.html`;
      await Deno.writeTextFile(
        bad,
        "<!DOCTYPE html><title>x</title><script>console.error('boom-xyz')</script>",
      );
      const rb = await openInChromium(bad);
      assert.ok(rb.consoleMessages.some((m) => m.includes("boom-xyz")), rb.stderrTail);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

if (chromium === null) {
  console.warn("report_test: /usr/bin/chromium absent: Chromium test ignored (apt-get install -y chromium)");
}
