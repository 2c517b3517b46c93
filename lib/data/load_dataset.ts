/**
 * Loading a registry dataset into float64 train/test tables.
 *
 * Loaders (the registry's `parser`):
 * - `gar-split-npz` (concrete, wine): the authors' `trX trY teX teY` arrays as stored.
 * - `gar-parkinson-npz` (parkinson-total / -motor): `X` (Fortran order), `y[:, 0]` motor or
 *   `y[:, 1]` total, split by the stored `ids` (test = `ids[:int(0.2·N)]`).
 * - `uci-concrete-xls`, `uci-wine-csv`, `uci-parkinson-data` (the `-uci` ids): the raw UCI files
 *   with the kit's seeded split.
 * - `uci-supercon-csv` (superconductivity): UCI's `train.csv` (81 features + `critical_temp`).
 * - `gar-ic50-npz` (ic50): `X` (first 966 columns), `Y` (15 targets; NaN = missing, kept and
 *   counted), split by `ids`.
 * - `agedb`: the listing CSV (age, path, split) with linear-probe features
 *   `agedb/features/{train,val,test}.npy` (rows in listing order).
 * - `synthetic` (sine, squared-sine): generated; split by the authors' ids when their file is
 *   present, else a kit-seeded half/half split.
 *
 * When `fetchDataset` falls back to the embedded copy (`concrete`, `wine`, `parkinson-*` without
 * their `.npz`), `reconstructAuthorsSplit` gives the same arrays in place of the `.npz` loader.
 *
 * Files are obtained by `fetch_dataset.ts` (here, or beforehand: `options.status`); a CSV of your own
 * is prepared by `prepare_csv.ts`; `inspect_dataset.ts` summarises a dataset; `export_split.ts` writes a task's
 * raw rows in the authors' split as the CSV files a user would hold.
 *
 * @module
 */
import { parseAgeDb } from "./agedb.ts";
import { numericColumns, readCsv } from "./csv.ts";
import { DataFormatError, DataUnavailableError } from "./errors.ts";
import { type DataLocation, dataLocation, type DatasetStatus, fetchDataset } from "./fetch_dataset.ts";
import { takeRows, toRows } from "./matrix.ts";
import { readNpz } from "./npz.ts";
import { reconstructAuthorsSplit } from "./reconstruct_authors_split.ts";
import { type DatasetEntry, datasetEntry, expandNames, type StandardizeMode } from "./registry.ts";
import { trainTestSplit } from "./split.ts";
import { standardize, standardizeFullDataAuthors } from "./standardize.ts";
import { generateSynthetic } from "./synthetic.ts";
import { readNumericSheet } from "./xls.ts";

/** Features and targets of one split. */
export interface Part {
  /** Feature rows `[n][D]`. */
  x: number[][];
  /** Target rows `[n][T]`. */
  y: number[][];
}

/** A loaded dataset. */
export interface Dataset {
  /** Dataset id. */
  id: string;
  /** Registry title. */
  title: string;
  /** Feature names (length D). */
  featureNames: string[];
  /** Target names (length T). */
  targetNames: string[];
  /** Training rows. */
  train: Part;
  /** Test rows. */
  test: Part;
  /** Validation rows, where the dataset defines them (AgeDB). */
  val?: Part;
  /** The split actually used, in words. */
  split: string;
  /** The feature standardisation applied at load time. */
  standardize: StandardizeMode;
  /** Files used: registry path, actual sha256, verification state. */
  files: { path: string; sha256: string | null; state: string }[];
  /** Remarks (missing targets, unverified files, …). */
  notes: string[];
  /** Where the files came from (`cache`, `mirror`, `network`, `embedded`, …; see `DatasetStatus`). */
  source?: DatasetStatus["source"];
}

/** Options of {@linkcode loadDataset}. */
export interface LoadOptions {
  /** Data location (default: from the environment). */
  location?: DataLocation;
  /** Seed of the kit's split where one is used (default 0). */
  seed?: number;
  /** Override the registry's default standardisation. */
  standardize?: StandardizeMode;
  /** False: use the cache only, never copy or download (default true). */
  acquire?: boolean;
  /**
   * The dataset's files as `fetchDataset` already obtained and verified them: used as they are,
   * without fetching again (`location` and `acquire` are then not used).
   */
  status?: DatasetStatus;
}

