/**
 * `deno task compare`'s outputs in its results folder, from a {@linkcode CompareResult}:
 *
 * | file | what |
 * | --- | --- |
 * | `tables/compare.{md,csv}` | every method's test metrics, mean (std) over the folds (`experimentTable`) |
 * | `tables/compare-gains.{md,csv}` | GAR's gains over MAE and over the best other method, p-values (`gainsTable`) |
 * | `figures/compare-pearson.{svg,png}` | test Pearson by method (Table 1's figure, `table1Figure`) |
 * | `figures/compare-scatter.{svg,png}` | GAR's and MAE's refits: predicted vs true on the test rows |
 * | `report.md`, `report.html` | all of it with the settings, in the kit's report document (`lib/render/report.ts`) |
 * | `compare.json` | every number: the result without its `summary` |
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { experimentTable, gainsTable } from "../paper/experiment.ts";
import { table1Figure } from "../paper/table1.ts";
import type { FigureOptions, PngOptions } from "../render/figure.ts";
import { type ArtifactPart, figurePart, tablePart, writeParts, type WrittenPart } from "../render/parts.ts";
import { type ReportSection, writeReport } from "../render/report.ts";
import type { ResultTable } from "../render/table.ts";
import type { CompareResult } from "./compare_csv.ts";

const GAR_COLOUR = "#e8590c";
const OTHER_COLOUR = "#888888";

/**
 * `compare.json`: the result without the runner's summary (whose numbers are in `rows` and `gains`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareJson } from "./report.ts";
 * import type { CompareResult } from "./compare_csv.ts";
 * const json = compareJson({ rows: [], summary: { experiment: "compare", rows: [], comparisons: [] } } as unknown as CompareResult);
 * assert.deepEqual(Object.keys(json), ["rows"]);
 * ```
 */
export function compareJson(result: CompareResult): Omit<CompareResult, "summary"> {
  const { summary: _summary, ...rest } = result;
  return rest;
}

/**
 * The refits' predicted-vs-true scatter: one panel per method (GAR, MAE) and target, the diagonal y = x.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scatterFigure } from "./report.ts";
 * const refit = (method: string) => ({ method, lr: 0.1, weightDecay: 1e-4, param: null, epochs: 9,
 *   selected: { count: 3, of: 5 }, test: {} as never, predictions: [[1.5], [2]] });
 * const f = scatterFigure({ truth: [[1], [2]], refits: [refit("gar"), refit("mae")], input: { targets: ["y"] } });
 * assert.equal(f.marks?.length, 3);
 * ```
 */
export function scatterFigure(
  result: Pick<CompareResult, "truth" | "refits"> & { input: Pick<CompareResult["input"], "targets"> },
): FigureOptions {
  const points = result.refits.flatMap((r) =>
    result.truth.flatMap((t, i) =>
      t.flatMap((truth, j) => {
        const predicted = r.predictions[i]?.[j];
        return predicted === null || predicted === undefined ? [] : [{
          method: r.method,
          target: result.input.targets[j],
          truth,
          predicted,
          gar: r.method === "gar",
        }];
      })
    )
  );
  const values = points.flatMap((p) => [p.truth, p.predicted]);
  const [lo, hi] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  const several = result.input.targets.length > 1;
  return {
    title: "Predicted vs true on the test rows (refits of GAR and MAE)",
    caption:
      "Each refit: the configuration selected most often for MAE, retrained on the whole training part.",
    width: 760,
    height: (several ? 260 * result.input.targets.length : 340) + 40,
    grid: true,
    x: { label: "true", domain: [lo, hi] },
    y: { label: "predicted", domain: [lo, hi] },
    fx: { label: null },
    ...(several ? { fy: { label: null } } : {}),
    color: { domain: [false, true], range: [OTHER_COLOUR, GAR_COLOUR] },
    marks: [
      Plot.line([[lo, lo], [hi, hi]], { stroke: "#bbbbbb", strokeDasharray: "4,3" }),
      Plot.dot(points, {
        x: "truth",
        y: "predicted",
        fx: "method",
        ...(several ? { fy: "target" } : {}),
        stroke: "gar",
        r: 2,
        strokeOpacity: 0.7,
      }),
      Plot.frame(),
    ],
  };
}

