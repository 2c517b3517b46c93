/**
 * The kit's embedded copy of the data behind `concrete`, `wine`, `parkinson-total` and
 * `parkinson-motor`, in `data/embedded/`, so that these datasets load with the authors' split on a
 * fresh clone without network or mirror.
 *
 * The authors' `.npz` files have no licence and are never committed. What is committed instead:
 * - the raw UCI files (CC BY 4.0), each gzip-compressed byte for byte (`uci/<path>.gz`; decompressed,
 *   each has the sha256 the registry records for the `-uci` dataset that reads it);
 * - the authors' split as row indices into those UCI rows (`splits/<source>.csv`, columns
 *   `part,uci_row`: the training rows in the authors' training order, then the test rows in their
 *   test order), derived once from the authors' files by `tools/data/embed_uci.ts`.
 *
 * `manifest.json` (written by the same tool) lists every file with size and sha256; each file is
 * verified before use (and each decompressed UCI file against the registry), like any registry
 * file. `authors_tables.ts` turns the UCI rows into the authors' values.
 *
 * @module
 */
import { gunzipSync } from "fflate";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import raw from "../../data/embedded/manifest.json" with { type: "json" };
import type { AuthorsSource } from "./authors_tables.ts";
import { ChecksumError, DataFormatError } from "./errors.ts";
import type { FileStatus } from "./fetch_dataset.ts";
import { datasetEntries } from "./registry.ts";
import { sha256Hex } from "./sha256.ts";

/** One file of the embedded copy (paths relative to `data/embedded/`). */
export interface EmbeddedFile {
  /** Path inside `data/embedded/`, e.g. `uci/concrete/Concrete_Data.xls.gz`. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** sha256 of the file as stored. */
  sha256: string;
  /** `data` (a gzip-compressed UCI file) or `split` (row indices). */
  role: "data" | "split";
  /** For `data`: the UCI file it decompresses to (registry path, size, sha256). */
  gunzip?: { path: string; bytes: number; sha256: string };
}

/** `data/embedded/manifest.json`. */
export interface EmbeddedManifest {
  /** Format version (1). */
  version: number;
  /** Every file. */
  files: EmbeddedFile[];
  /** Registry ids the copy serves: the UCI source and the files of each (the UCI files, then the split). */
  datasets: Record<string, { source: AuthorsSource; files: string[] }>;
}

/** The embedded manifest. */
export const EMBEDDED_MANIFEST: EmbeddedManifest = raw as unknown as EmbeddedManifest;

/** The folder of the embedded copy in this checkout. */
export const EMBEDDED_DIR: string = fileURLToPath(new URL("../../data/embedded", import.meta.url));

/** A file's outcome; as {@linkcode FileStatus}, with `source: "embedded"`. */
export type EmbeddedFileStatus = Omit<FileStatus, "source"> & { source: "embedded" };

/** The verified embedded copy of one dataset. */
export interface EmbeddedCopy {
  /** Registry id. */
  id: string;
  /** The UCI data set. */
  source: AuthorsSource;
  /** Per-file outcomes (paths `data/embedded/…`). */
  files: EmbeddedFileStatus[];
  /** True when every file was verified; then `contents` and `split` are set. */
  ok: boolean;
  /** The decompressed UCI files by registry path (`uci/concrete/Concrete_Data.xls`, …). */
  contents: Record<string, Uint8Array> | null;
  /** The authors' split: row indices into the UCI rows, in the authors' order. */
  split: { train: number[]; test: number[] } | null;
}

function uciSha256(path: string): string | null {
  for (const e of datasetEntries()) {
    const f = e.files.find((x) => x.path === path);
    if (f) return f.sha256;
  }
  return null;
}

