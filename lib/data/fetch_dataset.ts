/**
 * Obtaining dataset files: the cache, a local mirror, or the network, always verified.
 *
 * - Cache: `GAR_DATA_DIR`, default `data/cache` in the repository (git-ignored). The cache holds
 *   files at their registry paths (`gar-official/CCS.npz`, `uci/concrete/Concrete_Data.xls`, …).
 * - Mirror: `GAR_DATA_MIRROR=<dir>`, a folder with the same relative paths. When set, files are
 *   copied from it and the network is not used.
 * - Network: otherwise each registry URL is tried in order, with a short timeout
 *   (`GAR_FETCH_TIMEOUT_MS`, default 15000 ms). `GAR_DATA_OFFLINE=1` disables the network.
 * - Embedded copy: last, for `concrete`, `wine`, `parkinson-total` and `parkinson-motor` only: when
 *   their authors' file is missing from all of the above, the kit's verified copy of the UCI files
 *   with the authors' split (`data/embedded/`, see `embedded_copy.ts`) is used instead, and the
 *   status says so (`source: "embedded"`). A refused (checksum-mismatched) file is never replaced.
 *
 * Every file with a recorded sha256 is verified (Web Crypto) before it is used or written; a
 * mismatch refuses the file and names it with the expected and actual hashes. New files are written
 * to a temporary name in the cache folder and renamed only after verification, so an interrupted
 * download never leaves a file that passes for complete. Files without a recorded hash (data that
 * were not available where the registry was written) are accepted as "unverified" and their
 * actual sha256 is reported.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import { EMBEDDED_MANIFEST, readEmbeddedCopy } from "./embedded_copy.ts";
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { ChecksumError } from "./errors.ts";
import { datasetEntry, type RegistryFile } from "./registry.ts";
import { sha256Hex } from "./sha256.ts";

/** Where data come from. */
export interface DataLocation {
  /** Absolute cache folder. */
  cacheDir: string;
  /** Absolute mirror folder, or null. */
  mirror: string | null;
  /** Whether downloads are allowed (ignored when a mirror is set). */
  network: boolean;
  /** Download timeout in milliseconds. */
  timeoutMs: number;
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The data location from the environment (`GAR_DATA_DIR`, `GAR_DATA_MIRROR`, `GAR_DATA_OFFLINE`,
 * `GAR_FETCH_TIMEOUT_MS`), with `overrides` taking precedence.
 *
 * @example
 * ```ts
 * import { dataLocation } from "./fetch_dataset.ts";
 * import assert from "node:assert/strict";
 * const loc = dataLocation({ cacheDir: "/tmp/gar-cache", mirror: null });
 * assert.equal(loc.cacheDir, "/tmp/gar-cache");
 * ```
 */
export function dataLocation(overrides: Partial<DataLocation> = {}): DataLocation {
  const defaultCache = fileURLToPath(new URL("../../data/cache", import.meta.url));
  const mirror = overrides.mirror !== undefined ? overrides.mirror : env("GAR_DATA_MIRROR") ?? null;
  const timeout = Number(env("GAR_FETCH_TIMEOUT_MS") ?? 15000);
  return {
    cacheDir: resolve(overrides.cacheDir ?? env("GAR_DATA_DIR") ?? defaultCache),
    mirror: mirror === null ? null : resolve(mirror),
    network: overrides.network ?? env("GAR_DATA_OFFLINE") !== "1",
    timeoutMs: overrides.timeoutMs ?? (Number.isFinite(timeout) && timeout > 0 ? timeout : 15000),
  };
}

/** The outcome for one file. */
export interface FileStatus {
  /** Registry path. */
  path: string;
  /** Absolute path in the cache (present only when `state` is verified, unverified or present). */
  localPath: string;
  /** Whether the dataset needs it. */
  required: boolean;
  /** Role from the registry. */
  role: string;
  /**
   * `verified` (hash matches), `unverified` (no recorded hash; accepted), `present` (a folder),
   * `missing` (not obtainable now) or `refused` (checksum mismatch).
   */
  state: "verified" | "unverified" | "present" | "missing" | "refused";
  /** Where it came from this time. */
  source: "cache" | "mirror" | "network" | "embedded" | null;
  /** Recorded sha256 or null. */
  expected: string | null;
  /** Actual sha256 of the accepted (or last refused) bytes, or null. */
  actual: string | null;
  /** Checksum mismatches met, one per refused copy. */
  checksumErrors: ChecksumError[];
  /** What happened, in words. */
  message: string;
}

/** The outcome for one dataset. */
export interface DatasetStatus {
  /** Dataset id. */
  id: string;
  /** True when every required file is verified, unverified-but-present, or a present folder. */
  available: boolean;
  /** Per-file outcomes. */
  files: FileStatus[];
  /** How to obtain the data (from the registry), for unavailable datasets. */
  howToObtain: string;
  /**
   * Where the usable files came from: the one `source` of them all ({@linkcode FileStatus}), `mixed`,
   * or null when unavailable or no file was used. `embedded`: the registry's files were missing and
   * the embedded copy (its files listed last in `files`) is used instead.
   */
  source?: FileStatus["source"] | "mixed";
}

async function readIfExists(path: string): Promise<Uint8Array | null> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.IsADirectory) return null;
    throw e;
  }
}

async function download(url: string, member: string | undefined, timeoutMs: number): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (member === undefined) return bytes;
  const files = unzipSync(bytes, { filter: (f) => f.name === member || f.name.endsWith(`/${member}`) });
  const found = Object.values(files)[0];
  if (!found) throw new Error(`archive has no member ${member}`);
  return found;
}

