/**
 * The hyper-parameter grids of `deno task compare`, as profiles of the protocol runner
 * (`lib/experiment/profiles.ts`): 5-fold CV on the training part, 100 epochs (lr ×0.1 after epochs 50 and 75),
 * every value of each method's parameter grid (the registry's, `lib/methods.ts`), and
 *
 * | grid | learning rates | weight decays | runs of a three-value method (e.g. GAR) per fold |
 * | --- | --- | --- | --- |
 * | `quick` (default) | 1e-1, 1e-2, 1e-3 | 1e-4 | 9 |
 * | `paper` | 1e-1, 1e-2, 1e-3 | 1e-3, 1e-4, 1e-5 | 27 |
 *
 * `paper` is the paper's grid (Appendix B.6). `quick` keeps its three learning rates — the axis that matters
 * most, since the methods' gradient scales differ by orders of magnitude on raw labels — and the middle weight
 * decay: a third of the cost, and the same rule for every method, so no method is favoured.
 *
 * @module
 */
import { lrMilestones } from "../model/train_loop.ts";
import { FOLDS, type Profile, PROFILES } from "../experiment/profiles.ts";

/** The grids' names. */
export const COMPARE_GRIDS = ["quick", "paper"] as const;
/** One of {@linkcode COMPARE_GRIDS}. */
export type CompareGrid = typeof COMPARE_GRIDS[number];

/** Learning rates and weight decays of each grid (see the module table). */
export const COMPARE_GRID_AXES: Readonly<Record<CompareGrid, { lrs: number[]; weightDecays: number[] }>> = {
  quick: { lrs: [1e-1, 1e-2, 1e-3], weightDecays: [1e-4] },
  paper: { lrs: [1e-1, 1e-2, 1e-3], weightDecays: [1e-3, 1e-4, 1e-5] },
};

/**
 * The profile that runs `grid` for `epochs` epochs (lr ×0.1 after `round(E/2)` and `round(3E/4)`), all five folds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareProfile } from "./grids.ts";
 * const p = compareProfile("quick");
 * assert.deepEqual([p.lrs, p.weightDecays, p.params, p.epochs, p.milestones], [[0.1, 0.01, 0.001], [1e-4], "full", 100, [50, 75]]);
 * assert.deepEqual(compareProfile("paper", 3).milestones, [2]);
 * ```
 */
export function compareProfile(grid: CompareGrid, epochs = 100): Profile {
  const axes = COMPARE_GRID_AXES[grid];
  return {
    ...PROFILES.paper,
    name: grid,
    epochs,
    milestones: [...new Set(lrMilestones(epochs))],
    folds: Array.from({ length: FOLDS }, (_, i) => i),
    lrs: [...axes.lrs],
    weightDecays: [...axes.weightDecays],
    params: "full",
  };
}
