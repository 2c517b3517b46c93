/**
 * Opening an HTML file in headless Chromium: collects the page's console messages and takes a
 * screenshot. Used to check that `results/report.html` renders without console errors.
 *
 * Chromium (Debian package `chromium`, `/usr/bin/chromium`) runs with
 * {@linkcode CHROMIUM_FLAGS}, a throw-away `--user-data-dir`, `--enable-logging=stderr --v=0` (which
 * makes it print every console message of the page as an `INFO:CONSOLE` line on stderr) and
 * `--screenshot`. The command-line logging does not tell `console.error` from `console.log`, so
 * every console message counts: the report has no scripts, so any message (an uncaught error, a
 * failed resource load, a CSP violation) means something is wrong.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** The flags every headless run uses (besides logging, user data dir, window size and screenshot). */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Returns the Chromium executable to use: `GAR_CHROMIUM` if set, else {@linkcode CHROMIUM_PATH}
 * when it exists, else null.
 *
 * @example
 * ```ts
 * import { findChromium } from "./chromium.ts";
 * console.log(findChromium() ?? "no chromium: apt-get install -y chromium");
 * ```
 */
export function findChromium(): string | null {
  const candidates = [Deno.env.get("GAR_CHROMIUM"), CHROMIUM_PATH].filter((x): x is string => !!x);
  for (const path of candidates) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not there
    }
  }
  return null;
}

/** Options of {@linkcode openInChromium}. */
export interface ChromiumOptions {
  /** The browser (default {@linkcode findChromium}). */
  executable?: string;
  /** Window width and height in CSS pixels (default 1280 × 2000). */
  windowSize?: [number, number];
  /** Kill the browser after this many milliseconds (default 60 000). */
  timeoutMs?: number;
}

/** What {@linkcode openInChromium} observed. */
export interface ChromiumResult {
  /** Chromium's exit code. */
  code: number;
  /** Every console message of the page (text and source). */
  consoleMessages: string[];
  /** The screenshot (PNG bytes; empty if none was written). */
  screenshot: Uint8Array;
  /** The last lines of Chromium's stderr, for diagnostics. */
  stderrTail: string;
}

const CONSOLE_LINE = /:CONSOLE(?::\d+|\(\d+\))\]\s*(.*)$/;

/**
 * Parses Chromium's `--enable-logging=stderr` output into the page's console messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConsoleMessages } from "./chromium.ts";
 * const log = '[1:1:1122/1.2:INFO:CONSOLE:1] "boom", source: file:///x.html (1)\n[1:1:1:INFO:other] ok';
 * assert.deepEqual(parseConsoleMessages(log), ['"boom", source: file:///x.html (1)']);
 * ```
 */
export function parseConsoleMessages(stderr: string): string[] {
  const out: string[] = [];
  for (const line of stderr.split(/\r?\n/)) {
    const m = CONSOLE_LINE.exec(line);
    if (m) out.push(m[1].trim());
  }
  return out;
}

/**
 * Opens an HTML file in headless Chromium, returns its console messages and a screenshot.
 *
 * @param htmlPath path of the HTML file
 * @param options browser, window size, timeout
 * @throws Error when no Chromium is found
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { openInChromium } from "./chromium.ts";
 * const r = await openInChromium("results/report.html");
 * assert.deepEqual(r.consoleMessages, []);
 * ```
 */
export async function openInChromium(
  htmlPath: string,
  options: ChromiumOptions = {},
): Promise<ChromiumResult> {
  const executable = options.executable ?? findChromium();
  if (executable === null) {
    throw new Error(`openInChromium: Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  }
  const [w, h] = options.windowSize ?? [1280, 2000];
  const tmp = await Deno.makeTempDir({ prefix: "gar-chromium-" });
  const shot = join(tmp, "screenshot.png");
  try {
    const command = new Deno.Command(executable, {
      args: [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${join(tmp, "profile")}`,
        "--enable-logging=stderr",
        "--v=0",
        `--screenshot=${shot}`,
        `--window-size=${w},${h}`,
        pathToFileURL(resolve(htmlPath)).href,
      ],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    });
    const { code, stderr } = await command.output();
    const text = new TextDecoder().decode(stderr);
    let screenshot = new Uint8Array();
    try {
      screenshot = await Deno.readFile(shot);
    } catch {
      // no screenshot written
    }
    return {
      code,
      consoleMessages: parseConsoleMessages(text),
      screenshot,
      stderrTail: text.split("\n").slice(-20).join("\n"),
    };
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}
