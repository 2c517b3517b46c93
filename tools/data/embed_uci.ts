/**
 * Writes the kit's embedded copy (`data/embedded/`) from a data mirror: the UCI files behind
 * `concrete`, `wine` and `parkinson-*`, gzip-compressed byte for byte, and the authors' split as row
 * indices into the UCI rows, derived from the authors' `.npz` files (which are read, never copied).
 *
 * ```
 * GAR_DATA_MIRROR=/work/shared/data deno run -A tools/data/embed_uci.ts [--mirror DIR] [--out DIR]
 * deno fmt data/embedded/manifest.json   # (the tool writes it formatted; this is a no-op check)
 * ```
 *
 * The mirror must hold `uci/…` (the raw files) and `gar-official/{CCS,wine_quality,parkinson}.npz`,
 * at the registry's paths; every file is checked against the registry's sha256 first.
 *
 * How a split is derived: the authors' rows are rebuilt from the UCI files (`authorsTable`, the
 * `ucimlrepo` rounding and NumPy's standardisation); every authors' row (training rows in order, then
 * test rows) is matched to the UCI row with exactly the same features and target. Rows that occur
 * more than once in the UCI data (identical after the rounding) are interchangeable; they are
 * assigned in increasing UCI row order, so every UCI row is used once. A row without an exact match
 * stops the tool. For Parkinsons the authors' rows are the UCI rows in file order (checked), and
 * the split is their permutation `ids` (test = `ids[:1175]`).
 *
 * It prints, per column, what the `ucimlrepo` rounding changes (max |Δ| between the raw UCI values
 * and the authors' values, before and after standardisation) and the reconstruction's max |Δ| from
 * the authors' arrays (0 = exact). Output is deterministic (gzip level 9, mtime 0, no file name).
 *
 * @module
 */
import { gzipSync } from "fflate";
import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AuthorsSource, authorsSourceFiles, authorsTable } from "../../lib/data/authors_tables.ts";
import { toRows } from "../../lib/data/matrix.ts";
import { readNpz } from "../../lib/data/npz.ts";
import { datasetEntries, datasetEntry, expandNames } from "../../lib/data/registry.ts";
import { sha256Hex } from "../../lib/data/sha256.ts";
import { standardizeFullDataAuthors } from "../../lib/data/standardize.ts";
import type { EmbeddedFile, EmbeddedManifest } from "../../lib/data/embedded_copy.ts";

const AUTHORS_FILE: Record<AuthorsSource, string> = {
  concrete: "gar-official/CCS.npz",
  wine: "gar-official/wine_quality.npz",
  parkinson: "gar-official/parkinson.npz",
};
const DATASETS: Record<string, AuthorsSource> = {
  concrete: "concrete",
  wine: "wine",
  "parkinson-total": "parkinson",
  "parkinson-motor": "parkinson",
};

async function verified(mirror: string, path: string): Promise<Uint8Array> {
  const bytes = await Deno.readFile(join(mirror, path));
  const expected = datasetEntries().flatMap((e) => e.files).find((f) => f.path === path)?.sha256;
  const actual = await sha256Hex(bytes);
  if (actual !== expected) throw new Error(`${path}: sha256 ${actual}, the registry expects ${expected}`);
  return bytes;
}

function maxAbsByColumn(a: number[][], b: number[][]): number[] {
  return a[0].map((_, j) => Math.max(...a.map((r, i) => Math.abs(r[j] - b[i][j]))));
}

const key = (x: number[], y: number[]) => [...x, ...y].map(String).join(",");

/** Matches each authors' row to an unused UCI row with the same values; returns UCI row indices. */
function matchRows(
  uci: { x: number[][]; y: number[][] },
  authors: { x: number[][]; y: number[][] },
): { rows: number[]; duplicates: number } {
  const byKey = new Map<string, number[]>();
  uci.x.forEach((x, i) => {
    const k = key(x, uci.y[i]);
    byKey.set(k, [...(byKey.get(k) ?? []), i]);
  });
  const duplicates = [...byKey.values()].reduce((s, l) => s + l.length - 1, 0);
  const rows = authors.x.map((x, i) => {
    const next = byKey.get(key(x, authors.y[i]))?.shift();
    if (next === undefined) throw new Error(`authors' row ${i} has no exact match among the UCI rows`);
    return next;
  });
  return { rows, duplicates };
}

interface Derived {
  train: number[];
  test: number[];
  report: string[];
}

