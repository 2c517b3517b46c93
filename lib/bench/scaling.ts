/**
 * Loss forward + backward time against batch size: GAR's O(N) form against the O(N²) pairwise
 * reference (`pairwiseDiffLoss` + `pairwiseDiffNormLoss`), as plot-ready data.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { withoutFiniteChecks } from "../losses/validate.ts";
import { gar } from "../losses/gar.ts";
import { hostBackend } from "../losses/kernels/host/backend.ts";
import { pairwiseDiffLoss } from "../losses/pairwise_diff_loss.ts";
import { pairwiseDiffNormLoss } from "../losses/pairwise_diff_norm_loss.ts";
import { median } from "../stats/median.ts";

const WARMUP = 3;

/** One measured (or skipped) point. */
export interface ScalingPoint {
  /** `"gar"` (O(N)) or `"pairwise"` (the O(N²) reference: both pairwise losses). */
  method: "gar" | "pairwise";
  /** Batch size N. */
  n: number;
  /** Median forward + backward time, ms; null when skipped or failed. */
  ms: number | null;
  /** The memory the point was predicted to need, bytes. */
  predictedBytes: number;
  /** Why there is no time: `"memory bound"` (predicted above the limit) or the error message. */
  skipped?: string;
}

/** Options of {@linkcode scalingBenchmark}. */
export interface ScalingOptions {
  /** log2 of the smallest batch (default 8). */
  fromLog2?: number;
  /** log2 of the largest batch (default 20). */
  toLog2?: number;
  /** Timed repetitions per point after 3 warm-up runs (default 7; the median is reported). */
  repeats?: number;
  /**
   * The memory a point may take, bytes (default 1.5 GiB: below wasm32's 2–4 GiB heap and small
   * beside this machine's RAM). A point whose predicted peak exceeds it is not run.
   */
  memoryLimitBytes?: number;
  /**
   * Forward + backward passes per timed repetition, read back once at its end (default 1 on the
   * host-memory backends, whose kernels run synchronously; 8 on the others, where a read-back costs
   * a fixed latency — about 11 ms on Deno's WebGPU — that one pass per read-back would measure
   * instead of the loss). The time reported is per pass.
   */
  passesPerReadback?: number;
  /** Stop a method once one point takes longer than this, ms (default 20 000). */
  maxPointMs?: number;
  /** Receives one line per point. */
  onProgress?: (line: string) => void;
}

/**
 * Peak bytes of one forward + backward at batch N, predicted from the size of the tensors each form
 * materialises: GAR holds ~12 `[N]` float32 vectors; the pairwise reference 32 `[N, N]` float32
 * matrices (measured with `tf.profile` on cpu: a peak of 28.0 `[N, N]` matrices at N = 128 … 1024 —
 * differences, their products and normalisations, and the backward pass). Conservative: the run
 * stops before the real peak would reach the limit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictedBytes } from "./scaling.ts";
 * assert.ok(predictedBytes("pairwise", 4096) > 1e9); // 32 float32 matrices of 4096²: 2 GiB
 * assert.ok(predictedBytes("gar", 4096) < 1e6);
 * ```
 */
export function predictedBytes(method: "gar" | "pairwise", n: number): number {
  return method === "gar" ? 12 * 4 * n : 32 * 4 * n * n;
}

/**
 * Times GAR and the O(N²) reference at N = 2^fromLog2 … 2^toLog2 (labels `[N, 1]`, predictions
 * `labels + noise`, seeded). A point whose predicted memory exceeds `memoryLimitBytes` is reported
 * as skipped ("memory bound") without running it, as are the larger ones; an allocation failure
 * is caught and reported the same way. Runs on the active backend with the finite checks off.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { scalingBenchmark } from "./scaling.ts";
 * await tf.setBackend("cpu");
 * const pts = await scalingBenchmark({ fromLog2: 4, toLog2: 6, repeats: 1, memoryLimitBytes: 32 * 4 * 32 * 32 });
 * assert.equal(pts.find((p) => p.method === "pairwise" && p.n === 64)!.skipped, "memory bound");
 * assert.ok(pts.filter((p) => p.method === "gar").every((p) => p.ms !== null));
 * ```
 */
export async function scalingBenchmark(options: ScalingOptions = {}): Promise<ScalingPoint[]> {
  const from = options.fromLog2 ?? 8, to = options.toLog2 ?? 20;
  const repeats = options.repeats ?? 7;
  const limit = options.memoryLimitBytes ?? 1.5 * 2 ** 30;
  const maxPointMs = options.maxPointMs ?? 20000;
  const passes = options.passesPerReadback ?? (hostBackend() ? 1 : 8);
  if (!(Number.isInteger(passes) && passes >= 1)) {
    throw new Error(`scalingBenchmark: passesPerReadback must be an integer ≥ 1, got ${passes}`);
  }
  const points: ScalingPoint[] = [];
  const stopped = { gar: "", pairwise: "" };
  const losses = {
    gar: (y: tf.Tensor, p: tf.Tensor) => gar(y, p),
    pairwise: (y: tf.Tensor, p: tf.Tensor) =>
      tf.add(pairwiseDiffLoss(y, p), pairwiseDiffNormLoss(y, p)) as tf.Scalar,
  };
  await withoutFiniteChecks(async () => {
    for (let k = from; k <= to; k++) {
      const n = 2 ** k;
      const y = tf.randomNormal([n, 1], 0, 1, "float32", k) as tf.Tensor2D;
      const p = tf.tidy(() => tf.add(y, tf.randomNormal([n, 1], 0, 0.5, "float32", k + 100))) as tf.Tensor2D;
      for (const method of ["gar", "pairwise"] as const) {
        const predicted = predictedBytes(method, n);
        if (stopped[method] !== "") {
          points.push({ method, n, ms: null, predictedBytes: predicted, skipped: stopped[method] });
          continue;
        }
        if (predicted > limit) {
          stopped[method] = "memory bound";
          points.push({ method, n, ms: null, predictedBytes: predicted, skipped: "memory bound" });
          continue;
        }
        try {
          const step = tf.grad((q: tf.Tensor) => losses[method](y, q));
          const times: number[] = [];
          for (let r = -WARMUP; r < repeats; r++) { // negative r: warm-up runs (JIT, allocator)
            const t0 = performance.now();
            for (let k = 1; k < passes; k++) step(p).dispose();
            const g = step(p);
            await g.data();
            g.dispose();
            if (r >= 0) times.push((performance.now() - t0) / passes);
          }
          const ms = median(times);
          points.push({ method, n, ms, predictedBytes: predicted });
          if (ms > maxPointMs) stopped[method] = `slower than ${maxPointMs} ms at a smaller N`;
        } catch (e) {
          stopped[method] = `failed: ${(e as Error).message}`;
          points.push({ method, n, ms: null, predictedBytes: predicted, skipped: stopped[method] });
        }
        const last = points[points.length - 1];
        options.onProgress?.(
          `${method} N=${n}: ${last.ms === null ? last.skipped : `${last.ms.toFixed(3)} ms`}`,
        );
      }
      tf.dispose([y, p]);
    }
  });
  return points;
}
