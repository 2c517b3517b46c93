/**
 * The repository's TypeScript sources for the policy tests (`docs_test.ts`, `layout_test.ts`): a walk of one
 * folder, paths relative to the repository root.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The `.ts`/`.tsx` files under `dir` (relative to {@linkcode ROOT}), at any depth, `node_modules` skipped; with
 * `skipPrivate`, files and folders whose name starts with `_` are skipped too. A missing folder yields nothing.
 */
export function* sourceFiles(dir: string, options: { skipPrivate?: boolean } = {}): Generator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(join(ROOT, dir))];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  for (const entry of entries) {
    if (options.skipPrivate && entry.name.startsWith("_")) continue;
    const rel = join(dir, entry.name);
    if (entry.isDirectory && entry.name !== "node_modules") yield* sourceFiles(rel, options);
    if (entry.isFile && /\.tsx?$/.test(entry.name)) yield rel;
  }
}
