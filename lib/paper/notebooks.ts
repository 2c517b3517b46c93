/**
 * The project's notebooks (`notebooks/*.ipynb`): which files each must write, for the headless runner
 * (`lib/process/jupyter.ts`), and the parameters each reads from the environment that
 * `deno task reproduce` sets (`GAR_PROFILE`, `GAR_RESULTS_DIR`, `GAR_NOTEBOOK_BACKEND`).
 *
 * @module
 */
import { DEFAULT_PROFILE } from "../experiment/profiles.ts";
import { fileURLToPath } from "node:url";
import { type BackendChoice, type BackendName, selectBackend } from "../backend.ts";
import type { NotebookSpec } from "../process/jupyter.ts";

/**
 * A project notebook and its outputs: each `…tables/x` stands for `x.md` and `x.csv`, each `…figures/x` for `x.svg`
 * and `x.png`, a name with an extension for itself.
 */
function notebook(name: string, stems: string[]): NotebookSpec {
  return {
    name,
    path: fileURLToPath(new URL(`../../notebooks/${name}.ipynb`, import.meta.url)),
    outputs: stems.flatMap((s) =>
      /\.[a-z]+$/.test(s)
        ? [s]
        : /(^|\/)tables\//.test(s)
        ? [`${s}.md`, `${s}.csv`]
        : [`${s}.svg`, `${s}.png`]
    ),
  };
}

/** Where notebook 08 writes when it compares on the exported Concrete data (its default). */
const COMPARE_DEFAULT = "compare/concrete-train";

/** The project's notebooks and the files (relative to the results folder) each must write. */
export const PROJECT_NOTEBOOKS: readonly NotebookSpec[] = [
  notebook("01-theorems", [
    "tables/theorems",
    "tables/theorem1-cases",
    "tables/theorem4-epsilon",
    "figures/theorem1-residuals",
    "figures/theorem4-epsilon",
  ]),
  notebook("02-synthetic", ["tables/synthetic", "tables/fig6", "figures/fig6-depth"]),
  notebook("03-benchmarks", ["tables/table1", "figures/table1-pearson"]),
  notebook("04-runtime", [
    "tables/table2",
    "figures/table2-runtime",
    "tables/loss-scaling",
    "figures/loss-scaling",
  ]),
  notebook("05-standardisation", ["tables/table7"]),
  notebook("06-ablation", ["tables/table5", "tables/table5-ranks"]),
  notebook("07-sensitivity", ["tables/alpha", "tables/table6", "figures/fig12-pred-stats"]),
  notebook("08-your-data", [
    `${COMPARE_DEFAULT}/tables/compare`,
    `${COMPARE_DEFAULT}/tables/compare-gains`,
    `${COMPARE_DEFAULT}/figures/compare-pearson`,
    `${COMPARE_DEFAULT}/figures/compare-scatter`,
    `${COMPARE_DEFAULT}/report.html`,
    `${COMPARE_DEFAULT}/compare.json`,
  ]),
];

/** A notebook's parameters (see {@linkcode notebookParameters}). */
export interface NotebookParameters {
  /** `GAR_PROFILE`: `standard`, `smoke`, `quick` or `paper`. */
  profile: string;
  /** `GAR_RESULTS_DIR`, else `../results` (the kernel starts in `notebooks/`). */
  results: string;
  /** The backend selected for `GAR_NOTEBOOK_BACKEND`. */
  choice: BackendChoice;
  /** All of it in one line, for the notebook to display. */
  summary: string;
}

/** The defaults of {@linkcode notebookParameters} where the environment says nothing. */
export interface NotebookDefaults {
  /** The profile (default: the main command's, `DEFAULT_PROFILE`). */
  profile?: string;
  /** The backend (default `"auto"`). */
  backend?: BackendName | "auto";
}

/**
 * A notebook's parameters cell: reads `GAR_PROFILE`, `GAR_RESULTS_DIR` and `GAR_NOTEBOOK_BACKEND`
 * (`deno task reproduce` sets them; `defaults` otherwise) and selects the backend. Experiments go
 * through the run cache (`results/runs/`): runs that `deno task reproduce --profile …` computed are
 * read, the others computed (`smoke` takes seconds; the default `standard` and `quick` minutes to hours of
 * training on 2 cores, `docs/profiles.md`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { notebookParameters } from "./notebooks.ts";
 * const { profile, choice, summary } = await notebookParameters({ profile: "quick", backend: "cpu" });
 * assert.equal(profile, Deno.env.get("GAR_PROFILE") ?? "quick");
 * assert.ok(summary.includes(`backend ${choice.backend}`));
 * ```
 */
export async function notebookParameters(defaults: NotebookDefaults = {}): Promise<NotebookParameters> {
  const profile = Deno.env.get("GAR_PROFILE") ?? defaults.profile ?? DEFAULT_PROFILE;
  const results = Deno.env.get("GAR_RESULTS_DIR") ?? "../results";
  const backend = (Deno.env.get("GAR_NOTEBOOK_BACKEND") ?? defaults.backend ?? "auto") as
    | BackendName
    | "auto";
  const choice = await selectBackend({ backend });
  return {
    profile,
    results,
    choice,
    summary: `profile ${profile}; results ${results}; backend ${choice.backend} (${choice.reason})`,
  };
}
