/**
 * The theorems (Theorems 1, 4, 6, Corollaries 2, 3), checked numerically by `proofs/`: the summary
 * table of the checks, and the residual tables and figures of Theorems 1 and 4, for notebook
 * `01-theorems` and the report.
 *
 * Residuals are shown in units of the float32 unit roundoff u = 2⁻²⁴ ≈ 5.96e-8 on a symlog axis
 * (exact zeros stay visible at 0):
 * - Theorem 1: per case (batch size N, data scale), the float32 residual |pairwise − Var(δ)| / Var(δ)
 *   against N, with the case's tolerance.
 * - Theorem 4: for f = Y + ε·g, the float32 residuals of the predicted rates, |√loss/(ε·σ_g) − 1|
 *   (the pairwise loss ∝ ε²) and |mismatch/(ε·max|∇g|) − 1| (the gradient mismatch ∝ ε), against ε.
 *
 * | writes | from |
 * | --- | --- |
 * | `tables/theorems` | {@linkcode proofsTable} |
 * | `figures/theorem1-residuals`, `tables/theorem1-cases` (notebook) | {@linkcode theorem1Figure}, {@linkcode theorem1Table} |
 * | `figures/theorem4-epsilon`, `tables/theorem4-epsilon` (notebook) | {@linkcode theorem4Figure}, {@linkcode theorem4Table} |
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ProofResult } from "../../proofs/mod.ts";
import type { FigureOptions } from "../render/figure.ts";
import { type ArtifactPart, figurePart, tablePart } from "../render/parts.ts";
import type { ResultTable } from "../render/table.ts";
import { FLOAT32_UNIT_ROUNDOFF } from "../stats/unit_roundoff.ts";

/**
 * The theorem checks' parts: the summary table and the Theorem 1 / Theorem 4 residual figures (when
 * those checks are among `proofs`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { theoremParts } from "./theorems.ts";
 * assert.deepEqual(theoremParts([]).map((p) => p.name), ["theorems"]);
 * ```
 */
export function theoremParts(proofs: readonly ProofResult[]): ArtifactPart[] {
  const t1 = proofs.find((p) => p.id === "theorem-1");
  const t4 = proofs.find((p) => p.id === "theorem-4");
  return [
    tablePart("theorems", "Theorem checks", proofsTable(proofs)),
    ...(t1 ? [figurePart("theorem1-residuals", "Theorem 1", theorem1Figure(theorem1Rows(t1)))] : []),
    ...(t4 ? [figurePart("theorem4-epsilon", "Theorem 4", theorem4Figure(theorem4Rows(t4)))] : []),
  ];
}

/** One Theorem 1 case. */
export interface Theorem1Row {
  /** Batch size N. */
  n: number;
  /** Scale of the data. */
  scale: number;
  /** Offset of the data. */
  offset: number;
  /** Float32 relative residual. */
  residual32: number;
  /** Its tolerance. */
  tolerance32: number;
  /** Float64 relative residual. */
  residual64: number;
}

function detailsArray(result: ProofResult, key: string): Record<string, unknown>[] {
  const value = result.details?.[key];
  if (!Array.isArray(value)) throw new Error(`${result.id}: the result has no details.${key} array`);
  return value as Record<string, unknown>[];
}

/**
 * Extracts the per-case residuals of a Theorem 1 result (`details.cases`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { runProofs } from "../../proofs/mod.ts";
 * import { theorem1Rows } from "./theorems.ts";
 * await tf.setBackend("cpu");
 * const [r] = await runProofs({ only: ["theorem-1"], quick: true });
 * assert.ok(theorem1Rows(r).every((row) => row.residual32 <= row.tolerance32));
 * ```
 */
export function theorem1Rows(result: ProofResult): Theorem1Row[] {
  return detailsArray(result, "cases").map((c) => ({
    n: Number(c.n),
    scale: Number(c.scale),
    offset: Number(c.offset),
    residual32: Number(c.residual32),
    tolerance32: Number(c.tolerance32),
    residual64: Number(c.residual64),
  }));
}

function ulp(x: number): number {
  return x / FLOAT32_UNIT_ROUNDOFF;
}

/** The residual (in u) of each series against `x`: a line, hollow dots, and the series' name at its end. */
function residualMarks(data: readonly Record<string, unknown>[], x: string): Plot.Markish[] {
  return [
    Plot.line(data, { x, y: "residualU", z: "series", stroke: "series", sort: x }),
    Plot.dot(data, { x, y: "residualU", stroke: "series", fill: "white" }),
    Plot.text(
      data,
      Plot.selectLast({
        x,
        y: "residualU",
        z: "series",
        text: "series",
        fill: "series",
        dx: 6,
        textAnchor: "start",
      }),
    ),
  ];
}