interface Ctx {
  entry: DatasetEntry;
  status: DatasetStatus;
  mode: StandardizeMode;
  seed: number;
  notes: string[];
  read(path: string): Promise<Uint8Array>;
  has(path: string): boolean;
}

type Loaded = { x: number[][]; y: number[][]; split: string; ids?: ArrayLike<number>; val?: Part } | {
  parts: { train: Part; test: Part; val?: Part };
  split: string;
};

/**
 * Loads a registry dataset: obtains and verifies its files (see `fetch_dataset.ts`; or takes them
 * from `options.status`), parses them, splits and standardises as the registry says (or as
 * `options` override).
 *
 * @param id dataset id (see `deno task data list`)
 * @param options see {@linkcode LoadOptions}
 * @throws {ChecksumError} when a required file was refused
 * @throws {DataUnavailableError} when a required file cannot be obtained (says how to get it)
 * @throws {DataFormatError} when a file is malformed
 *
 * @example
 * ```ts
 * import { loadDataset } from "./load_dataset.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const d = await loadDataset("sine", { location: { cacheDir: dir, mirror: null, network: false, timeoutMs: 1 } });
 * assert.equal(d.train.x.length + d.test.x.length, 629);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadDataset(id: string, options: LoadOptions = {}): Promise<Dataset> {
  const entry = datasetEntry(id);
  const status = options.status ??
    await fetchDataset(id, {
      location: options.location ?? dataLocation(),
      acquire: options.acquire ?? true,
    });
  if (status.id !== id) throw new Error(`loadDataset: status of ${status.id} given for ${id}`);
  for (const f of status.files) {
    if (f.required && f.state === "refused") throw f.checksumErrors[0];
  }
  if (!status.available) {
    const missing = status.files.filter((f) => f.required && f.state === "missing");
    throw new DataUnavailableError(
      id,
      `${missing.map((f) => `${f.path} (${f.message})`).join("; ")}. To obtain it: ${entry.obtain}`,
    );
  }
  const usable = new Map(
    status.files.filter((f) => f.state === "verified" || f.state === "unverified" || f.state === "present")
      .map((f) => [f.path, f.localPath]),
  );
  const notes: string[] = [];
  for (const f of status.files) {
    if (f.state === "unverified") {
      notes.push(`${f.path}: no recorded hash; used unverified (sha256 ${f.actual})`);
    }
  }
  const ctx: Ctx = {
    entry,
    status,
    mode: options.standardize ?? entry.standardize,
    seed: options.seed ?? 0,
    notes,
    has: (p) => usable.has(p),
    read: async (p) => {
      const local = usable.get(p);
      if (!local) throw new DataUnavailableError(id, `${p} is not present. ${entry.obtain}`);
      return await Deno.readFile(local);
    },
  };
  const loader = LOADERS[entry.parser];
  if (!loader) throw new Error(`registry entry ${id}: unknown parser ${entry.parser}`);
  const loaded = status.source === "embedded" ? await embedded(id, status, notes) : await loader(ctx);
  let parts: { train: Part; test: Part; val?: Part };
  if ("parts" in loaded) {
    parts = loaded.parts;
    if (ctx.mode === "train") {
      const sets = standardize(parts.train.x, parts.test.x, ...(parts.val ? [parts.val.x] : [])).sets;
      parts = {
        train: { x: sets[0], y: parts.train.y },
        test: { x: sets[1], y: parts.test.y },
        ...(parts.val ? { val: { x: sets[2], y: parts.val.y } } : {}),
      };
    } else if (ctx.mode === "authors-full-data") {
      throw new Error(`${id}: standardize "authors-full-data" needs the unsplit data; use "train" or "none"`);
    }
  } else {
    const n = loaded.x.length;
    const frac = entry.split.testFraction ?? 0.2;
    const s = trainTestSplit(
      n,
      loaded.ids ? { ids: loaded.ids, testFraction: frac } : { seed: ctx.seed, testFraction: frac },
    );
    const x = ctx.mode === "authors-full-data" ? standardizeFullDataAuthors(loaded.x) : loaded.x;
    let train = { x: takeRows(x, s.train, `${id} X`), y: takeRows(loaded.y, s.train, `${id} y`) };
    let test = { x: takeRows(x, s.test, `${id} X`), y: takeRows(loaded.y, s.test, `${id} y`) };
    if (ctx.mode === "train") {
      const [a, b] = standardize(train.x, test.x).sets;
      train = { x: a, y: train.y };
      test = { x: b, y: test.y };
    }
    parts = { train, test };
  }
  const d = parts.train.x[0]?.length ?? 0;
  const t = parts.train.y[0]?.length ?? 0;
  const featureNames = expandNames(entry.featureNames, d);
  const targetNames = expandNames(entry.targetNames, t);
  if (featureNames.length !== d || targetNames.length !== t) {
    throw new DataFormatError(
      `${id}: files give ${d} features / ${t} targets, the registry names ${featureNames.length} / ${targetNames.length}`,
    );
  }
  return {
    id,
    title: entry.title,
    featureNames,
    targetNames,
    ...parts,
    split: loaded.split,
    standardize: ctx.mode,
    files: status.files.filter((f) => f.actual !== null && usable.has(f.path))
      .map((f) => ({ path: f.path, sha256: f.actual, state: f.state })),
    notes,
    source: status.source,
  };
}

async function embedded(id: string, status: DatasetStatus, notes: string[]): Promise<Loaded> {
  const why = status.files.filter((f) => f.source !== "embedded").map((f) => `${f.path}: ${f.message}`);
  notes.push(
    `rebuilt from the kit's embedded UCI copy (data/embedded/, CC BY 4.0; equal to the authors' arrays) ` +
      `because the authors' file could not be obtained (${why.join("; ")})`,
  );
  return (await reconstructAuthorsSplit(id)).tables;
}

function req(entry: DatasetEntry, role: string): string {
  const f = entry.files.find((x) => x.role === role);
  if (!f) throw new Error(`registry entry ${entry.id} has no ${role} file`);
  return f.path;
}

function npzKeys(arrays: Record<string, unknown>, keys: string[], name: string): void {
  for (const k of keys) {
    if (!(k in arrays)) {
      throw new DataFormatError(`${name}: missing array "${k}" (has ${Object.keys(arrays).join(", ")})`);
    }
  }
}

const LOADERS: Record<string, (ctx: Ctx) => Promise<Loaded>> = {
  "gar-split-npz": async (ctx) => {
    const path = req(ctx.entry, "data");
    const a = readNpz(await ctx.read(path), path);
    npzKeys(a, ["trX", "trY", "teX", "teY"], path);
    return {
      parts: {
        train: { x: toRows(a.trX, `${path}:trX`), y: toRows(a.trY, `${path}:trY`) },
        test: { x: toRows(a.teX, `${path}:teX`), y: toRows(a.teY, `${path}:teY`) },
      },
      split: ctx.entry.split.description,
    };
  },
  "gar-parkinson-npz": async (ctx) => {
    const path = req(ctx.entry, "data");
    const a = readNpz(await ctx.read(path), path);
    npzKeys(a, ["X", "y", "ids"], path);
    const col = ctx.entry.params.targetColumn as number;
    const y = toRows(a.y, `${path}:y`).map((r) => [r[col]]);
    return { x: toRows(a.X, `${path}:X`), y, ids: a.ids.data, split: ctx.entry.split.description };
  },
  "uci-concrete-xls": async (ctx) => {
    const path = req(ctx.entry, "data");
    const { header, rows } = readNumericSheet(await ctx.read(path), path);
    if (header.length !== 9) throw new DataFormatError(`${path}: expected 9 columns, found ${header.length}`);
    return { x: rows.map((r) => r.slice(0, 8)), y: rows.map((r) => [r[8]]), split: seededText(ctx) };
  },
  "uci-wine-csv": async (ctx) => {
    const x: number[][] = [];
    const y: number[][] = [];
    for (const f of ctx.entry.files.filter((f) => f.role === "data")) {
      const table = readCsv(await ctx.read(f.path), { separator: ";", name: f.path });
      const names = expandNames(ctx.entry.featureNames, 0);
      const { rows } = numericColumns(table, [...names, "quality"]);
      for (const r of rows) {
        x.push(r.slice(0, names.length));
        y.push([r[names.length]]);
      }
    }
    return { x, y, split: seededText(ctx) };
  },
  "uci-parkinson-data": async (ctx) => {
    const path = req(ctx.entry, "data");
    const table = readCsv(await ctx.read(path), { name: path });
    const names = expandNames(ctx.entry.featureNames, 0);
    const { rows } = numericColumns(table, [...names, ctx.entry.params.target as string]);
    return {
      x: rows.map((r) => r.slice(0, names.length)),
      y: rows.map((r) => [r[names.length]]),
      split: seededText(ctx),
    };
  },
  "uci-supercon-csv": async (ctx) => {
    const path = req(ctx.entry, "data");
    const table = readCsv(await ctx.read(path), { name: path });
    const names = expandNames(ctx.entry.featureNames, 0);
    const { rows } = numericColumns(table, [...names, "critical_temp"]);
    return {
      x: rows.map((r) => r.slice(0, names.length)),
      y: rows.map((r) => [r[names.length]]),
      split: seededText(ctx),
    };
  },
  "gar-ic50-npz": async (ctx) => {
    const path = req(ctx.entry, "data");
    const a = readNpz(await ctx.read(path), path);
    npzKeys(a, ["X", "Y", "ids"], path);
    const main = ctx.entry.params.mainFeatures as number;
    const X = toRows(a.X, `${path}:X`);
    if ((X[0]?.length ?? 0) < main) {
      throw new DataFormatError(`${path}: X has ${X[0]?.length ?? 0} columns; at least ${main} expected`);
    }
    const Y = toRows(a.Y, `${path}:Y`);
    if (Y.length !== X.length || a.ids.data.length !== X.length) {
      throw new DataFormatError(`${path}: X, Y and ids must have the same number of rows`);
    }
    const missing = Y.flat().filter((v) => Number.isNaN(v)).length;
    if (missing > 0) {
      ctx.notes.push(
        `${path}: ${missing} of ${Y.length * (Y[0]?.length ?? 0)} target values are missing (NaN), kept`,
      );
    }
    return { x: X.map((r) => r.slice(0, main)), y: Y, ids: a.ids.data, split: ctx.entry.split.description };
  },
  agedb: async (ctx) => {
    const listing = req(ctx.entry, "listing");
    const path = (s: string) => `agedb/features/${s}.npy`;
    const parts = parseAgeDb(
      await ctx.read(listing),
      {
        train: await ctx.read(path("train")),
        val: await ctx.read(path("val")),
        test: await ctx.read(path("test")),
      },
      { listing, features: { train: path("train"), val: path("val"), test: path("test") } },
    );
    const images = ctx.status.files.find((f) => f.role === "images");
    ctx.notes.push(
      `images: ${images?.state === "present" ? images.message : "not present (not needed with features)"}`,
    );
    return { parts, split: ctx.entry.split.description };
  },
  synthetic: async (ctx) => {
    const { x, y } = generateSynthetic(ctx.entry.params.kind as "sine" | "squared-sine");
    const path = req(ctx.entry, "split-ids");
    if (ctx.has(path)) {
      const a = readNpz(await ctx.read(path), path);
      npzKeys(a, ["ids"], path);
      if (a.ids.data.length !== x.length) {
        throw new DataFormatError(`${path}: ids has ${a.ids.data.length} entries, expected ${x.length}`);
      }
      return {
        x,
        y,
        ids: a.ids.data,
        split: `the authors' ids from ${path}: ${ctx.entry.split.description}`,
      };
    }
    ctx.notes.push(`${path} not present: kit-seeded split (seed ${ctx.seed}) instead of the authors' ids`);
    return { x, y, split: `kit-seeded permutation (seed ${ctx.seed}), test = first half` };
  },
};

function seededText(ctx: Ctx): string {
  return `kit-seeded permutation (mulberry32, seed ${ctx.seed}): test = first floor(0.2·N) ids, train = the rest`;
}
