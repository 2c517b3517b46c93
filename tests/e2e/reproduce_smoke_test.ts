import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { detectJupyter } from "../../lib/report/notebooks.ts";

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
  name: "e2e: reproduce --profile smoke --only table1 twice; the second run computes nothing",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const results = await Deno.makeTempDir();
    try {
      const first = await reproduce(results, "--profile", "smoke", "--only", "table1", "--jobs", "2");
      const m = /computed (\d+), cached (\d+)/.exec(first.stdout);
      assert.ok(m, first.stdout);
      const total = Number(m[1]) + Number(m[2]);
      assert.match(first.stderr, /ETA/);
      const second = await reproduce(results, "--profile", "smoke", "--only", "table1", "--jobs", "2");
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
      assert.equal(claims.qualitative.length, 2);
      const html = await Deno.readTextFile(`${results}/report.html`);
      assert.match(html, /<svg/);
      for (
        const f of [
          "figures/table1-pearson.svg",
          "figures/table1-pearson.png",
          "tables/table1.md",
          "tables/table1.csv",
        ]
      ) {
        assert.ok((await Deno.stat(`${results}/${f}`)).size > 0, f);
      }
      // with Jupyter installed (CI), the notebooks were executed headless and verified
      if ((await detectJupyter()).available) {
        assert.ok((await Deno.stat(`${results}/notebooks/01-theorems.ipynb`)).size > 0);
        assert.match(second.stderr, /notebooks/);
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
