/**
 * Running other programs: Jupyter's nbconvert to execute notebooks headless (`jupyter.ts`), headless
 * Chromium to open the HTML report (`chromium.ts`), and git for the checkout's commit
 * (`git_commit.ts`). Each degrades to a clear "not available" when its program is not installed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jupyterEnv } from "./mod.ts";
 * assert.equal(jupyterEnv("/p/results/.jupyter").JUPYTER_DATA_DIR, "/p/results/.jupyter");
 * ```
 *
 * @module
 */
export * from "./jupyter.ts";
export * from "./chromium.ts";
export * from "./git_commit.ts";
