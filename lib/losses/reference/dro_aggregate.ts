/**
 * Float64 reference of the KL-DRO aggregation (Theorem 6, Eq. 9): the test oracle for
 * `droAggregate`.
 *
 * @module
 */
import { fsum } from "../../stats/fsum.ts";
import { mean } from "../../stats/mean.ts";

function check(losses: readonly number[], alpha: number): void {
  if (losses.length === 0) throw new Error("droAggregateReference: losses is empty");
  if (!(Number.isFinite(alpha) && alpha > 0)) throw new Error(`droAggregateReference: bad alpha ${alpha}`);
  losses.forEach((l, i) => {
    if (!(Number.isFinite(l) && l > 0)) throw new Error(`droAggregateReference: bad losses[${i}] ${l}`);
  });
}

/**
 * `alpha * log((1/M) sum_i L_i^(1/alpha))` in float64, computed as
 * `log L_max + alpha * log1p(mean_i expm1((log L_i - log L_max) / alpha))` (exact, no overflow).
 *
 * @param losses the sub-losses, finite and > 0
 * @param alpha the DRO temperature, finite and > 0
 * @returns the aggregated value
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { droAggregateReference } from "./dro_aggregate.ts";
 * assert.ok(Math.abs(droAggregateReference([1, 2, 3], 1) - Math.log(2)) < 1e-15);
 * ```
 */
export function droAggregateReference(losses: readonly number[], alpha: number): number {
  check(losses, alpha);
  const logs = losses.map(Math.log);
  const top = Math.max(...logs);
  return top + alpha * Math.log1p(mean(logs.map((l) => Math.expm1((l - top) / alpha))));
}

/**
 * The gradient of {@linkcode droAggregateReference}: `dV/dL_i = w_i / L_i`,
 * `w = softmax(log L / alpha)`, in float64.
 *
 * @param losses the sub-losses, finite and > 0
 * @param alpha the DRO temperature, finite and > 0
 * @returns `[dV/dL_1, ..., dV/dL_M]`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { droAggregateGradientReference } from "./dro_aggregate.ts";
 * // alpha = 1: d log(mean L)/dL_i = 1 / sum L
 * const g = droAggregateGradientReference([1, 3], 1);
 * assert.ok(Math.abs(g[0] - 0.25) < 1e-15 && Math.abs(g[1] - 0.25) < 1e-15);
 * ```
 */
export function droAggregateGradientReference(losses: readonly number[], alpha: number): number[] {
  check(losses, alpha);
  const logs = losses.map(Math.log);
  const top = Math.max(...logs);
  const e = logs.map((l) => Math.exp((l - top) / alpha));
  const total = fsum(e);
  return e.map((ei, i) => ei / total / losses[i]);
}
