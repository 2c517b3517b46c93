/**
 * A reader for NumPy `.npz` archives (zip files of `.npy` members), via `fflate`.
 *
 * @module
 */
import { unzipSync } from "fflate";
import { DataFormatError } from "./errors.ts";
import { type NpyArray, parseNpy } from "./npy.ts";

/**
 * Decodes every `<key>.npy` member of an `.npz` archive. Members may be stored or deflated
 * (`np.savez` and `np.savez_compressed`). Non-`.npy` members are ignored.
 *
 * @param bytes the archive's content
 * @param name the file name used in error messages
 * @returns arrays by key (member name without `.npy`)
 * @throws {DataFormatError} on a truncated or corrupt archive or member, naming the file
 *
 * @example
 * ```ts
 * import { readNpz } from "./npz.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => readNpz(new Uint8Array([1, 2, 3]), "broken.npz"), /broken\.npz/);
 * ```
 */
export function readNpz(bytes: Uint8Array, name = "archive.npz"): Record<string, NpyArray> {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes);
  } catch (e) {
    throw new DataFormatError(
      `${name}: not a readable .npz (zip) archive — truncated or corrupt (${(e as Error).message})`,
    );
  }
  const out: Record<string, NpyArray> = {};
  for (const [member, content] of Object.entries(members)) {
    if (!member.endsWith(".npy")) continue;
    out[member.slice(0, -4)] = parseNpy(content, `${name}:${member}`);
  }
  if (Object.keys(out).length === 0) throw new DataFormatError(`${name}: archive holds no .npy members`);
  return out;
}
