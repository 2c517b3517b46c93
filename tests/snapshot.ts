/**
 * Snapshot helper for figure tests, as Observable Plot's own test suite does: the rendered SVG is
 * compared with a committed file in the test folder's `__snapshots__/`. Run with `UPDATE_SNAPSHOTS=1`
 * to (re)write the snapshots; a missing snapshot is an error otherwise. Snapshot files end in
 * `.svg.snap`, not `.svg`: `deno fmt` formats `.svg` files, which would change their bytes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

/**
 * Compares `actual` with `<snapshots>/<name>.snap` (or writes it when `UPDATE_SNAPSHOTS=1`).
 *
 * @param snapshots the snapshot folder, e.g. `new URL("./__snapshots__/", import.meta.url)`
 */
export async function assertSnapshot(snapshots: URL, name: string, actual: string): Promise<void> {
  const dir = fileURLToPath(snapshots);
  const path = `${dir}${name}.snap`;
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(path);
  } catch {
    throw new Error(`snapshot ${name} is missing: run the test with UPDATE_SNAPSHOTS=1 to create it`);
  }
  assert.equal(actual, expected, `SVG differs from snapshot ${name} (UPDATE_SNAPSHOTS=1 rewrites it)`);
}
