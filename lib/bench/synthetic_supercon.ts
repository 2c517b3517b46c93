/**
 * A generated stand-in with Super Conductivity's shape, for runtime measurements where the UCI
 * file is not present.
 *
 * @module
 */
import { gaussian } from "../random/gaussian.ts";
import { mulberry32 } from "../random/mulberry32.ts";

/** A dense float32 regression table. */
export interface BenchTable {
  /** Dataset id. */
  id: string;
  /** Rows. */
  rows: number;
  /** Features per row. */
  features: number;
  /** Targets per row. */
  targets: number;
  /** Row-major features `[rows * features]`. */
  x: Float32Array;
  /** Row-major targets `[rows * targets]`. */
  y: Float32Array;
}

/** Options of {@linkcode syntheticSuperconductivity}. */
export interface SyntheticSuperconOptions {
  /** Rows (default 17 000, about the 80 % training part of UCI's 21 263). */
  rows?: number;
  /** Features (default 81, as UCI's file). */
  features?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * A seeded table with Super Conductivity's shape (81 standard-normal features, one target): the
 * target is a smooth non-linear function of a few feature combinations plus noise, scaled to a
 * spread like the critical temperature's (≈ 34 K). Only the shape matters for timing; the values
 * are not the UCI data's and carry no accuracy meaning. Id `supercon-synthetic`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticSuperconductivity } from "./synthetic_supercon.ts";
 * const t = syntheticSuperconductivity({ rows: 10, seed: 1 });
 * assert.equal(t.x.length, 10 * 81);
 * assert.equal(t.y.length, 10);
 * assert.deepEqual(t.y, syntheticSuperconductivity({ rows: 10, seed: 1 }).y);
 * ```
 */
export function syntheticSuperconductivity(options: SyntheticSuperconOptions = {}): BenchTable {
  const rows = options.rows ?? 17000;
  const features = options.features ?? 81;
  if (!Number.isInteger(rows) || rows < 2 || !Number.isInteger(features) || features < 1) {
    throw new Error(`syntheticSuperconductivity: rows must be an integer ≥ 2 and features ≥ 1`);
  }
  const rand = mulberry32((options.seed ?? 0) + 0x5c0);
  const normal = () => gaussian(rand);
  const w1 = Float64Array.from({ length: features }, normal);
  const w2 = Float64Array.from({ length: features }, normal);
  const scale = 1 / Math.sqrt(features);
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let a = 0, b = 0;
    for (let j = 0; j < features; j++) {
      const v = normal();
      x[i * features + j] = v;
      a += w1[j] * v;
      b += w2[j] * v;
    }
    a *= scale;
    b *= scale;
    y[i] = 34 * (Math.tanh(a) + 0.5 * Math.sin(2 * b) + 0.3 * a * b) + 5 * normal() + 35;
  }
  return { id: "supercon-synthetic", rows, features, targets: 1, x, y };
}
