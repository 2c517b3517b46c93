/**
 * Progress lines on stderr for the tasks (`train`, `reproduce`): on a terminal one line rewritten in
 * place, otherwise a line each time the caller says one is due. Internal to `tasks/`.
 *
 * @module
 */

/**
 * Seconds as `42s` or `3m07s`; `?` when not finite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSeconds } from "./_progress.ts";
 * assert.equal(formatSeconds(42.4), "42s");
 * assert.equal(formatSeconds(187), "3m07s");
 * assert.equal(formatSeconds(Number.NaN), "?");
 * ```
 */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  return s < 60
    ? `${s.toFixed(0)}s`
    : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
}

/** What {@linkcode stderrProgress} returns. */
export interface StderrProgress {
  /** Shows `line`: on a terminal always (rewriting the last one), else only when `due`. */
  show(line: string, due: boolean): void;
  /** Ends the rewritten line on a terminal (a newline); nothing otherwise. */
  end(): void;
}

/**
 * A progress line on stderr (see the module notes).
 *
 * @example
 * ```ts
 * import { stderrProgress } from "./_progress.ts";
 * const progress = stderrProgress();
 * progress.show("1/2 done", false); // printed on a terminal only
 * progress.end();
 * ```
 */
export function stderrProgress(): StderrProgress {
  const tty = Deno.stderr.isTerminal();
  const write = (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text));
  return {
    show: (line, due) => {
      if (tty) write(`\r${line}   `);
      else if (due) console.error(line);
    },
    end: () => {
      if (tty) write("\n");
    },
  };
}
