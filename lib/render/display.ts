/**
 * Showing figures and tables inline in a Deno Jupyter notebook (`Deno.jupyter.display`), and doing
 * nothing outside the kernel.
 *
 * @module
 */

const FLUSH_MS = 100;

type JupyterDisplay = (bundle: Record<string, unknown>, options: { raw: boolean }) => Promise<void>;

function jupyterDisplay(): JupyterDisplay | undefined {
  try {
    // Outside `deno jupyter` the getter throws.
    return (Deno as unknown as { jupyter?: { display?: JupyterDisplay } }).jupyter?.display;
  } catch {
    return undefined;
  }
}

/**
 * Displays a MIME bundle in the notebook (e.g. `{ "image/svg+xml": svg }`). Returns false, and
 * shows nothing, outside a Deno Jupyter kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { display } from "./display.ts";
 * assert.equal(await display({ "text/html": "<b>hi</b>" }), false); // not in a kernel
 * ```
 */
export async function display(bundle: Record<string, string>): Promise<boolean> {
  const show = jupyterDisplay();
  if (show === undefined) return false;
  await show(bundle, { raw: true });
  // Deno's kernel can report a cell idle before its last display message is on the wire; nbclient then
  // drops the output. A short pause lets it go out first (seen missing under load without it).
  await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
  return true;
}
