/**
 * Progress lines on stderr for the tasks (`train`, `reproduce`, `compare`): on a terminal one line rewritten in
 * place, otherwise a line each time the caller says one is due. Internal to `tasks/`.
 *
 * @module
 */
import type { ExperimentProgress } from "../lib/experiment/orchestrate.ts";

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

/**
 * A runner's progress (`runExperiments`' `onProgress`) as a {@linkcode stderrProgress} line: runs done of the
 * total, cached and computed, elapsed time and ETA; off a terminal, a line every `everyMs` and at the end.
 *
 * @example
 * ```ts
 * import { runsProgress } from "./_progress.ts";
 * const progress = runsProgress();
 * progress.show({ done: 1, total: 2, cached: 0, computed: 1, toCompute: 2, elapsedSeconds: 3, etaSeconds: 3 });
 * progress.end();
 * ```
 */
export function runsProgress(everyMs = 5000): {
  show(p: ExperimentProgress): void;
  end(): void;
} {
  const line = stderrProgress();
  let last = -Infinity;
  let shown = false;
  return {
    show: (p) => {
      const now = performance.now();
      const due = p.computed === p.toCompute || now - last > everyMs;
      if (due) last = now;
      shown = true;
      line.show(
        `  ${p.done}/${p.total} runs done (cached ${p.cached}, computed ${p.computed}), ` +
          `elapsed ${formatSeconds(p.elapsedSeconds)}, ETA ${formatSeconds(p.etaSeconds)}`,
        due,
      );
    },
    end: () => {
      if (shown) line.end();
    },
  };
}
