/**
 * Executing Deno-kernel notebooks headless with Jupyter's nbconvert.
 *
 * - {@linkcode installKernelspec} writes a Deno kernelspec into a project-local Jupyter folder
 *   (default `results/.jupyter/kernels/deno/kernel.json`), replicating what `deno jupyter --install`
 *   writes into the user's data dir (`argv: [<deno>, "jupyter", "--kernel", "--conn",
 *   "{connection_file}"]`, `display_name`, `language: "typescript"`), with `<deno>` the running
 *   Deno's {@linkcode Deno.execPath}. Nothing outside the project is touched.
 * - {@linkcode jupyterEnv} points Jupyter at that folder (`JUPYTER_PATH`, `JUPYTER_DATA_DIR`,
 *   `JUPYTER_CONFIG_DIR`, `JUPYTER_RUNTIME_DIR`), so the project's kernelspec wins over any global one.
 * - {@linkcode executeNotebooks} runs `jupyter nbconvert --to notebook --execute --output-dir …` for
 *   each notebook, checks that every code cell of the executed copy has outputs and that every
 *   expected output file was (re)written during the run, re-runs a notebook whose outputs went
 *   missing (up to `retries` times), and fails on a cell error (no re-run: it would fail again).
 *   Without Jupyter it reports "notebooks not executed" with the install command, and throws only
 *   when asked (`required: true`).
 *
 * Jupyter on Debian: `apt-get install -y jupyter-nbconvert python3-nbclient` ({@linkcode JUPYTER_INSTALL_HINT}).
 * The kernel starts in the notebook's folder; `GAR_RESULTS_DIR` is set to the absolute results folder.
 * The project's notebooks, the files each must write (`PROJECT_NOTEBOOKS`) and how they read their
 * parameters (`notebookParameters`) are in `lib/paper/notebooks.ts`.
 *
 * @module
 */
import { basename, join, resolve } from "node:path";
import { writeFileAtomic } from "../fs/write_file_atomic.ts";

/** How to install what {@linkcode executeNotebooks} needs on Debian/Ubuntu. */
export const JUPYTER_INSTALL_HINT = "apt-get install -y jupyter-nbconvert python3-nbclient";

/** A notebook to execute and the files it must produce. */
export interface NotebookSpec {
  /** Short name, e.g. `"01-theorems"`. */
  name: string;
  /** Path of the `.ipynb` file. */
  path: string;
  /** Files the notebook must write, relative to the results folder (e.g. `figures/theorem1-residuals.svg`). */
  outputs: string[];
}

/** Is Jupyter's nbconvert usable? */
export interface JupyterStatus {
  /** True when `jupyter nbconvert --version` ran. */
  available: boolean;
  /** nbconvert's version, or null. */
  version: string | null;
  /** One sentence for people. */
  message: string;
}

/**
 * Checks whether `jupyter nbconvert` can be run.
 *
 * @param jupyter the `jupyter` command (default `"jupyter"`, from PATH)
 *
 * @example
 * ```ts
 * import { detectJupyter } from "./jupyter.ts";
 * console.log((await detectJupyter()).message);
 * ```
 */
