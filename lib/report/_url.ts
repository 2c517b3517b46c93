/**
 * Path → `file://` URL (internal).
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The `file://` URL of a path (made absolute against the current directory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toFileUrl } from "./_url.ts";
 * assert.equal(toFileUrl("/tmp/a b.html"), "file:///tmp/a%20b.html");
 * ```
 */
export function toFileUrl(path: string): string {
  return pathToFileURL(resolve(path)).href;
}