/**
 * The Theorem 1 figure: float32 residual (in u) against batch size, one line per data scale, with
 * each case's tolerance as a dash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "../render/figure.ts";
 * import { theorem1Figure } from "./theorems.ts";
 * const svg = renderSvg(theorem1Figure([{ n: 2, scale: 1, offset: 0, residual32: 0, tolerance32: 1e-6, residual64: 0 }]));
 * assert.ok(svg.includes("batch size"));
 * ```
 */
export function theorem1Figure(rows: readonly Theorem1Row[]): FigureOptions {
  const data = rows.map((r) => ({
    ...r,
    series: `scale ${r.scale}`,
    residualU: ulp(r.residual32),
    toleranceU: ulp(r.tolerance32),
  }));
  return {
    title: "Theorem 1: pairwise loss vs Var(δ), float32 residual",
    caption:
      "Float32 residual |pairwise − Var(δ)| / Var(δ) in units of u = 2⁻²⁴; dashed: each case's tolerance.",
    width: 640,
    height: 360,
    marginRight: 90,
    x: { type: "log", label: "batch size N", grid: true },
    y: { type: "symlog", label: "residual / u", grid: true },
    marks: [
      Plot.ruleY([0]),
      Plot.line(data, {
        x: "n",
        y: "toleranceU",
        z: "series",
        stroke: "series",
        strokeDasharray: "4,3",
        sort: "n",
      }),
      ...residualMarks(data, "n"),
    ],
  };
}

/** One Theorem 4 (deterministic part) row: a problem at one ε > 0. */
export interface Theorem4Row {
  /** The test problem. */
  problem: string;
  /** The perturbation size ε. */
  eps: number;
  /** Pairwise loss, float32 and float64. */
  loss32: number;
  /** Pairwise loss in float64. */
  loss64: number;
  /** Gradient mismatch max|∇f − ∇Y|, float32. */
  mismatch32: number;
  /** Gradient mismatch in float64. */
  mismatch64: number;
  /** |√loss32/(ε·σ_g) − 1|. */
  lossResidual32: number;
  /** |mismatch32/(ε·max|∇g|) − 1|. */
  mismatchResidual32: number;
  /** The float32 tolerance of the problem. */
  tolerance32: number;
}

/**
 * Extracts the ε-sweep of a Theorem 4 result (`details.deterministic[].perEpsilon`, ε > 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { runProofs } from "../../proofs/mod.ts";
 * import { theorem4Rows } from "./theorems.ts";
 * await tf.setBackend("cpu");
 * const [r] = await runProofs({ only: ["theorem-4"], quick: true });
 * assert.ok(theorem4Rows(r).every((row) => row.eps > 0 && row.lossResidual32 <= row.tolerance32));
 * ```
 */
export function theorem4Rows(result: ProofResult): Theorem4Row[] {
  const out: Theorem4Row[] = [];
  for (const p of detailsArray(result, "deterministic")) {
    const sigmaG = Number(p.sigmaG);
    const maxGradG = Number(p.maxGradG);
    const perEpsilon = p.perEpsilon;
    if (!Array.isArray(perEpsilon)) throw new Error(`${result.id}: a problem has no perEpsilon array`);
    for (const e of perEpsilon as Record<string, number>[]) {
      if (!(e.eps > 0)) continue;
      out.push({
        problem: String(p.problem),
        eps: e.eps,
        loss32: e.loss32,
        loss64: e.loss64,
        mismatch32: e.mismatch32,
        mismatch64: e.mismatch64,
        lossResidual32: Math.abs(Math.sqrt(e.loss32) / (e.eps * sigmaG) - 1),
        mismatchResidual32: Math.abs(e.mismatch32 / (e.eps * maxGradG) - 1),
        tolerance32: Number(p.tolerance32),
      });
    }
  }
  return out;
}

/**
 * The Theorem 4 figure: the float32 residuals of the predicted rates (loss ∝ ε², gradient
 * mismatch ∝ ε) against ε, per problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "../render/figure.ts";
 * import { theorem4Figure } from "./theorems.ts";
 * const row = { problem: "p", eps: 0.1, loss32: 1, loss64: 1, mismatch32: 1, mismatch64: 1, lossResidual32: 1e-7, mismatchResidual32: 0, tolerance32: 1e-3 };
 * assert.ok(renderSvg(theorem4Figure([row])).includes("ε"));
 * ```
 */
