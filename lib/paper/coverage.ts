/**
 * What a reproduction covered, per artifact: the grid each dataset ran under the profile (learning rates × weight
 * decays × the method parameter, folds, epochs) and how many of the paper's numbers it could check — the first
 * table of the report's summary, so that a reader sees at once which numbers mean the paper's protocol.
 *
 * @module
 */
import { EXPERIMENTS } from "../experiment/experiments.ts";
import type { ExperimentSummary } from "../experiment/summary.ts";
import { learningRates, type Profile, scopedProfile } from "../experiment/profiles.ts";
import { METHODS } from "../methods.ts";
import type { ResultTable } from "../render/table.ts";
import type { ClaimEntry, QualitativeClaim } from "./claims.ts";

/** One experiment's grid on one dataset, in words. */
function gridWords(profile: Profile, experiment: string, dataset: string, kind: "cv" | "synthetic"): string {
  const p = scopedProfile(profile, experiment, dataset);
  if (kind === "synthetic") {
    const seeds = p.syntheticSeeds.length;
    return `${p.syntheticLrs.length} lr × ${p.syntheticWeightDecays.length} wd, ${seeds} seed${
      seeds > 1 ? "s" : ""
    }, ` +
      `${p.syntheticEpochs} epochs`;
  }
  // The learning rates the plan uses (`learningRates`: the experiment's own, else the profile's), per method.
  const perMethod = METHODS.map((m) => learningRates(p, m.name, experiment).join());
  const lrs = `${learningRates(p, METHODS[0].name, experiment).length} lr${
    perMethod.some((l) => l !== perMethod[0]) ? " per method" : ""
  }`;
  const params = experiment === "alpha"
    ? `${p.alphas.length} α`
    : `${p.params === "full" ? "every" : "the middle"} parameter`;
  const paperGrid = p.params === "full" && Array.isArray(p.lrs) && p.lrs.length === 3 &&
    p.weightDecays.length === 3;
  return `${paperGrid ? "the paper's grid: " : ""}${lrs} × ${p.weightDecays.length} wd × ${params}, ` +
    `${p.folds.length} fold${p.folds.length > 1 ? "s" : ""}, ${p.epochs} epochs`;
}

/**
 * The coverage table (see the module notes): one row per experiment of the profile that ran, its datasets grouped
 * by grid, and its numbers: checked (agree + differ) of the paper's, how many agree; its qualitative claims.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { coverageTable } from "./coverage.ts";
 * import { PROFILES } from "../experiment/profiles.ts";
 * const claim = (dataset: string, verdict: "agrees" | "differs" | "not run") => ({ artifact: "table1", dataset,
 *   method: "GAR", metric: "MAE", paper: { mean: 1, std: 0 }, ours: null, tolerance: null, verdict });
 * const summary = { experiment: "table1", comparisons: [], rows: [{ dataset: "concrete", method: "GAR",
 *   variant: null, runs: { planned: 135, found: 135 }, cells: {} }] };
 * const t = coverageTable(PROFILES.standard, [summary], [claim("concrete", "agrees"), claim("wine", "not run")], []);
 * assert.equal(t.rows[0].numbers, "1 of 2 checked, 1 agree");
 * assert.match(String(t.rows[0].grid), /^concrete: the paper's grid/);
 * // quick's Table 7 runs one learning rate (its experiment override), not Table 1's two per method.
 * const q = coverageTable(PROFILES.quick, [{ ...summary, experiment: "table7" }], [], []);
 * assert.match(String(q.rows[0].grid), /^concrete: 1 lr × 1 wd/);
 * ```
 */
export function coverageTable(
  profile: Profile,
  summaries: readonly ExperimentSummary[],
  claims: readonly ClaimEntry[],
  qualitative: readonly QualitativeClaim[],
): ResultTable {
  const rows = summaries.map((s) => {
    const experiment = EXPERIMENTS.find((e) => e.id === s.experiment);
    const datasets = [...new Set(s.rows.filter((r) => r.runs.found > 0).map((r) => r.dataset))];
    const byGrid = new Map<string, string[]>();
    for (const d of datasets) {
      const words = gridWords(profile, s.experiment, d, experiment?.kind ?? "cv");
      byGrid.set(words, [...(byGrid.get(words) ?? []), d]);
    }
    const mine = claims.filter((c) => c.artifact === s.experiment);
    const checked = mine.filter((c) => c.verdict !== "not run");
    const q = qualitative.filter((c) => c.artifact === s.experiment && c.verdict !== "not run");
    return {
      artifact: experiment?.title ?? s.experiment,
      grid: [...byGrid].map(([words, ds]) => `${ds.join(", ")}: ${words}`).join("; ") || "nothing ran",
      numbers: mine.length
        ? `${checked.length} of ${mine.length} checked, ${
          checked.filter((c) => c.verdict === "agrees").length
        } agree`
        : "—",
      claims: q.length ? `${q.filter((c) => c.verdict === "holds").length} of ${q.length} hold` : "—",
    };
  });
  return {
    title: `What this run covered (profile ${profile.name})`,
    columns: [
      { key: "artifact" },
      { key: "grid", label: "datasets: grid" },
      { key: "numbers", label: "paper's numbers" },
      { key: "claims", label: "qualitative claims" },
    ],
    rows,
  };
}
