/**
 * The layout rules of the re-cut (README, Layout): a file whose name starts with `_` is imported only from its
 * own folder, and each statistic has one definition across `lib/` and `proofs/`.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT, sourceFiles } from "./_source_files.ts";

const FOLDERS = ["lib", "proofs", "tasks", "tools", "bench", "tests", "notebooks"];

/** The relative module specifiers of `source` (static imports, re-exports and dynamic imports). */
function relativeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) found.push(m[1]);
  return found;
}

/** `_`-prefixed files imported by `file` from outside their folder. */
function privateImportsFromOutside(file: string, source: string): string[] {
  return relativeImports(source).filter((spec) => {
    const target = normalize(join(dirname(file), spec));
    return target.split("/").pop()!.startsWith("_") && dirname(target) !== dirname(file);
  });
}

Deno.test("layout: the private-import check finds an import of another folder's _ file", () => {
  assert.deepEqual(
    privateImportsFromOutside("/r/lib/a/x.ts", `import { f } from "../b/_y.ts";\nimport "./_z.ts";`),
    ["../b/_y.ts"],
  );
});

Deno.test("layout: no _ file is imported from outside its folder", () => {
  const offenders: string[] = [];
  for (const folder of FOLDERS) {
    for (const file of sourceFiles(folder)) {
      if (join(ROOT, file) === fileURLToPath(import.meta.url)) continue; // its own example import above
      for (const spec of privateImportsFromOutside(file, Deno.readTextFileSync(join(ROOT, file)))) {
        offenders.push(`${file} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

Deno.test("layout: one definition each of the shared statistics across lib/ and proofs/", () => {
  const names = ["pearson", "spearman", "averageRanks", "fsum", "mean", "median"];
  const definitions = new Map(names.map((n) => [n, [] as string[]]));
  for (const folder of ["lib", "proofs"]) {
    for (const file of sourceFiles(folder)) {
      const source = Deno.readTextFileSync(join(ROOT, file));
      for (const name of names) {
        const re = new RegExp(`(?:function\\s+${name}\\s*[<(]|export\\s+const\\s+${name}\\s*=)`);
        if (re.test(source)) definitions.get(name)!.push(file);
      }
    }
  }
  for (const [name, files] of definitions) {
    assert.equal(files.length, 1, `${name} defined in ${files.join(", ")}`);
  }
});
