/**
 * Which environment variables of the submitting shell a batch job must see too.
 *
 * @module
 */

/** Names passed whole, and prefixes of names passed (see {@linkcode passThroughEnv}). */
const NAMES = [
  "XDG_RUNTIME_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];
const PREFIXES = ["GAR_", "DENO_", "NPM_CONFIG_", "npm_config_"];

/**
 * The variables of `env` that a job of the kit needs as they are where it is submitted: the kit's
 * own (`GAR_*`: data cache and mirror, backend, results, host threads), Deno's (`DENO_*`, e.g. a
 * shared `DENO_DIR`), npm's (`NPM_CONFIG_*`), `XDG_RUNTIME_DIR` (headless WebGPU) and the proxies,
 * sorted by name. Slurm exports the whole submitting environment by default; the batch scripts
 * export these again so that they also hold where jobs start with `--export=NONE`, or when a script
 * is submitted by hand later.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { passThroughEnv } from "./pass_env.ts";
 * const env = { PATH: "/usr/bin", GAR_DATA_MIRROR: "/data", DENO_DIR: "/shared/deno", XDG_RUNTIME_DIR: "/tmp/xdg" };
 * assert.deepEqual(passThroughEnv(env), { DENO_DIR: "/shared/deno", GAR_DATA_MIRROR: "/data", XDG_RUNTIME_DIR: "/tmp/xdg" });
 * ```
 */
export function passThroughEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  const names = Object.keys(env).filter((n) => NAMES.includes(n) || PREFIXES.some((p) => n.startsWith(p)));
  return Object.fromEntries(names.sort().map((n) => [n, env[n]]));
}