/**
 * The tables and figures of the report (see the module table).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareParts } from "./report.ts";
 * const parts = compareParts({ summary: { experiment: "compare", rows: [], comparisons: [] }, truth: [], refits: [],
 *   input: { targets: ["y"] } });
 * assert.deepEqual(parts.map((p) => p.name), ["compare", "compare-pearson"]);
 * ```
 */
export function compareParts(
  result: Pick<CompareResult, "summary" | "truth" | "refits"> & {
    input: Pick<CompareResult["input"], "targets">;
  },
): ArtifactPart[] {
  const pearson = table1Figure(result.summary);
  const title = "Test metrics, mean (std) over the 5 folds";
  return [
    tablePart("compare", title, experimentTable(result.summary, title)),
    ...(result.summary.comparisons.length
      ? [tablePart("compare-gains", "GAR's gains", gainsTable(result.summary))]
      : []),
    figurePart("compare-pearson", "Test Pearson by method", {
      ...pearson,
      title: "Test Pearson by method (mean ± std over the folds)",
    }),
    ...(result.refits.length
      ? [figurePart("compare-scatter", "Predicted vs true on the test rows", scatterFigure(result))]
      : []),
  ];
}

const fmt = (v: number | null) => (v === null ? "—" : Number(v.toPrecision(4)).toString());

/** The report's paragraphs on the protocol, the units, GAR's gains and the refits. */
function explanations(r: CompareResult): { intro: string[]; units: string; refits: string[] } {
  const s = r.settings;
  const labels = s.standardizeLabels
    ? "Labels were standardised with the training part's mean and std (the paper's Table 7 setting); "
    : "Labels were used raw (the paper's Table 1 setting); ";
  const units = r.units === "target"
    ? `${labels}MAE and RMSE are in the target's units.`
    : `${labels}with several targets, MAE and RMSE stay in standardised units (each target divided by its ` +
      "std, then averaged over the targets), as do the refits' predictions in the table (the scatter is in the " +
      "targets' units).";
  const gain = (metric: string) => r.gains.find((g) => g.metric === metric);
  const headline = ["mae", "pearson"].flatMap((m) => {
    const g = gain(m);
    return g?.gainVsMae === null || g === undefined ? [] : [
      `${m === "mae" ? "MAE" : "Pearson"}: GAR ${g.gainVsMae >= 0 ? "better" : "worse"} than MAE by ` +
      `${Math.abs(g.gainVsMae).toFixed(2)} % (p = ${fmt(g.pVsMae)}), best other method ${g.bestOther} ` +
      `(GAR's gain ${fmt(g.gainVsBest)} %, p = ${fmt(g.pVsBest)})`,
    ];
  });
  const intro = [
    `${r.input.csv}: ${r.input.rows.train} training and ${r.input.rows.test} test rows (${r.input.split}); ` +
    `${r.input.features.length} feature(s) (standardised with the training part's statistics), target(s) ` +
    `${r.input.targets.join(", ")}.`,
    `The paper's protocol (Appendix B.6): ${s.folds}-fold cross-validation (KFold, no shuffle) on the training ` +
    `part; each method trained at every point of its grid (learning rate ${
      s.lrs.join(", ")
    } × weight decay ` +
    `${
      s.weightDecays.join(", ")
    } × its parameter; grid "${s.grid}"), ${s.epochs} epochs, batch ${s.batchSize}, ` +
    `SGD momentum 0.9, learning rate ×0.1 after epochs ${s.milestones.join(" and ")}, hidden layers ` +
    `${
      s.hidden.join("-")
    } (ELU); for each fold and each metric separately the configuration and epoch with the ` +
    "best validation value, its test value; mean (std, ddof 0) over the folds; GAR's gains in % over MAE and " +
    "over the best other method, with pooled two-sample t-test p-values.",
    ...(headline.length ? [`In short — ${headline.join("; ")}.`] : []),
    ...(r.runs.found < r.runs.planned
      ? [`Incomplete: ${r.runs.found} of ${r.runs.planned} runs found (other shards still to run).`]
      : []),
    ...r.input.warnings.map((w) => `Warning: ${w}`),
  ];
  const refits = r.refits.length === 0 ? ["No refit (the CV runs of GAR and MAE are not all there)."] : [
    "The scatter plot shows predictions of the test rows by a refit of each method: the configuration (learning " +
    "rate, weight decay, parameter) that the validation MAE selected in most folds, retrained on the whole " +
    "training part (seed 0) for the median of the epochs selected with it, with the same learning-rate schedule " +
    "(a configuration selected for a correlation can be far off in MAE).",
    ...r.refits.map((f) => {
      const param = f.param === null ? "" : `, parameter ${f.param}`;
      return `${f.method}: lr ${f.lr}, weight decay ${f.weightDecay}${param} (selected for MAE in ` +
        `${f.selected.count} of ${f.selected.of} folds), ${f.epochs} epochs: test MAE ${fmt(f.test.mae)}, ` +
        `Pearson ${fmt(f.test.pearson)}.`;
    }),
  ];
  return { intro, units, refits };
}