export function theorem4Figure(rows: readonly Theorem4Row[]): FigureOptions {
  const short = (p: string) => p.split(" ")[0];
  const data = rows.flatMap((r) => [
    { eps: r.eps, residualU: ulp(r.lossResidual32), series: `${short(r.problem)} loss rate` },
    { eps: r.eps, residualU: ulp(r.mismatchResidual32), series: `${short(r.problem)} mismatch rate` },
  ]);
  return {
    title: "Theorem 4: pairwise loss and gradient mismatch vanish together",
    caption:
      "f = Y + ε·g: float32 residual of the predicted rates (loss ∝ ε², mismatch ∝ ε), in units of u = 2⁻²⁴.",
    width: 640,
    height: 360,
    marginRight: 120,
    x: { type: "log", label: "ε", grid: true, reverse: true, tickFormat: (d: number) => String(d) },
    y: { type: "symlog", label: "|rate residual| / u", grid: true },
    marks: [
      Plot.ruleY([0]),
      ...residualMarks(data, "eps"),
    ],
  };
}

/**
 * A summary table of proof results: id, verdict, float32 max residual and tolerance, float64 max
 * residual, seconds, claim.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { proofsTable } from "./theorems.ts";
 * const t = proofsTable([{ id: "theorem-6", claim: "c", maxResidual: 0, tolerance: 1, passed: true, backend: "cpu" }]);
 * assert.equal(t.rows[0].result, "pass");
 * ```
 */
export function proofsTable(results: readonly ProofResult[]): ResultTable {
  return {
    title: "Numerical checks of the paper's theorems",
    columns: [
      { key: "id" },
      { key: "result" },
      { key: "maxResidual", label: "float32 max residual", digits: 2 },
      { key: "tolerance", label: "float32 tolerance", digits: 2 },
      { key: "float64", label: "float64 max residual", digits: 2 },
      { key: "seconds", digits: 2 },
      { key: "backend" },
      { key: "claim" },
    ],
    rows: results.map((r) => ({
      id: r.id,
      result: r.passed ? "pass" : "FAIL",
      maxResidual: r.maxResidual,
      tolerance: r.tolerance,
      float64: typeof r.details?.float64MaxResidual === "number" ? r.details.float64MaxResidual : null,
      seconds: typeof r.details?.seconds === "number" ? r.details.seconds : null,
      backend: r.backend,
      claim: r.claim,
    })),
  };
}

/**
 * The Theorem 1 cases as a table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { theorem1Table } from "./theorems.ts";
 * const t = theorem1Table([{ n: 2, scale: 1, offset: 0, residual32: 0, tolerance32: 1e-6, residual64: 0 }]);
 * assert.equal(t.rows.length, 1);
 * ```
 */
export function theorem1Table(rows: readonly Theorem1Row[]): ResultTable {
  return {
    title: "Theorem 1: float32 and float64 residuals per case",
    columns: [
      { key: "n", label: "N", digits: 0 },
      { key: "scale", digits: 3 },
      { key: "offset", digits: 2 },
      { key: "residual32", label: "float32 residual", digits: 2 },
      { key: "tolerance32", label: "float32 tolerance", digits: 2 },
      { key: "residual64", label: "float64 residual", digits: 2 },
    ],
    rows: rows.map((r) => ({ ...r })),
  };
}

/**
 * The Theorem 4 ε-sweep as a table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { theorem4Table } from "./theorems.ts";
 * const row = { problem: "p", eps: 0.1, loss32: 1, loss64: 1, mismatch32: 1, mismatch64: 1, lossResidual32: 0, mismatchResidual32: 0, tolerance32: 1e-3 };
 * assert.equal(theorem4Table([row]).rows[0].problem, "p");
 * ```
 */
export function theorem4Table(rows: readonly Theorem4Row[]): ResultTable {
  return {
    title: "Theorem 4: pairwise loss and gradient mismatch for f = Y + ε·g",
    columns: [
      { key: "problem" },
      { key: "eps", label: "ε", digits: 3 },
      { key: "loss32", label: "loss (f32)", digits: 3 },
      { key: "loss64", label: "loss (f64)", digits: 3 },
      { key: "mismatch32", label: "mismatch (f32)", digits: 3 },
      { key: "mismatch64", label: "mismatch (f64)", digits: 3 },
      { key: "lossResidual32", label: "loss-rate residual", digits: 2 },
      { key: "mismatchResidual32", label: "mismatch-rate residual", digits: 2 },
      { key: "tolerance32", label: "tolerance", digits: 2 },
    ],
    rows: rows.map((r) => ({ ...r })),
  };
}
