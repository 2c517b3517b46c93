/**
 * The paper's synthetic data (Section 4.1).
 *
 * @module
 */

/**
 * Generates the sine or squared-sine data exactly as the paper (and the authors' files) do.
 *
 * - `sine`: `x = np.arange(−10π, 10π, 0.1)` (629 points; NumPy fills `start + k·Δ` with
 *   `Δ = (start + 0.1) − start`), `y = sin x`.
 * - `squared-sine`: `k = −1024..1023`, `x = sign(k)·√|k|`, `y = x²·sin(x) / mean(x²)` (2048 points).
 *
 * @returns `x` and `y` as `[N][1]` rows
 *
 * @example
 * ```ts
 * import { generateSynthetic } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const { x, y } = generateSynthetic("sine");
 * assert.equal(x.length, 629);
 * assert.equal(y[0][0], Math.sin(x[0][0]));
 * ```
 */
export function generateSynthetic(kind: "sine" | "squared-sine"): { x: number[][]; y: number[][] } {
  if (kind === "sine") {
    const start = -10 * Math.PI;
    const delta = (start + 0.1) - start;
    const n = Math.ceil((10 * Math.PI - start) / 0.1);
    const x = Array.from({ length: n }, (_, k) => start + k * delta);
    return { x: x.map((v) => [v]), y: x.map((v) => [Math.sin(v)]) };
  }
  if (kind === "squared-sine") {
    const x = Array.from({ length: 2048 }, (_, i) => {
      const k = i - 1024;
      return Math.sign(k) * Math.sqrt(Math.abs(k));
    });
    const meanSq = x.reduce((s, v) => s + v * v, 0) / x.length;
    return { x: x.map((v) => [v]), y: x.map((v) => [(v * v * Math.sin(v)) / meanSq]) };
  }
  throw new Error(`unknown synthetic kind ${kind}`);
}
