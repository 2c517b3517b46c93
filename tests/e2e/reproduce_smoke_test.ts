import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { PROJECT_NOTEBOOKS } from "../../lib/paper/notebooks.ts";
import { detectJupyter } from "../../lib/process/jupyter.ts";
import { findChromium, openInChromium } from "../../lib/process/chromium.ts";

const TASK = fileURLToPath(new URL("../../tasks/reproduce.ts", import.meta.url));

async function reproduce(results: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", TASK, "--results", results, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return { stdout, stderr };
}

Deno.test({
  name:
    "e2e: reproduce --profile smoke (every artifact, notebooks when Jupyter is there), then again: nothing computed",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const results = await Deno.makeTempDir();
    try {
      const first = await reproduce(results, "--profile", "smoke", "--jobs", "2");
      const m = /computed (\d+), cached (\d+)/.exec(first.stdout);
      assert.ok(m, first.stdout);
      const total = Number(m[1]) + Number(m[2]);
      assert.match(first.stderr, /ETA/);
      const second = await reproduce(results, "--profile", "smoke", "--jobs", "2", "--no-notebooks");
      assert.match(second.stdout, new RegExp(`computed 0, cached ${total}`));
      const table = JSON.parse(await Deno.readTextFile(`${results}/tables/table1.json`));
      assert.equal(table.experiment, "table1");
      const report = await Deno.readTextFile(`${results}/report.md`);
      assert.match(report, /Table 1: tabular benchmarks/);
      // datasets that are not available are listed as such, never as numbers
      assert.match(report, /superconductivity: not present/);
      assert.doesNotMatch(
        JSON.stringify(table.rows.map((r: { dataset: string }) => r.dataset)),
        /superconductivity/,
      );
      // the paper's numbers next to ours: Table 1 of the datasets present has a verdict, the others "not run"
      const claims = JSON.parse(await Deno.readTextFile(`${results}/claims.json`));
      const t1 = claims.claims.filter((c: { artifact: string }) => c.artifact === "table1");
      assert.ok(
        t1.some((c: { dataset: string; verdict: string }) =>
          c.dataset === "concrete" && c.verdict !== "not run"
        ),
      );
      assert.ok(
        t1.filter((c: { dataset: string }) => c.dataset === "superconductivity").every((
          c: { verdict: string },
        ) => c.verdict === "not run"),
      );
      // the qualitative claims: Tables 1 and 7 (two each), 5, the synthetic figures, Table 2 (runtime)
      assert.deepEqual(
        claims.qualitative.map((q: { artifact: string }) => q.artifact),
        ["table1", "table1", "table7", "table7", "table5", "synthetic", "fig6", "table2", "table2"],
      );
      assert.ok(claims.qualitative.every((q: { verdict: string }) => q.verdict !== "not run"));
      const html = await Deno.readTextFile(`${results}/report.html`);
      assert.match(html, /<svg/);
      // every table and figure of the issue: Tables 1, 2, 5, 6, 7, Fig. 1–3, 6, 7–10 (the datasets here), 12
      const tables = [
        "headline",
        "table1",
        "table1-gains",
        "table2",
        "loss-scaling",
        "table5",
        "table5-ranks",
        "table6",
        "table7",
        "alpha",
        "synthetic",
        "fig6",
      ];
      const figures = [
        "table1-pearson",
        "table2-runtime",
        "loss-scaling",
        "fig1-sine",
        "fig2-squared-sine",
        "fig3-mse",
        "fig6-depth",
        "fig7-alpha-concrete",
        "fig8-alpha-wine",
        "fig9-alpha-parkinson-total",
        "fig10-alpha-parkinson-motor",
        "fig12-pred-stats",
        "theorem1-residuals",
        "theorem4-epsilon",
      ];
      const files = [
        ...tables.flatMap((t) => [`tables/${t}.md`, `tables/${t}.csv`]),
        ...figures.flatMap((f) => [`figures/${f}.svg`, `figures/${f}.png`]),
        "claims.json",
        "report.md",
        "report.html",
        "provenance.json",
        "bench/runtime.json",
      ];
      for (const f of files) assert.ok((await Deno.stat(`${results}/${f}`)).size > 0, f);
      // the real report opens in headless Chromium without console messages (CI installs chromium)
      if (findChromium() !== null) {
        const shot = await openInChromium(`${results}/report.html`, { windowSize: [1280, 2400] });
        assert.equal(shot.code, 0, shot.stderrTail);
        assert.deepEqual(shot.consoleMessages, []);
        assert.ok(shot.screenshot.length > 1000);
      }
      const provenance = JSON.parse(await Deno.readTextFile(`${results}/provenance.json`));
      for (const k of ["deno", "tfjs", "backend", "adapter", "git", "profile", "dataHashes", "wallSeconds"]) {
        assert.ok(k in provenance, k);
      }
      // with Jupyter installed (CI), every notebook was executed headless, every code cell has outputs
      if ((await detectJupyter()).available) {
        for (const spec of PROJECT_NOTEBOOKS) {
          const nb = JSON.parse(await Deno.readTextFile(`${results}/notebooks/${spec.name}.ipynb`));
          const cells = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
          assert.ok(cells.length > 0, spec.name);
          for (const c of cells) {
            assert.ok(c.outputs.length > 0, `${spec.name}: a code cell without outputs`);
            assert.ok(!c.outputs.some((o: { output_type: string }) => o.output_type === "error"), spec.name);
          }
        }
        assert.match(first.stderr, /8 notebook\(s\) executed/);
      }
      for (const row of table.rows) assert.equal(row.runs.found, row.runs.planned);
      // a run that diverges in 3 smoke epochs has no selectable point; most rows have numbers
      const withMae = table.rows.filter((r: { cells: { mae?: { mean: number } } }) =>
        typeof r.cells.mae?.mean === "number"
      );
      assert.ok(withMae.length >= table.rows.length / 2, `${withMae.length} of ${table.rows.length} rows`);
    } finally {
      await Deno.remove(results, { recursive: true });
    }
  },
});
