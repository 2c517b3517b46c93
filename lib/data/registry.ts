/**
 * The dataset registry (`data/registry.json`): typed access and name expansion.
 *
 * @module
 */
import raw from "../../data/registry.json" with { type: "json" };

/** Names given as a list, or as a pattern `prefix_{i}` with a count (`null` = known only at load time). */
export type NameSpec = string[] | { pattern: string; count: number | null };

/** One file (or folder) of a dataset. Paths are relative to the cache and to the mirror. */
export interface RegistryFile {
  /** Relative path, e.g. `gar-official/CCS.npz`. */
  path: string;
  /** Download URLs, tried in order; empty when the file is not public. */
  urls: string[];
  /** Size in bytes, or null when unknown. */
  bytes: number | null;
  /** Expected sha256 (hex), or null when no verified copy was available (then accepted unverified). */
  sha256: string | null;
  /** Git blob id of the recorded copy, when known. */
  gitBlob?: string;
  /** Whether the dataset needs this file to load. */
  required: boolean;
  /** What the file is for (`data`, `listing`, `features`, `split-ids`, `results`, `documentation`, `images`). */
  role: string;
  /** `directory` for a folder (counted, not hashed); default a file. */
  kind?: "file" | "directory";
  /** When a URL is a zip archive: the member to extract. */
  archiveMember?: string;
  /** Provenance remarks. */
  note?: string;
}

/** How the train/test split is made. */
export interface SplitRule {
  /** `authors-baked-in`, `authors-ids`, `authors-ids-or-kit-seeded`, `kit-seeded` or `listing`. */
  rule: string;
  /** Test fraction (the authors' `teN = int(f·N)`). */
  testFraction?: number;
  /** Rows of a baked-in split. */
  train?: number;
  /** Rows of a baked-in split. */
  test?: number;
  /** The rule in words. */
  description: string;
  /** Remarks. */
  note?: string;
}

/** Feature standardisation applied at load time by default. */
export type StandardizeMode = "train" | "authors-full-data" | "none";

/** One registry entry. */
export interface DatasetEntry {
  /** Dataset id, e.g. `parkinson-total`. */
  id: string;
  /** Human-readable title. */
  title: string;
  /** How to cite the data. */
  citation: string;
  /** Licence of the data. */
  licence: string;
  /** UCI repository id, DOI and page, for UCI data. */
  uci?: { id: number; doi: string; page: string };
  /** Source URLs (the UCI archive for raw data; the authors' repository for their files). */
  sources: string[];
  /** The authors' repository and commit, for their files. */
  authorsRepo?: { name: string; commit: string; licence: string };
  /** Files, each with size and sha256. */
  files: RegistryFile[];
  /** Loader name (see `lib/data/load_dataset.ts`). */
  parser: string;
  /** Loader parameters. */
  params: Record<string, unknown>;
  /** Feature names. */
  featureNames: NameSpec;
  /** Target names. */
  targetNames: NameSpec;
  /** Split rule. */
  split: SplitRule;
  /** What the loader does to the data, in words. */
  preprocessing: string;
  /** Default feature standardisation at load time. */
  standardize: StandardizeMode;
  /** How to obtain the data when it is not available. */
  obtain: string;
}

const ENTRIES: readonly DatasetEntry[] = (raw as unknown as { datasets: DatasetEntry[] }).datasets;

/**
 * All registry entries, in registry order.
 *
 * @example
 * ```ts
 * import { datasetEntries } from "./registry.ts";
 * import assert from "node:assert/strict";
 * assert.ok(datasetEntries().some((d) => d.id === "parkinson-total"));
 * ```
 */
export function datasetEntries(): readonly DatasetEntry[] {
  return ENTRIES;
}

/**
 * The registry entry for `id`.
 *
 * @throws {Error} for an unknown id, listing the known ones
 *
 * @example
 * ```ts
 * import { datasetEntry } from "./registry.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(datasetEntry("concrete").targetNames, ["compressive_strength"]);
 * ```
 */
export function datasetEntry(id: string): DatasetEntry {
  const e = ENTRIES.find((d) => d.id === id);
  if (!e) throw new Error(`unknown dataset "${id}"; known: ${ENTRIES.map((d) => d.id).join(", ")}`);
  return e;
}

/**
 * Expands a {@linkcode NameSpec} to `count` names (`pattern` with `{i}` = 0, 1, …).
 *
 * @example
 * ```ts
 * import { expandNames } from "./registry.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(expandNames({ pattern: "drug_{i}", count: null }, 2), ["drug_0", "drug_1"]);
 * ```
 */
export function expandNames(spec: NameSpec, count: number): string[] {
  if (Array.isArray(spec)) return [...spec];
  return Array.from({ length: count }, (_, i) => spec.pattern.replace("{i}", String(i)));
}
