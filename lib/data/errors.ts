/**
 * Errors raised by the data layer. Each message names the file or column concerned.
 *
 * @module
 */

/**
 * A data file or table is malformed (corrupt archive, bad header, non-numeric value, …).
 *
 * @example
 * ```ts
 * import { DataFormatError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new DataFormatError("x.npy: bad magic");
 * assert.equal(e.name, "DataFormatError");
 * ```
 */
export class DataFormatError extends Error {
  /** @param message what is wrong, naming the file or column */
  constructor(message: string) {
    super(message);
    this.name = "DataFormatError";
  }
}

/**
 * A file's sha256 differs from the registry's: the file is refused.
 *
 * @example
 * ```ts
 * import { ChecksumError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new ChecksumError("a.npz", "00", "ff");
 * assert.match(e.message, /expected sha256 00, actual ff/);
 * ```
 */
export class ChecksumError extends Error {
  /** The file (registry path) whose content was refused. */
  readonly file: string;
  /** The sha256 the registry expects. */
  readonly expected: string;
  /** The sha256 of the bytes that were found. */
  readonly actual: string;
  /**
   * @param file registry path of the file
   * @param expected expected sha256 (hex)
   * @param actual actual sha256 (hex)
   */
  constructor(file: string, expected: string, actual: string) {
    super(`checksum mismatch for ${file}: expected sha256 ${expected}, actual ${actual}; file refused`);
    this.name = "ChecksumError";
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A dataset cannot be loaded because some of its files are not present (offline, no mirror copy,
 * or the data are not public). The message says how to obtain them.
 *
 * @example
 * ```ts
 * import { DataUnavailableError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new DataUnavailableError("ic50", "put the file in the cache");
 * assert.match(e.message, /ic50/);
 * ```
 */
export class DataUnavailableError extends Error {
  /** The dataset id. */
  readonly id: string;
  /** @param id dataset id @param howToObtain instructions */
  constructor(id: string, howToObtain: string) {
    super(`dataset ${id} is not available: ${howToObtain}`);
    this.name = "DataUnavailableError";
    this.id = id;
  }
}