/** The settings as a two-column table. */
function settingsTable(r: CompareResult): ResultTable {
  return {
    columns: [{ key: "setting" }, { key: "value" }],
    rows: Object.entries({ ...r.settings, params: JSON.stringify(r.settings.params) }).map((
      [setting, v],
    ) => ({
      setting,
      value: Array.isArray(v) ? v.join(", ") : String(v),
    })),
  };
}

/**
 * Writes the report's files into `dir` (see the module table); returns the written parts and the report's paths.
 *
 * @example
 * ```ts ignore
 * import { compareCsv, writeCompareReport } from "./mod.ts";
 * const result = await compareCsv({ csv: "my.csv", target: ["y"], resultsDir: "results/compare", backend: "wasm" });
 * const { htmlPath } = await writeCompareReport("results/compare", result);
 * ```
 */
export async function writeCompareReport(
  dir: string,
  result: CompareResult,
  png: PngOptions = {},
): Promise<{ parts: WrittenPart[]; markdownPath: string; htmlPath: string; jsonPath: string }> {
  const parts = await writeParts(dir, compareParts(result), png);
  const jsonPath = join(dir, "compare.json");
  await writeFileAtomic(jsonPath, JSON.stringify(compareJson(result), null, 2) + "\n");
  const { intro, units, refits } = explanations(result);
  const table = (name: string) => parts.filter((p) => p.kind === "table" && p.name.startsWith(name));
  const figure = (name: string) =>
    parts.filter((p) => p.name === name && p.kind === "figure").map((p) => ({
      name: p.name,
      title: p.title,
      svg: p.svg!,
      path: p.path,
    }));
  const sections: ReportSection[] = [
    {
      title: "GAR, MAE and the other methods on your table",
      text: [units],
      tables: table("compare").map((p) => ({ name: p.name, title: p.title, table: p.table!, path: p.path })),
    },
    { title: "Test Pearson by method", figures: figure("compare-pearson") },
    { title: "Predicted vs true on the test rows", text: refits, figures: figure("compare-scatter") },
    { title: "Settings", tables: [{ name: "settings", title: "Settings", table: settingsTable(result) }] },
  ];
  const paths = await writeReport(dir, {
    title: `GAR vs MAE and the other losses: ${result.summary.rows[0]?.dataset ?? result.input.csv}`,
    intro,
    sections,
    provenance: { ...result.provenance, datasetSha256: result.input.sha256, runs: result.runs },
  });
  return { parts, ...paths, jsonPath };
}