async function countFiles(dir: string): Promise<number | null> {
  try {
    let n = 0;
    const walk = async (d: string) => {
      for await (const e of Deno.readDir(d)) {
        if (e.isDirectory) await walk(join(d, e.name));
        else n++;
      }
    };
    await walk(dir);
    return n;
  } catch {
    return null;
  }
}

/**
 * Makes one registry file available in the cache (cache → mirror → network), verifying it.
 *
 * @param file the registry file
 * @param loc where data come from
 * @param acquire false: only inspect the cache (no copy, no download)
 *
 * @example
 * ```ts
 * import { dataLocation, fetchFile } from "./fetch_dataset.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const file = { path: "x/none.bin", urls: [], bytes: null, sha256: null, required: true, role: "data" };
 * const s = await fetchFile(file, dataLocation({ cacheDir: dir, mirror: null, network: false }));
 * assert.equal(s.state, "missing");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function fetchFile(file: RegistryFile, loc: DataLocation, acquire = true): Promise<FileStatus> {
  const localPath = join(loc.cacheDir, file.path);
  const status: FileStatus = {
    path: file.path,
    localPath,
    required: file.required,
    role: file.role,
    state: "missing",
    source: null,
    expected: file.sha256,
    actual: null,
    checksumErrors: [],
    message: "",
  };
  const notes: string[] = [];
  if (file.kind === "directory") {
    let n = await countFiles(localPath);
    if (n === null && acquire && loc.mirror !== null) {
      const src = join(loc.mirror, file.path);
      if (await countFiles(src) !== null) {
        await Deno.mkdir(dirname(localPath), { recursive: true });
        await Deno.symlink(src, localPath).catch(() => {});
        n = await countFiles(localPath);
      }
    }
    if (n === null) return { ...status, message: `folder not present at ${localPath}` };
    return { ...status, state: "present", source: "cache", message: `folder with ${n} file(s)` };
  }
  // Accepts bytes from a source if they pass; records a ChecksumError otherwise.
  const accept = async (bytes: Uint8Array, where: string, source: FileStatus["source"]): Promise<boolean> => {
    const actual = await sha256Hex(bytes);
    status.actual = actual;
    if (file.sha256 !== null && actual !== file.sha256) {
      status.checksumErrors.push(new ChecksumError(where, file.sha256, actual));
      return false;
    }
    if (source !== "cache") await writeFileAtomic(localPath, bytes);
    status.state = file.sha256 === null ? "unverified" : "verified";
    status.source = source;
    return true;
  };
  const cached = await readIfExists(localPath);
  if (cached !== null && await accept(cached, localPath, "cache")) {
    return { ...status, message: done(status, "cache") };
  }
  if (acquire && loc.mirror !== null) {
    const src = join(loc.mirror, file.path);
    const bytes = await readIfExists(src);
    if (bytes === null) notes.push(`not in the mirror (${src})`);
    else if (await accept(bytes, src, "mirror")) return { ...status, message: done(status, `mirror ${src}`) };
  } else if (acquire && loc.network) {
    for (const url of file.urls) {
      try {
        const bytes = await download(url, file.archiveMember, loc.timeoutMs);
        if (await accept(bytes, url, "network")) return { ...status, message: done(status, url) };
      } catch (e) {
        notes.push(`download failed: ${url}: ${(e as Error).message}`);
      }
    }
    if (file.urls.length === 0) notes.push("no public download URL");
  } else if (acquire) {
    notes.push("network disabled (GAR_DATA_OFFLINE=1) and no GAR_DATA_MIRROR");
  } else {
    notes.push(cached === null ? "not in the cache" : "");
  }
  status.state = status.checksumErrors.length > 0 ? "refused" : "missing";
  status.message = [...status.checksumErrors.map((e) => e.message), ...notes].filter((s) => s).join("; ");
  return status;
}

function done(s: FileStatus, from: string): string {
  return s.state === "verified"
    ? `sha256 verified (${from})`
    : `accepted UNVERIFIED from ${from}: the registry has no recorded hash; actual sha256 ${s.actual}`;
}

/**
 * Makes a dataset's files available (or, with `acquire: false`, only checks the cache) and
 * reports per file. Never throws for missing or refused files: they are reported.
 *
 * @param id dataset id
 * @param options `location` (default from the environment), `acquire` (default true)
 *
 * @example
 * ```ts
 * import { dataLocation, fetchDataset } from "./fetch_dataset.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const s = await fetchDataset("ic50", { location: dataLocation({ cacheDir: dir, mirror: null, network: false }) });
 * assert.equal(s.available, false);
 * assert.match(s.howToObtain, /ic50/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function fetchDataset(
  id: string,
  options: { location?: DataLocation; acquire?: boolean } = {},
): Promise<DatasetStatus> {
  const entry = datasetEntry(id);
  const loc = options.location ?? dataLocation();
  const files: FileStatus[] = [];
  for (const f of entry.files) files.push(await fetchFile(f, loc, options.acquire ?? true));
  const ok = (s: FileStatus) => s.state === "verified" || s.state === "unverified" || s.state === "present";
  const available = files.every((s) => !s.required || ok(s));
  const refused = files.some((s) => s.required && s.state === "refused");
  if (!available && !refused && (options.acquire ?? true) && id in EMBEDDED_MANIFEST.datasets) {
    const copy = await readEmbeddedCopy(id);
    const source = copy.ok ? "embedded" : null;
    return { id, available: copy.ok, files: [...files, ...copy.files], howToObtain: entry.obtain, source };
  }
  const used = new Set(files.filter(ok).map((s) => s.source));
  const source = !available || used.size === 0 ? null : used.size === 1 ? [...used][0] : "mixed";
  return { id, available, files, howToObtain: entry.obtain, source };
}
