/**
 * Documentation policy: every exported function of the kit's public modules (`lib/`, `proofs/`,
 * `tasks/`, `mod.ts`; files whose name starts with `_` are internal) has a JSDoc block with an
 * `@example`, which `deno test --doc` then type-checks and runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, sourceFiles } from "./_source_files.ts";

/** Exported functions of one source text whose JSDoc is missing or has no `@example`. */
export function undocumented(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^export (?:async )?function\*? (\w+)/gm)) {
    const before = source.slice(0, m.index).trimEnd();
    const doc = before.endsWith("*/") ? before.slice(before.lastIndexOf("/**")) : "";
    if (!doc.includes("@example")) out.push(m[1]);
  }
  return out;
}

Deno.test("docs policy: the checker finds a function without an example", () => {
  assert.deepEqual(undocumented("/** no example */\nexport function f() {}\n"), ["f"]);
  assert.deepEqual(undocumented("/**\n * @example\n * ```ts\n * ```\n */\nexport function g() {}\n"), []);
});

Deno.test("docs policy: every exported function has JSDoc with a runnable @example", () => {
  const files = [
    "mod.ts",
    ...["lib", "proofs", "tasks"].flatMap((d) => [...sourceFiles(d, { skipPrivate: true })]),
  ];
  const missing = files.flatMap((f) =>
    undocumented(Deno.readTextFileSync(join(ROOT, f))).map((name) => `${f}: ${name}`)
  );
  assert.deepEqual(missing, [], `exported functions without an @example:\n${missing.join("\n")}`);
});
