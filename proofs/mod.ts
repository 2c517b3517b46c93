/**
 * Numerical checks of the paper's theorems: each runs its claim on the active tfjs backend
 * (float32) and in float64 and reports a {@linkcode ProofResult}.
 *
 * - `theorem-1`: the half-squared pairwise loss equals Var(δ) (Eq. 4).
 * - `corollary-2`: its O(N²) and O(N) forms agree (Eq. 5).
 * - `corollary-3`: the p = 2 normalized pairwise loss equals the negative-Pearson form (Eq. 6–7).
 * - `theorem-4`: pairwise differences match ⇔ gradients match; Corollary 5 by Monte Carlo.
 * - `theorem-6`: the KL-DRO aggregation's closed form equals its numerically found maximum (Eq. 8–10).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { corollary2 } from "./corollary_2.ts";
import { corollary3 } from "./corollary_3.ts";
import { theorem1 } from "./theorem_1.ts";
import { theorem4 } from "./theorem_4.ts";
import { theorem6 } from "./theorem_6.ts";
import type { ProofId, ProofOptions, ProofResult } from "./types.ts";

export type { Comparison, ProofId, ProofOptions, ProofResult } from "./types.ts";

/** One entry of {@linkcode ALL_PROOFS}. */
export interface ProofEntry {
  /** The id of the check, e.g. `"theorem-1"`. */
  id: ProofId;
  /** The result of the paper, e.g. `"Theorem 1"`. */
  title: string;
  /** Runs the check on the active backend. */
  run: (options?: ProofOptions) => Promise<ProofResult>;
}

/** Every proof check, in the paper's order. */
export const ALL_PROOFS: readonly ProofEntry[] = [
  { id: "theorem-1", title: "Theorem 1", run: theorem1 },
  { id: "corollary-2", title: "Corollary 2", run: corollary2 },
  { id: "corollary-3", title: "Corollary 3", run: corollary3 },
  { id: "theorem-4", title: "Theorem 4 and Corollary 5", run: theorem4 },
  { id: "theorem-6", title: "Theorem 6", run: theorem6 },
];

/** Options of {@linkcode runProofs}. */
export interface RunProofsOptions extends ProofOptions {
  /** Run only these ids (default: all). An unknown id is an error. */
  only?: readonly string[];
  /** Called after each check (e.g. to print progress). */
  onResult?: (result: ProofResult, seconds: number) => void;
}

/**
 * Runs the proof checks one after the other on the ACTIVE tfjs backend (select it first, e.g. with
 * `selectBackend` from `lib/backend.ts`) and returns their results in the order of
 * {@linkcode ALL_PROOFS}. Each result's `details` gets `seconds` (wall time) and `leakedTensors`
 * (live tfjs tensors after minus before; 0 when the check freed everything).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { runProofs } from "./mod.ts";
 * await tf.setBackend("cpu");
 * const [r] = await runProofs({ only: ["theorem-6"], quick: true });
 * assert.equal(r.id, "theorem-6");
 * assert.ok(r.passed);
 * ```
 */
export async function runProofs(options: RunProofsOptions = {}): Promise<ProofResult[]> {
  const known = new Set<string>(ALL_PROOFS.map((p) => p.id));
  for (const id of options.only ?? []) {
    if (!known.has(id)) {
      throw new Error(`runProofs: unknown proof id "${id}"; use one of ${[...known].join(", ")}`);
    }
  }
  const selected = ALL_PROOFS.filter((p) => options.only === undefined || options.only.includes(p.id));
  const results: ProofResult[] = [];
  for (const proof of selected) {
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    const result = await proof.run({ seed: options.seed, quick: options.quick });
    const seconds = (performance.now() - t0) / 1000;
    const leaked = tf.memory().numTensors - before;
    result.details = { ...result.details, seconds, leakedTensors: leaked };
    results.push(result);
    options.onResult?.(result, seconds);
  }
  return results;
}