function parseSplit(bytes: Uint8Array, name: string): { train: number[]; test: number[] } {
  const [head, ...lines] = new TextDecoder().decode(bytes).trimEnd().split("\n");
  if (head !== "part,uci_row") throw new DataFormatError(`${name}: expected the header "part,uci_row"`);
  const split = { train: [] as number[], test: [] as number[] };
  lines.forEach((line, i) => {
    const m = /^(train|test),(\d+)$/.exec(line);
    if (!m) throw new DataFormatError(`${name}: line ${i + 2} is not "train|test,<row>": "${line}"`);
    split[m[1] as "train" | "test"].push(Number(m[2]));
  });
  return split;
}

/**
 * Reads and verifies the embedded copy of dataset `id` (see the module doc). Never throws for a
 * missing or refused file: it is reported in `files` and `ok` is false.
 *
 * @param id `concrete`, `wine`, `parkinson-total` or `parkinson-motor`
 * @param options `dir`: the folder of the copy (default {@linkcode EMBEDDED_DIR})
 * @throws {Error} for an id without an embedded copy
 * @throws {DataFormatError} when a verified split file is malformed
 *
 * @example
 * ```ts
 * import { readEmbeddedCopy } from "./embedded_copy.ts";
 * import assert from "node:assert/strict";
 * const c = await readEmbeddedCopy("concrete");
 * assert.ok(c.ok);
 * assert.deepEqual(c.files.map((f) => f.state), ["verified", "verified"]);
 * assert.equal(c.split?.train.length, 824);
 * ```
 */
export async function readEmbeddedCopy(id: string, options: { dir?: string } = {}): Promise<EmbeddedCopy> {
  const entry = EMBEDDED_MANIFEST.datasets[id];
  if (!entry) {
    throw new Error(
      `no embedded copy of "${id}"; there is one of ${Object.keys(EMBEDDED_MANIFEST.datasets)}`,
    );
  }
  const dir = options.dir ?? EMBEDDED_DIR;
  const wanted = entry.files.map((p) => {
    const f = EMBEDDED_MANIFEST.files.find((x) => x.path === p);
    if (!f) throw new Error(`data/embedded/manifest.json: ${id} names ${p}, which it does not list`);
    return f;
  });
  const files: EmbeddedFileStatus[] = [];
  const contents: Record<string, Uint8Array> = {};
  let split: EmbeddedCopy["split"] = null;
  for (const f of wanted) {
    const localPath = join(dir, f.path);
    const status: EmbeddedFileStatus = {
      path: `data/embedded/${f.path}`,
      localPath,
      required: true,
      role: f.role,
      state: "missing",
      source: "embedded",
      expected: f.sha256,
      actual: null,
      checksumErrors: [],
      message: "",
    };
    files.push(status);
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(localPath);
    } catch (e) {
      status.message = `embedded copy not readable at ${localPath}: ${(e as Error).message}`;
      continue;
    }
    status.actual = await sha256Hex(bytes);
    const refuse = (file: string, expected: string, actual: string) => {
      status.state = "refused";
      status.checksumErrors.push(new ChecksumError(file, expected, actual));
      status.message = status.checksumErrors[0].message;
    };
    if (status.actual !== f.sha256) {
      refuse(status.path, f.sha256, status.actual);
      continue;
    }
    if (f.gunzip) {
      const content = gunzipOrEmpty(bytes);
      const expected = uciSha256(f.gunzip.path) ?? f.gunzip.sha256;
      const actual = await sha256Hex(content);
      if (actual !== expected) {
        refuse(`${status.path} (decompressed ${f.gunzip.path})`, expected, actual);
        continue;
      }
      contents[f.gunzip.path] = content;
      status.message = `sha256 verified (embedded copy; decompressed: ${f.gunzip.path}, verified)`;
    } else {
      split = parseSplit(bytes, status.path);
      status.message = "sha256 verified (embedded copy)";
    }
    status.state = "verified";
  }
  const ok = files.every((s) => s.state === "verified") && split !== null;
  return { id, source: entry.source, files, ok, contents: ok ? contents : null, split: ok ? split : null };
}

function gunzipOrEmpty(bytes: Uint8Array): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch {
    return new Uint8Array(0);
  }
}
