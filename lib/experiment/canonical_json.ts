/**
 * Canonical JSON: object keys sorted (recursively), no whitespace, so equal values give equal bytes.
 *
 * @module
 */

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => [k, sortKeys(o[k])]),
    );
  }
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
}

/**
 * `JSON.stringify` with object keys sorted at every level (`undefined` members dropped, non-finite
 * numbers written as null), the input of the run cache's hashes.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./canonical_json.ts";
 * import assert from "node:assert/strict";
 * assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