async function derive(
  source: AuthorsSource,
  mirror: string,
  uci: Record<string, Uint8Array>,
): Promise<Derived> {
  const a = readNpz(await verified(mirror, AUTHORS_FILE[source]), AUTHORS_FILE[source]);
  const table = authorsTable(source, uci);
  const raw = authorsTable(source, uci, { values: "uci" });
  const report: string[] = [];
  const names = source === "concrete"
    ? expandNames(datasetEntry("concrete").featureNames, 0)
    : expandNames(datasetEntry(source === "wine" ? "wine" : "parkinson-total").featureNames, 0);
  const line = (what: string, d: number[]) =>
    report.push(`  ${what}: ${d.map((v, j) => `${names[j]} ${v.toExponential(2)}`).join(", ")}`);
  if (source === "parkinson") {
    const x = toRows(a.X, "X");
    const y = toRows(a.y, "y");
    const dx = maxAbsByColumn(table.x, x);
    const dy = maxAbsByColumn(table.y, y);
    if ([...dx, ...dy].some((d) => d !== 0)) throw new Error(`parkinson: rebuilt rows differ: ${dx} ${dy}`);
    const ids = Array.from(a.ids.data);
    const teN = Math.floor(0.2 * ids.length);
    line("raw UCI vs authors' X (raw)", maxAbsByColumn(raw.x, x));
    line(
      "raw UCI vs authors' X, both standardised over all rows",
      maxAbsByColumn(standardizeFullDataAuthors(raw.x), standardizeFullDataAuthors(x)),
    );
    report.push(`  rebuilt vs authors': X, y exact (max |Δ| 0); rows in file order; ids = permutation`);
    return { test: ids.slice(0, teN), train: ids.slice(teN), report };
  }
  const part = (p: "tr" | "te") => ({ x: toRows(a[`${p}X`], `${p}X`), y: toRows(a[`${p}Y`], `${p}Y`) });
  const [tr, te] = [part("tr"), part("te")];
  const all = { x: [...tr.x, ...te.x], y: [...tr.y, ...te.y] };
  const { rows, duplicates } = matchRows(table, all);
  const take = (t: { x: number[][] }) => rows.map((i) => t.x[i]);
  const rawValues = authorsTable(source, uci, { values: "uci", standardize: false });
  const roundedValues = authorsTable(source, uci, { standardize: false });
  line("raw UCI vs ucimlrepo values (unstandardised)", maxAbsByColumn(rawValues.x, roundedValues.x));
  line("raw UCI vs authors' X (both standardised)", maxAbsByColumn(take(raw), all.x));
  line("rebuilt vs authors' X", maxAbsByColumn(take(table), all.x));
  report.push(
    `  targets: raw UCI vs authors' max |Δ| ${
      Math.max(...rows.map((i, k) => Math.abs(raw.y[i][0] - all.y[k][0]))).toExponential(2)
    }, rebuilt vs authors' ${Math.max(...rows.map((i, k) => Math.abs(table.y[i][0] - all.y[k][0])))}`,
    `  ${duplicates} UCI rows repeat an earlier row (after rounding); assigned in increasing row order`,
  );
  return { train: rows.slice(0, tr.x.length), test: rows.slice(tr.x.length), report };
}

async function file(out: string, path: string, bytes: Uint8Array, role: EmbeddedFile["role"]) {
  await Deno.mkdir(dirname(join(out, path)), { recursive: true });
  await Deno.writeFile(join(out, path), bytes);
  return { path, bytes: bytes.length, sha256: await sha256Hex(bytes), role };
}

/** Runs the tool; returns the manifest it wrote. */
async function embedUci(mirror: string, out: string): Promise<EmbeddedManifest> {
  const files: EmbeddedFile[] = [];
  const splitPath: Record<AuthorsSource, string> = {
    concrete: "splits/concrete.csv",
    wine: "splits/wine.csv",
    parkinson: "splits/parkinson.csv",
  };
  for (const source of ["concrete", "wine", "parkinson"] as const) {
    const uci: Record<string, Uint8Array> = {};
    for (const path of authorsSourceFiles(source)) {
      uci[path] = await verified(mirror, path);
      const gz = gzipSync(uci[path], { level: 9, mtime: 0 });
      files.push({
        ...await file(out, `${path}.gz`, gz, "data"),
        gunzip: { path, bytes: uci[path].length, sha256: await sha256Hex(uci[path]) },
      });
    }
    const d = await derive(source, mirror, uci);
    console.log(`${source}: ${d.train.length} train / ${d.test.length} test\n${d.report.join("\n")}`);
    const csv = ["part,uci_row", ...d.train.map((i) => `train,${i}`), ...d.test.map((i) => `test,${i}`)];
    files.push(await file(out, splitPath[source], new TextEncoder().encode(`${csv.join("\n")}\n`), "split"));
  }
  const uciFiles = (s: AuthorsSource) => authorsSourceFiles(s).map((p) => `${p}.gz`);
  const manifest: EmbeddedManifest & { $comment: string } = {
    $comment:
      "Written by tools/data/embed_uci.ts (do not edit). The UCI files are CC BY 4.0; see data/README.md.",
    version: 1,
    files,
    datasets: Object.fromEntries(
      Object.entries(DATASETS).map(([id, s]) => [id, { source: s, files: [...uciFiles(s), splitPath[s]] }]),
    ),
  };
  await Deno.writeTextFile(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const total = files.reduce((s, f) => s + f.bytes, 0);
  console.log(`wrote ${files.length} files, ${total} bytes, to ${out}`);
  return manifest;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { mirror: { type: "string" }, out: { type: "string" } },
  });
  const mirror = values.mirror ?? Deno.env.get("GAR_DATA_MIRROR");
  if (!mirror) {
    console.error(
      "usage: deno run -A tools/data/embed_uci.ts --mirror DIR [--out DIR] (or set GAR_DATA_MIRROR)",
    );
    Deno.exit(2);
  }
  await embedUci(mirror, values.out ?? fileURLToPath(new URL("../../data/embedded", import.meta.url)));
}
