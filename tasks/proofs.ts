/**
 * `deno task proofs [--json] [--backend webgpu|wasm|cpu|auto] [--quick] [--only ids] [--seed n]`
 *
 * Runs the numerical checks of the paper's theorems (`proofs/`) on the chosen tfjs backend and in
 * float64, prints a table (or, with `--json`, only the JSON array of results on stdout) and exits
 * with 1 if any check failed (2 on a usage error). The backend line goes to stderr.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { describeBackend, requestedBackend, selectBackend } from "../lib/backend.ts";
import { ALL_PROOFS, type ProofResult, runProofs } from "../proofs/mod.ts";

const USAGE =
  `usage: deno task proofs [--json] [--backend webgpu|wasm|cpu|auto] [--quick] [--only id,id] [--seed n]

  --json           print only the JSON array of results on stdout
  --backend X      tfjs backend (default: GAR_BACKEND or auto: hardware webgpu, else wasm, else cpu)
  --quick          fewer, smaller cases (smoke test)
  --only ids       comma-separated subset of: ${ALL_PROOFS.map((p) => p.id).join(", ")}
  --seed n         data seed (default 20250713)
  --help           this text

exit status: 0 all checks passed, 1 a check failed, 2 usage error`;

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : String(x);
}

function table(results: readonly ProofResult[]): string {
  const rows = results.map((r) => [
    r.id,
    r.passed ? "PASS" : "FAIL",
    fmt(r.maxResidual),
    fmt(r.tolerance),
    fmt((r.details?.float64MaxResidual as number | undefined) ?? NaN),
    `${((r.details?.seconds as number | undefined) ?? 0).toFixed(1)}s`,
    r.claim,
  ]);
  const head = ["id", "result", "maxResidual", "tolerance", "float64 max", "time", "claim"];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k].length)));
  const line = (cells: string[]) =>
    cells.map((c, k) => (k === cells.length - 1 ? c : c.padEnd(widths[k]))).join("  ");
  const out = [line(head), line(widths.map((w, k) => "-".repeat(k === head.length - 1 ? 5 : w)))];
  for (const row of rows) out.push(line(row));
  const failed = results.filter((r) => !r.passed);
  for (const r of failed) {
    const failures = (r.details?.failures as { label: string; residual: number; tolerance: number }[]) ?? [];
    out.push(`\n${r.id} failed:`);
    for (const f of failures.slice(0, 10)) {
      out.push(`  ${f.label}: residual ${fmt(f.residual)} > ${fmt(f.tolerance)}`);
    }
    if (failures.length > 10) out.push(`  … and ${failures.length - 10} more`);
  }
  out.push(`\n${results.length - failed.length}/${results.length} checks passed`);
  return out.join("\n");
}

/**
 * Runs the CLI with the given arguments and returns the exit status (0 passed, 1 a check failed,
 * 2 usage error). Prints to stdout/stderr.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./proofs.ts";
 * assert.equal(await main(["--help"]), 0);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        json: { type: "boolean", default: false },
        backend: { type: "string" },
        quick: { type: "boolean", default: false },
        only: { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    console.error(`proofs: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    console.error(`proofs: --seed must be an integer, got "${values.seed}"\n\n${USAGE}`);
    return 2;
  }
  const only = values.only?.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const known = ALL_PROOFS.map((p) => p.id as string);
  const unknown = (only ?? []).filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    console.error(`proofs: unknown id(s) ${unknown.join(", ")} in --only\n\n${USAGE}`);
    return 2;
  }
  let backend;
  try {
    backend = requestedBackend(values.backend);
  } catch (e) {
    console.error(`proofs: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const choice = await selectBackend({ backend });
  console.error(describeBackend(choice));
  const results = await runProofs({
    seed,
    quick: values.quick,
    only,
    onResult: values.json
      ? undefined
      : (r, s) => console.error(`  ${r.id}: ${r.passed ? "PASS" : "FAIL"} (${s.toFixed(1)}s)`),
  });
  console.log(values.json ? JSON.stringify(results, null, 2) : table(results));
  return results.every((r) => r.passed) ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