export async function detectJupyter(jupyter = "jupyter"): Promise<JupyterStatus> {
  try {
    const out = await new Deno.Command(jupyter, {
      args: ["nbconvert", "--version"],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).output();
    if (out.code === 0) {
      const version = new TextDecoder().decode(out.stdout).trim();
      return { available: true, version, message: `jupyter nbconvert ${version}` };
    }
  } catch {
    // not installed
  }
  return {
    available: false,
    version: null,
    message:
      `notebooks not executed: Jupyter's nbconvert was not found; install it with: ${JUPYTER_INSTALL_HINT}`,
  };
}

/** Options of {@linkcode installKernelspec}. */
export interface KernelspecOptions {
  /** Kernel name (default `"deno"`, the name the notebooks' metadata use). */
  name?: string;
  /** Display name (default `"Deno"`). */
  displayName?: string;
  /** Command line of the kernel (default `[Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"]`). */
  argv?: string[];
}

/**
 * Writes a Deno kernelspec into `<jupyterDir>/kernels/<name>/kernel.json` (atomically) and returns
 * the kernel folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { installKernelspec } from "./jupyter.ts";
 * const dir = await Deno.makeTempDir();
 * const kernelDir = await installKernelspec(dir);
 * const spec = JSON.parse(await Deno.readTextFile(`${kernelDir}/kernel.json`));
 * assert.deepEqual(spec.argv.slice(1), ["jupyter", "--kernel", "--conn", "{connection_file}"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function installKernelspec(
  jupyterDir: string,
  options: KernelspecOptions = {},
): Promise<string> {
  const name = options.name ?? "deno";
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`installKernelspec: bad kernel name "${name}"`);
  const kernelDir = join(jupyterDir, "kernels", name);
  const spec = {
    argv: options.argv ?? [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: options.displayName ?? "Deno",
    language: "typescript",
  };
  await writeFileAtomic(join(kernelDir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  return kernelDir;
}

/**
 * The environment variables that make Jupyter use only the project-local folder for kernelspecs,
 * data, config and runtime (connection) files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jupyterEnv } from "./jupyter.ts";
 * assert.equal(jupyterEnv("/p/results/.jupyter").JUPYTER_PATH, "/p/results/.jupyter");
 * ```
 */
export function jupyterEnv(jupyterDir: string): Record<string, string> {
  const dir = resolve(jupyterDir);
  return {
    JUPYTER_PATH: dir,
    JUPYTER_DATA_DIR: dir,
    JUPYTER_CONFIG_DIR: join(dir, "config"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
  };
}

/** What {@linkcode inspectExecutedNotebook} found. */
export interface NotebookInspection {
  /** Number of code cells. */
  codeCells: number;
  /** Indices (0-based, among all cells) of code cells without any output. */
  cellsWithoutOutput: number[];
  /** Error outputs (`ename: evalue`) of any cell. */
  errors: string[];
}

/**
 * Inspects an executed notebook's JSON: code cells without outputs and error outputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inspectExecutedNotebook } from "./jupyter.ts";
 * const nb = { cells: [{ cell_type: "code", outputs: [] }, { cell_type: "markdown" }] };
 * assert.deepEqual(inspectExecutedNotebook(nb).cellsWithoutOutput, [0]);
 * ```
 */
export function inspectExecutedNotebook(notebook: unknown): NotebookInspection {
  const cells = (notebook as { cells?: unknown[] })?.cells;
  if (!Array.isArray(cells)) throw new Error("inspectExecutedNotebook: not a notebook (no cells array)");
  let codeCells = 0;
  const cellsWithoutOutput: number[] = [];
  const errors: string[] = [];
  cells.forEach((cell, k) => {
    const c = cell as {
      cell_type?: string;
      outputs?: { output_type?: string; ename?: string; evalue?: string }[];
    };
    if (c.cell_type !== "code") return;
    codeCells++;
    const outputs = Array.isArray(c.outputs) ? c.outputs : [];
    if (outputs.length === 0) cellsWithoutOutput.push(k);
    for (const o of outputs) if (o.output_type === "error") errors.push(`cell ${k}: ${o.ename}: ${o.evalue}`);
  });
  return { codeCells, cellsWithoutOutput, errors };
}

/** The outcome of one notebook. */
export interface NotebookRun {
  /** The notebook's name. */
  name: string;
  /** `"executed"`: ran and verified; `"failed"`: a cell error or outputs still missing; `"not executed"`: no Jupyter. */
  status: "executed" | "failed" | "not executed";
  /** How many times nbconvert was started. */
  attempts: number;
  /** Path of the executed notebook, when written. */
  outputPath?: string;
  /** Expected files missing (or not rewritten) after the last attempt. */
  missingOutputs: string[];
  /** Code cells without outputs after the last attempt. */
  cellsWithoutOutput: number[];
  /** The error, for failed notebooks. */
  error?: string;
  /** Wall time of all attempts, seconds. */
  seconds: number;
}

/** The outcome of {@linkcode executeNotebooks}. */
export interface NotebooksRun {
  /** True when Jupyter was found and every notebook was executed and verified. */
  executed: boolean;
  /** One sentence for people (with the install command when Jupyter is missing). */
  message: string;
  /** One entry per notebook. */
  notebooks: NotebookRun[];
}

/** Options of {@linkcode executeNotebooks}. */
export interface ExecuteNotebooksOptions {
  /** The results folder that the notebooks write into (default `results`). */
  resultsDir?: string;
  /** Where executed notebooks go (default `<resultsDir>/notebooks`). */
  outputDir?: string;
  /** Project-local Jupyter folder (default `<resultsDir>/.jupyter`). */
  jupyterDir?: string;
  /** The `jupyter` command (default `"jupyter"`). */
  jupyter?: string;
  /** Kernelspec options (the kernel name must match the notebooks' metadata, default `"deno"`). */
  kernel?: KernelspecOptions;
  /** Re-runs of a notebook whose outputs went missing (default 2). */
  retries?: number;
  /** Per-cell timeout in seconds (nbconvert's `ExecutePreprocessor.timeout`, default 600). */
  cellTimeoutS?: number;
  /** Extra environment for the kernel (e.g. `{ GAR_PROFILE: "smoke" }`). */
  env?: Record<string, string>;
  /** Throw when Jupyter is missing (default false: report "notebooks not executed"). */
  required?: boolean;
  /** Throw when a notebook failed (default true). */
  throwOnFailure?: boolean;
  /** Progress messages (default: none). */
  log?: (line: string) => void;
}

/** Thrown by {@linkcode executeNotebooks} when a notebook fails (or Jupyter is missing and required). */
export class NotebookError extends Error {
  /** The full outcome. */
  run: NotebooksRun;
  /** Creates the error. */
  constructor(message: string, run: NotebooksRun) {
    super(message);
    this.name = "NotebookError";
    this.run = run;
  }
}

async function mtimeMs(path: string): Promise<number | null> {
  try {
    return (await Deno.stat(path)).mtime?.getTime() ?? 0;
  } catch {
    return null;
  }
}

function tail(text: string, lines = 30): string {
  return text.split(/\r?\n/).filter((l) => l.trim() !== "").slice(-lines).join("\n");
}

/**
 * Executes notebooks headless with nbconvert and the project's Deno kernelspec, verifies them and
 * re-runs those whose outputs went missing (see the module doc).
 *
 * @param specs the notebooks and the files each must write
 * @param options folders, retries, environment, failure handling
 * @returns one {@linkcode NotebookRun} per notebook
 * @throws NotebookError when a notebook fails (unless `throwOnFailure: false`), or when Jupyter is
 *   missing and `required: true`
 *
 * @example
 * ```ts ignore
 * import { executeNotebooks } from "./jupyter.ts";
 * const run = await executeNotebooks([
 *   { name: "01-theorems", path: "notebooks/01-theorems.ipynb", outputs: ["figures/theorem1-residuals.svg"] },
 * ], { env: { GAR_PROFILE: "quick" } });
 * console.log(run.message);
 * ```
 */
export async function executeNotebooks(
  specs: readonly NotebookSpec[],
  options: ExecuteNotebooksOptions = {},
): Promise<NotebooksRun> {
  const resultsDir = resolve(options.resultsDir ?? "results");
  const outputDir = resolve(options.outputDir ?? join(resultsDir, "notebooks"));
  const jupyterDir = resolve(options.jupyterDir ?? join(resultsDir, ".jupyter"));
  const jupyter = options.jupyter ?? "jupyter";
  const retries = options.retries ?? 2;
  const log = options.log ?? (() => {});
  const status = await detectJupyter(jupyter);
  if (!status.available) {
    const run: NotebooksRun = {
      executed: false,
      message: status.message,
      notebooks: specs.map((s) => ({
        name: s.name,
        status: "not executed",
        attempts: 0,
        missingOutputs: [],
        cellsWithoutOutput: [],
        seconds: 0,
      })),
    };
    if (options.required) throw new NotebookError(status.message, run);
    return run;
  }
  await installKernelspec(jupyterDir, options.kernel);
  await Deno.mkdir(join(jupyterDir, "runtime"), { recursive: true });
  await Deno.mkdir(outputDir, { recursive: true });
  const env = { ...jupyterEnv(jupyterDir), GAR_RESULTS_DIR: resultsDir, ...options.env };
  const kernelName = options.kernel?.name ?? "deno";

  const runs: NotebookRun[] = [];
  for (const spec of specs) {
    const outputPath = join(outputDir, basename(spec.path));
    const t0 = performance.now();
    const run: NotebookRun = {
      name: spec.name,
      status: "failed",
      attempts: 0,
      missingOutputs: [],
      cellsWithoutOutput: [],
      seconds: 0,
    };
    while (run.attempts <= retries) {
      run.attempts++;
      const started = Date.now() - 1000; // mtime granularity slack
      await Deno.remove(outputPath).catch(() => {});
      log(`notebook ${spec.name}: executing (attempt ${run.attempts})`);
      const out = await new Deno.Command(jupyter, {
        args: [
          "nbconvert",
          "--to",
          "notebook",
          "--execute",
          `--ExecutePreprocessor.timeout=${options.cellTimeoutS ?? 600}`,
          `--ExecutePreprocessor.kernel_name=${kernelName}`,
          "--output-dir",
          outputDir,
          resolve(spec.path),
        ],
        env,
        stdout: "piped",
        stderr: "piped",
        stdin: "null",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      if (out.code !== 0) {
        run.error = tail(stderr);
        if (/CellExecutionError|Error in cell|An error occurred while executing/i.test(stderr)) {
          log(`notebook ${spec.name}: cell error`);
          break; // a cell error: a re-run would fail the same way
        }
        log(`notebook ${spec.name}: nbconvert exited with ${out.code}; retrying`);
        continue;
      }
      let inspection: NotebookInspection;
      try {
        inspection = inspectExecutedNotebook(JSON.parse(await Deno.readTextFile(outputPath)));
      } catch (e) {
        run.error = `executed notebook unreadable: ${(e as Error).message}`;
        continue;
      }
      run.outputPath = outputPath;
      run.cellsWithoutOutput = inspection.cellsWithoutOutput;
      if (inspection.errors.length > 0) {
        run.error = inspection.errors.join("\n");
        break;
      }
      const missing: string[] = [];
      for (const rel of spec.outputs) {
        const m = await mtimeMs(join(resultsDir, rel));
        if (m === null || m < started) missing.push(rel);
      }
      run.missingOutputs = missing;
      if (missing.length === 0 && inspection.cellsWithoutOutput.length === 0) {
        run.status = "executed";
        delete run.error;
        break;
      }
      run.error = [
        missing.length > 0 ? `missing outputs: ${missing.join(", ")}` : "",
        inspection.cellsWithoutOutput.length > 0
          ? `code cells without output: ${inspection.cellsWithoutOutput.join(", ")}`
          : "",
      ].filter((x) => x !== "").join("; ");
      log(`notebook ${spec.name}: ${run.error}; re-running`);
    }
    run.seconds = (performance.now() - t0) / 1000;
    log(`notebook ${spec.name}: ${run.status} after ${run.attempts} attempt(s), ${run.seconds.toFixed(1)} s`);
    runs.push(run);
  }
  const failed = runs.filter((r) => r.status !== "executed");
  const result: NotebooksRun = {
    executed: failed.length === 0,
    message: failed.length === 0
      ? `${runs.length} notebook(s) executed with ${status.message}`
      : `${failed.length} of ${runs.length} notebook(s) failed: ${failed.map((r) => r.name).join(", ")}`,
    notebooks: runs,
  };
  if (failed.length > 0 && (options.throwOnFailure ?? true)) {
    throw new NotebookError(
      `${result.message}\n${failed.map((r) => `${r.name}: ${r.error ?? "unknown error"}`).join("\n")}`,
      result,
    );
  }
  return result;
}
