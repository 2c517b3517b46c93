/**
 * Numerical constants shared by the GAR losses.
 *
 * @module
 */

/**
 * The authors' epsilon (`eps = 1e-7` in `loss.py` of DixianZhu/GAR).
 *
 * It is used exactly where the authors use it:
 * - added to each of the three GAR sub-losses (MAE, error variance, Pearson part), so that every
 *   sub-loss is strictly positive and its logarithm (Eq. 9 / Eq. 11) is finite;
 * - as the lower clip of the per-column standard deviations in the Pearson part (a constant
 *   column is divided by `GAR_EPS` instead of 0);
 * - as the lower clip of the norms / standard deviations in `pairwiseDiffNormLoss` and
 *   `negPearsonLoss`, so constant inputs give a finite value and gradient.
 *
 * @example
 * ```ts
 * import { GAR_EPS } from "./constants.ts";
 * import assert from "node:assert/strict";
 * assert.equal(GAR_EPS, 1e-7);
 * ```
 */
export const GAR_EPS = 1e-7;
