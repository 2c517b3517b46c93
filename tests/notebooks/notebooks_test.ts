import assert from "node:assert/strict";
import {
  detectJupyter,
  executeNotebooks,
  inspectExecutedNotebook,
  installKernelspec,
  JUPYTER_INSTALL_HINT,
  jupyterEnv,
  NotebookError,
} from "../../lib/process/jupyter.ts";
import { PROJECT_NOTEBOOKS } from "../../lib/paper/notebooks.ts";
import { readPngSize } from "../../lib/render/figure.ts";

const jupyter = await detectJupyter();
if (!jupyter.available) console.warn(`notebooks_test: ${jupyter.message}: notebook execution tests ignored`);

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((src, k) => ({
      cell_type: "code",
      execution_count: null,
      id: `c${k}`,
      metadata: {},
      outputs: [],
      source: src,
    })),
    metadata: { kernelspec: { display_name: "Deno", language: "typescript", name: "deno" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

Deno.test("inspectExecutedNotebook: cells without outputs and error outputs", () => {
  const nb = {
    cells: [
      { cell_type: "markdown", source: "x" },
      { cell_type: "code", outputs: [{ output_type: "execute_result" }] },
      { cell_type: "code", outputs: [] },
      { cell_type: "code", outputs: [{ output_type: "error", ename: "Error", evalue: "boom" }] },
    ],
  };
  assert.deepEqual(inspectExecutedNotebook(nb), {
    codeCells: 3,
    cellsWithoutOutput: [2],
    errors: ["cell 3: Error: boom"],
  });
  assert.throws(() => inspectExecutedNotebook({}), /not a notebook/);
});

Deno.test("installKernelspec: project-local kernel.json like `deno jupyter --install` writes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const kernelDir = await installKernelspec(dir);
    assert.equal(kernelDir, `${dir}/kernels/deno`);
    const spec = JSON.parse(await Deno.readTextFile(`${kernelDir}/kernel.json`));
    assert.deepEqual(spec, {
      argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
      display_name: "Deno",
      language: "typescript",
    });
    assert.deepEqual(jupyterEnv(dir), {
      JUPYTER_PATH: dir,
      JUPYTER_DATA_DIR: dir,
      JUPYTER_CONFIG_DIR: `${dir}/config`,
      JUPYTER_RUNTIME_DIR: `${dir}/runtime`,
    });
    await assert.rejects(() => installKernelspec(dir, { name: "../x" }), /bad kernel name/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without Jupyter: 'notebooks not executed' with the install command; throws only when required", async () => {
  const options = { jupyter: "/nonexistent/jupyter", resultsDir: "/nonexistent/results" };
  const run = await executeNotebooks(PROJECT_NOTEBOOKS, options);
  assert.equal(run.executed, false);
  assert.ok(run.message.startsWith("notebooks not executed") && run.message.includes(JUPYTER_INSTALL_HINT));
  assert.deepEqual(
    run.notebooks.map((n) => [n.name, n.status]),
    PROJECT_NOTEBOOKS.map((n) => [n.name, "not executed"]),
  );
  assert.equal(run.notebooks.length, 8);
  await assert.rejects(
    () => executeNotebooks(PROJECT_NOTEBOOKS, { ...options, required: true }),
    NotebookError,
  );
});

const heavy = { ignore: !jupyter.available, sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "01-theorems executes headless: every code cell has outputs, every expected file is written",
  ...heavy,
  fn: async () => {
    const results = await Deno.makeTempDir({ prefix: "gar-nb-" });
    try {
      // the other notebooks run in the end-to-end reproduce test (tests/e2e/), on its run cache
      const run = await executeNotebooks([PROJECT_NOTEBOOKS[0]], {
        resultsDir: results,
        env: { GAR_PROFILE: "smoke" },
      });
      assert.equal(run.executed, true, run.message);
      const [nb] = run.notebooks;
      assert.equal(nb.status, "executed");
      const executed = JSON.parse(await Deno.readTextFile(nb.outputPath!));
      assert.deepEqual(inspectExecutedNotebook(executed).cellsWithoutOutput, []);
      const svgOutputs = executed.cells.flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) =>
        (c.outputs ?? []).filter((o) => o.data?.["image/svg+xml"] !== undefined)
      );
      assert.equal(svgOutputs.length, 2, "both residual figures are shown inline");
      for (const rel of PROJECT_NOTEBOOKS[0].outputs) {
        assert.ok((await Deno.stat(`${results}/${rel}`)).size > 0, rel);
      }
      assert.ok(readPngSize(await Deno.readFile(`${results}/figures/theorem1-residuals.png`)).width > 0);
      const csv = await Deno.readTextFile(`${results}/tables/theorems.csv`);
      assert.match(csv, /^id,result,/);
      assert.equal((csv.match(/,pass,/g) ?? []).length, 5);
    } finally {
      await Deno.remove(results, { recursive: true });
    }
  },
});

Deno.test({
  name: "a notebook whose output went missing is re-run; a cell error fails without re-run",
  ...heavy,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "gar-nb-fixture-" });
    try {
      const results = `${dir}/results`;
      await Deno.mkdir(results);
      // Writes out.txt only on its second run (a counter file remembers the runs).
      await Deno.writeTextFile(
        `${dir}/flaky.ipynb`,
        notebook([
          [
            `const R = Deno.env.get("GAR_RESULTS_DIR")!;`,
            `let n = 0; try { n = Number(Deno.readTextFileSync(R + "/count")); } catch { /* first run */ }`,
            `Deno.writeTextFileSync(R + "/count", String(n + 1));`,
            `if (n >= 1) Deno.writeTextFileSync(R + "/out.txt", "ok");`,
            // display_data, not a final expression: the Deno kernel can drop the last cell's execute_result
            `await Deno.jupyter.display({ "text/plain": String(n) }, { raw: true });`,
          ].join("\n"),
        ]),
      );
      await Deno.writeTextFile(
        `${dir}/broken.ipynb`,
        notebook(["1 + 1;", 'throw new Error("boom-in-cell");']),
      );
      const flaky = await executeNotebooks(
        [{ name: "flaky", path: `${dir}/flaky.ipynb`, outputs: ["out.txt"] }],
        { resultsDir: results },
      );
      assert.equal(flaky.notebooks[0].status, "executed");
      // At least one re-run (the first run never writes out.txt); on a loaded machine the kernel can also drop
      // an attempt's outputs, which the runner retries too, so more than two attempts are possible.
      assert.ok(flaky.notebooks[0].attempts >= 2, `attempts: ${flaky.notebooks[0].attempts}`);
      assert.equal(await Deno.readTextFile(`${results}/out.txt`), "ok");
      // never written, retries 0: fails after one attempt, naming the missing file
      await Deno.remove(`${results}/count`);
      const never = await executeNotebooks(
        [{ name: "never", path: `${dir}/flaky.ipynb`, outputs: ["never.txt"] }],
        { resultsDir: results, retries: 0, throwOnFailure: false },
      );
      assert.equal(never.notebooks[0].status, "failed");
      assert.equal(never.notebooks[0].attempts, 1);
      assert.deepEqual(never.notebooks[0].missingOutputs, ["never.txt"]);
      // a cell error: NotebookError with the cell's message, after a single attempt
      await assert.rejects(
        () =>
          executeNotebooks([{ name: "broken", path: `${dir}/broken.ipynb`, outputs: [] }], {
            resultsDir: results,
          }),
        (e: unknown) =>
          e instanceof NotebookError && /boom-in-cell/.test(e.message) && e.run.notebooks[0].attempts === 1,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
