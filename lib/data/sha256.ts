/**
 * SHA-256 of bytes via Web Crypto.
 *
 * @module
 */

/**
 * Lower-case hex SHA-256 digest of `bytes` (`crypto.subtle.digest`).
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./sha256.ts";
 * import assert from "node:assert/strict";
 * const h = await sha256Hex(new TextEncoder().encode("abc"));
 * assert.equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
